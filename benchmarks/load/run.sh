#!/usr/bin/env bash
# HTTP load test on loopback: open endpoint vs protected with Faable.AspNetCore vs protected with plain JwtBearer,
# plus an open endpoint receiving a token it never needs. Each server is started and stopped by this script.
# Usage: benchmarks/load/run.sh            (env: DURATION=10s THREADS=1 CONNECTIONS=64 PORT=5099)
set -euo pipefail
cd "$(dirname "$0")"

DURATION=${DURATION:-10s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-5099}
WRK=${WRK:-/usr/bin/wrk}
OUT=$(mktemp -d)
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$OUT"
}
trap cleanup EXIT

[ -x "$WRK" ] || { echo "wrk not found at $WRK (apt-get install wrk)"; exit 1; }
dotnet build -c Release LoadServer -o "$OUT/server" -nologo -v q >/dev/null

start_server() {
  rm -f "$OUT/token"
  dotnet "$OUT/server/LoadServer.dll" "$1" "$PORT" "$OUT/token" >"$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && [ -s "$OUT/token" ]; then return 0; fi
    sleep 0.1
  done
  echo "server ($1) did not start:"; cat "$OUT/server.log"; exit 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# measure <path> <with-token:yes|no>: prints requests/second; fails on any non-2xx answer
measure() {
  local header=()
  if [ "$2" = yes ]; then header=(-H "Authorization: Bearer $(cat "$OUT/token")"); fi
  curl -sf "${header[@]}" "http://127.0.0.1:$PORT$1" >/dev/null || { echo "warm-up request to $1 failed" >&2; exit 1; }
  "$WRK" -t1 -c8 -d2s "${header[@]}" "http://127.0.0.1:$PORT$1" >/dev/null
  local result
  result=$("$WRK" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "${header[@]}" "http://127.0.0.1:$PORT$1")
  if grep -q "Non-2xx" <<<"$result"; then echo "non-2xx answers on $1:" >&2; echo "$result" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' <<<"$result"
}

start_server open;      open=$(measure /hello no);        stop_server
start_server faable;    faable=$(measure /hello yes);     faable_open=$(measure /open yes); stop_server
start_server jwtbearer; jwt=$(measure /hello yes);        jwt_open=$(measure /open yes);    stop_server

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, loopback, $(nproc) cores, repeated token"
printf '| %-44s | %12s | %8s |\n' "endpoint" "req/s" "vs open"
printf '|%s|%s|%s|\n' "----------------------------------------------" "--------------" "----------"
printf '| %-44s | %12.0f | %8s |\n' "open (no authentication)" "$open" "1.00"
printf '| %-44s | %12.0f | %8s |\n' "Faable.AspNetCore, RequireScope" "$faable" "$(ratio "$faable" "$open")"
printf '| %-44s | %12.0f | %8s |\n' "JwtBearer, RequireAuthorization" "$jwt" "$(ratio "$jwt" "$open")"
printf '| %-44s | %12.0f | %8s |\n' "Faable.AspNetCore, open endpoint + token" "$faable_open" "$(ratio "$faable_open" "$open")"
printf '| %-44s | %12.0f | %8s |\n' "JwtBearer, open endpoint + token" "$jwt_open" "$(ratio "$jwt_open" "$open")"
