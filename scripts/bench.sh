#!/usr/bin/env bash
# Benchmarks of smsc-codec against the parsers a user would pick instead (BENCHMARKS.md), in one
# command: criterion's runs (medians saved under target/criterion), the allocation report, and
# the ratio table with every target marked met or missed.
#
#   scripts/bench.sh                                   everything (about 8 minutes)
#   scripts/bench.sh -- --measurement-time 10          longer runs (arguments go to criterion)
#   scripts/bench.sh -- contacts_fmt3                  one group (a criterion filter)
#
# `cargo test` does not run the benchmarks; `./ci.sh` only compiles them (clippy --all-targets).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg) (the numbers are only comparable on a quiet machine)"
cargo bench -p smsc-codec-bench "$@"

echo
echo "== allocations and peak heap (1000 contacts, counting global allocator)"
cargo run --release -q -p smsc-codec-bench --bin alloc_report

echo
echo "== medians, throughput and ratios"
cargo run --release -q -p smsc-codec-bench --bin bench_report -- "${CARGO_TARGET_DIR:-target}/criterion"
