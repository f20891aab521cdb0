#!/usr/bin/env bash
# Compile cost of each generator's crate for the full published spec: cold
# `cargo check` and `cargo build` (dev profile) of the crate alone, its
# dependencies already built, in its own target folder. Run benches/peers.sh
# first (it leaves the crates in $PEERS_WORK). Prints Markdown. Every timed
# command's exit status is checked: a crate that does not compile is
# reported as such, with its error count, and never timed. Target folders
# are removed after each crate (KEEP_TARGETS=1 keeps them).
#   benches/compile.sh [RUNS]        (ONLY=label benches/compile.sh: one crate)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-2}
work=${PEERS_WORK:-/tmp/atlas-peers}
[ -d "$work/ours-yaml" ] || { echo "SKIPPED: run benches/peers.sh first"; exit 0; }
# One timed cargo command; prints "SECONDS PEAK_KB", or fails with cargo's
# status (a build that fails is never reported as a time).
timed() { # dir cargo-args...
  local dir=$1; shift
  (cd "$dir" && /usr/bin/time -f '%e %M' -o "$work/time.txt" cargo "$@" -q >/dev/null 2>"$work/cargo.err") || return 1
  tail -1 "$work/time.txt"
}
measure() { # label dir package features...
  local label=$1 dir=$2 pkg=$3; shift 3
  if [ -n "${ONLY:-}" ] && [ "$ONLY" != "$label" ]; then return; fi
  export CARGO_TARGET_DIR="$work/target-$label"
  # Warm the dependencies (in check mode too: `cargo check` does not reuse
  # the artifacts of `cargo build`, so without it the first check would time
  # the dependencies as well), and find out whether the crate builds at all.
  if ! (cd "$dir" && cargo build "$@" >"$work/build-$label.log" 2>&1 && cargo check "$@" >>"$work/build-$label.log" 2>&1); then
    local errors first
    errors=$(grep -c '^error' "$work/build-$label.log" || true)
    first=$(grep -m1 '^error' "$work/build-$label.log" | tr '|' '/' | cut -c1-120)
    printf '| %s | **does not compile**: %s errors (first: `%s`); not timed | not timed |\n' "$label" "$errors" "$first"
    [ -n "${KEEP_TARGETS:-}" ] || rm -rf "$CARGO_TARGET_DIR"
    return
  fi
  local checks=() build c
  for i in $(seq "$runs"); do
    (cd "$dir" && cargo clean -q -p "$pkg")
    c=$(timed "$dir" check "$@") || { printf '| %s | check failed: %s | |\n' "$label" "$(head -c 200 "$work/cargo.err")"; return; }
    checks+=("$c")
  done
  (cd "$dir" && cargo clean -q -p "$pkg")
  build=$(timed "$dir" build "$@") || { printf '| %s | | build failed: %s |\n' "$label" "$(head -c 200 "$work/cargo.err")"; return; }
  local cells=""
  for c in "${checks[@]}"; do cells+="$(echo "$c" | awk '{printf "%.1f s (%.2f GB); ", $1, $2/1048576}')"; done
  printf '| %s | %s | %s |\n' "$label" "${cells%; }" "$(echo "$build" | awk '{printf "%.1f s (%.2f GB)", $1, $2/1048576}')"
  # Each target folder holds 1-3 GB; KEEP_TARGETS=1 keeps them.
  [ -n "${KEEP_TARGETS:-}" ] || rm -rf "$CARGO_TARGET_DIR"
}
cp "$root/Cargo.lock" "$work/ours-yaml/Cargo.lock"
echo "| crate | cold cargo check, each run (peak RSS) | cold cargo build (peak RSS) |"
echo "|---|---|---|"
measure atlas-admin-full "$work/ours-yaml" atlas-admin
measure atlas-admin-one-tag "$work/ours-yaml" atlas-admin --no-default-features --features clusters
# Request builders are `#[inline]`, so their code is generated in the crate
# that calls them: this row is the crate plus a caller of all 601 operation
# versions (the crate's own every-operation test, with the fake).
measure atlas-admin-and-a-caller-of-every-operation "$work/ours-yaml" atlas-admin --features fake --test every_operation
measure openapi-generator "$work/oag" openapi --no-default-features --features rustls
measure progenitor "$work/prog" atlas-prog
