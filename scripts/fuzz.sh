#!/usr/bin/env bash
# Fuzz smoke for CI: build every target and run each from the seeded corpus for FUZZ_RUNS
# inputs with a fixed seed (reproducible: a failure here is a real regression, not a lucky
# draw), at most FUZZ_SECONDS; any crash fails. Long campaigns: see fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-20}
runs=${FUZZ_RUNS:-40000}
seed=${FUZZ_SEED:-1}

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
    oracle) echo dict/oracle.dict ;;
    *) echo dict/json.dict ;;
  esac
}

for target in $(cargo "${toolchain[@]}" fuzz list); do
  mkdir -p "corpus/$target"
  log=$(mktemp)
  if ! cargo "${toolchain[@]}" fuzz run "${sanitizer[@]}" "$target" "corpus/$target" -- \
      -seed="$seed" -runs="$runs" -max_total_time="$seconds" -dict="$(dict_for "$target")" -rss_limit_mb=2048 \
      -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target FAILED"
    exit 1
  fi
  executed=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  echo "fuzz $target: ${executed:-?} runs (seed $seed, at most $runs or ${seconds}s), no crash"
  rm -f "$log"
done
