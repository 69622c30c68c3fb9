#!/usr/bin/env bash
# Seeds each target's corpus from tests/fixtures and from the minimised corpora of the last
# long campaign (corpora/<target>.tar.gz, committed; the working corpora are not). Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../tests/fixtures
# The first byte of a decode target's input picks the answer and endpoint (answer_of in
# src/lib.rs): 0 contacts, 1 groups, 2 blacklist, 3 created, 4 done; +5 on mails.php.
selector() { # fixture path: .../<endpoint>/<command>/<name>.body
  local command endpoint answer
  command=$(basename "$(dirname "$1")")
  endpoint=$(basename "$(dirname "$(dirname "$1")")")
  case $command in
    get) answer=0 ;;
    get_group) answer=1 ;;
    get_black) answer=2 ;;
    add | add_group | add_black) answer=3 ;;
    *) answer=4 ;;
  esac
  [ "$endpoint" = mails ] && answer=$((answer + 5))
  echo "$answer"
}
seed() { # target, fmt
  local target=$1 fmt=$2
  mkdir -p "corpus/$target"
  for body in $(find "$fixtures" -name "*.fmt$fmt.body"); do
    local name
    name=$(echo "$body" | tr '/' '_')
    { printf "\\x$(printf %02x "$(selector "$body")")"; cat "$body"; } > "corpus/$target/$name"
  done
}
seed decode_kv 0
seed decode_csv 1
seed decode_xml 2
seed decode_json 3
mkdir -p corpus/stream_chunks
for fmt in 0 1 2 3; do
  for body in $(find "$fixtures" -path '*/get*' -name "*.fmt$fmt.body"); do
    name=$(echo "$body" | tr '/' '_')
    # First byte: the fmt; second: chunk sizes (3 and 5).
    { printf "\\x$(printf %02x "$fmt")\\x42"; cat "$body"; } > "corpus/stream_chunks/$name"
  done
done
mkdir -p corpus/query_roundtrip
# The oracle target: a header (flags, JSON layout, renderer seed, mutation count), 4 bytes per
# mutation, then records separated by 0x1E with fields separated by 0x1F (fuzz/src/mutate.rs).
mkdir -p corpus/oracle
oracle_seed() { # name, header and mutations (printf escapes), records (printf escapes)
  printf "$2$3" > "corpus/oracle/$1"
}
contacts='79991112233\x1f\xd0\x86\xd0\xb2\xd0\xb0\xd0\xbd\x1f5922\x1fI\x1fP\x1fO\x1f01.02.1990\x1f7\x1fa, b & <c>\x1ft\x1f+380501112233\x1e380501112233\x1fOlena'
groups='5922\x1fTeam\x1f12\x1f3\x1e6011\x1f\xd0\x9a\xd0\xbb\xd1\x96\xd1\x94\xd0\xbd\xd1\x82\xd0\xb8\x1f\x1a\x1f0'
black='1\x1f79991112233\x1f0\x1fspam, "ads"\x1e2\x1f380501112233\x1f2\x1f'
oracle_seed xml-contacts '\x00\x00\x01\x00' "$contacts"
oracle_seed json-contacts '\x01\x00\x02\x00' "$contacts"
oracle_seed json-contacts-dup '\x01\x00\x03\x01\x05\x02\x00\x00' "$contacts"
oracle_seed xml-contacts-dup '\x80\x00\x04\x01\x05\x03\x00\x00' "$contacts"
oracle_seed xml-groups-cdata '\x62\x00\x05\x01\x03\x20\x00\x16' "$groups"
oracle_seed json-groups-spacey '\x93\x02\x06\x02\x03\x10\x00\x3a\x02\x05\x00\x00' "$groups"
oracle_seed xml-black-mails '\x0c\x00\x07\x01\x00\x11\x00\x01' "$black"
oracle_seed json-black-oneline '\x05\x01\x08\x01\x04\x01\x00\x54' "$black"
oracle_seed json-empty '\x01\x00\x00\x00' ''
for archive in corpora/*.tar.gz; do
  [ -e "$archive" ] || continue
  target=$(basename "$archive" .tar.gz)
  mkdir -p "corpus/$target"
  tar -xzf "$archive" -C "corpus/$target"
done
echo "seeded: $(find corpus -type f | wc -l) files"
