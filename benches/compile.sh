#!/usr/bin/env bash
# Compile cost of each generator's crate for the full published spec: cold
# `cargo check` and `cargo build` (dev profile) of the crate alone, its
# dependencies already built, in its own target folder. Run benches/peers.sh
# first (it leaves the crates in $PEERS_WORK). Prints Markdown.
#   benches/compile.sh [RUNS]        (ONLY=label benches/compile.sh: one crate)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-2}
work=${PEERS_WORK:-/tmp/atlas-peers}
[ -d "$work/ours-yaml" ] || { echo "SKIPPED: run benches/peers.sh first"; exit 0; }
measure() { # label dir package features...
  local label=$1 dir=$2 pkg=$3; shift 3
  if [ -n "${ONLY:-}" ] && [ "$ONLY" != "$label" ]; then return; fi
  export CARGO_TARGET_DIR="$work/target-$label"
  (cd "$dir" && cargo check -q "$@" >/dev/null 2>&1 && cargo build -q "$@" >/dev/null 2>&1) # warm the dependencies
  local checks=() builds=() peak=0
  for i in $(seq "$runs"); do
    (cd "$dir" && cargo clean -q -p "$pkg")
    checks+=("$(cd "$dir" && /usr/bin/time -f '%e %M' cargo check -q "$@" 2>&1 >/dev/null | tail -1)")
  done
  (cd "$dir" && cargo clean -q -p "$pkg")
  builds+=("$(cd "$dir" && /usr/bin/time -f '%e %M' cargo build -q "$@" 2>&1 >/dev/null | tail -1)")
  local cells=""
  for c in "${checks[@]}"; do cells+="$(echo "$c" | awk '{printf "%.1f s (%.2f GB); ", $1, $2/1048576}')"; done
  printf '| %s | %s | %s |\n' "$label" "${cells%; }" "$(echo "${builds[0]}" | awk '{printf "%.1f s (%.2f GB)", $1, $2/1048576}')"
}
cp "$root/Cargo.lock" "$work/ours-yaml/Cargo.lock"
echo "| crate | cold cargo check, each run (peak RSS) | cold cargo build (peak RSS) |"
echo "|---|---|---|"
measure atlas-admin-full "$work/ours-yaml" atlas-admin
measure atlas-admin-one-tag "$work/ours-yaml" atlas-admin --no-default-features --features clusters
measure openapi-generator "$work/oag" openapi --no-default-features --features rustls
measure progenitor "$work/prog" atlas-prog
