#!/usr/bin/env bash
# HTTP load test on loopback: open endpoint vs protected with Faable.AspNetCore vs protected with plain JwtBearer,
# plus an open endpoint receiving a token it never needs, and a "floor": an authentication handler that does no token
# work at all, i.e. what UseAuthentication/UseAuthorization cost by themselves. The four servers (one mode per process, so each pays only
# for what it uses) are started and stopped by this script.
#
# Noise control: the machine is shared, so the measurements are interleaved. Each round measures every endpoint once,
# back to back, and each ratio is taken against the open endpoint of the SAME round; the table reports the median
# over ROUNDS rounds and the per-round values. With PIN=1 (the default on two or more cores) the servers run on
# CPU 0 and wrk on CPU 1, so the load generator and the server under test do not take turns on one core.
#
# Warm-up: every endpoint first takes WARMUP of load, uncounted, so tiered compilation has replaced the first quick
# JIT code by optimized code before anything is measured (a 2-second warm-up still measured tier-0 code here).
#
# Usage: benchmarks/load/run.sh     (env: ROUNDS=3 DURATION=5s WARMUP=6s THREADS=1 CONNECTIONS=64 PORT=5099 PIN=1)
set -euo pipefail
cd "$(dirname "$0")"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-6s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-5099}
. ./common.sh
case "$ROUNDS" in ''|*[!0-9]*|0) echo "ROUNDS must be a positive integer"; exit 1;; esac
dotnet build -c Release LoadServer -o "$OUT/server" -nologo -v q >/dev/null

server_cpu=(); wrk_cpu=()
if [ "$PIN" = 1 ]; then server_cpu=(taskset -c 0); wrk_cpu=(taskset -c 1); fi

declare -A port_of=([open]=$PORT [faable]=$((PORT + 1)) [jwtbearer]=$((PORT + 2)) [floor]=$((PORT + 3)))
declare -A pid_of
for mode in open faable jwtbearer floor; do
  "${server_cpu[@]}" dotnet "$OUT/server/LoadServer.dll" "$mode" "${port_of[$mode]}" "$OUT/$mode.token" >"$OUT/$mode.log" 2>&1 &
  PIDS+=($!); pid_of[$mode]=$!
done
for mode in open faable jwtbearer floor; do
  for _ in $(seq 1 150); do
    if curl -sf "http://127.0.0.1:${port_of[$mode]}/ready" >/dev/null 2>&1 && [ -s "$OUT/$mode.token" ]; then continue 2; fi
    sleep 0.1
  done
  echo "server ($mode) did not start:"; cat "$OUT/$mode.log"; exit 1
done

# CPU time (user + system, in clock ticks) the server of a mode has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/${pid_of[$1]}/stat"; }
TICK_US=$(awk -v hz="$(getconf CLK_TCK)" 'BEGIN { print 1000000 / hz }')

# measure <mode> <path> <with-token:yes|no>: prints "requests/second server-CPU-µs/request"; fails on any non-2xx
# answer. The CPU cost per request is what the server itself spent, so it barely moves when other processes take
# the cores away; requests/second moves with them.
measure() {
  local url="http://127.0.0.1:${port_of[$1]}$2" header=()
  if [ "$3" = yes ]; then header=(-H "Authorization: Bearer $(cat "$OUT/$1.token")"); fi
  curl -sf "${header[@]}" "$url" >/dev/null || { echo "request to $1 $2 failed" >&2; exit 1; }
  local result before after
  before=$(cpu_ticks "$1")
  result=$("${wrk_cpu[@]}" "$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "${header[@]}" "$url")
  after=$(cpu_ticks "$1")
  if grep -q "Non-2xx" <<<"$result"; then echo "non-2xx answers on $1 $2:" >&2; echo "$result" >&2; exit 1; fi
  awk -v ticks=$((after - before)) -v tick="$TICK_US" '/Requests\/sec/ { rps = $2 } / requests in / { n = $1 } END { printf "%s %.2f\n", rps, ticks * tick / n }' <<<"$result"
}

rows=("open /hello no" "faable /hello yes" "jwtbearer /hello yes" "floor /hello yes"
      "faable /open yes" "jwtbearer /open yes" "floor /open yes" "floor /hello-scheme yes")
labels=("open (no authentication)" "Faable.AspNetCore, RequireScope" "JwtBearer, RequireAuthorization"
        "floor: no-op handler + claim policy" "Faable.AspNetCore, open endpoint + token"
        "JwtBearer, open endpoint + token" "floor: no-op handler, open endpoint + token"
        "floor: claim policy naming its scheme")

# Warm-up: JIT tiers, connection pools and the validated-token cache, not counted.
for row in "${rows[@]}"; do read -r m p t <<<"$row"; DURATION=$WARMUP measure "$m" "$p" "$t" >/dev/null; done

declare -A rps cpu ratios
# The floor row each row is compared with: scoped rows with the scoped floor, open-endpoint rows with the open floor.
# The last row is the scoped floor whose policy names its authentication scheme, as RequireScope's policy does (so that
# it holds under any default scheme): ASP.NET Core then authenticates that scheme again in the authorization step.
declare -A floor_of=([1]=3 [2]=3 [3]=3 [4]=6 [5]=6 [6]=6 [7]=3)
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!rows[@]}"; do read -r m p t <<<"${rows[$i]}"; read -r rps[$i,$round] cpu[$i,$round] <<<"$(measure "$m" "$p" "$t")"; done
  for i in "${!rows[@]}"; do ratios[$i,$round]=$(awk -v a="${rps[$i,$round]}" -v b="${rps[0,$round]}" 'BEGIN { printf "%.2f", a / b }'); done
done

median() { tr ' ' '\n' <<<"$*" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, loopback, $(nproc) cores, repeated token, $ROUNDS interleaved rounds, pinned: $([ "$PIN" = 1 ] && echo 'servers CPU 0, wrk CPU 1' || echo no), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-42s | %12s | %14s | %-17s | %16s | %17s | %-22s |\n' "endpoint" "median req/s" "median vs open" "vs open per round" "server CPU µs/req" "open / this (CPU)" "CPU vs floor, per round"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "--------------------------------------------" "--------------" "----------------" "-------------------" "------------------" "-------------------" "------------------------"
open_cpu=$(median $(for round in $(seq 1 "$ROUNDS"); do echo "${cpu[0,$round]}"; done))
for i in "${!rows[@]}"; do
  values=(); each=(); costs=()
  for round in $(seq 1 "$ROUNDS"); do values+=("${rps[$i,$round]}"); each+=("${ratios[$i,$round]}"); costs+=("${cpu[$i,$round]}"); done
  cost=$(median "${costs[@]}")
  # Server CPU per request against the floor row of the same kind (scoped or open endpoint) in the same round.
  vs_floor=()
  if [ -n "${floor_of[$i]:-}" ]; then
    for round in $(seq 1 "$ROUNDS"); do
      vs_floor+=("$(awk -v a="${cpu[$i,$round]}" -v b="${cpu[${floor_of[$i]},$round]}" 'BEGIN { printf "%.2f", a / b }')")
    done
    floor_cell="$(median "${vs_floor[@]}") (${vs_floor[*]})"
  else
    floor_cell="–"
  fi
  printf '| %-42s | %12.0f | %14s | %-17s | %16s | %17s | %-22s |\n' "${labels[$i]}" "$(median "${values[@]}")" "$(median "${each[@]}")" "${each[*]}" "$cost" \
    "$(awk -v a="$open_cpu" -v b="$cost" 'BEGIN { printf "%.2f", a / b }')" "$floor_cell"
done
like=(); for round in $(seq 1 "$ROUNDS"); do like+=("$(awk -v a="${cpu[1,$round]}" -v b="${cpu[7,$round]}" 'BEGIN { printf "%.2f", a / b }')"); done
echo
echo "Faable.AspNetCore, RequireScope against the floor whose policy names its scheme (server CPU): $(median "${like[@]}") (${like[*]})"
echo
echo "'open / this (CPU)' is the throughput ratio the server's own CPU cost per request predicts when the server is the"
echo "bottleneck; it is the figure to trust when the req/s columns disagree between rounds."
