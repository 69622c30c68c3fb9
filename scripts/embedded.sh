#!/usr/bin/env bash
# The Cortex-M firmware test (tests/embedded): installs what it needs (idempotent), builds the
# firmware for thumbv7m-none-eabi, runs it under QEMU (lm3s6965evb) with a timeout, checks that a
# deliberately broken fixture makes it fail, and prints the flash and stack measurements.
#
#   scripts/embedded.sh            everything
#   scripts/embedded.sh install    only the installs (target, QEMU, llvm-size)
#
# QEMU is not `apt-get install`ed (it would remove the image's qemu-utils): its Debian packages
# are downloaded and extracted into .tools/qemu (git-ignored) and run from there.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CRATE=$ROOT/tests/embedded
TARGET=thumbv7m-none-eabi
TOOLS=$ROOT/.tools
QEMU_ROOT=$TOOLS/qemu
QEMU_TIMEOUT=${QEMU_TIMEOUT:-120}

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_target() {
  rustup target list --installed | grep -qx "$TARGET" || rustup target add "$TARGET"
}

qemu_ok() {
  [ -x "$QEMU_ROOT/usr/bin/qemu-system-arm" ] && qemu --version >/dev/null 2>&1
}

install_qemu() {
  if qemu_ok; then
    return
  fi
  # The package lists are only refreshed when apt knows no candidate for qemu-system-arm.
  if ! apt-cache policy qemu-system-arm 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    as_root apt-get update
  fi
  # What `apt-get install` would add on this machine: the packages to extract.
  local packages
  packages=$(apt-get install -s --no-install-recommends qemu-system-arm | awk '/^Inst /{print $2}')
  [ -n "$packages" ] || { echo "no qemu-system-arm packages to download" >&2; exit 1; }
  local debs=$TOOLS/debs
  rm -rf "$debs" "$QEMU_ROOT"
  mkdir -p "$debs" "$QEMU_ROOT"
  # shellcheck disable=SC2086
  local sandbox=()
  [ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
  (cd "$debs" && apt-get download "${sandbox[@]}" $packages)
  for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$QEMU_ROOT"
  done
  rm -rf "$debs"
  qemu_ok || { echo "the extracted qemu-system-arm does not run" >&2; exit 1; }
}

qemu() {
  LD_LIBRARY_PATH="$QEMU_ROOT/usr/lib/x86_64-linux-gnu:$QEMU_ROOT/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$QEMU_ROOT/usr/bin/qemu-system-arm" -L "$QEMU_ROOT/usr/share/qemu" "$@"
}

# llvm-size: the system's, or the one from rustup's llvm-tools component.
LLVM_SIZE=
install_llvm_size() {
  if command -v llvm-size >/dev/null 2>&1; then
    LLVM_SIZE=$(command -v llvm-size)
    return
  fi
  local sysroot bin
  sysroot=$(rustc --print sysroot)
  bin=$(find "$sysroot/lib/rustlib" -path '*/bin/llvm-size' 2>/dev/null | head -n1)
  if [ -z "$bin" ]; then
    rustup component add llvm-tools
    bin=$(find "$sysroot/lib/rustlib" -path '*/bin/llvm-size' | head -n1)
  fi
  LLVM_SIZE=$bin
}

step "install: $TARGET, qemu-system-arm in .tools/qemu, llvm-size"
install_target
install_qemu
install_llvm_size
qemu --version | head -n1
echo "llvm-size: $LLVM_SIZE"
[ "${1:-}" = install ] && exit 0

# Builds run inside the crate so that its .cargo/config.toml (target, link script) applies.
# The broken variant has its own target dir: switching features would rebuild both each run.
step "build the firmware (thumbv7m-none-eabi, opt-level z, LTO) and the broken variant"
(cd "$CRATE" && cargo build --release --locked)
(cd "$CRATE" && cargo build --release --locked --features broken --target-dir target/broken --bin smsc-firmware)
OUT=$CRATE/target/$TARGET/release
FIRMWARE=$OUT/smsc-firmware
BROKEN=$CRATE/target/broken/$TARGET/release/smsc-firmware

run_firmware() { # ELF LOG: runs under QEMU with a timeout; the firmware's exit status
  local status=0
  timeout "$QEMU_TIMEOUT" bash -c "$(declare -f qemu); QEMU_ROOT='$QEMU_ROOT' qemu \
    -cpu cortex-m3 -machine lm3s6965evb -nographic -monitor none -serial none \
    -semihosting-config enable=on,target=native -kernel '$1'" \
    > "$2" 2> >(grep -v 'Timer with period zero' >&2) || status=$?
  return "$status"
}

step "run the firmware under QEMU (lm3s6965evb, timeout ${QEMU_TIMEOUT}s)"
LOG=$CRATE/target/firmware.log
status=0
run_firmware "$FIRMWARE" "$LOG" || status=$?
cat "$LOG"
if [ "$status" != 0 ] || ! grep -q '^PASS: ' "$LOG"; then
  echo "the firmware failed (exit status $status; 124 is the timeout)" >&2
  exit 1
fi

step "the broken fixture must make the firmware fail"
BROKEN_LOG=$CRATE/target/firmware-broken.log
status=0
run_firmware "$BROKEN" "$BROKEN_LOG" || status=$?
grep -E '^(FAIL|PASS)' "$BROKEN_LOG" | head -n 3 | cut -c 1-160
if [ "$status" != 1 ] || ! grep -q '^FAIL: phones/get/basic.fmt2' "$BROKEN_LOG"; then
  echo "the broken firmware did not fail as it should (exit status $status)" >&2
  exit 1
fi
echo "ok: exit status $status, the damaged fixture was reported"

step "measurements"
flash() { # .text + .rodata of an ELF, in bytes
  "$LLVM_SIZE" -A "$1" | awk '$1 == ".text" || $1 == ".rodata" { sum += $2 } END { print sum }'
}
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
total=$(flash "$FIRMWARE")
base=$(flash "$OUT/size-base")
probe=$(flash "$OUT/size-codec")
share=$((probe - base))
fixtures=$(find "$ROOT/tests/fixtures" -name '*.body' -o -name '*.jsonl' | xargs cat | wc -c)
printf 'flash (.text + .rodata, opt-level z, LTO):\n'
printf '  firmware                 %7d B  %s (embedded fixture files: %d B)\n' "$total" "$(kib "$total")" "$fixtures"
printf '  codec share              %7d B  %s (size-codec %d B - size-base %d B; target <= 24 KiB)\n' \
  "$share" "$(kib "$share")" "$probe" "$base"
printf 'stack (painted, high-water mark; the codec part is below the decoder call):\n'
sed -n 's/^\(decode fmt=[0-3]\).*STACK peak=\([0-9]*\) at-decode-call=\([0-9]*\) decoder=\([0-9]*\).*/  \1  peak \2 B, harness \3 B, codec \4 B/p' "$LOG"
sed -n 's/^STACK overall peak=\([0-9]*\).*/  overall peak \1 B (target <= 4096 B)/p' "$LOG"
printf 'buffer limit (%s):\n' "$(sed -n 's/.*receive buffer \([0-9]*\) B.*/\1-byte receive buffer/p' "$LOG")"
sed -n 's/^limit \(fmt=[0-3]\): LARGEST record=\([0-9]*\) B[^;]*; one byte more: \([^;]*\);.*/  \1 largest record \2 B; one byte more: \3/p' "$LOG"

codec_stack=$(sed -n 's/.*decoder=\([0-9]*\).*/\1/p' "$LOG" | sort -n | tail -n1)
over=()
[ "$share" -le $((24 * 1024)) ] || over+=("codec flash $share B > 24 KiB")
[ "$codec_stack" -le 4096 ] || over+=("codec stack $codec_stack B > 4 KiB")
if [ "${#over[@]}" -gt 0 ]; then
  printf 'over target: %s\n' "${over[@]}"
  if [ "${EMBEDDED_ENFORCE_TARGETS:-0}" = 1 ]; then
    exit 1
  fi
fi
step "embedded: the firmware passed under QEMU"
