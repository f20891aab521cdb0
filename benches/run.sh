#!/usr/bin/env bash
# Every benchmark of BENCHMARKS.md, then BENCHMARKS.md itself.
#   benches/run.sh              run every part (about 25 minutes on 2 cores), then write BENCHMARKS.md
#   benches/run.sh PART...      run only these parts: codegen peers compile tags wire memory criterion
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

part() {
  case $1 in
    codegen)
      cargo build -q --release -p xtask
      { target/release/xtask bench codegen --spec "$spec" --runs 9
        target/release/xtask bench codegen --spec spec/atlas-admin.yaml --runs 9; } > "$out/codegen.md" ;;
    peers) benches/peers.sh 5 > "$out/peers.md" ;;
    compile) benches/compile.sh 2 > "$out/compile.md" ;;
    tags) benches/check.sh "$PEERS_WORK/ours-yaml" clusters > "$out/tags.md" ;;
    wire) cargo run -q --release --manifest-path benches/wire/Cargo.toml -- all > "$out/wire.md" ;;
    memory)
      { cargo run -q --release --manifest-path benches/wire/Cargo.toml -- memory ours
        cargo run -q --release --manifest-path benches/wire/Cargo.toml -- memory raw; } > "$out/memory.md" ;;
    criterion)
      cargo bench -q --manifest-path benches/wire/Cargo.toml -- --noplot 2>/dev/null \
        | grep -E "^revoke|time:" > "$out/criterion.md" ;;
    assemble) ;;
    *) echo "unknown part $1" >&2; exit 2 ;;
  esac
}

if [ $# -eq 0 ]; then set -- codegen peers compile tags wire memory criterion; fi
for p in "$@"; do part "$p"; done

show() { if [ -f "$out/$1" ]; then cat "$out/$1"; else echo "(not measured: run \`benches/run.sh ${1%.md}\`)"; fi; }
{
cat <<HEAD
# Benchmarks

Written by \`benches/run.sh\` (every figure below comes from the command
named beside it). Machine: $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB,
$(uname -sr), $(rustc --version), $(date -u +%Y-%m-%d). Medians of alternating runs
unless said otherwise. Nothing here runs as a timed test.

## Generation

\`target/release/xtask bench codegen --spec ... --runs 9\` (in process: parse,
then generate; no files written):

\`\`\`
$(show codegen.md)
\`\`\`

### Side by side with the peers (whole process, files written)

\`benches/peers.sh 5\`: the published spec \`../shared/upstream/atlas-admin-v2.yaml\`
(540 operations, 1,145 schemas) through each generator, alternating, 5 runs.

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

## Compile cost of the generated crate

\`benches/compile.sh 2\`: each crate alone, its dependencies already built,
dev profile.

$(show compile.md)

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

Criterion (\`cargo bench --manifest-path benches/wire/Cargo.toml\`), one call, no auth:

\`\`\`
$(show criterion.md)
\`\`\`
HEAD
} > BENCHMARKS.md
echo "wrote BENCHMARKS.md"
