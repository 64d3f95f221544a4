# Shared helpers for systest/run and systest/build (sourced, not executed).
# Everything built lives under $OUT (systest/out/, gitignored); every step is cached by a stamp
# holding the hash of the step's inputs, so a rerun only redoes what changed.

SYSTEST=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO=$(cd "$SYSTEST/.." && pwd)
OUT=${SYSTEST_OUT:-$SYSTEST/out}
export DEBIAN_FRONTEND=noninteractive

now_ms() { date +%s%3N; }
fmt_s() { printf '%d.%01d s' $(($1 / 1000)) $((($1 % 1000) / 100)); }

# phase NAME CMD...: runs one build/run phase and prints its wall time.
phase() {
  local name=$1; shift
  local t0; t0=$(now_ms)
  "$@"
  local ms=$(($(now_ms) - t0))
  printf 'phase  %-28s %10s\n' "$name" "$(fmt_s "$ms")"
  echo "$name $ms" >> "$OUT/phases.txt"
}

# cached STEP INPUT-HASH CMD...: runs CMD unless the stamp of STEP already holds INPUT-HASH.
cached() {
  local step=$1 hash=$2; shift 2
  local stamp="$OUT/stamps/$step"
  if [[ -f $stamp && $(cat "$stamp") == "$hash" ]]; then return 0; fi
  rm -f "$stamp"
  "$@"
  mkdir -p "$OUT/stamps"; echo "$hash" > "$stamp"
}

# hash_of FILE-OR-STRING...: a short content hash of files (by content) and literal strings.
hash_of() {
  local a
  for a in "$@"; do
    if [[ -f $a ]]; then sha256sum < "$a"; elif [[ -d $a ]]; then (cd "$a" && find . -type f -print0 | sort -z | xargs -0 sha256sum); else echo "$a"; fi
  done | sha256sum | cut -c1-16
}

die() { echo "systest: $*" >&2; exit 1; }

APT_LOCK=(-o DPkg::Lock::Timeout=600)
