#!/usr/bin/env bash
# Every check of the project, in one script (CI runs it through .ci/run). It installs what it
# needs and skips what is already there, so it runs the same on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }

step "toolchain: rustfmt, clippy, thumbv7em-none-eabihf"
installed_components=$(rustup component list --installed)
for component in rustfmt clippy; do
  grep -q "^$component" <<<"$installed_components" || rustup component add "$component"
done
rustup target list --installed | grep -qx thumbv7em-none-eabihf || rustup target add thumbv7em-none-eabihf

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (workspace, all targets; core with and without features)"
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy -p smsc-codec --all-targets --no-default-features -- -D warnings

step "tests and doctests (all features)"
cargo test --workspace --all-features

step "core tests and doctests without features (no alloc, no std)"
cargo test -p smsc-codec --no-default-features

step "core docs build without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc -p smsc-codec --no-deps --all-features

step "no_std build for thumbv7em-none-eabihf, no features"
cargo build -p smsc-codec --no-default-features --target thumbv7em-none-eabihf

step "all checks passed"
