#!/usr/bin/env bash
# Router throughput: three senders each tell 64-byte payloads as fast as they can through one `fastagents router`
# to a .NET receiver (TransportBench router-recv), one after the other in each round of the same run:
#   .NET      TransportBench router-send (runtime Tell through RouterClient, coalesced socket writes);
#   C tell    fa_bench_send --mode tell: one fa_tell() call per message (default write coalescing);
#   C batch   fa_bench_send --mode batch: fa_send_batch() of BENCH_BATCH envelopes per sendmsg.
# Prints the receiver-measured rates and both ratios to .NET; exits 3 when the per-message C sender (fa_tell)
# reaches less than half of the .NET sender.
#
#   bash native/bench/run.sh            environment: BENCH_SECONDS (5), BENCH_WARMUP (1), BENCH_ROUNDS (2),
#                                       BENCH_BATCH (envelopes per fa_send_batch call, 256),
#                                       FASTAGENTS_CLI, TRANSPORT_BENCH, BUILD_DIR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLI=${FASTAGENTS_CLI:-$ROOT/src/FastAgents.Cli/bin/Release/net10.0/fastagents.dll}
BENCH=${TRANSPORT_BENCH:-$ROOT/perf/FastAgents.TransportBench/bin/Release/net10.0/FastAgents.TransportBench.dll}
SECS=${BENCH_SECONDS:-5}
WARMUP=${BENCH_WARMUP:-1}
ROUNDS=${BENCH_ROUNDS:-2}
BATCH=${BENCH_BATCH:-256}
BUILD=${BUILD_DIR:-$ROOT/native/build-bench}
LIMIT=$(awk -v s="$SECS" -v w="$WARMUP" 'BEGIN { printf "%d", s + w + 60 }')

for f in "$CLI" "$BENCH"; do
  [[ -f $f ]] || { echo "missing $f (build the .NET projects in Release first)" >&2; exit 1; }
done
cmake -S "$ROOT/native" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" --target fa_bench_send >/dev/null

WORK=$(mktemp -d /tmp/fa-bench.XXXXXX)
SOCK=$WORK/router.sock
ROUTER_PID=""
RECV_PID=""
cleanup() {
  [[ -n $RECV_PID ]] && kill "$RECV_PID" 2>/dev/null || true
  if [[ -n $ROUTER_PID ]]; then kill -TERM "$ROUTER_PID" 2>/dev/null || true; wait "$ROUTER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() { # file pattern seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}

dotnet "$CLI" router --socket "$SOCK" --http-port off --log-level warning >"$WORK/router.log" 2>&1 &
ROUTER_PID=$!
wait_for "$WORK/router.log" "READY router" 30

run_one() { # sender: dotnet | tell | batch  -> prints the receiver's messages per second and order errors
  local who=$1 log=$WORK/recv-$1.log
  timeout "$LIMIT" dotnet "$BENCH" router-recv --connect "$SOCK" --warmup "$WARMUP" --seconds "$SECS" >"$log" 2>&1 &
  RECV_PID=$!
  wait_for "$log" "READY" 30
  if [[ $who == dotnet ]]; then
    timeout "$LIMIT" dotnet "$BENCH" router-send --connect "$SOCK" --warmup "$WARMUP" --seconds "$SECS" >"$WORK/send-$who.log" 2>&1
  else
    timeout "$LIMIT" "$BUILD/fa_bench_send" --connect "$SOCK" --warmup "$WARMUP" --seconds "$SECS" --mode "$who" \
      --batch "$BATCH" >"$WORK/send-$who.log" 2>&1
  fi
  wait "$RECV_PID"
  RECV_PID=""
  local line
  line=$(grep '^RESULT role=recv' "$log") || { cat "$log" "$WORK/send-$who.log" >&2; return 1; }
  awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
       END { printf "%.0f %s\n", v["messages"] / v["seconds"], v["errors"] }' <<<"$line"
}

echo "router throughput, 64-byte tells, ${SECS}s windows after ${WARMUP}s warm-up, $ROUNDS rounds, C batch $BATCH"
total_n=0
total_t=0
total_b=0
for ((r = 1; r <= ROUNDS; r++)); do
  read -r n_rate n_err < <(run_one dotnet)
  read -r t_rate t_err < <(run_one tell)
  read -r b_rate b_err < <(run_one batch)
  printf "round %d: .NET %11.0f msg/s (order errors %s)   C fa_tell %11.0f msg/s (order errors %s)   C fa_send_batch %11.0f msg/s (order errors %s)\n" \
    "$r" "$n_rate" "$n_err" "$t_rate" "$t_err" "$b_rate" "$b_err"
  total_n=$(awk -v a="$total_n" -v b="$n_rate" 'BEGIN { print a + b }')
  total_t=$(awk -v a="$total_t" -v b="$t_rate" 'BEGIN { print a + b }')
  total_b=$(awk -v a="$total_b" -v b="$b_rate" 'BEGIN { print a + b }')
done
awk -v n="$total_n" -v t="$total_t" -v b="$total_b" -v r="$ROUNDS" 'BEGIN {
  printf "mean: .NET %.0f msg/s, C fa_tell %.0f msg/s, C fa_send_batch %.0f msg/s\n", n / r, t / r, b / r
  printf "ratio C fa_tell (one call per message) / .NET = %.2f (must be >= 0.50)\n", t / n
  printf "ratio C fa_send_batch / .NET = %.2f\n", b / n
  exit (t / n >= 0.5) ? 0 : 3 }'
