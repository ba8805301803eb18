# Set-up shared by the load scripts (sourced by run.sh, webhooks.sh and outage.sh after their own settings):
# wrk's path, pinning, a scratch folder, and stopping every server the script started, however it exits.
WRK=${WRK:-/usr/bin/wrk}
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then PIN=${PIN:-1}; else PIN=0; fi
OUT=$(mktemp -d)
PIDS=()
# A server the script stops and starts again during the run keeps its current pid here (outage.sh's tenant).
TENANT_PID=""

cleanup() {
  for pid in "${PIDS[@]}" $TENANT_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}" $TENANT_PID; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$OUT"
}
trap cleanup EXIT

[ -x "$WRK" ] || { echo "wrk not found at $WRK (apt-get install wrk)"; exit 1; }
