#!/usr/bin/env bash
# Benchmarks of smsc-codec against the parsers a user would pick instead (BENCHMARKS.md), in one
# command: criterion's runs (medians saved under target/criterion) over every body profile, the
# allocation report, and the report of this run: a table per profile with every floor marked met
# or missed, and the machine's load average at the start and at the end.
#
#   scripts/bench.sh                                   everything (about 14 minutes)
#   scripts/bench.sh -- --measurement-time 10          longer runs (arguments go to criterion)
#   scripts/bench.sh -- contacts_fmt3                  one fmt, every profile (a criterion filter)
#
# The report counts only results this run saved: what a filter left out is "not measured".
# `cargo test` does not run the benchmarks; `./ci.sh` only compiles them (clippy --all-targets).
set -euo pipefail
cd "$(dirname "$0")/.."

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

start=$(date +%s)
load_before=$(loadavg)
echo "== load before: $load_before (the numbers are only comparable on a quiet machine)"
cargo bench -p smsc-codec-bench "$@"
load_after=$(loadavg)
echo "== load after: $load_after"

echo
echo "== allocations and peak heap (1000 contacts, counting global allocator)"
cargo run --release -q -p smsc-codec-bench --bin alloc_report

echo
echo "== the report: floors per profile, medians, throughput"
cargo run --release -q -p smsc-codec-bench --bin bench_report -- "${CARGO_TARGET_DIR:-target}/criterion" \
    --since "$start" --load-before "$load_before" --load-after "$load_after"
