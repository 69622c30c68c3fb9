#!/usr/bin/env bash
# The Cortex-M firmware test (tests/embedded): installs what it needs (idempotent), builds the
# firmware for thumbv7m-none-eabi, runs it under QEMU (lm3s6965evb) with a timeout, checks that a
# deliberately broken fixture makes it fail, and measures: the codec's flash share with all four
# formats and with only fmt=3 (json), the codec's stack per fmt, and the panic paths left in it.
#
#   scripts/embedded.sh            everything
#   scripts/embedded.sh install    only the installs (target, QEMU, LLVM tools)
#
# The flash targets of issue 10 (24 KiB with all four formats, 12 KiB with only json) are not
# met yet: they are reported as met or missed, not failed. What fails the run (exit 1) is a
# regression past today's figures, and what is met:
#   codec flash share, all four formats   <= 48 KiB  (46,484 B when this ceiling was set)
#   codec flash share, only json          <= 26 KiB  (24,612 B)
#   codec stack, every fmt                <= 4096 B
#   a panic path in the codec's own code (core/src)
# EMBEDDED_ENFORCE_TARGETS=1 fails on the flash targets too; EMBEDDED_ENFORCE_TARGETS=0 only
# reports the ceilings and the stack. Panic paths left in dependencies are counted and listed
# (scripts/panic-paths.sh); they fail the run only with EMBEDDED_ENFORCE_PANIC_FREE=1.
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

# LLVM tools: the system's (Debian's llvm package), or those of rustup's llvm-tools component,
# added only when one is missing. llvm-size measures flash; llvm-nm and llvm-objdump find the
# panic paths (scripts/panic-paths.sh, which looks them up the same way). llvm-addr2line is
# optional: rustup's component may lack it, and without it the panic sites are named by
# function instead of by source line.
llvm_tool() { # NAME: the path of llvm-NAME, or nothing
  if command -v "llvm-$1" >/dev/null 2>&1; then command -v "llvm-$1"; return; fi
  find "$(rustc --print sysroot)/lib/rustlib" -path "*/bin/llvm-$1" 2>/dev/null | head -n1
}
install_llvm_tools() {
  local tool
  for tool in size nm objdump; do
    if [ -z "$(llvm_tool "$tool")" ]; then
      rustup component add llvm-tools
      break
    fi
  done
  LLVM_SIZE=$(llvm_tool size)
  [ -n "$LLVM_SIZE" ] && [ -n "$(llvm_tool nm)" ] && [ -n "$(llvm_tool objdump)" ] ||
    { echo "llvm-size, llvm-nm or llvm-objdump is missing" >&2; exit 1; }
}

step "install: $TARGET, qemu-system-arm in .tools/qemu, LLVM tools"
install_target
install_qemu
install_llvm_tools
qemu --version | head -n1
for tool in size nm objdump addr2line; do
  printf 'llvm-%s: %s\n' "$tool" "$(llvm_tool "$tool" | grep . || echo 'none (optional)')"
done
[ "${1:-}" = install ] && exit 0

# Builds run inside the crate so that its .cargo/config.toml (target, link script) applies.
# Each variant has its own target dir: switching features in one would rebuild it every run.
#   default (all four formats): the firmware test and the probes size-base, size-codec,
#     panic-probe;
#   broken: the firmware with one fixture byte changed;
#   only-json: the codec with only fmt=3 and no serde; builds only the probes (the firmware
#     test needs every fmt).
step "build the firmware (thumbv7m-none-eabi, opt-level z, LTO), the broken variant, the json-only probes"
(cd "$CRATE" && cargo build --release --locked)
(cd "$CRATE" && cargo build --release --locked --features broken --target-dir target/broken --bin smsc-firmware)
(cd "$CRATE" && cargo build --release --locked --no-default-features --features only-json --target-dir target/only-json)
OUT=$CRATE/target/$TARGET/release
JSON_OUT=$CRATE/target/only-json/$TARGET/release
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
# The targets, and the codec share measured on the engine before the rewrite (issue 10), for the
# before/after line.
FLASH_ALL_MAX=$((24 * 1024))
FLASH_JSON_MAX=$((12 * 1024))
# Regression ceilings: today's figures and a margin for toolchain drift (see the header).
FLASH_ALL_CEILING=$((48 * 1024))
FLASH_JSON_CEILING=$((26 * 1024))
STACK_MAX=4096
FLASH_BEFORE=39368
flash() { # .text + .rodata of an ELF, in bytes
  "$LLVM_SIZE" -A "$1" | awk '$1 == ".text" || $1 == ".rodata" { sum += $2 } END { print sum }'
}
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
verdict() { [ "$1" -le "$2" ] && echo met || echo "NOT MET"; }
total=$(flash "$FIRMWARE")
share=$(($(flash "$OUT/size-codec") - $(flash "$OUT/size-base")))
json_share=$(($(flash "$JSON_OUT/size-codec") - $(flash "$JSON_OUT/size-base")))
fixtures=$(find "$ROOT/tests/fixtures" -name '*.body' -o -name '*.jsonl' | xargs cat | wc -c)
printf 'flash (.text + .rodata, opt-level z, LTO):\n'
printf '  firmware                   %7d B  %s (embedded fixture files: %d B)\n' "$total" "$(kib "$total")" "$fixtures"
printf '  codec share, all formats   %7d B  %s (size-codec - size-base; target <= %d B: %s; ceiling %d B)\n' \
  "$share" "$(kib "$share")" "$FLASH_ALL_MAX" "$(verdict "$share" "$FLASH_ALL_MAX")" "$FLASH_ALL_CEILING"
printf '  codec share, only json     %7d B  %s (the same, built with only-json; target <= %d B: %s; ceiling %d B)\n' \
  "$json_share" "$(kib "$json_share")" "$FLASH_JSON_MAX" "$(verdict "$json_share" "$FLASH_JSON_MAX")" "$FLASH_JSON_CEILING"
printf '  all formats before/after   %7d B -> %d B (%+d B; before = the old engine)\n' \
  "$FLASH_BEFORE" "$share" "$((share - FLASH_BEFORE))"

printf 'stack (painted, high-water mark; the codec part is below the decoder call; target <= %d B):\n' "$STACK_MAX"
sed -n 's/^\(decode fmt=[0-3]\).*STACK peak=\([0-9]*\) at-decode-call=\([0-9]*\) decoder=\([0-9]*\).*/  \1  codec \4 B (peak \2 B, harness \3 B)/p' "$LOG"
sed -n 's/^STACK overall peak=\([0-9]*\).*/  whole firmware peak \1 B/p' "$LOG"
printf 'buffer limit (%s):\n' "$(sed -n 's/.*receive buffer \([0-9]*\) B.*/\1-byte receive buffer/p' "$LOG")"
sed -n 's/^limit \(fmt=[0-3]\): LARGEST record=\([0-9]*\) B[^;]*; one byte more: \([^;]*\);.*/  \1 largest record \2 B; one byte more: \3/p' "$LOG"

# The panic probes: the codec work of size-codec with a panic handler that does not format and
# a harness that neither panics nor formats, so every panic path in them is the codec's.
step "panic paths left in the codec (panic-probe: non-formatting panic handler)"
PANIC_REPORT=$CRATE/target/panic-paths.txt
PANIC_JSON_REPORT=$CRATE/target/panic-paths-json.txt
"$ROOT/scripts/panic-paths.sh" "$OUT/panic-probe" > "$PANIC_REPORT"
grep -v '^SUMMARY' "$PANIC_REPORT"
"$ROOT/scripts/panic-paths.sh" "$JSON_OUT/panic-probe" > "$PANIC_JSON_REPORT"
summary() { # FILE KEY: a number from the SUMMARY line
  sed -n "s/^SUMMARY.* $2=\([0-9]*\).*/\1/p" "$1"
}
panic_symbols=$(summary "$PANIC_REPORT" panic_symbols)
json_panic_symbols=$(summary "$PANIC_JSON_REPORT" panic_symbols)
printf 'all formats: %d panic entry points (%d B), %d call sites (%d in core/src); core::fmt %d B\n' \
  "$panic_symbols" "$(summary "$PANIC_REPORT" panic_bytes)" "$(summary "$PANIC_REPORT" panic_sites)" \
  "$(summary "$PANIC_REPORT" codec_sites)" "$(summary "$PANIC_REPORT" fmt_bytes)"
printf 'only json:   %d panic entry points (%d B), %d call sites (%d in core/src); core::fmt %d B\n' \
  "$json_panic_symbols" "$(summary "$PANIC_JSON_REPORT" panic_bytes)" \
  "$(summary "$PANIC_JSON_REPORT" panic_sites)" "$(summary "$PANIC_JSON_REPORT" codec_sites)" \
  "$(summary "$PANIC_JSON_REPORT" fmt_bytes)"
echo "(full lists: $PANIC_REPORT and $PANIC_JSON_REPORT)"

# Every target is checked and reported before the script decides, so one run shows them all.
over=()
missed=()
[ "$share" -le "$FLASH_ALL_CEILING" ] || over+=("codec flash, all formats: $share B > ceiling $FLASH_ALL_CEILING B")
[ "$json_share" -le "$FLASH_JSON_CEILING" ] || over+=("codec flash, only json: $json_share B > ceiling $FLASH_JSON_CEILING B")
[ "$share" -le "$FLASH_ALL_MAX" ] || missed+=("codec flash, all formats: $share B > target $FLASH_ALL_MAX B")
[ "$json_share" -le "$FLASH_JSON_MAX" ] || missed+=("codec flash, only json: $json_share B > target $FLASH_JSON_MAX B")
stacks=$(sed -n 's/^decode \(fmt=[0-3]\):.* decoder=\([0-9]*\).*/\1 \2/p' "$LOG")
if [ "$(wc -l <<< "$stacks")" != 4 ]; then
  over+=("codec stack: the firmware log does not give it for all four fmts")
fi
while read -r fmt bytes; do
  [ -z "$fmt" ] || [ "$bytes" -le "$STACK_MAX" ] || over+=("codec stack, $fmt: $bytes B > $STACK_MAX B")
done <<< "$stacks"
failed=0
if [ "${#missed[@]}" -gt 0 ]; then
  printf 'target missed: %s\n' "${missed[@]}"
  [ "${EMBEDDED_ENFORCE_TARGETS:-}" != 1 ] || failed=1
fi
if [ "${#over[@]}" -gt 0 ]; then
  printf 'over target: %s\n' "${over[@]}" >&2
  if [ "${EMBEDDED_ENFORCE_TARGETS:-1}" = 0 ]; then
    echo "(EMBEDDED_ENFORCE_TARGETS=0: reported, not failed)" >&2
  else
    failed=1
  fi
fi
# Panic-free by construction: no panic path may be the codec's own (core/src). What a dependency
# keeps (serde-json-core's buffer writes in the all-formats relay) is reported, not failed;
# EMBEDDED_ENFORCE_PANIC_FREE=1 fails on those too.
codec_sites=$(summary "$PANIC_REPORT" codec_sites)
json_codec_sites=$(summary "$PANIC_JSON_REPORT" codec_sites)
if [ "$codec_sites" -gt 0 ] || [ "$json_codec_sites" -gt 0 ]; then
  echo "panic paths in the codec's own code: $codec_sites with all formats, $json_codec_sites with only json" >&2
  failed=1
fi
if [ "$panic_symbols" -gt 0 ] || [ "$json_panic_symbols" -gt 0 ]; then
  left="panic entry points left (dependencies): $panic_symbols with all formats, $json_panic_symbols with only json"
  if [ "${EMBEDDED_ENFORCE_PANIC_FREE:-0}" = 1 ]; then
    echo "$left (EMBEDDED_ENFORCE_PANIC_FREE=1)" >&2
    failed=1
  else
    echo "note: $left; not failed (EMBEDDED_ENFORCE_PANIC_FREE=1 would)"
  fi
fi
[ "$failed" = 0 ] || { echo "embedded: the firmware passed, but a target is missed" >&2; exit 1; }
if [ "${#over[@]}" -gt 0 ]; then
  step "embedded: the firmware passed under QEMU; ${#over[@]} ceiling(s) exceeded, not enforced"
elif [ "${#missed[@]}" -gt 0 ]; then
  step "embedded: the firmware passed under QEMU, within every ceiling; ${#missed[@]} flash target(s) of issue 10 missed (reported above)"
else
  step "embedded: the firmware passed under QEMU and every target is met"
fi
