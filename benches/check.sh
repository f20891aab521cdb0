#!/usr/bin/env bash
# Cold `cargo check` and `cargo build` of a generated crate alone (its
# dependencies already built), for every tag and for one tag, three runs
# each. A run that fails is reported and not timed.
#   benches/check.sh DIR [TAG]    DIR: a crate (generated-client, or one from
#                                 `cargo xtask codegen --spec ... --out DIR`)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: benches/check.sh DIR [TAG]}
tag=${2:-clusters}
# The workspace's lock, for a crate outside it (one inside uses it already).
made_lock=
if [ ! -f "$dir/Cargo.lock" ] && ! (cd "$dir" && cargo metadata -q --no-deps --format-version 1 2>/dev/null | grep -q "\"workspace_root\":\"$root\""); then
  cp "$root/Cargo.lock" "$dir/Cargo.lock"; made_lock=1
fi
trap '[ -n "$made_lock" ] && rm -f "$dir/Cargo.lock"' EXIT
cd "$dir"
name=$(sed -n 's/^name = "\(.*\)"/\1/p' Cargo.toml | head -1)
export CARGO_TARGET_DIR="$root/target/bench-check"
for cmd in check build; do
  # warm the dependencies
  cargo $cmd -q 2>/dev/null; cargo $cmd -q --no-default-features --features "$tag" 2>/dev/null
  for mode in full "$tag"; do
    for i in 1 2 3; do
      cargo clean -q -p "$name" 2>/dev/null
      if [ "$mode" = full ]; then args=""; else args="--no-default-features --features $tag"; fi
      if ! /usr/bin/time -f "$cmd $mode %e s %M KB" -o "$CARGO_TARGET_DIR/time.txt" cargo $cmd -q $args 2>/dev/null; then
        echo "$cmd $mode: failed; not timed"; exit 1
      fi
      tail -1 "$CARGO_TARGET_DIR/time.txt"
    done
  done
done
