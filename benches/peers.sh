#!/usr/bin/env bash
# Generation side by side: atlas-codegen, progenitor (cargo install
# cargo-progenitor) and openapi-generator's Rust client (pip install
# openapi-generator-cli; Java 17), on the same published spec, same machine,
# alternating runs, each after an untimed warm-up run; medians. Prints Markdown.
#   benches/peers.sh [RUNS]
# Work happens in a temporary folder; the spec and outputs are never committed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
spec="$root/../shared/upstream/atlas-admin-v2.yaml"
[ -f "$spec" ] || { echo "SKIPPED: $spec is missing"; exit 0; }
work=${PEERS_WORK:-/tmp/atlas-peers}
mkdir -p "$work"
cd "$work"
python3 - "$spec" <<'PY'
import json, sys, yaml
json.dump(yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader), open('spec.json', 'w'))
PY
rewrites=$(python3 "$root/benches/progenitor_rewrite.py" spec.json progenitor.json cycles,symbols,media,noschema,one2xx)
(cd "$root" && cargo build -q --release -p xtask)
ours="$root/target/release/xtask"

time_one() { # label, output folder, command...
  local label=$1 out=$2; shift 2
  local t0 t1
  # One untimed warm-up run of the same command first, as hyperfine's
  # --warmup does: on this VM a short process started cold (after another
  # generator, or after an idle moment) varies by half its run time (the
  # same atlas-codegen command: 0.44 to 0.80 s). Applied to every generator.
  # The output is removed after it, so every timed run writes a new folder.
  "$@" >/dev/null 2>&1 || true
  rm -rf "$out"
  sync
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "$label failed" >&2; return 1; }; t1=$(date +%s.%N)
  echo "$label $(echo "$t1 - $t0" | bc)"
}
: > times.txt
[ -n "${REPORT_ONLY:-}" ] && cp "${REPORT_ONLY}" times.txt
for i in $(seq "$runs"); do
  [ -n "${REPORT_ONLY:-}" ] && break
  rm -rf ours-yaml ours-json prog oag
  time_one ours-yaml ours-yaml "$ours" codegen --spec "$spec" --out ours-yaml >> times.txt
  time_one ours-json ours-json "$ours" codegen --spec spec.json --out ours-json >> times.txt
  time_one progenitor prog bash -c "ulimit -s 1048576; cargo progenitor -i progenitor.json -o prog -n atlas-prog -v 0.1.0 --interface builder --tags separate" >> times.txt
  time_one openapi-generator oag openapi-generator-cli generate -i spec.json -g rust -o oag --skip-validate-spec >> times.txt
done
lines() { find "$1" -name '*.rs' -path '*src*' -print0 | xargs -0 cat | wc -l; }
echo "| generator | input | median of $runs runs | min | max | lines of Rust |"
echo "|---|---|---|---|---|---|"
for label in ours-yaml ours-json progenitor openapi-generator; do
  sorted=$(grep "^$label " times.txt | awk '{print $2}' | sort -n)
  med=$(echo "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  min=$(echo "$sorted" | head -1); max=$(echo "$sorted" | tail -1)
  case $label in
    ours-yaml) name="atlas-codegen"; input="published YAML"; out=ours-yaml/src/generated;;
    ours-json) name="atlas-codegen"; input="the same as JSON"; out=ours-json/src/generated;;
    progenitor) name="progenitor $(cargo install --list | awk '/^cargo-progenitor/ {print $2}' | tr -d 'v:' || true)"; input="JSON after 5 rewrites"; out=prog;;
    openapi-generator) name="openapi-generator $(pip show openapi-generator-cli 2>/dev/null | awk '/^Version/ {print $2}' || true)"; input="JSON (its YAML parser refuses 4 MB)"; out=oag;;
  esac
  printf '| %s | %s | %.2f s | %.2f | %.2f | %s |\n' "$name" "$input" "$med" "$min" "$max" "$(lines $out)"
done
echo
echo "progenitor rewrites applied: \`$rewrites\`"
