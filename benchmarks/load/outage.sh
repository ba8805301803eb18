#!/usr/bin/env bash
# Load during a tenant outage, on loopback. A tenant process serves discovery and JWKS over HTTP; the API
# (Faable.AspNetCore, validated-token cache on, defaults otherwise) fetches its keys from it. wrk sends a set of valid
# tokens for three back-to-back phases of PHASE seconds (60 s in all by default):
#
#   before   tenant up, publishing key "old"
#   during   tenant process killed: connections refused
#   after    tenant restarted with a rotated key set ("new", "old"); 2 s later a second wrk adds tokens signed by "new"
#
# With PROBE=1, tokens signed by "new" are also sent (one request every 250 ms) from the moment the tenant goes down,
# as if the tenant had rotated just before its outage: nobody can check them until the tenant answers again.
#
# Reported: answers per status for each phase (every token sent is valid: any non-2xx is a failure, except 503 for a
# "new" token that truly cannot be checked), p50/p99 latency per phase, and the key fetches (tenant's log and the
# API's faable.auth.jwks_refreshes counter).
#
# Usage: benchmarks/load/outage.sh    (env: PHASE=20 CONNECTIONS=32 TOKENS=100 PORT=5110 PROBE=0 PIN=1)
set -euo pipefail
cd "$(dirname "$0")"

PHASE=${PHASE:-20}
CONNECTIONS=${CONNECTIONS:-32}
TOKENS=${TOKENS:-100}
PORT=${PORT:-5110}
PROBE=${PROBE:-0}
TENANT="http://127.0.0.1:$PORT"
API="http://127.0.0.1:$((PORT + 1))"
. ./common.sh
case "$PHASE" in ''|*[!0-9]*) echo "PHASE must be a whole number of seconds"; exit 1;; esac
[ "$PHASE" -ge 5 ] || { echo "PHASE must be at least 5"; exit 1; }
dotnet build -c Release LoadServer -o "$OUT/server" -nologo -v q >/dev/null
server=(dotnet "$OUT/server/LoadServer.dll")
server_cpu=(); wrk_cpu=()
if [ "$PIN" = 1 ]; then server_cpu=(taskset -c 0); wrk_cpu=(taskset -c 1); fi

wait_ready() {
  for _ in $(seq 1 150); do curl -sf "$1/ready" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "$1 did not start"; cat "$OUT"/*.log; exit 1
}

start_tenant() { # <log> <kid>...
  local log=$1; shift
  "${server[@]}" tenant "$PORT" "$OUT/keys" "$@" >"$OUT/$log" 2>&1 &
  TENANT_PID=$!
  wait_ready "$TENANT"
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

"${server[@]}" keygen "$OUT/keys" old new
start_tenant tenant-1.log old
"${server_cpu[@]}" "${server[@]}" faable-http "$((PORT + 1))" "$TENANT" >"$OUT/api.log" 2>&1 &
PIDS+=($!)
wait_ready "$API"
"${server[@]}" mint "$TENANT" "$OUT/keys" old "$TOKENS" "$OUT/old.tokens"
"${server[@]}" mint "$TENANT" "$OUT/keys" new 10 "$OUT/new.tokens"

phase() { # <name> <seconds> <connections> <tokens-file>
  TOKENS="$4" "${wrk_cpu[@]}" "$WRK" -t1 -c"$3" -d"$2"s --latency -s tokens.lua "$API/hello" >"$OUT/$1.txt"
}

# Warm-up (JIT tiers, connections, the validated-token cache), not counted.
phase warmup 6 "$CONNECTIONS" "$OUT/old.tokens"

start=$(now)
phase before "$PHASE" "$CONNECTIONS" "$OUT/old.tokens"

kill "$TENANT_PID"; wait "$TENANT_PID" 2>/dev/null || true; TENANT_PID=""
down_at=$(since "$start")
if [ "$PROBE" = 1 ]; then
  (
    token=$(head -n1 "$OUT/new.tokens")
    while true; do
      code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$API/hello" || echo 000)
      echo "$(since "$start") $code"
      sleep 0.25
    done
  ) >"$OUT/probe.log" &
  PIDS+=($!)
fi
phase during "$PHASE" "$CONNECTIONS" "$OUT/old.tokens"

start_tenant tenant-2.log new old
up_at=$(since "$start")
( sleep 2; phase newkey "$((PHASE - 2))" 4 "$OUT/new.tokens" ) &
newkey_pid=$!
phase after "$PHASE" "$CONNECTIONS" "$OUT/old.tokens"
wait "$newkey_pid"
if [ "$PROBE" = 1 ]; then kill "${PIDS[-1]}" 2>/dev/null || true; fi
stats=$(curl -sf "$API/stats")

statuses() { grep '^status' "$OUT/$1.txt" | sort -k2 -n | awk '{ printf "%s%s=%s", sep, $2, $3; sep = " " }'; }
non2xx() { grep '^status' "$OUT/$1.txt" | awk '$2 < 200 || $2 > 299 { n += $3 } END { print n + 0 }'; }
pct() { awk -v p="$2" '$1 == p { print $2 }' "$OUT/$1.txt"; }

echo
echo "outage run: wrk -t1 -c$CONNECTIONS, $PHASE s per phase, $TOKENS distinct valid tokens signed by 'old', loopback, $(nproc) cores, pinned: $([ "$PIN" = 1 ] && echo 'API CPU 0, wrk CPU 1' || echo no), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tenant killed at ${down_at} s, answering again at ${up_at} s; tokens signed by 'new' added at about $(awk -v u="$up_at" 'BEGIN { printf "%.1f", u + 2 }') s"
printf '| %-32s | %9s | %-22s | %12s | %8s | %8s |\n' "phase" "requests" "answers by status" "non-2xx" "p50" "p99"
printf '|%s|%s|%s|%s|%s|%s|\n' "----------------------------------" "-----------:" "------------------------" "-------------:" "---------:" "---------:"
for row in "before:before, tenant up" "during:during, tenant down" "after:after, tenant back + rotated" "newkey:after, tokens signed by new"; do
  name=${row%%:*}; label=${row#*:}
  total=$(grep '^status' "$OUT/$name.txt" | awk '{ n += $3 } END { print n + 0 }')
  printf '| %-32s | %9s | %-22s | %12s | %8s | %8s |\n' "$label" "$total" "$(statuses "$name")" "$(non2xx "$name")" "$(pct "$name" 50%)" "$(pct "$name" 99%)"
done
echo
echo "key fetches seen by the tenant: $(grep -c 'fetch jwks' "$OUT/tenant-1.log") before the outage, $(grep -c 'fetch jwks' "$OUT/tenant-2.log") after it"
echo "API faable.auth.jwks_refreshes: $stats"
if [ "$PROBE" = 1 ]; then
  echo "probe with a 'new' token every 250 ms from the outage on: $(awk '{ c[$2]++ } END { for (k in c) printf "%s=%d ", k, c[k] }' "$OUT/probe.log")"
  echo "  first 200 for a 'new' token at $(awk '$2 == 200 { print $1; exit }' "$OUT/probe.log") s (tenant back at ${up_at} s); any 401: $(awk '$2 == 401 { n++ } END { print n + 0 }' "$OUT/probe.log")"
fi
echo "API log (key store):"
awk '/JwksKeyStore\[/ { t = $1; getline; sub(/^ +/, ""); print "  " t " " $0 }' "$OUT/api.log" | head -20
