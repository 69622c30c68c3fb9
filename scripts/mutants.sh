#!/usr/bin/env bash
# Mutation testing of the parsers and their support with cargo-mutants: every small wrong change
# (an operator swapped, a condition forced, a return value replaced) that the tests do not notice
# is a "missed" mutant, listed in target/mutants/mutants.out/missed.txt.
#
#   scripts/mutants.sh                 the whole campaign (about 2,100 mutants: hours)
#   scripts/mutants.sh 3/200           one shard of 200
#   scripts/mutants.sh --rotating N    the shard of N that today's date picks, of the files done
#                                      (what CI runs), tested
#                                      in place: the checkout itself is mutated, one mutant at a
#                                      time, so the build reuses target/ (cargo-mutants restores
#                                      each file; do not edit the tree meanwhile)
#   scripts/mutants.sh --file core/src/query.rs [--shard 1/4]   one file
#   scripts/mutants.sh --file core/src/query.rs --iterate         again, skipping what the last
#                                      run of that file caught (after tests were added)
#
# Results go to target/mutants/mutants.out (target/mutants/core_src_query/mutants.out for one file).
# MUTANT_JOBS (default 1) runs that many mutants at once, each in its own copy of the tree;
# MUTANT_TIMEOUT (default 20 s; the suites take about 3) is when a mutant counts as a hang.
#
# Exit status: 0 when every mutant was caught or hung (a hang is the tests noticing: the mutant
# made a parser loop), 2 when some were missed. Equivalent mutants, each with its reason, are
# excluded in .cargo/mutants.toml.
#
# The tests run for each mutant are the core's own (unit and integration, no doctests: they
# compile one program each and repeat what the unit tests cover) and the cross-crate suites that
# decode bodies: fixtures, known answers, properties, readers, queries, serde and allocation
# counting. The CLI and server suites are left out; they do not test the parsers.
set -euo pipefail
cd "$(dirname "$0")/.."

version=27.1.0
if ! cargo mutants --version 2>/dev/null | grep -q " $version"; then
  # A debug build: the tool only drives cargo, and on a fresh CI machine the build is what
  # costs (77 s of CPU measured for this one; the release build took about three minutes).
  cargo install cargo-mutants --version "$version" --locked --debug
fi

# `--iterate`, anywhere: cargo-mutants skips the mutants the previous run in the same output
# directory caught, and runs the rest (the missed, and mutants of code that changed).
iterate=()
args=()
for arg in "$@"; do
  if [ "$arg" = --iterate ]; then iterate=(--iterate); else args+=("$arg"); fi
done
set -- "${args[@]}"

files=(--file 'core/src/format/*.rs' --file core/src/text.rs --file core/src/query.rs --file core/src/stream.rs
  --file core/src/read/mod.rs)
output=target/mutants
shard=()
in_place=()
case "${1:-}" in
  --rotating)
    # Only the files whose whole campaign has run and whose survivors were dealt with (killed
    # by a test or recorded as equivalent; ASSURANCE.md): a missed mutant in CI is then news,
    # not unfinished work. A file joins once its campaign is done.
    files=(--file core/src/format/json.rs --file core/src/format/xml.rs --file core/src/format/csv.rs
      --file core/src/format/kv.rs --file core/src/query.rs)
    shards=${2:?--rotating needs the number of shards}
    day=$(( $(date +%s) / 86400 ))
    shard=(--shard "$(( day % shards ))/$shards" --sharding round-robin)
    in_place=(--in-place)
    ;;
  --file)
    files=(--file "${2:?--file needs a path}")
    output=target/mutants/$(tr / _ <<<"${2%.rs}")
    [ "${3:-}" = --shard ] && shard=(--shard "${4:?--shard needs k/n}" --sharding round-robin)
    ;;
  "") ;;
  # Round-robin: mutant i goes to shard i % n, so every shard gets its share (by slices, the
  # last shards of a list shorter than n times the slice are empty).
  *) shard=(--shard "$1" --sharding round-robin) ;;
esac

tests=(--lib)
for suite in adversarial limits fixtures known_answers properties read query serde no_alloc; do
  tests+=(--test "$suite")
done
# As cargo arguments, not test arguments: the build then compiles only these test targets (not
# the CLI and the server suites, which would be rebuilt for every mutant).
test_args=()
for arg in "${tests[@]}"; do
  test_args+=(--cargo-arg="$arg")
done

# Fewer property cases per mutant: a mutant the properties catch fails on the first few.
export PROPTEST_CASES=${PROPTEST_CASES:-64}
# The baseline: the same tests on the unmutated tree. cargo-mutants' own baseline would run
# them in the mutated package only (27.1.0 ignores --test-package there), where the cross-crate
# suites do not exist; hence `--baseline skip` and a fixed timeout below.
cargo test -p smsc-codec -p smsc-codec-tests "${tests[@]}" -q >/dev/null
jobs=(--jobs "${MUTANT_JOBS:-1}")
[ ${#in_place[@]} -gt 0 ] && jobs=()
status=0
cargo mutants "${files[@]}" "${shard[@]}" "${in_place[@]}" "${jobs[@]}" "${iterate[@]}" \
  --test-package smsc-codec --test-package smsc-codec-tests "${test_args[@]}" \
  --baseline skip --timeout "${MUTANT_TIMEOUT:-20}" \
  --output "$output" --no-shuffle || status=$?
# 3: some mutants hung (cargo-mutants 27.1.0 answers 3, not 2, when some also were missed:
# the missed list decides).
[ "$status" -eq 3 ] && status=0
if [ -s "$output/mutants.out/missed.txt" ]; then
  echo "missed mutants (write a test that kills each, or record why it is equivalent):"
  cat "$output/mutants.out/missed.txt"
  status=2
fi
exit "$status"
