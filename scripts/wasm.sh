#!/usr/bin/env bash
# The JavaScript binding (wasm/): installs what it needs (skipping what is present), builds the
# npm package (cargo, wasm-bindgen --target web, wasm-opt -Oz from npm's binaryen), checks its
# size and types, and runs its tests in Node, headless Chromium and workerd (Miniflare).
#
#   scripts/wasm.sh          everything (ci.sh calls this)
#   scripts/wasm.sh build    install and build the package into wasm/pkg only
#   scripts/wasm.sh stable   everything, built with the stable toolchain only (no nightly): for
#                            contributors without one; the module is larger (its size is printed)
#
# Needs: Debian 12, rustup (stable), Node >= 18 with npm. Installs: the wasm32 target,
# wasm-bindgen-cli (same version as the crate), chromium + chromium-driver (apt), npm devDeps.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WASM=$ROOT/wasm
MODE=all
STABLE=
for arg in "$@"; do
  case $arg in
    build) MODE=build ;;
    stable) STABLE=1 ;;
    *) echo "usage: scripts/wasm.sh [build] [stable]" >&2; exit 2 ;;
  esac
done

WASM_BINDGEN_VERSION=0.2.130 # must equal the `wasm-bindgen = "=..."` pin in wasm/Cargo.toml
# A regression ceiling just above today's 91.5 KiB. The module was 62.7 KiB before the engine of
# issue 10; what grew is in wasm/README.md ("Size"), and the 64 KiB and 32 KiB-gzip budget is open.
MAX_WASM_BYTES=96256 # 94 KiB after wasm-opt
TARGET=wasm32-unknown-unknown
# The shipped .wasm is built with a pinned nightly: `-Cpanic=immediate-abort` and a rebuilt
# core/alloc drop every panic message and with them core::fmt, `Debug` and the Unicode
# printable tables (77 KiB on stable, 62 KiB this way). Tests and clippy use stable.
NIGHTLY=nightly-2026-05-20
NIGHTLY_TARGET_DIR=$ROOT/target/wasm-nightly
OUT=$NIGHTLY_TARGET_DIR/$TARGET/wasm/smsc_codec_wasm.wasm
if [ -n "$STABLE" ]; then
  # The same profile and features on stable: panic messages and core::fmt stay in the module.
  NIGHTLY_TARGET_DIR=$ROOT/target/wasm-stable
  OUT=$NIGHTLY_TARGET_DIR/$TARGET/wasm/smsc_codec_wasm.wasm
  MAX_WASM_BYTES=$((MAX_WASM_BYTES * 3 / 2))
fi
PKG=$WASM/pkg

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "toolchain: $TARGET, ${STABLE:+no }$NIGHTLY + rust-src, wasm-bindgen-cli $WASM_BINDGEN_VERSION, chromium, node"
rustup target list --installed | grep -qx "$TARGET" || rustup target add "$TARGET"
if [ -z "$STABLE" ] && ! rustup +"$NIGHTLY" component list --installed 2>/dev/null | grep -q '^rust-src'; then
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] ||
  [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" != "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION" ]; then
  # Not --locked: its lockfile pins a webpki-roots version the registry here lacks (TOOLCHAIN.md).
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if [ "$MODE" != build ] && ! { command -v chromium && command -v chromedriver; } >/dev/null; then
  as_root apt-get update
  as_root apt-get install -y chromium chromium-driver
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || { echo "Node >= 18 needed, found $(node --version)" >&2; exit 1; }

step "npm ci (skipped when node_modules matches package-lock.json)"
lock_sum=$(sha256sum "$WASM/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$WASM/node_modules/.lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
  (cd "$WASM" && npm ci --no-audit --no-fund)
  echo "$lock_sum" >"$WASM/node_modules/.lock-sha256"
fi

if [ -n "$STABLE" ]; then
  step "build: cargo (profile wasm, stable), wasm-bindgen --target web, wasm-opt -Oz"
  cargo +stable build -p smsc-codec-wasm --target "$TARGET" --profile wasm --features bare \
    --target-dir "$NIGHTLY_TARGET_DIR"
else
  step "build: cargo (profile wasm, $NIGHTLY, immediate-abort), wasm-bindgen --target web, wasm-opt -Oz"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
    cargo +"$NIGHTLY" build -p smsc-codec-wasm --target "$TARGET" --profile wasm --features bare \
    -Zbuild-std=core,alloc --target-dir "$NIGHTLY_TARGET_DIR"
fi
rm -rf "$PKG"
wasm-bindgen --target web --out-dir "$PKG" --out-name smsc_codec_wasm "$OUT"
# The features rustc enables by default for wasm32 (all of them run in Node 18+, current
# browsers and workerd); wasm-opt must know them to keep what the module uses.
"$WASM/node_modules/.bin/wasm-opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$PKG/smsc_codec_wasm_bg.wasm" -o "$PKG/smsc_codec_wasm_bg.wasm"
raw=$(stat -c %s "$PKG/smsc_codec_wasm_bg.wasm")
gz=$(gzip -9 -c "$PKG/smsc_codec_wasm_bg.wasm" | wc -c)
awk -v r="$raw" -v g="$gz" 'BEGIN { printf "smsc_codec_wasm_bg.wasm: %d bytes (%.1f KiB) raw, %d bytes (%.1f KiB) gzip -9\n", r, r / 1024, g, g / 1024 }'
if [ "$raw" -gt "$MAX_WASM_BYTES" ]; then
  echo "the .wasm is over $MAX_WASM_BYTES bytes" >&2
  exit 1
fi
[ "$MODE" = build ] && exit 0

step "npm pack --dry-run: the tarball holds exactly the intended files"
packed=$(cd "$WASM" && npm pack --dry-run --json 2>/dev/null | node -e '
  const [pack] = JSON.parse(require("fs").readFileSync(0, "utf8"));
  console.log(pack.files.map((f) => f.path).sort().join("\n"));')
intended=$(printf '%s\n' README.md index.d.ts index.js node.js package.json paging.js stream.js workerd.js \
  pkg/smsc_codec_wasm.js pkg/smsc_codec_wasm_bg.wasm pkg/snippets/smsc-codec-wasm-ID/js/glue.js | sort)
# The snippet folder is named by a hash of the crate: compare it by shape.
normalised=$(sed -E 's#pkg/snippets/[^/]+/#pkg/snippets/smsc-codec-wasm-ID/#' <<<"$packed" | sort)
if [ "$normalised" != "$intended" ]; then
  printf 'npm pack would ship:\n%s\nintended:\n%s\n' "$packed" "$intended" >&2
  exit 1
fi
echo "$packed"

step "tsc --noEmit (index.d.ts and test/usage.ts)"
(cd "$WASM" && node_modules/.bin/tsc --noEmit -p tsconfig.json)

step "wasm-bindgen-test in Node"
node "$WASM/test/support/fixtures.mjs"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test -p smsc-codec-wasm --target "$TARGET" --test node

step "wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=$(command -v chromedriver) WASM_BINDGEN_TEST_WEBDRIVER_JSON=$WASM/webdriver.json \
  cargo test -p smsc-codec-wasm --target "$TARGET" --test browser

step "node --test (the package by its name: requests and decoding)"
# The paging tests run against `smsc serve`.
cargo build -q -p smsc-codec-cli --bin smsc
(cd "$WASM" && SMSC_BIN="$ROOT/target/debug/smsc" \
  node --test test/request.test.mjs test/decode.test.mjs test/stream.test.mjs test/paging.test.mjs)

step "Cloudflare Workers: workerd through Miniflare"
(cd "$WASM" && node --test test/workerd.test.mjs)

step "decode speed in Node against JSON.parse, papaparse, fast-xml-parser and split (informational)"
bench_sum=$(sha256sum "$WASM/bench/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$WASM/bench/node_modules/.lock-sha256" 2>/dev/null)" != "$bench_sum" ]; then
  (cd "$WASM/bench" && npm ci --no-audit --no-fund)
  echo "$bench_sum" >"$WASM/bench/node_modules/.lock-sha256"
fi
(cd "$WASM/bench" && node bench.mjs 1)

step "wasm: all checks passed"
