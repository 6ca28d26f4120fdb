#!/usr/bin/env bash
# A bounded load test of the translation server, on the loopback address only: starts build/bin/serve on a
# free port of 127.0.0.1, sends it a fixed number of requests (or for a fixed time) at 1, 8 and 32
# concurrent clients, prints sentences/s and p50/p99 latency per level, and stops the server.
# Usage: scripts/load-test.sh --model model.bin [--requests N] [--duration S] [--lines-per-request K]
#          [--beam-size B] [--clients 1,8,32] [--input FILE] [-- serve options...]
# The input defaults to the Multi30k test_2016_flickr source side. Exit 1 if any request failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
model="" client_args=() serve_args=()
input="$root/corpora/multi30k/test_2016_flickr.de.gz"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --input) input="$2"; shift 2 ;;
    --requests|--duration|--lines-per-request|--beam-size|--clients) client_args+=("$1" "$2"); shift 2 ;;
    --) shift; serve_args=("$@"); break ;;
    *) echo "load-test.sh: unknown option '$1' (see the usage at the top of the script)" >&2; exit 2 ;;
  esac
done
[[ -n "$model" ]] || { echo "load-test.sh: --model FILE is required" >&2; exit 2; }
[[ -f "$input" ]] || { echo "load-test.sh: no input file '$input'" >&2; exit 2; }

log=$(mktemp)
"${FERRY_BIN_DIR:-$root/build/bin}/serve" --model "$model" --host 127.0.0.1 --port 0 "${serve_args[@]}" \
  2>"$log" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$log"' EXIT
port=""
for _ in $(seq 600); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log")
  [[ -n "$port" ]] && break
  kill -0 $server 2>/dev/null || { cat "$log" >&2; echo "load-test.sh: the server did not start" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$log" >&2; echo "load-test.sh: the server did not listen within a minute" >&2; exit 1; }
/usr/bin/python3 "$root/scripts/load_client.py" --port "$port" --input "$input" "${client_args[@]}"
