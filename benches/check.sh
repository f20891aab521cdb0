#!/usr/bin/env bash
# Cold `cargo check` of a generated crate alone (its dependencies already
# built), for every tag and for one tag, three runs each.
#   benches/check.sh DIR [TAG]    DIR: a crate from `cargo xtask codegen --spec ... --out DIR`
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: benches/check.sh DIR [TAG]}
tag=${2:-clusters}
cp "$root/Cargo.lock" "$dir/Cargo.lock"
cd "$dir"
export CARGO_TARGET_DIR="$root/target/bench-check"
cargo check -q 2>/dev/null; cargo check -q --no-default-features --features "$tag" 2>/dev/null   # warm the dependencies
for mode in full "$tag"; do
  for i in 1 2 3; do
    cargo clean -q -p atlas-admin 2>/dev/null
    if [ "$mode" = full ]; then args=""; else args="--no-default-features --features $tag"; fi
    if ! /usr/bin/time -f "$mode %e s %M KB" -o "$CARGO_TARGET_DIR/time.txt" cargo check -q $args 2>/dev/null; then
      echo "$mode: cargo check failed; not timed"; exit 1
    fi
    tail -1 "$CARGO_TARGET_DIR/time.txt"
  done
done
