#!/usr/bin/env bash
# Every benchmark of BENCHMARKS.md, then BENCHMARKS.md itself.
#   benches/run.sh              run every part (about 25 minutes on 2 cores), then write BENCHMARKS.md
#   benches/run.sh PART...      run only these parts: codegen peers shape compile tags wire memory criterion soak paging
#   benches/run.sh assemble     write BENCHMARKS.md from the parts already in target/bench/
# Needs ../shared/upstream/atlas-admin-v2.yaml, cargo-progenitor and
# openapi-generator-cli (pip) with Java 17 for the peers. Nothing here runs in CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/target/bench"
mkdir -p "$out"
cd "$root"
spec=../shared/upstream/atlas-admin-v2.yaml
export PEERS_WORK=${PEERS_WORK:-/tmp/atlas-peers}

# What the generated crate for the published spec holds (after peers,
# which generates it): lines, builders, paging loops, serde impls.
shape() {
  local g="$PEERS_WORK/ours-yaml/src/generated"
  [ -d "$g" ] || { echo "(run benches/run.sh peers first: $g is missing)"; return; }
  local sum='{s+=$1} END {print s+0}'
  echo "| what | count |"
  echo "|---|---|"
  echo "| generated lines (all of \`src/generated\`) | $(find "$g" -name '*.rs' -print0 | xargs -0 cat | wc -l) |"
  local m="$g/models"
  echo "| of them in \`models/\` ($(ls "$m" | wc -l) files: shared ones in \`mod.rs\`, a tag's own in \`<tag>.rs\`) | $(cat "$m"/*.rs | wc -l) |"
  echo "| of them in \`models/mod.rs\` (parsed by every build, whatever the features) | $(wc -l < "$m/mod.rs") |"
  echo "| model types (structs and enums) | $(cat "$m"/*.rs | grep -c '^pub struct \|^pub enum ') |"
  cat "$m"/*.rs | awk '/^#\[cfg\(feature = "fake"\)\]/ {f=NR}
       /^impl Serialize for / {s++; if (f == NR-1) so++}
       /^impl<.de> Deserialize<.de> for / {d++; if (f == NR-1) do_++}
       END {printf "| `Serialize` impls (only with `fake`: received-only types) | %d (%d) |\n", s, so
            printf "| `Deserialize` impls (only with `fake`: sent-only types) | %d (%d) |\n", d, do_}'
  echo "| request builders (one per operation version) | $(grep -h -c '^#\[must_use = "a request builder' "$g"/operations/*.rs | awk "$sum") |"
  echo "| list operations paged by the runtime's one loop (\`runtime::pages\`) | $(grep -h -c 'runtime::pages(' "$g"/operations/*.rs | awk "$sum") |"
  echo "| paging loops in generated code | $(grep -h -c '^ *loop {' "$g"/operations/*.rs | awk "$sum") |"
}

part() {
  case $1 in
    codegen)
      cargo build -q --release -p xtask
      { target/release/xtask bench codegen --spec "$spec" --runs 9
        target/release/xtask bench codegen --spec spec/atlas-admin.yaml --runs 9; } > "$out/codegen.md" ;;
    peers) benches/peers.sh 5 > "$out/peers.md" ;;
    shape) shape > "$out/shape.md" ;;
    compile) benches/compile.sh 2 > "$out/compile.md" ;;
    tags) benches/check.sh "$PEERS_WORK/ours-yaml" clusters > "$out/tags.md" ;;
    wire) cargo run -q --release --manifest-path benches/wire/Cargo.toml -- all > "$out/wire.md" ;;
    memory)
      { cargo run -q --release --manifest-path benches/wire/Cargo.toml -- memory ours
        cargo run -q --release --manifest-path benches/wire/Cargo.toml -- memory raw; } > "$out/memory.md" ;;
    criterion)
      cargo bench -q --manifest-path benches/wire/Cargo.toml --bench overhead 2>/dev/null \
        | grep -E "^revoke|time:" > "$out/criterion.md" ;;
    soak) cargo run -q --release --manifest-path benches/wire/Cargo.toml -- soak 100000 64 > "$out/soak.md" ;;
    paging)
      { cargo run -q --release --manifest-path benches/wire/Cargo.toml -- paging items
        cargo run -q --release --manifest-path benches/wire/Cargo.toml -- paging send_all; } > "$out/paging.md" ;;
    assemble) ;;
    *) echo "unknown part $1" >&2; exit 2 ;;
  esac
}

if [ $# -eq 0 ]; then set -- codegen peers shape compile tags wire memory criterion soak paging; fi
for p in "$@"; do part "$p"; done

# Figures for the summary, read back from the parts. A part whose output is
# missing is named, and its figures show as "?".
for f in codegen peers shape compile tags wire memory criterion soak paging; do
  [ -f "$out/$f.md" ] || echo "note: $out/$f.md is missing: its figures show as '?' (run: benches/run.sh $f)" >&2
done
cell() { [ -f "$out/$1" ] || return 0; awk -F'|' -v pat="$2" -v col="$3" 'index($0, pat) {gsub(/[^0-9.]/, "", $col); print $col; exit}' "$out/$1"; }
first_check() { [ -f "$out/compile.md" ] || return 0; awk -F'|' -v pat="$1" 'index($0, pat) && !index($0, "not compile") {split($3, a, " "); print a[1]; exit}' "$out/compile.md"; }
pct() { if [ -n "$1" ] && [ -n "$2" ]; then echo "scale=1; 100 * $1 / $2" | bc; else echo "?"; fi; }
times() { if [ -n "$1" ] && [ -n "$2" ]; then echo "scale=1; $1 / $2" | bc; else echo "?"; fi; }
gen_ours=$(cell peers.md "published YAML" 4); gen_prog=$(cell peers.md "progenitor" 4); gen_oag=$(cell peers.md "openapi-generator" 4)
oag_state="?"
if grep -q "openapi-generator.*does not compile" "$out/compile.md" 2>/dev/null; then oag_state="openapi-generator's crate, which does not compile (not a time)"; fi
chk_full=$(first_check "atlas-admin-full"); chk_tag=$(first_check "atlas-admin-one-tag"); chk_oag=$(first_check "openapi-generator")
chk_prog=$(first_check "progenitor")
# The cold build of a crate: the last cell of its row.
build_of() { [ -f "$out/compile.md" ] || return 0; awk -F'|' -v pat="$1" 'index($0, pat) && !index($0, "not compile") {split($4, a, " "); print a[1]; exit}' "$out/compile.md"; }
bld_full=$(build_of "atlas-admin-full"); bld_prog=$(build_of "progenitor")
# benches/check.sh: three cold checks of the full crate and of one tag.
median_of() { [ -f "$out/tags.md" ] || return 0; awk -v k="$1" '$1 == k {print $2}' "$out/tags.md" | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
med_full=$(median_of full); med_tag=$(median_of clusters)
ratio() { if [ -n "$1" ] && [ -n "$2" ]; then printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"; else echo "?"; fi; }
thr64=$(awk -F'|' '/\| 64 \|.*raw throughput/ {gsub(/[^0-9.]/, "", $7); print $7}' "$out/wire.md" 2>/dev/null || true)
ex_ours=$(awk -F'|' '/atlas-admin \(nonce/ {gsub(/[^0-9]/, "", $4); print $4}' "$out/wire.md" 2>/dev/null || true)
ex_naive=$(awk -F'|' '/naive digest/ {gsub(/[^0-9]/, "", $4); print $4}' "$out/wire.md" 2>/dev/null || true)

show() { if [ -f "$out/$1" ]; then cat "$out/$1"; else echo "(not measured: run \`benches/run.sh ${1%.md}\`)"; fi; }
{
cat <<HEAD
# Benchmarks

Written by \`benches/run.sh\` (every figure below comes from the command
named beside it). Machine: $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB,
$(uname -sr), $(rustc --version), $(date -u +%Y-%m-%d). Medians of alternating runs
unless said otherwise. Nothing here runs as a timed test.

## Targets

| target | measured | from |
|---|---|---|
| full-spec generation at least 10x faster than both peers | ${gen_ours:-?} s: $(times "$gen_prog" "$gen_ours")x faster than progenitor (${gen_prog:-?} s), $(times "$gen_oag" "$gen_ours")x than openapi-generator (${gen_oag:-?} s) | peers |
| full-crate \`cargo check\` no slower than openapi-generator's | ${chk_full:-?} s against ${chk_oag:-$oag_state}, carrying every version | compile |
| one tag at most 15% of the full check (issue 9: 10%) | medians of three runs each: ${med_tag:-?} s against ${med_full:-?} s = $(pct "$med_tag" "$med_full")%; first runs of compile: ${chk_tag:-?} s = $(pct "$chk_tag" "$chk_full")% | tags, compile |
| full-crate cold \`cargo check\` at most 0.25x progenitor's (same run) | ${chk_full:-?} s against ${chk_prog:-?} s = $(ratio "$chk_full" "$chk_prog")x | compile |
| full-crate cold \`cargo build\` at most 0.25x progenitor's (same run) | ${bld_full:-?} s against ${bld_prog:-?} s = $(ratio "$bld_full" "$bld_prog")x | compile |
| digest: N+1 exchanges for N calls, not 2N | 20 calls: ${ex_ours:-?} exchanges (naive: ${ex_naive:-?}) | wire |
| client overhead within 10% of raw reqwest at concurrency 64 | ${thr64:-?}% of raw reqwest's throughput | wire |

## Generation

\`target/release/xtask bench codegen --spec ... --runs 9\` (in process: parse,
then generate; no files written):

\`\`\`
$(show codegen.md)
\`\`\`

### Side by side with the peers (whole process, files written)

\`benches/peers.sh 5\`: the published spec \`../shared/upstream/atlas-admin-v2.yaml\`
(540 operations, 1,145 schemas) through each generator, alternating, 5 runs, each timed run right after an
untimed warm-up run of the same command (for every generator).

$(show peers.md)

What the peers need and what it costs:
- **progenitor** rejects the spec as published. First it recurses without
  end (a stack overflow even with a 4 GB stack, after 8 GB of memory): 95
  subtypes \`allOf\` the union that lists them. With those cycles broken it
  panics on enum values it cannot name (\`<\`, \`>\`), then refuses
  \`application/vnd.atlas.*\` media types, hits a \`todo!\` on media types
  without a schema, and asserts one response type per operation.
  \`benches/progenitor_rewrite.py\` applies the five rewrites; they lose every
  resource version but the newest (57 response and 23 request media types),
  CSV/gzip as such (7), the subtype relations (95), one enum, and the
  distinct 202 bodies and specific error schemas. The result cannot reach
  any older version and sends \`Accept: application/json\`, which Atlas v2
  answers with 406.
- **openapi-generator** reads the spec only as JSON (its YAML parser stops
  at 3,145,728 code points; the JSON form loses nothing). Its client never
  sends an \`Accept\` header at all (for example \`delete_org_live_migration_link_tokens\`
  sets the query, user agent and bearer token only), so Atlas v2 would answer 406.
- **atlas-codegen** reads the YAML as published: every version, every media type.

Where our time goes (\`valgrind --tool=callgrind target/release/xtask bench codegen --spec $spec --runs 1\`):
syn re-parsing the emitted tokens and prettyplease formatting dominate;
files and 16 fixed chunks of the models are formatted on every core, joined
in a fixed order (the output is byte-identical on any machine).

## What the generated crate holds

\`benches/run.sh shape\`, on the crate \`peers\` generated for the published
spec (issue 9's baseline: 185k lines, 124k in \`models.rs\`, 601 builders,
102 copies of one paging loop, every model both \`Serialize\` and
\`Deserialize\`):

$(show shape.md)

## Compile cost of the generated crate

\`benches/compile.sh 2\`: each crate alone, its dependencies already built
(in build and in check mode), dev profile.

$(show compile.md)

Models implement \`Serialize\`/\`Deserialize\` only in the direction the
API uses them, and the impls are written out by the generator instead of
derived (one shared key matcher in the runtime): far less macro output to
type-check. Measured on the published spec, the full crate's cold check went
from 31.6-34.7 s (derived, 2026-11-23, \`benches/check.sh\`) to 19-23 s, and
its peak memory from 2.5 GB to 1.8 GB. The cost is more generated text
(185k -> 270k lines) and so longer generation (0.48 s -> 0.67 s once the
fake's samples compiled each pattern once; 0.77 s before that). Generation
is allocation-bound (callgrind: 30% of instructions in malloc and free,
mostly syn parsing the emitted tokens), so the xtask binary uses mimalloc:
in process 510 ms -> 366 ms on a quiet machine, and the table above.

Every method of a request builder (setters, \`send()\`, paging, waiting) and
of an operation group is \`#[inline]\`, so rustc generates its machine code
in the crate that calls it, not in the generated crate (where most of the
cold build had been: the 601 builders' \`send()\` and the decoders they
instantiate, 72k monomorphized functions; 6.5k after). Measured on the
published spec (2026-11-24, a cold \`cargo build\` of the crate alone, two
runs each): 39.2 s -> 24.1-24.8 s; the check is unchanged. The cost moves to
callers, and only for what they call: the row
\`atlas-admin-and-a-caller-of-every-operation\` above is the crate plus a
test that calls all 601 operation versions (with the fake); before the
change that build took 52.3 s, after it 48.5 s, so even a caller of
everything pays no more.

Generated \`send()\` is a plain function returning the runtime's boxed
\`SendFuture\`, not an \`async fn\`: the crate holds no state machine per
operation version, whose opaque futures' well-formedness checks and
borrow-checking had topped rustc's self-profile. Measured on the published
spec (2026-11-24, two runs each): cold check 18.5-18.7 s -> 16.3-17.1 s,
cold build 24.1-24.8 s -> 20.0-20.8 s, peak 1.85 -> 1.74 GB.

Models that one tag alone uses live in that tag's file,
\`src/generated/models/<tag>.rs\`, which a build without the feature does
not parse (\`models/mod.rs\` keeps the shared 17k of the models' 197k lines):
one tag's cold check 1.72-1.83 s -> 1.44-1.59 s (four alternating runs
each), its macro expansion 0.27 s -> 0.06 s (\`-Z time-passes\`).

\`benches/check.sh /tmp/atlas-peers/ours-yaml clusters\`: our crate, all 58
tags against one tag (the cargo feature \`clusters\`), three runs each:

\`\`\`
$(show tags.md)
\`\`\`

## The wire

\`cargo run --release --manifest-path benches/wire/Cargo.toml -- all\`:
against the fake Atlas on 127.0.0.1 (a real HTTP server in the same
process). The raw reqwest client sends the same request (method, path,
\`Accept\`, user agent) without our runtime.

$(show wire.md)

Peak memory (\`... -- memory ours\`, \`... -- memory raw\`; VmHWM of the process):

| client | workload | peak RSS |
|---|---|---|
$(show memory.md)

Criterion (\`cargo bench --manifest-path benches/wire/Cargo.toml --bench overhead\`), one call, no auth (a \`block_on\` per iteration, hence higher than the loop above):

\`\`\`
$(show criterion.md)
\`\`\`

## Lists: \`items()\` against \`send_all()\`

\`benches/run.sh paging\` (each walk in its own process; VmHWM includes the
fake serving the pages in the same process):

| walk | workload | before | peak |
|---|---|---|---|
$(show paging.md)

## Hostile servers: the soak run

Every call against a server that misbehaves on purpose ends as a success or
a typed error, within its deadline, without a panic, in flat memory. The
server (\`tests/src/hostile.rs\`) runs in the same process and keeps no
request log, so the RSS is the client's.

$(show soak.md)
HEAD
} > BENCHMARKS.md
echo "wrote BENCHMARKS.md"
