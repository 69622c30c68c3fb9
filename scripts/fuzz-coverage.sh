#!/usr/bin/env bash
# Which parts of the parsers do the fuzz targets reach? Runs every target over its corpus with
# coverage instrumentation (`cargo fuzz coverage`), then reports the union: per parser file,
# the functions and code regions some target executes, and the list of those none does.
#
#   scripts/fuzz-coverage.sh              every target; the report in fuzz/coverage/report.md
#   scripts/fuzz-coverage.sh decode_json  one target
#
# The corpora are the seeded ones (fuzz/seed-corpora.sh: the fixtures and the committed
# minimised corpora) plus whatever earlier runs left in fuzz/corpus.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --version 0.13.2
fi
if ! rustup +nightly component list --installed | grep -q '^llvm-tools'; then
  rustup +nightly component add llvm-tools-preview
fi
host=$(rustc +nightly -vV | sed -n 's/^host: //p')
tools="$(rustc +nightly --print sysroot)/lib/rustlib/$host/bin"

./seed-corpora.sh
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
mkdir -p coverage
specs=()
for target in "${targets[@]}"; do
  echo "coverage of $target over $(find "corpus/$target" -type f | wc -l) inputs"
  if ! cargo +nightly fuzz coverage "$target" "corpus/$target" >"coverage/$target.log" 2>&1; then
    tail -n 30 "coverage/$target.log"
    exit 1
  fi
  specs+=("$target:target/$host/coverage/$host/release/$target:coverage/$target/coverage.profdata")
done
python3 ../scripts/coverage-report.py "$tools/llvm-cov" "${specs[@]}" | tee coverage/report.md
