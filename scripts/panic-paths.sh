#!/usr/bin/env bash
# The panic paths left in a firmware ELF, for the "panic-free by construction" check of
# scripts/embedded.sh. Run it on tests/embedded's `panic-probe`: its panic handler does not
# format and its harness neither panics nor formats, so whatever panic or core::fmt code is in
# it was brought in by the codec (or a dependency the codec calls).
#
#   scripts/panic-paths.sh ELF
#
# Prints, from the symbol table (llvm-nm), the panic machinery and the core::fmt code left, with
# their sizes; then every call of a panic entry point, and of core::fmt, from outside that
# machinery (llvm-objdump), placed in the source through the inlining (llvm-addr2line) at the
# innermost frame that is not the Rust standard library: a line of the codec (core/src/...) or
# of a dependency (nom, serde-json-core). A call from an out-of-line standard-library function
# (a slice index, a `split`) or from a machine-outlined fragment is followed to that function's
# callers, up to four levels. The last line is for scripts:
#   SUMMARY panic_bytes=N panic_symbols=N fmt_bytes=N fmt_symbols=N panic_sites=N codec_sites=N
# Tools: $LLVM_NM, $LLVM_OBJDUMP, $LLVM_ADDR2LINE, else llvm-* on PATH, else rustup's llvm-tools
# (scripts/embedded.sh installs those when the system has none). Without llvm-addr2line the
# sites are named by their function only.
set -euo pipefail
ELF=${1:?usage: scripts/panic-paths.sh ELF}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

llvm_tool() { # NAME: the path of llvm-NAME, or nothing
  local var
  var=LLVM_$(echo "$1" | tr '[:lower:]' '[:upper:]')
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  if command -v "llvm-$1" >/dev/null 2>&1; then command -v "llvm-$1"; return; fi
  find "$(rustc --print sysroot)/lib/rustlib" -path "*/bin/llvm-$1" 2>/dev/null | head -n1
}
NM=$(llvm_tool nm)
OBJDUMP=$(llvm_tool objdump)
ADDR2LINE=$(llvm_tool addr2line)
[ -n "$NM" ] && [ -n "$OBJDUMP" ] || { echo "panic-paths: llvm-nm and llvm-objdump are needed" >&2; exit 2; }

# Older LLVMs (Debian's 14) leave the legacy Rust escapes in: this finishes the demangling and
# drops the hashes, so that names read as in the source. Lines starting with `/` are source
# paths (from addr2line) and stay as they are.
demangle() {
  sed -E '/^\//!{ s/::h[0-9a-f]{16}//g;
    s/\$LT\$/</g; s/\$GT\$/>/g; s/\$RF\$/\&/g; s/\$BP\$/*/g; s/\$C\$/,/g; s/\$SP\$/@/g;
    s/\$LP\$/(/g; s/\$RP\$/)/g; s/\$u20\$/ /g; s/\$u27\$/'"'"'/g; s/\$u5b\$/[/g; s/\$u5d\$/]/g;
    s/\$u7b\$/{/g; s/\$u7d\$/}/g; s/\$u3b\$/;/g; s/\$u7e\$/~/g; s/\$u22\$/"/g;
    s/\.\./::/g; s/(^|::|[ <(&])_</\1</g }'
}

# What counts. Panic machinery: core's (and alloc's) functions with `panic` in the name
# (core::panicking::panic_fmt, panic_bounds_check, panic_const_*, cell::panic_already_*...),
# their cold `*_fail`/`*_failed` functions (slice_index_fail, len_mismatch_fail,
# str::slice_error_fail, option/result unwrap_failed...) and the handler (rust_begin_unwind).
# core::fmt: any name with `core::fmt::` in it (core's formatting code and impls of its
# traits). The probes' own functions never count.
PANIC_RE='^(core|alloc)::(.*[:_])?panic|^(core|alloc)::.*_fail(ed)?(::|$)|^rust_begin_unwind$'
FMT_RE='core::fmt::'
OWN_RE='^(panic_probe|size_codec|size_base)::'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# address, size in bytes, name (names may hold spaces), for the symbols that have a size.
# llvm-nm prints the size in hexadecimal; converted here, as mawk has no strtonum.
"$NM" --print-size --size-sort -C "$ELF" | demangle | awk '
  function hex(s,   n, i) { s = tolower(s); n = 0
    for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return n }
  NF >= 4 { name = $0; for (i = 1; i <= 3; i++) sub(/^[^ ]+ /, "", name)
            print $1 "\t" hex($2) "\t" name }' > "$work/syms"
awk -F'\t' -v re="$PANIC_RE" -v own="$OWN_RE" '$3 ~ re && $3 !~ own' "$work/syms" > "$work/panic"
awk -F'\t' -v re="$FMT_RE" -v pre="$PANIC_RE" -v own="$OWN_RE" '$3 ~ re && $3 !~ pre && $3 !~ own' \
  "$work/syms" > "$work/fmt"

bytes() { awk -F'\t' '{ s += $2 } END { print s + 0 }' "$1"; }
listing() { # FILE TITLE: the total, then the symbols with their sizes, largest first
  printf '%s: %d B in %d symbols\n' "$2" "$(bytes "$1")" "$(wc -l < "$1")"
  sort -t$'\t' -k2,2nr -k3,3 "$1" | awk -F'\t' '{ printf "  %6d B  %s\n", $2, $3 }'
}

# Call edges: site address, calling function, called function. Only branches to another
# function's start (a `name+0x..` target is a jump inside a function); `$d`/`$t` are ARM
# mapping symbols, not functions.
"$OBJDUMP" -d -C --no-show-raw-insn "$ELF" | demangle | awk -F'\t' '
  /^[0-9a-f]+ <.*>:$/ { n = $0; sub(/^[0-9a-f]+ </, "", n); sub(/>:$/, "", n)
                        if (n !~ /^\$[dt]($|\.)/) fn = n; next }
  $2 ~ /^b/ && $3 ~ /^0x[0-9a-f]+ </ {
    t = $3; sub(/^0x[0-9a-f]+ </, "", t); sub(/>[ ]*(@.*)?$/, "", t)
    if (t ~ /\+0x[0-9a-f]+$/) next
    a = $1; gsub(/[ :]/, "", a); sub(/^0+/, "", a); print a "\t" fn "\t" t }' > "$work/edges"

# One round of placing: reads "addr\tcaller\ttarget" lines. `addr2line -a -f -i` gives per
# address the address, then (function, file:line) pairs from the innermost inlined frame out.
# The first pair outside /rustc/ with a known line is the place; the output is
# "target\tplace\tfunction\tcodec\tcaller", `codec` being the first frame in core/src (the
# place itself, a caller the dependency was inlined into, or empty) and `caller` the symbol
# that holds the site. With no place the site is in an out-of-line std function or an outlined
# fragment ("again\ttarget\tcaller"): its callers are placed in the next round.
place() {
  local input
  input=$(cat)
  [ -n "$input" ] || return 0
  if [ -z "$ADDR2LINE" ]; then
    awk -F'\t' '{ print $3 "\t?\t" $2 "\t\t" $2 }' <<< "$input"
    return
  fi
  # shellcheck disable=SC2046
  "$ADDR2LINE" -a -f -i -C -e "$ELF" $(cut -f1 <<< "$input" | sed 's/^/0x/') | demangle |
    awk -F'\t' -v root="$ROOT/" '
      function flush() {
        if (a == "") return
        if (found) print target[a] "\t" loc "\t" fun "\t" codec "\t" caller[a]
        else print "again\t" target[a] "\t" caller[a] }
      NR == FNR { target[$1] = $3; caller[$1] = $2; next }
      /^0x[0-9a-f]+$/ { flush(); a = $0; sub(/^0x0*/, "", a); found = 0; codec = ""; odd = 1; next }
      odd { f = $0; odd = 0; next }
      { odd = 1
        if ($0 ~ /^\/rustc\// || $0 ~ /^\?\?/ || $0 ~ /:0$/) next
        here = $0; sub(root, "", here); sub(/^.*\/registry\/src\/[^\/]+\//, "", here)
        if (!found) { loc = here; fun = f; found = 1 }
        if (codec == "" && here ~ /^core\/src\//) codec = here " " f }
      END { flush() }' <(printf '%s\n' "$input") -
}

sites() { # NAMES OWNERS: the placed calls of a function in NAMES from a function not in OWNERS
  local todo level
  todo=$(awk -F'\t' 'FILENAME == ARGV[1] { t[$0] = 1; next } FILENAME == ARGV[2] { o[$0] = 1; next }
                     t[$3] && !o[$2]' "$1" "$2" "$work/edges")
  for level in 1 2 3 4; do
    [ -n "$todo" ] || return 0
    place <<< "$todo" > "$work/round"
    grep -v '^again	' "$work/round" || true
    todo=$(awk -F'\t' '$1 == "again" { print $2 "\t" $3 }' "$work/round" | sort -u |
      while IFS=$'\t' read -r target fn; do
        awk -F'\t' -v fn="$fn" -v t="$target" '$3 == fn { print $1 "\t" $2 "\t" t }' "$work/edges"
      done)
  done
  [ -z "$todo" ] || awk -F'\t' '{ print $3 "\t(not followed further)\t" $2 "\t\t" $2 }' <<< "$todo"
}

# A site in a dependency (nom, serde-json-core) that no codec frame was inlined into: the lines
# that call the dependency's function, one level up (the codec's, or the dependency's own), so
# that it shows which codec code reaches that panic. Reads placed sites; prints
# "place\tline function;line function;...".
reached_from() {
  awk -F'\t' '$2 !~ /^(core\/src|tests)\// && $4 == "" { print ($2 == "?" ? $3 : $2) "\t" $5 }' | sort -u |
    while IFS=$'\t' read -r loc fn; do
      from=$(awk -F'\t' -v fn="$fn" '$3 == fn { print $1 "\t" $2 "\tx" }' "$work/edges" | place |
        awk -F'\t' '$1 != "again" { print ($4 != "" ? $4 : $2 " " $3) }' | sort -u | paste -sd';' -)
      printf '%s\t%s\n' "$loc" "${from:-no direct caller found}"
    done
}

show_sites() { # SITES: grouped "target <- place  function (xN)", then where dependency sites are reached from
  cut -f1-3 "$1" | sort | uniq -c | sort -k2 |
    awk '{ n = $1; sub(/^ *[0-9]+ /, ""); split($0, f, "\t")
           printf "  %-38s <- %s  %s%s\n", f[1], f[2], f[3], (n > 1 ? "  (x" n ")" : "") }'
  reached_from < "$1" | awk -F'\t' '{ n = split($2, c, ";")
    printf "  %s is reached from:\n", $1; for (i = 1; i <= n; i++) printf "      %s\n", c[i] }'
}

cut -f3 "$work/panic" | sort -u > "$work/panic.names"
cut -f3 "$work/fmt" | sort -u > "$work/fmt.names"
sort -u "$work/panic.names" "$work/fmt.names" > "$work/machinery.names"

listing "$work/panic" "panic machinery"
sites "$work/panic.names" "$work/machinery.names" > "$work/panic.sites"
printf 'calls of panic entry points: %d, %d of them in core/src (the codec)\n' \
  "$(wc -l < "$work/panic.sites")" "$(grep -c '	core/src/' "$work/panic.sites" || true)"
show_sites "$work/panic.sites"

listing "$work/fmt" "core::fmt"
sites "$work/fmt.names" "$work/machinery.names" > "$work/fmt.sites"
printf 'calls into core::fmt: %d\n' "$(wc -l < "$work/fmt.sites")"
show_sites "$work/fmt.sites"

printf 'SUMMARY panic_bytes=%d panic_symbols=%d fmt_bytes=%d fmt_symbols=%d panic_sites=%d codec_sites=%d\n' \
  "$(bytes "$work/panic")" "$(wc -l < "$work/panic")" "$(bytes "$work/fmt")" "$(wc -l < "$work/fmt")" \
  "$(wc -l < "$work/panic.sites")" "$(grep -c '	core/src/' "$work/panic.sites" || true)"
