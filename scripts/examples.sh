#!/usr/bin/env bash
# Runs every program in examples/ against a local `smsc serve`, in an order that builds on
# itself: `blocking` adds contacts, `no_std_socket` lists them over a raw socket,
# `async_reqwest` adds and lists a group, `paging` seeds 1,200 contacts and pages through all.
# Each example checks what it did and exits non-zero otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -p smsc-codec-cli --bin smsc
cargo build -p smsc-codec-examples --examples
log=$(mktemp)
target/debug/smsc serve --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "smsc serve did not start"; exit 1; }
echo "smsc serve at $url"

example() {
  echo "--- example $*"
  target/debug/examples/"$@"
}

example blocking "$url"
listed=$(example no_std_socket "$url")
echo "$listed"
grep -q "Олена" <<<"$listed" || { echo "no_std_socket did not list the contacts blocking added"; exit 1; }
example async_reqwest "$url"
example paging "$url" --seed 1200 --page 500
echo "every example passed"
