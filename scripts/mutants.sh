#!/usr/bin/env bash
# Mutation testing of the parsers and their support with cargo-mutants: every small wrong change
# (an operator swapped, a condition forced, a return value replaced) that the tests do not notice
# is a "missed" mutant, listed in target/mutants/mutants.out/missed.txt.
#
#   scripts/mutants.sh                 the whole campaign (about 2,100 mutants: hours)
#   scripts/mutants.sh 3/200           one shard of 200
#   scripts/mutants.sh --rotating N    the shard of N that today's date picks (what CI runs)
#   scripts/mutants.sh --file core/src/query.rs [--shard 1/4]   one file
#
# The tests run for each mutant are the core's own (unit and integration, no doctests: they
# compile one program each and repeat what the unit tests cover) and the cross-crate suites that
# decode bodies: fixtures, known answers, properties, readers, queries, serde and allocation
# counting. The CLI and server suites are left out; they do not test the parsers.
set -euo pipefail
cd "$(dirname "$0")/.."

version=27.1.0
if ! cargo mutants --version 2>/dev/null | grep -q " $version"; then
  cargo install cargo-mutants --version "$version" --locked
fi

files=(--file 'core/src/format/*.rs' --file core/src/text.rs --file core/src/query.rs --file core/src/stream.rs
  --file core/src/read/mod.rs)
shard=()
case "${1:-}" in
  --rotating)
    shards=${2:?--rotating needs the number of shards}
    day=$(( $(date +%s) / 86400 ))
    shard=(--shard "$(( day % shards ))/$shards")
    ;;
  --file)
    files=(--file "${2:?--file needs a path}")
    [ "${3:-}" = --shard ] && shard=(--shard "${4:?--shard needs k/n}")
    ;;
  "") ;;
  *) shard=(--shard "$1") ;;
esac

tests=(--lib)
for suite in adversarial limits fixtures known_answers properties read query serde no_alloc; do
  tests+=(--test "$suite")
done
test_args=()
for arg in "${tests[@]}"; do
  test_args+=(--cargo-test-arg="$arg")
done

# Fewer property cases per mutant: a mutant the properties catch fails on the first few.
export PROPTEST_CASES=${PROPTEST_CASES:-64}
# The baseline: the same tests on the unmutated tree. cargo-mutants' own baseline would run
# them in the mutated package only (27.1.0 ignores --test-package there), where the cross-crate
# suites do not exist; hence `--baseline skip` and a fixed timeout below.
cargo test -p smsc-codec -p smsc-codec-tests "${tests[@]}" -q >/dev/null
cargo mutants "${files[@]}" "${shard[@]}" \
  --test-package smsc-codec --test-package smsc-codec-tests "${test_args[@]}" \
  --baseline skip --timeout "${MUTANT_TIMEOUT:-120}" \
  --output target/mutants --no-shuffle
