#!/usr/bin/env bash
# HTTP load test of the webhook receiver on loopback, every request a distinct delivery with its own id and HMAC
# signature (pre-signed by `LoadServer sign` just before each measurement, posted by wrk with sign.lua):
#
# 1. Acknowledgement throughput against a bare endpoint that reads the body and answers 202, interleaved rounds, each
#    ratio taken within one round:
#      receive     MapFaableWebhooks with the Redis inbox, DispatchEnabled = false (another instance dispatches):
#                  verify, check the JSON, store atomically with de-duplication, answer 202
#      webhooks    the same with its own dispatcher draining the inbox meanwhile (a no-op handler), on the same core;
#                  the measurement goes on until the dispatcher has handled every delivery of the run (so its CPU per
#                  delivery is receiving plus dispatching, and no backlog is left to steal time from the next row)
#    BASELINE_REV=<git revision> adds the same two rows built from that revision ("before"), in the same rounds.
#    The receive-only inboxes are emptied (FLUSHDB) between runs, outside the measurement.
# 2. Dispatch throughput with a handler that takes HANDLER_MS (20 ms) per delivery, MaxConcurrentDispatches 1 and 8:
#    the inbox is filled first, then the handler's completions are counted over DISPATCH_WINDOW seconds, ROUNDS times.
#
# Each server has its own Redis database. Redis is started here on a free port without persistence (an in-memory
# inbox for the measurement). Servers run on CPU 0, wrk and Redis on CPU 1 (PIN=1). Each server is warmed up for
# WARMUP first: under load the runtime needs 10-15 s to replace its first, unoptimised code (tiered compilation), and
# a shorter warm-up measures the compiler, not the receiver.
#
# Usage: benchmarks/load/webhooks.sh   (env: ROUNDS=3 DURATION=5s WARMUP=20s CONNECTIONS=32 PORT=5199 PIN=1
#                                        HANDLER_MS=20 DISPATCH_WINDOW=10 BASELINE_REV= MAX_RATE=60000)
set -euo pipefail
cd "$(dirname "$0")"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-20s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-5199}
HANDLER_MS=${HANDLER_MS:-20}
DISPATCH_WINDOW=${DISPATCH_WINDOW:-10}
BASELINE_REV=${BASELINE_REV:-}
MAX_RATE=${MAX_RATE:-60000}   # deliveries signed per second of a run: more than any server here answers (the bare endpoint passed 30000 on a quiet machine)
REDIS=${REDIS:-/usr/bin/redis-server}
. ./common.sh
[ -x "$REDIS" ] || { echo "redis-server not found at $REDIS (apt-get install redis-server)"; exit 1; }
command -v redis-cli >/dev/null || { echo "redis-cli not found (apt-get install redis-tools)"; exit 1; }
dotnet build -c Release LoadServer -o "$OUT/server" -nologo -v q >/dev/null
if [ -n "$BASELINE_REV" ]; then
  # The baseline's library, with this load server (so both sides take the same options).
  mkdir -p "$OUT/base-src"
  git -C "$(git rev-parse --show-toplevel)" archive "$BASELINE_REV" | tar -x -C "$OUT/base-src"
  cp LoadServer/*.cs "$OUT/base-src/benchmarks/load/LoadServer/"
  dotnet build -c Release "$OUT/base-src/benchmarks/load/LoadServer" -o "$OUT/base-server" -nologo -v q >/dev/null
fi

server_cpu=(); other_cpu=()
if [ "$PIN" = 1 ]; then server_cpu=(taskset -c 0); other_cpu=(taskset -c 1); fi

REDIS_PORT=$((PORT + 50))
"${other_cpu[@]}" "$REDIS" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$OUT/redis.log" 2>&1 &
PIDS+=($!); redis_pid=$!

# name build port database handler-ms dispatches (0: DispatchEnabled = false)
servers=("bare server $PORT 0 0 1" "receive server $((PORT + 1)) 1 0 0" "webhooks server $((PORT + 2)) 2 0 1"
  "dispatch1 server $((PORT + 3)) 3 $HANDLER_MS 1" "dispatch8 server $((PORT + 4)) 4 $HANDLER_MS 8")
ack=(bare receive webhooks)
if [ -n "$BASELINE_REV" ]; then
  servers+=("receive-before base-server $((PORT + 5)) 5 0 0" "webhooks-before base-server $((PORT + 6)) 6 0 1")
  ack=(bare receive-before receive webhooks-before webhooks)
fi
declare -A port_of pid_of db_of
for s in "${servers[@]}"; do
  read -r name build port db ms n <<<"$s"
  mode=webhooks; [ "$name" = bare ] && mode=bare
  FAABLE_REDIS="127.0.0.1:$REDIS_PORT,defaultDatabase=$db" HANDLER_MS=$ms DISPATCHES=$n \
    "${server_cpu[@]}" dotnet "$OUT/$build/LoadServer.dll" "$mode" "$port" "$OUT/unused.token" >"$OUT/$name.log" 2>&1 &
  PIDS+=($!); pid_of[$name]=$!; port_of[$name]=$port; db_of[$name]=$db
done
for s in "${servers[@]}"; do
  read -r name _ <<<"$s"
  for _ in $(seq 1 150); do
    if curl -sf "http://127.0.0.1:${port_of[$name]}/ready" >/dev/null 2>&1; then continue 2; fi
    sleep 0.1
  done
  echo "server ($name) did not start:"; cat "$OUT/$name.log"; exit 1
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICK_US=$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN { print 1000000 / hz }')
seconds() { local d=$1; d=${d%s}; echo "$d"; }

handled() { curl -sf "http://127.0.0.1:${port_of[$1]}/stats"; }

# post <name> <duration> [drain]: prints "requests/second server-CPU-µs/request redis-CPU-µs/request"; fails on any
# non-2xx. With drain, CPU is counted until the server's handler has seen every delivery posted.
post() {
  local name=$1 duration=$2 drain=${3:-} result before after rbefore rafter start n
  dotnet "$OUT/server/LoadServer.dll" sign $(($(seconds "$duration") * MAX_RATE)) "$OUT/deliveries.tsv"
  start=$(handled "$name")
  before=$(cpu_ticks "${pid_of[$name]}"); rbefore=$(cpu_ticks "$redis_pid")
  result=$(DELIVERIES="$OUT/deliveries.tsv" "${other_cpu[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"$duration" -s sign.lua "http://127.0.0.1:${port_of[$name]}/hooks" 2>&1) || true
  if grep -q "Non-2xx\|out of signed\|PANIC" <<<"$result" || ! grep -q "Requests/sec" <<<"$result"; then echo "non-2xx answers (or too few deliveries) from $name:" >&2; echo "$result" >&2; exit 1; fi
  n=$(awk '/ requests in / { print $1 }' <<<"$result")
  if [ -n "$drain" ]; then
    for _ in $(seq 1 1200); do [ "$(handled "$name")" -ge $((start + n)) ] && break; sleep 0.1; done
    [ "$(handled "$name")" -ge $((start + n)) ] || { echo "$name did not dispatch its $n deliveries within 120 s" >&2; exit 1; }
  fi
  after=$(cpu_ticks "${pid_of[$name]}"); rafter=$(cpu_ticks "$redis_pid")
  case $name in receive*) redis-cli -p "$REDIS_PORT" -n "${db_of[$name]}" FLUSHDB ASYNC >/dev/null ;; esac
  awk -v ticks=$((after - before)) -v rticks=$((rafter - rbefore)) -v tick="$TICK_US" -v n="$n" \
    '/Requests\/sec/ { rps = $2 } END { printf "%s %.2f %.2f\n", rps, ticks * tick / n, rticks * tick / n }' <<<"$result"
}
drain_of() { case $1 in webhooks*) echo drain ;; esac; }

median() { tr ' ' '\n' <<<"$*" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

label_of() {
  case $1 in
    bare) echo "bare: read the body, answer 202" ;;
    receive) echo "MapFaableWebhooks, Redis inbox, receive only" ;;
    webhooks) echo "MapFaableWebhooks, Redis inbox + own dispatcher" ;;
    receive-before) echo "before ($BASELINE_REV): receive only" ;;
    webhooks-before) echo "before ($BASELINE_REV): + own dispatcher" ;;
  esac
}

for name in "${ack[@]}"; do post "$name" "$WARMUP" "$(drain_of "$name")" >/dev/null; done

declare -A rps cpu rcpu ratio cratio
for round in $(seq 1 "$ROUNDS"); do
  for name in "${ack[@]}"; do read -r rps[$name,$round] cpu[$name,$round] rcpu[$name,$round] <<<"$(post "$name" "$DURATION" "$(drain_of "$name")")"; done
  for name in "${ack[@]}"; do
    ratio[$name,$round]=$(awk -v a="${rps[$name,$round]}" -v b="${rps[bare,$round]}" 'BEGIN { printf "%.2f", a / b }')
    cratio[$name,$round]=$(awk -v a="${cpu[$name,$round]}" -v b="${cpu[bare,$round]}" 'BEGIN { printf "%.2f", b / a }')
  done
done

echo
echo "wrk -t1 -c$CONNECTIONS -d$DURATION -s sign.lua, loopback, $(nproc) cores, $ROUNDS interleaved rounds after $WARMUP warm-up each, pinned: $([ "$PIN" = 1 ] && echo 'servers CPU 0, wrk and Redis CPU 1' || echo no), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-48s | %8s | %-24s | %8s | %-24s | %8s |\n' "endpoint" "req/s" "vs bare (rounds)" "CPU µs" "bare CPU / CPU (rounds)" "Redis µs"
printf '|%s|%s|%s|%s|%s|%s|\n' "--------------------------------------------------" "---------:" "--------------------------" "---------:" "--------------------------" "---------:"
for name in "${ack[@]}"; do
  values=(); costs=(); rcosts=(); each=(); ceach=()
  for round in $(seq 1 "$ROUNDS"); do
    values+=("${rps[$name,$round]}"); costs+=("${cpu[$name,$round]}"); rcosts+=("${rcpu[$name,$round]}")
    each+=("${ratio[$name,$round]}"); ceach+=("${cratio[$name,$round]}")
  done
  printf '| %-48s | %8.0f | %-24s | %8s | %-24s | %8s |\n' "$(label_of "$name")" "$(median "${values[@]}")" \
    "$(median "${each[@]}") (${each[*]})" "$(median "${costs[@]}")" "$(median "${ceach[@]}") (${ceach[*]})" "$(median "${rcosts[@]}")"
done
echo "(req/s, CPU µs and Redis µs are medians; CPU µs is the server's CPU time per request, Redis µs Redis's; for the"
echo " rows with their own dispatcher both run until every delivery of the run was dispatched)"

# Dispatch: fill each inbox, let the dispatcher reach its pace, then count completions over a window; ROUNDS rounds.
echo
printf '| %-36s | %-30s | %-24s |\n' "dispatch, ${HANDLER_MS} ms handler" "deliveries/s (rounds)" "vs ideal n × 1000/${HANDLER_MS}"
printf '|%s|%s|%s|\n' "--------------------------------------" "--------------------------------" "--------------------------"
for n in 1 8; do
  name=dispatch$n
  each=()
  for round in $(seq 1 "$ROUNDS"); do
    post "$name" 2s >/dev/null
    sleep 1
    first=$(curl -sf "http://127.0.0.1:${port_of[$name]}/stats")
    sleep "$DISPATCH_WINDOW"
    last=$(curl -sf "http://127.0.0.1:${port_of[$name]}/stats")
    each+=("$(awk -v a="$first" -v b="$last" -v w="$DISPATCH_WINDOW" 'BEGIN { printf "%.1f", (b - a) / w }')")
  done
  m=$(median "${each[@]}")
  printf '| %-36s | %-30s | %-24s |\n' "MaxConcurrentDispatches = $n" "$m (${each[*]})" "$(awk -v r="$m" -v n="$n" -v ms="$HANDLER_MS" 'BEGIN { printf "%.2f", r / (n * 1000 / ms) }')"
done
echo
echo "Each round posts for 2 s first (thousands of deliveries, more than a window dispatches), so the inbox never runs dry while counting."
