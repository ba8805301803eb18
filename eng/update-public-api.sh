#!/usr/bin/env bash
# Rewrites src/<Project>/PublicAPI.Unshipped.txt from the analyzer's RS0016/RS0017 diagnostics,
# so a deliberate change of the public surface is one command. Usage: eng/update-public-api.sh src/Faable.Actions
set -euo pipefail
proj_dir=${1:?usage: eng/update-public-api.sh src/<Project>}
proj_dir=${proj_dir%/}
file="$proj_dir/PublicAPI.Unshipped.txt"
for _ in 1 2 3; do
  out=$(dotnet build "$proj_dir" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 || true)
  add=$(grep -oP "RS0016: Symbol '\K.*?(?=' is not part of the declared public API)" <<<"$out" | sort -u || true)
  remove=$(grep -oP "RS0017: Symbol '\K.*?(?=' is part of the declared API, but is either not public or could not be found)" <<<"$out" | sort -u || true)
  [ -z "$add$remove" ] && break
  tmp=$(mktemp)
  { grep -v '^#nullable enable$' "$file" || true; printf '%s\n' "$add"; } | grep -v '^$' | sort -u > "$tmp"
  if [ -n "$remove" ]; then grep -vxF -f <(printf '%s\n' "$remove") "$tmp" > "$tmp.2" || true; mv "$tmp.2" "$tmp"; fi
  { echo '#nullable enable'; cat "$tmp"; } > "$file"
  rm -f "$tmp"
done
dotnet build "$proj_dir" 2>&1 | grep -E "error|Warn" | sort -u | tail -20 || true
