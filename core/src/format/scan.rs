//! The byte scanners of the hot paths, shared by the formats: a machine word at a time where
//! the profile shows it pays (`usize::from_le_bytes`, no `unsafe`; eight bytes on a 64-bit
//! machine, four on a Cortex-M), a byte-class table otherwise. Every scanner works on positions
//! and reads through `get`, so no input makes it panic.

use super::{bad, Fail, Scan};
use crate::error::DecodeErrorKind as Kind;

/// A machine word of bytes.
type Word = usize;
/// Bytes in a word.
const WIDE: usize = core::mem::size_of::<Word>();
const ONES: Word = Word::MAX / 0xFF;
const HIGH: Word = ONES * 0x80;

/// The word of bytes at `at`, first byte lowest.
#[cfg(any(feature = "kv", feature = "csv"))]
#[inline(always)]
fn word(buf: &[u8], at: usize) -> Option<Word> {
    let chunk = buf.get(at..at.saturating_add(WIDE))?;
    <[u8; WIDE]>::try_from(chunk).ok().map(Word::from_le_bytes)
}

/// A chunk of `chunks_exact(WIDE)` as a word.
#[inline(always)]
fn chunk_word(chunk: &[u8]) -> Word {
    Word::from_le_bytes(<[u8; WIDE]>::try_from(chunk).unwrap_or_default())
}

/// Flags the bytes of `w` that are below `n` (n <= 0x80). Only the lowest flag is exact (a
/// borrow may flag bytes above it), which is all a search needs.
#[inline(always)]
const fn below(w: Word, n: u8) -> Word {
    w.wrapping_sub(ONES * n as Word) & !w & HIGH
}

/// Flags the bytes of `w` equal to `b`; only the lowest flag is exact.
#[inline(always)]
const fn equal(w: Word, b: u8) -> Word {
    below(w ^ (ONES * b as Word), 1)
}

/// The offset of the first flagged byte of a non-zero mask.
#[inline(always)]
const fn first(mask: Word) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// A table of the bytes some scan stops at.
#[cfg(any(feature = "json", feature = "xml"))]
pub(crate) type Class = [bool; 256];

/// The class of the given bytes, built at compile time.
#[cfg(any(feature = "json", feature = "xml"))]
pub(crate) const fn class(bytes: &[u8]) -> Class {
    class_and([false; 256], bytes)
}

/// `table` with the given bytes added.
#[cfg(any(feature = "json", feature = "xml"))]
pub(crate) const fn class_and(mut table: Class, bytes: &[u8]) -> Class {
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// The class of the control characters (below 0x20) and the given bytes.
#[cfg(any(feature = "json", feature = "xml"))]
pub(crate) const fn controls_and(bytes: &[u8]) -> Class {
    let mut table = class(bytes);
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table
}

#[cfg(any(feature = "json", feature = "xml"))]
#[inline(always)]
pub(crate) fn is(class: &Class, b: u8) -> bool {
    class[usize::from(b)]
}

/// The first position at or after `at` whose byte is in `class`, or the end of `buf`.
#[cfg(any(feature = "json", feature = "xml"))]
#[inline]
pub(crate) fn find_class(buf: &[u8], mut at: usize, class: &Class) -> usize {
    while let Some(&b) = buf.get(at) {
        if is(class, b) {
            return at;
        }
        at += 1;
    }
    buf.len()
}

/// The first `"`, `\` or control character at or after `at` (what ends a run of JSON string
/// content), or the end of `buf`.
#[cfg(feature = "json")]
#[inline]
pub(crate) fn json_string_stop(buf: &[u8], at: usize) -> usize {
    let rest = buf.get(at..).unwrap_or_default();
    let mut words = rest.chunks_exact(WIDE);
    let mut offset = at;
    for chunk in &mut words {
        let w = chunk_word(chunk);
        let mask = equal(w, b'"') | equal(w, b'\\') | below(w, 0x20);
        if mask != 0 {
            return offset + first(mask);
        }
        offset += WIDE;
    }
    offset + find_class(words.remainder(), 0, &JSON_STOP)
}

#[cfg(feature = "json")]
const JSON_STOP: Class = controls_and(b"\"\\");

/// The first byte at or after `at` that may end or interrupt a run of XML character data
/// (`<`, `&`, `]`, a control character, CR, or 0xEF which starts U+FFFE and U+FFFF), or the
/// end of `buf`. Tabs and line feeds stop it too; the caller goes on past them.
#[cfg(feature = "xml")]
#[inline]
pub(crate) fn xml_text_stop(buf: &[u8], at: usize) -> usize {
    let rest = buf.get(at..).unwrap_or_default();
    let mut words = rest.chunks_exact(WIDE);
    let mut offset = at;
    for chunk in &mut words {
        let w = chunk_word(chunk);
        let mask = equal(w, b'<') | equal(w, b'&') | equal(w, b']') | equal(w, 0xEF) | below(w, 0x20);
        if mask != 0 {
            return offset + first(mask);
        }
        offset += WIDE;
    }
    offset + find_class(words.remainder(), 0, &XML_STOP)
}

#[cfg(feature = "xml")]
const XML_STOP: Class = controls_and(b"<&]\xEF");

/// The first position of `needle` at or after `at`.
#[inline]
pub(crate) fn find_byte(buf: &[u8], at: usize, needle: u8) -> Option<usize> {
    let rest = buf.get(at..).unwrap_or_default();
    let mut words = rest.chunks_exact(WIDE);
    let mut offset = at;
    for chunk in &mut words {
        let w = chunk_word(chunk);
        let mask = equal(w, needle);
        if mask != 0 {
            return Some(offset + first(mask));
        }
        offset += WIDE;
    }
    words.remainder().iter().position(|&b| b == needle).map(|i| offset + i)
}

/// The last position `p` at or after `from` where `buf[p] == a` and `buf[p + 1] == b`: a word
/// at a time from the end, only the pairs inside a word (and a word's last byte being `a`)
/// looked at closer.
#[cfg(feature = "xml")]
#[inline]
pub(crate) fn rfind_pair(buf: &[u8], from: usize, a: u8, b: u8) -> Option<usize> {
    const LAST_BYTE: Word = 1 << (Word::BITS - 1);
    let is_pair = |p: usize| buf.get(p) == Some(&a) && buf.get(p + 1) == Some(&b);
    let mut to = buf.len();
    while to >= from.saturating_add(WIDE) {
        let start = to - WIDE;
        let w = chunk_word(buf.get(start..to).unwrap_or_default());
        // Flag byte i when it is `a` and byte i + 1 is `b`; the last byte's follower is in the
        // next word, so it is flagged when it is `a` and checked below.
        let mut mask = exactly(w, a) & ((exactly(w, b) >> 8) | LAST_BYTE);
        while mask != 0 {
            let high = Word::BITS - 1 - mask.leading_zeros();
            let p = start + high as usize / 8;
            if is_pair(p) {
                return Some(p);
            }
            mask ^= 1 << high;
        }
        to = start;
    }
    (from..to).rev().find(|&p| is_pair(p))
}

/// Whether two short byte strings (field names) are equal, without a call to `memcmp`: two
/// overlapping words of each when they fit in sixteen bytes.
#[cfg(any(feature = "json", feature = "kv", feature = "xml"))]
#[inline(always)]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let w8 = |s: &[u8], at: usize| s.get(at..at + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()).map(u64::from_le_bytes);
    let w4 = |s: &[u8], at: usize| s.get(at..at + 4).and_then(|c| <[u8; 4]>::try_from(c).ok()).map(u32::from_le_bytes);
    match n {
        8..=16 => w8(a, 0) == w8(b, 0) && w8(a, n - 8) == w8(b, n - 8),
        4..=7 => w4(a, 0) == w4(b, 0) && w4(a, n - 4) == w4(b, n - 4),
        _ => a == b,
    }
}

/// Flags exactly the bytes of `w` equal to `b` (no borrow between bytes).
#[cfg(any(feature = "csv", feature = "xml"))]
#[inline(always)]
const fn exactly(w: Word, b: u8) -> Word {
    const LOW7: Word = ONES * 0x7F;
    let x = w ^ (ONES * b as Word);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// The positions of `a` and `b` from `at` on, in order: a word at a time, every match of a
/// word from one mask.
#[cfg(feature = "csv")]
pub(crate) struct Stops<'b> {
    buf: &'b [u8],
    /// Where the next word starts; the mask holds the matches of the word before it.
    at: usize,
    mask: Word,
    a: u8,
    b: u8,
}

#[cfg(feature = "csv")]
impl<'b> Stops<'b> {
    pub(crate) const fn new(buf: &'b [u8], at: usize, a: u8, b: u8) -> Self {
        Self { buf, at, mask: 0, a, b }
    }
}

#[cfg(feature = "csv")]
impl Iterator for Stops<'_> {
    type Item = usize;

    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.mask != 0 {
                let at = self.at - WIDE + first(self.mask);
                self.mask &= self.mask - 1;
                return Some(at);
            }
            let Some(w) = word(self.buf, self.at) else {
                break;
            };
            self.mask = exactly(w, self.a) | exactly(w, self.b);
            self.at += WIDE;
        }
        while let Some(&c) = self.buf.get(self.at) {
            self.at += 1;
            if c == self.a || c == self.b {
                return Some(self.at - 1);
            }
        }
        None
    }
}

/// The first position of `a` or `b` at or after `at`, or the end of `buf`.
#[cfg(feature = "kv")]
#[inline]
pub(crate) fn find_either(buf: &[u8], mut at: usize, a: u8, b: u8) -> usize {
    while let Some(w) = word(buf, at) {
        let mask = equal(w, a) | equal(w, b);
        if mask != 0 {
            return at + first(mask);
        }
        at += WIDE;
    }
    while let Some(&c) = buf.get(at) {
        if c == a || c == b {
            return at;
        }
        at += 1;
    }
    buf.len()
}

/// JSON and XML whitespace: space, tab, CR, LF.
#[inline(always)]
pub(crate) const fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The first position at or after `pos` that is not whitespace.
#[inline]
pub(crate) fn skip_space(buf: &[u8], mut pos: usize) -> usize {
    while let Some(&b) = buf.get(pos) {
        if !is_space(b) {
            return pos;
        }
        pos += 1;
    }
    buf.len()
}

/// The first position at or after `pos` that is not a space or tab.
#[inline]
pub(crate) fn skip_blank(buf: &[u8], mut pos: usize) -> usize {
    while let Some(&b) = buf.get(pos) {
        if b != b' ' && b != b'\t' {
            return pos;
        }
        pos += 1;
    }
    buf.len()
}

/// The end of `buf` without trailing whitespace, but not before `from`.
pub(crate) fn trim_end_space(buf: &[u8], from: usize) -> usize {
    let mut end = buf.len();
    while end > from && buf.get(end - 1).is_some_and(|&b| is_space(b)) {
        end -= 1;
    }
    end
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The position after a BOM at `pos`, or `pos`; incomplete when the buffer ends inside one.
pub(crate) fn skip_bom(buf: &[u8], pos: usize) -> Scan<usize> {
    let rest = buf.get(pos..).unwrap_or_default();
    if rest.starts_with(BOM) {
        Ok(pos + BOM.len())
    } else if !rest.is_empty() && rest.len() < BOM.len() && BOM.starts_with(rest) {
        Err(Fail::Incomplete)
    } else {
        Ok(pos)
    }
}

/// A decimal number of ASCII digits only (no sign, no spaces), when it fits a `u64`.
pub(crate) fn decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |value, &b| match b {
        b'0'..=b'9' => value.checked_mul(10)?.checked_add(u64::from(b - b'0')),
        _ => None,
    })
}

/// Whether every byte is an ASCII digit (and there is at least one).
#[inline]
pub(crate) fn all_digits(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit)
}

/// `buf[start..end]` as text: the one UTF-8 validation of a record's region.
#[inline]
pub(crate) fn utf8(buf: &[u8], start: usize, end: usize) -> Scan<&str> {
    let Some(bytes) = buf.get(start..end) else {
        return bad(Kind::UnexpectedEnd, end.min(buf.len()));
    };
    core::str::from_utf8(bytes).or_else(|e| bad(Kind::InvalidUtf8, start + e.valid_up_to()))
}

/// The offset of the first byte of `buf[start..end]` that cannot be part of UTF-8 text, when
/// the bytes so far already show it (a sequence cut by `end` is not counted).
pub(crate) fn first_invalid(buf: &[u8], start: usize, end: usize) -> Option<usize> {
    let bytes = buf.get(start..end.min(buf.len()))?;
    match core::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_some() => Some(start + e.valid_up_to()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "xml")]
    fn the_backward_pair_scan_finds_the_last_pair() {
        let text = "<a>Петренко</a><b>x<</b></ <</<".as_bytes();
        for end in 0..=text.len() {
            let buf = &text[..end];
            for from in 0..=end + 1 {
                let expected = (0..buf.len().saturating_sub(1)).rev().find(|&p| p >= from && &buf[p..p + 2] == b"</");
                assert_eq!(rfind_pair(buf, from, b'<', b'/'), expected, "end {end}, from {from}");
            }
        }
        // Bytes next to the pair's bytes in value must not be flagged, nor a pair cut by a word.
        assert_eq!(rfind_pair(b";=;0;=;0;=;0;=;0;=", 0, b'<', b'/'), None);
        assert_eq!(
            rfind_pair(b"\x00\x00\x00\x00\x00\x00\x00</\x00\x00\x00\x00\x00\x00\x00\x00", 0, b'<', b'/'),
            Some(7)
        );
        assert_eq!(rfind_pair(b"<xxxxxxx/xxxxxxx", 0, b'<', b'/'), None);
    }

    #[test]
    #[cfg(all(feature = "json", feature = "xml", feature = "kv", feature = "csv"))]
    fn word_scans_find_the_first_stop_byte() {
        let text = "Петренко Іван, \"ТОВ\"".as_bytes();
        for start in 0..8 {
            let expected = text.iter().skip(start).position(|&b| b == b'"').map_or(text.len(), |i| i + start);
            assert_eq!(json_string_stop(text, start), expected);
        }
        assert_eq!(json_string_stop(b"abcdefghij\\k", 0), 10);
        assert_eq!(json_string_stop(b"abcdefghijk\tl", 0), 11);
        assert_eq!(json_string_stop(b"abc", 0), 3);
        assert_eq!(xml_text_stop("Ї Ї Ї Ї &amp;".as_bytes(), 0), 12);
        assert_eq!(xml_text_stop(b"abcdefgh]]>", 0), 8);
        assert_eq!(xml_text_stop(b"abcdefgh\xEF\xBF\xBE", 0), 8);
        assert_eq!(find_byte(b"0123456789\n", 3, b'\n'), Some(10));
        assert_eq!(find_byte(b"0123456789", 3, b'\n'), None);
        assert_eq!(find_either(b"a, b = c\nx", 0, b',', b'\n'), 1);
        assert_eq!(find_either(b"abcdefghij\nx", 0, b',', b'\n'), 10);
        assert_eq!(find_either(b"abc", 0, b',', b'\n'), 3);
        let stops: heapless::Vec<usize, 16> = Stops::new(b"a,b,,c\nd,eeeeeeeeeeee,f\x80,\n", 0, b',', b'\n').collect();
        assert_eq!(stops, [1, 3, 4, 6, 8, 21, 24, 25]);
        assert_eq!(Stops::new(b",,,,,,,,,", 3, b',', b'\n').count(), 6);
        // A byte below a stop byte that borrows must not hide the stop byte.
        assert_eq!(json_string_stop(b"\x00\x01\"xxxxxx", 0), 0);
        assert_eq!(json_string_stop(b"\x80\x81\x82\x83\x84\x85\x86\"", 0), 7);
    }

    #[test]
    #[cfg(any(feature = "json", feature = "kv", feature = "xml"))]
    fn short_byte_strings_compare_whole() {
        for (a, b) in [("phone", "phone"), ("phone_other", "phone_other"), ("id", "id"), ("a", "a"), ("", "")] {
            assert!(same_bytes(a.as_bytes(), b.as_bytes()), "{a}");
        }
        for (a, b) in [
            ("phone", "phono"),
            ("phone_other", "phone_otheR"),
            ("name", "nbme"),
            ("middle_name", "middle_namf"),
            ("abcdefghijklmnopq", "abcdefghijklmnopr"),
            ("id", "ix"),
        ] {
            assert!(!same_bytes(a.as_bytes(), b.as_bytes()), "{a}");
        }
    }

    #[test]
    fn decimals_are_digits_only() {
        assert_eq!(decimal(b"0042"), Some(42));
        assert_eq!(decimal(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(decimal(b"18446744073709551616"), None);
        for bad in [&b""[..], b"+1", b"-1", b" 1", b"1 ", b"1a"] {
            assert_eq!(decimal(bad), None);
        }
    }

    #[test]
    fn trailing_space_is_trimmed_down_to_from() {
        assert_eq!(trim_end_space(b"ab \r\n", 0), 2);
        assert_eq!(trim_end_space(b"   ", 1), 1);
    }
}
