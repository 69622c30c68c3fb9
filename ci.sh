#!/usr/bin/env bash
# Every check of the project, in one script (CI runs it through .ci/run). It installs what it
# needs and skips what is already there, so it runs the same on a fresh machine.
#
#   ./ci.sh                 everything
#   SKIP_SLOW=1 ./ci.sh     the Rust checks only (no Miri, fuzzing, mutants, firmware, JavaScript)
#   FUZZ_RUNS=200000 ./ci.sh a longer fuzz smoke (default 40,000 inputs per target, at most 30 s)
#   MUTANT_SHARDS=50 ./ci.sh a larger mutation smoke (default: a 200th of the files done, by date)
set -euo pipefail
cd "$(dirname "$0")"

started=$SECONDS
step() {
  printf '\n==> %s  (%ds so far)\n' "$*" "$((SECONDS - started))"
}

NO_STD_TARGETS=(thumbv7em-none-eabihf thumbv6m-none-eabi riscv32imc-unknown-none-elf)

step "toolchain: rustfmt, clippy, the no_std targets"
installed_components=$(rustup component list --installed)
for component in rustfmt clippy; do
  grep -q "^$component" <<<"$installed_components" || rustup component add "$component"
done
installed_targets=$(rustup target list --installed)
for target in "${NO_STD_TARGETS[@]}"; do
  grep -qx "$target" <<<"$installed_targets" || rustup target add "$target"
done

step "cargo fmt --check"
cargo fmt --all -- --check

FORMATS=(kv csv xml json)

step "clippy (workspace, all targets; core without features and with each format alone)"
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy -p smsc-codec --all-targets --no-default-features -- -D warnings
for format in "${FORMATS[@]}"; do
  cargo clippy -p smsc-codec --all-targets --no-default-features --features "$format" -- -D warnings
done

step "tests and doctests (workspace, all features)"
cargo test --workspace --all-features

step "examples against a local smsc serve"
scripts/examples.sh

step "benchmarks compile (they are run by scripts/bench.sh, not here)"
cargo test -p smsc-codec-bench --benches --no-run

step "core tests and doctests with the formats only (no alloc, no std); each format's own tests alone"
cargo test -p smsc-codec --no-default-features --features kv,csv,xml,json
for format in "${FORMATS[@]}"; do
  cargo test -p smsc-codec --no-default-features --features "$format" --lib --tests
done

step "core docs build without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc -p smsc-codec --no-deps --all-features

step "publishable: cargo publish --dry-run, a README that renders on the registry, the MSRV"
cargo publish --dry-run -p smsc-codec --allow-dirty
# crates.io renders README.md without the repository around it: every link must be absolute.
if grep -nP '\]\((?!https?://|#)' README.md; then
  echo "README.md: the links above are relative and would break on crates.io" >&2
  exit 1
fi
MSRV=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
cargo "+$MSRV" --version >/dev/null 2>&1 || rustup toolchain install "$MSRV" --profile minimal
cargo "+$MSRV" test -p smsc-codec --all-features --target-dir target/msrv

step "no_std builds (formats only, no alloc): ${NO_STD_TARGETS[*]}; requests only; fmt=3 only; the embedded-io readers"
for target in "${NO_STD_TARGETS[@]}"; do
  cargo build -p smsc-codec --no-default-features --features kv,csv,xml,json --target "$target"
done
cargo build -p smsc-codec --no-default-features --target "${NO_STD_TARGETS[0]}"
cargo build -p smsc-codec --no-default-features --features json --target "${NO_STD_TARGETS[0]}"
cargo build -p smsc-codec --no-default-features --features json,embedded-io,embedded-io-async --target "${NO_STD_TARGETS[0]}"

if [ -n "${SKIP_SLOW:-}" ]; then
  step "SKIP_SLOW set: Miri, fuzzing, mutation testing, firmware and JavaScript skipped"
  exit 0
fi

step "Miri: core's tests under the interpreter (nightly)"
if ! cargo +nightly --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal
fi
if ! rustup +nightly component list --installed | grep -q '^miri'; then
  rustup +nightly component add miri rust-src
fi
cargo +nightly miri setup
# Tests with megabyte inputs are marked `cfg_attr(miri, ignore)` with their reason.
cargo +nightly miri test -p smsc-codec --features std,embedded-io,embedded-io-async

step "every public item of core has an example (rustdoc JSON, pinned nightly)"
DOCS_NIGHTLY=nightly-2026-05-20
cargo "+$DOCS_NIGHTLY" --version >/dev/null 2>&1 || rustup toolchain install "$DOCS_NIGHTLY" --profile minimal
cargo "+$DOCS_NIGHTLY" rustdoc -p smsc-codec --all-features --lib --target-dir target/rustdoc-json \
  -- -Z unstable-options --output-format json
python3 scripts/doc-examples.py target/rustdoc-json/doc/smsc_codec.json

step "fuzz smoke: every target, a fixed seed, at most ${FUZZ_SECONDS:-30}s each"
FUZZ_SECONDS=${FUZZ_SECONDS:-30} scripts/fuzz.sh

step "mutation smoke: the day's shard of ${MUTANT_SHARDS:-200} of cargo-mutants over the parsers (a missed mutant fails)"
scripts/mutants.sh --rotating "${MUTANT_SHARDS:-200}"

step "Cortex-M3 firmware under QEMU"
scripts/embedded.sh

step "JavaScript: the wasm package in Node, headless Chromium and workerd"
scripts/wasm.sh

step "JavaScript: the npm tarball installed as a user would, in Node (current and 18), Deno, Bun, a browser bundle and workerd"
scripts/wasm-install.sh

step "all checks passed in $((SECONDS - started))s"
