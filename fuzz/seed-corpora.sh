#!/usr/bin/env bash
# Seeds each target's corpus from tests/fixtures (corpora are not committed). Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../tests/fixtures
seed() { # target, fmt, selector byte (for stream_chunks)
  local target=$1 fmt=$2
  mkdir -p "corpus/$target"
  for body in $(find "$fixtures" -name "*.fmt$fmt.body"); do
    local name
    name=$(echo "$body" | tr '/' '_')
    cp "$body" "corpus/$target/$name"
  done
}
seed decode_kv 0
seed decode_csv 1
seed decode_xml 2
seed decode_json 3
mkdir -p corpus/stream_chunks
for fmt in 0 1 2 3; do
  for body in $(find "$fixtures" -path '*/get*' -name "*.fmt$fmt.body"); do
    name=$(echo "$body" | tr '/' '_')
    # First byte: the fmt; second: chunk sizes (3 and 5).
    { printf "\\x$(printf %02x "$fmt")\\x42"; cat "$body"; } > "corpus/stream_chunks/$name"
  done
done
mkdir -p corpus/query_roundtrip
echo "seeded: $(find corpus -type f | wc -l) files"
