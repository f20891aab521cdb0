#!/usr/bin/env bash
# Cold `cargo check` of two generated crates side by side, alternated
# A B A B (so a machine that drifts affects both alike): each crate in its
# own target folder, its dependencies warmed once, then the crate itself
# cleaned and checked RUNS times. Prints each run and the medians. A check
# that fails is reported and never timed.
#   benches/check_pair.sh DIR_A DIR_B [RUNS] [CARGO_ARGS...]
#   e.g. benches/check_pair.sh /tmp/before/generated-client generated-client 5 --all-features
set -u
a=${1:?usage: benches/check_pair.sh DIR_A DIR_B [RUNS] [CARGO_ARGS...]}
b=${2:?usage: benches/check_pair.sh DIR_A DIR_B [RUNS] [CARGO_ARGS...]}
runs=${3:-5}
shift 3 2>/dev/null || shift $#
root=$(cd "$(dirname "$0")/.." && pwd)
name_of() { sed -n 's/^name = "\(.*\)"/\1/p' "$1/Cargo.toml" | head -1; }
target_of() { echo "${TMPDIR:-/tmp}/atlas-check-pair/$(echo "$1" | md5sum | cut -c1-8)"; }
check() { # DIR: one cold check of the crate; prints seconds
  local dir=$1 t; shift; t=$(target_of "$dir")
  (cd "$dir" && CARGO_TARGET_DIR=$t cargo clean -q -p "$(name_of "$dir")" 2>/dev/null
   CARGO_TARGET_DIR=$t /usr/bin/time -f "%e" -o "$t.time" cargo check -q "$@" 2>"$t.err") ||
    { echo "check failed in $dir:"; tail -5 "$t.err"; exit 1; }
  cat "$t.time"
}
for dir in "$a" "$b"; do
  [ -f "$dir/Cargo.lock" ] || [ -f "$(cd "$dir" && cargo locate-project --workspace --message-format plain | xargs dirname)/Cargo.lock" ] ||
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
  check "$dir" "$@" >/dev/null   # warm the dependencies
done
ta=(); tb=()
for i in $(seq "$runs"); do
  ta+=("$(check "$a" "$@")"); tb+=("$(check "$b" "$@")")
  echo "run $i: A ${ta[-1]} s  B ${tb[-1]} s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ma=$(median "${ta[@]}"); mb=$(median "${tb[@]}")
echo "A $a: median $ma s"
echo "B $b: median $mb s"
echo "B/A $(echo "scale=3; $mb / $ma" | bc)"
