#!/usr/bin/python3
"""The client side of scripts/load-test.sh: for each concurrency level, that many clients send POST
/translate requests to a server on the loopback address, each request a few sentences of the input, until
the request count is reached or the time is up. Prints one line per level: clients, requests, sentences/s,
p50 and p99 latency.

Usage: scripts/load_client.py --port P --input FILE [--clients 1,8,32] [--requests N] [--duration S]
                              [--lines-per-request K] [--beam-size B]
"""
import argparse
import gzip
import http.client
import json
import sys
import threading
import time


def fail(message):
    print(f"load_client.py: {message}", file=sys.stderr)
    sys.exit(2)


def read_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            lines = [line.rstrip("\n") for line in f]
    except OSError as e:
        fail(f"cannot read '{path}': {e}")
    if not lines:
        fail(f"'{path}' holds no lines")
    return lines


def run_level(port, clients, lines, args):
    """Runs one concurrency level; returns (requests, sentences, seconds, latencies in s, errors)."""
    lock = threading.Lock()
    state = {"next": 0, "sentences": 0, "errors": 0}
    latencies = []
    deadline = time.monotonic() + args.duration

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if state["next"] >= args.requests or time.monotonic() >= deadline:
                    break
                index = state["next"]
                state["next"] += 1
            first = (index * args.lines_per_request) % len(lines)
            batch = [lines[(first + i) % len(lines)] for i in range(args.lines_per_request)]
            body = json.dumps({"text": batch, "beam_size": args.beam_size})
            start = time.monotonic()
            try:
                connection.request("POST", "/translate", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                answer = response.read()
                ok = response.status == 200 and len(json.loads(answer)["translations"]) == len(batch)
            except (OSError, http.client.HTTPException, ValueError, KeyError):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            elapsed = time.monotonic() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                    state["sentences"] += len(batch)
                else:
                    state["errors"] += 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), state["sentences"], time.monotonic() - started, sorted(latencies), state["errors"]


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--input", required=True)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--requests", type=int, default=200, help="requests per level")
    parser.add_argument("--duration", type=float, default=60, help="seconds per level at most")
    parser.add_argument("--lines-per-request", type=int, default=1)
    parser.add_argument("--beam-size", type=int, default=5)
    args = parser.parse_args()
    try:
        levels = [int(c) for c in args.clients.split(",")]
    except ValueError:
        fail(f"--clients must be a comma-separated list of counts, not '{args.clients}'")
    if min(levels) < 1 or args.requests < 1 or args.duration <= 0 or args.lines_per_request < 1:
        fail("--clients, --requests, --duration and --lines-per-request must be positive")
    lines = read_lines(args.input)

    print(f"{'clients':>7} {'requests':>8} {'errors':>6} {'sentences/s':>11} {'p50 ms':>8} {'p99 ms':>8}")
    failed = False
    for clients in levels:
        done, sentences, seconds, latencies, errors = run_level(args.port, clients, lines, args)
        print(f"{clients:7d} {done:8d} {errors:6d} {sentences / seconds:11.1f} "
              f"{1000 * percentile(latencies, 0.5):8.1f} {1000 * percentile(latencies, 0.99):8.1f}", flush=True)
        failed = failed or errors > 0 or done == 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
