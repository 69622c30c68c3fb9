#!/usr/bin/env bash
# Fuzz smoke for CI: build every target and run each for FUZZ_SECONDS; any crash fails.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-20}

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --version 0.13.2
fi
if cargo +nightly --version >/dev/null 2>&1; then
  toolchain=(+nightly)
  sanitizer=()
else
  echo "no nightly toolchain: fuzzing without a sanitizer on stable"
  toolchain=(+stable)
  sanitizer=(-s none)
fi

./seed-corpora.sh
cargo "${toolchain[@]}" fuzz build "${sanitizer[@]}"

dict_for() {
  case $1 in
    decode_kv) echo dict/kv.dict ;;
    decode_csv) echo dict/csv.dict ;;
    decode_xml) echo dict/xml.dict ;;
    query_roundtrip) echo dict/query.dict ;;
    *) echo dict/json.dict ;;
  esac
}

for target in $(cargo "${toolchain[@]}" fuzz list); do
  mkdir -p "corpus/$target"
  log=$(mktemp)
  if ! cargo "${toolchain[@]}" fuzz run "${sanitizer[@]}" "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -dict="$(dict_for "$target")" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target FAILED"
    exit 1
  fi
  runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  echo "fuzz $target: ${runs:-?} runs in ${seconds}s, no crash"
  rm -f "$log"
done
