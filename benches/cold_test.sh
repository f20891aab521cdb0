#!/usr/bin/env bash
# A newcomer's cold `cargo test --workspace` at COMMIT: a fresh clone with
# an empty target folder and ../shared beside it, CI=true (as .ci/run),
# each line of cargo's output stamped with the seconds since the start.
#   benches/cold_test.sh COMMIT [COMMIT...]    (run them in turn, A B A B for a pair)
# Writes $TMPDIR/atlas-cold/<n>-<commit>.log; prints, per commit, the total,
# the build, and every test binary that took more than 3 s. Fails if
# cargo test fails: a failed run is not a time.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$root/../shared" 2>/dev/null && pwd) || { echo "../shared is missing"; exit 2; }
work=${TMPDIR:-/tmp}/atlas-cold
mkdir -p "$work"
n=0
for commit in "$@"; do
  n=$((n + 1))
  dir="$work/run$n"; log="$work/$n-$commit.log"
  rm -rf "$dir"; mkdir -p "$dir"
  git clone -q "$root" "$dir/main" && git -C "$dir/main" checkout -q "$commit" || exit 2
  ln -s "$shared" "$dir/shared"
  start=$(date +%s.%N)
  (cd "$dir/main" && CI=true cargo test --workspace 2>&1; echo "EXIT $?") |
    while IFS= read -r line; do
      printf '%7.1f %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$line"
    done > "$log"
  echo "TOTAL $(echo "$(date +%s.%N) - $start" | bc)" >> "$log"
  grep -q " EXIT 0$" "$log" || { echo "$commit: cargo test failed; see $log"; exit 1; }
  python3 - "$log" "$commit" <<'PY'
import re, sys
log, commit = sys.argv[1], sys.argv[2]
rows, cur, start, build, total, last = [], None, 0.0, None, None, 0.0
for l in open(log):
    if l.startswith("TOTAL"):
        total = float(l.split()[1]); continue
    m = re.match(r"\s*([\d.]+) (.*)", l)
    if not m: continue
    t, rest = float(m.group(1)), m.group(2); last = t
    if "Finished `test` profile" in rest: build = t
    r = re.search(r"(?:Running|Doc-tests) (\S+)", rest)
    if r:
        if cur: rows.append((cur, t - start))
        cur, start = r.group(1), t
if cur: rows.append((cur, last - start))
print(f"{commit}: total {total:.0f} s, build {build:.0f} s")
for name, d in rows:
    if d > 3: print(f"  {d:6.1f} s  {name}")
PY
  rm -rf "$dir"
done
