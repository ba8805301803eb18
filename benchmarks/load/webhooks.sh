#!/usr/bin/env bash
# HTTP load test of the webhook receiver on loopback, every request a distinct delivery with its own id and HMAC
# signature (pre-signed by `LoadServer sign` just before each measurement, posted by wrk with sign.lua):
#
# 1. Acknowledgement throughput: MapFaableWebhooks with the Redis inbox (verify, check the JSON, store atomically
#    with de-duplication, answer 202; its dispatcher drains the inbox with a no-op handler meanwhile) against a bare
#    endpoint that reads the body and answers 202. Interleaved rounds; each ratio is taken within one round.
# 2. Dispatch throughput with a handler that takes HANDLER_MS (20 ms) per delivery, MaxConcurrentDispatches 1 and 8:
#    the inbox is filled first, then the handler's completions are counted over DISPATCH_WINDOW seconds.
#
# Redis is started here on a free port without persistence (an in-memory inbox for the measurement). Servers run on
# CPU 0, wrk and Redis on CPU 1 (PIN=1).
#
# Usage: benchmarks/load/webhooks.sh   (env: ROUNDS=3 DURATION=5s WARMUP=6s CONNECTIONS=32 PORT=5199 PIN=1
#                                        HANDLER_MS=20 DISPATCH_WINDOW=10 DELIVERIES_PER_RUN=150000)
set -euo pipefail
cd "$(dirname "$0")"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-6s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-5199}
HANDLER_MS=${HANDLER_MS:-20}
DISPATCH_WINDOW=${DISPATCH_WINDOW:-10}
DELIVERIES_PER_RUN=${DELIVERIES_PER_RUN:-150000}
WRK=${WRK:-/usr/bin/wrk}
REDIS=${REDIS:-/usr/bin/redis-server}
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then PIN=${PIN:-1}; else PIN=0; fi
OUT=$(mktemp -d)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$OUT"
}
trap cleanup EXIT

[ -x "$WRK" ] || { echo "wrk not found at $WRK (apt-get install wrk)"; exit 1; }
[ -x "$REDIS" ] || { echo "redis-server not found at $REDIS (apt-get install redis-server)"; exit 1; }
dotnet build -c Release LoadServer -o "$OUT/server" -nologo -v q >/dev/null

server_cpu=(); other_cpu=()
if [ "$PIN" = 1 ]; then server_cpu=(taskset -c 0); other_cpu=(taskset -c 1); fi

REDIS_PORT=$((PORT + 50))
"${other_cpu[@]}" "$REDIS" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$OUT/redis.log" 2>&1 &
PIDS+=($!); redis_pid=$!

# name port database handler-ms dispatches
servers=("bare $PORT 0 0 1" "webhooks $((PORT + 1)) 0 0 1" "dispatch1 $((PORT + 2)) 1 $HANDLER_MS 1" "dispatch8 $((PORT + 3)) 2 $HANDLER_MS 8")
declare -A port_of pid_of
for s in "${servers[@]}"; do
  read -r name port db ms n <<<"$s"
  mode=webhooks; [ "$name" = bare ] && mode=bare
  FAABLE_REDIS="127.0.0.1:$REDIS_PORT,defaultDatabase=$db" HANDLER_MS=$ms DISPATCHES=$n \
    "${server_cpu[@]}" dotnet "$OUT/server/LoadServer.dll" "$mode" "$port" "$OUT/unused.token" >"$OUT/$name.log" 2>&1 &
  PIDS+=($!); pid_of[$name]=$!; port_of[$name]=$port
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

sign() { dotnet "$OUT/server/LoadServer.dll" sign "$1" "$2"; }

# post <name> <duration>: prints "requests/second server-CPU-µs/request redis-CPU-µs/request"; fails on any non-2xx.
post() {
  local name=$1 duration=$2 result before after rbefore rafter
  sign "$DELIVERIES_PER_RUN" "$OUT/deliveries.tsv"
  before=$(cpu_ticks "${pid_of[$name]}"); rbefore=$(cpu_ticks "$redis_pid")
  result=$(DELIVERIES="$OUT/deliveries.tsv" "${other_cpu[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"$duration" -s sign.lua "http://127.0.0.1:${port_of[$name]}/hooks")
  after=$(cpu_ticks "${pid_of[$name]}"); rafter=$(cpu_ticks "$redis_pid")
  if grep -q "Non-2xx" <<<"$result"; then echo "non-2xx answers from $name:" >&2; echo "$result" >&2; exit 1; fi
  awk -v ticks=$((after - before)) -v rticks=$((rafter - rbefore)) -v tick="$TICK_US" \
    '/Requests\/sec/ { rps = $2 } / requests in / { n = $1 } END { printf "%s %.2f %.2f\n", rps, ticks * tick / n, rticks * tick / n }' <<<"$result"
}

median() { tr ' ' '\n' <<<"$*" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for name in bare webhooks; do post "$name" "$WARMUP" >/dev/null; done

declare -A rps cpu rcpu ratio
for round in $(seq 1 "$ROUNDS"); do
  for name in bare webhooks; do read -r rps[$name,$round] cpu[$name,$round] rcpu[$name,$round] <<<"$(post "$name" "$DURATION")"; done
  ratio[$round]=$(awk -v a="${rps[webhooks,$round]}" -v b="${rps[bare,$round]}" 'BEGIN { printf "%.2f", a / b }')
done

echo
echo "wrk -t1 -c$CONNECTIONS -d$DURATION -s sign.lua, loopback, $(nproc) cores, $ROUNDS interleaved rounds, pinned: $([ "$PIN" = 1 ] && echo 'servers CPU 0, wrk and Redis CPU 1' || echo no), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-48s | %12s | %-22s | %17s | %16s |\n' "endpoint" "median req/s" "vs bare (per round)" "server CPU µs/req" "Redis CPU µs/req"
printf '|%s|%s|%s|%s|%s|\n' "--------------------------------------------------" "--------------" "------------------------" "-------------------" "------------------"
for name in bare webhooks; do
  values=(); costs=(); rcosts=(); each=()
  for round in $(seq 1 "$ROUNDS"); do values+=("${rps[$name,$round]}"); costs+=("${cpu[$name,$round]}"); rcosts+=("${rcpu[$name,$round]}"); each+=("${ratio[$round]}"); done
  label="bare: read the body, answer 202"; cell="1.00"
  if [ "$name" = webhooks ]; then label="MapFaableWebhooks, Redis inbox"; cell="$(median "${each[@]}") (${each[*]})"; fi
  printf '| %-48s | %12.0f | %-22s | %17s | %16s |\n' "$label" "$(median "${values[@]}")" "$cell" "$(median "${costs[@]}")" "$(median "${rcosts[@]}")"
done

# Dispatch: fill each inbox, let the dispatcher reach its pace, then count completions over a window.
echo
printf '| %-44s | %18s | %22s |\n' "dispatch, ${HANDLER_MS} ms handler" "deliveries/second" "vs ideal (n × 1000/${HANDLER_MS})"
printf '|%s|%s|%s|\n' "----------------------------------------------" "--------------------" "------------------------"
for n in 1 8; do
  name=dispatch$n
  post "$name" 3s >/dev/null
  sleep 1
  first=$(curl -sf "http://127.0.0.1:${port_of[$name]}/stats")
  sleep "$DISPATCH_WINDOW"
  last=$(curl -sf "http://127.0.0.1:${port_of[$name]}/stats")
  awk -v a="$first" -v b="$last" -v w="$DISPATCH_WINDOW" -v n="$n" -v ms="$HANDLER_MS" -v label="MaxConcurrentDispatches = $n" \
    'BEGIN { r = (b - a) / w; printf "| %-44s | %18.1f | %22.2f |\n", label, r, r / (n * 1000 / ms) }'
done
echo
echo "The dispatch window must not empty the inbox: it held every delivery posted in 3 s (thousands) when counting began."
