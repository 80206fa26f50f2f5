#!/usr/bin/env bash
# Measures this machine's floor for the two latency figures the ring is judged on, with the same
# algorithms written in C: a two-thread ping-pong (unpinned and pinned) and the wake-up of a thread
# parked on a futex after an idle spell. Compare with `dotnet run -c Release --project
# perf/FastAgents.Benchmarks -- latency` and `-- wake`, run at the same time of day on a quiet machine.
# relay.c is the floor for the router's latency at a fixed rate: compare with `dotnet run -c Release
# --project perf/FastAgents.TransportBench -- router-latency`.
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -O2 -Wall -Wextra -Werror -pthread pingpong.c -o "$out/pingpong"
gcc -O2 -Wall -Wextra -Werror -pthread wake.c -o "$out/wake"
gcc -O2 -Wall -Wextra -Werror relay.c -o "$out/relay"
"$out/pingpong" 2000000 100 0
"$out/pingpong" 2000000 100 1
"$out/wake" 5000 200
"$out/wake" 2000 1000
"$out/relay" 20000 8
