#!/usr/bin/env bash
# Builds if needed, fetches the corpus the tests read, and runs the whole test suite.
# Extra arguments go to ctest (e.g. -R Batcher).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/get-data.sh"
"$root/scripts/build.sh"
cd "${FERRY_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j"$(nproc)" "$@"
