//! fmt=3: JSON (RFC 8259), strictly: no trailing commas, no leading zeros, escapes and
//! surrogate pairs checked, no raw control characters in strings.
//!
//! A list is `[` records `]`; a record is an object whose members are read straight into
//! their slots (the key is matched against the field the server usually writes next, then
//! against the others); unknown members are checked and skipped, nested structures iteratively
//! with a bounded depth. Strings are scanned a word at a time for `"`, `\` and control bytes;
//! their UTF-8 is checked once for the whole record by the shell. A single answer is one object
//! (`{"id": 5}`, `{"result": "OK"}`, `{"error": ..., "error_code": N}`).
//!
//! The grammar's rules are hand-written functions named after them (`value`, `string`,
//! `number`, `literal`), not nom combinators: on a microcontroller that reads only fmt=3 they
//! are the whole parser, and this keeps it small and free of panicking slices.

use super::scan::{self, json_string_stop, skip_space};
use super::{
    bad, byte, Answer, Ctx, Cursor, Fail, Found, Grammar, Item, Member, Open, Place, Scan, Seen, Span, Spans,
    ANSWER_MEMBERS,
};
use crate::error::DecodeErrorKind as Kind;
use crate::limits::Limits;
use crate::text::{json_escape, Dialect, EscapeError, Text};

pub(crate) static GRAMMAR: Grammar = Grammar { open, item, trailer, answer, fields };

/// The nesting level of a list's records; their members' structures open the next one.
const RECORD_DEPTH: usize = 2;

/// Before the list: `[`, or a single answer object.
fn open(buf: &[u8], pos: usize, _eof: bool, ctx: &Ctx) -> Scan<Open> {
    let at = skip_space(buf, pos);
    match byte(buf, at)? {
        b'[' => Ok(Open::List(at + 1)),
        b'{' => object_answer(buf, at, &ctx.limits).map(Open::Answer),
        _ => bad(Kind::UnexpectedShape, at),
    }
}

/// Inside the list: `]`, or the next record with the `,` before it.
fn item(buf: &[u8], pos: usize, place: Place, ctx: &Ctx, spans: &mut Spans) -> Scan<Item> {
    let mut at = skip_space(buf, pos);
    match byte(buf, at)? {
        b']' => return Ok(Item::End(at + 1)),
        b',' if !place.first => at = skip_space(buf, at + 1),
        b'{' if place.first => {}
        _ => return bad(Kind::UnexpectedByte, at),
    }
    if byte(buf, at)? != b'{' {
        return bad(Kind::UnexpectedByte, at);
    }
    if ctx.limits.depth() < RECORD_DEPTH {
        return bad(Kind::DepthLimit, at);
    }
    // While streaming, a record with no `}` after its start cannot be complete: wait for more
    // without reading it (a record that straddles two buffers is then read once).
    if place.look_ahead && scan::find_byte(buf, at, b'}').is_none() {
        return Err(Fail::Incomplete);
    }
    let end = object(buf, at, ctx.schema.names, spans, RECORD_DEPTH, &ctx.limits)?;
    Ok(Item::Record(Found { start: at, end, next: end }))
}

/// After the list: whitespace.
fn trailer(buf: &[u8], pos: usize) -> Scan<usize> {
    Ok(skip_space(buf, pos))
}

/// The whole body as a single answer object.
fn answer(buf: &[u8], pos: usize, ctx: &Ctx) -> Scan<Answer> {
    let at = skip_space(buf, pos);
    match byte(buf, at) {
        Ok(b'{') => object_answer(buf, at, &ctx.limits),
        Ok(_) => bad(Kind::UnexpectedShape, at),
        Err(_) => bad(Kind::UnexpectedEnd, at),
    }
}

fn object_answer(buf: &[u8], at: usize, limits: &Limits) -> Scan<Answer> {
    let mut members = [None; 4];
    let end = object(buf, at, &ANSWER_MEMBERS, &mut members, 1, limits)?;
    let [id, result, error, error_code] = members;
    Ok(Answer { id, result, error, error_code, start: at, end })
}

/// What a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind3 {
    /// A string without escapes, a number or a boolean.
    Plain,
    /// A string with escapes.
    Escaped,
    /// `null`: the field is absent.
    Null,
    /// An object or array.
    Structure,
}

/// A member as read: its key's content, its value's extent and kind, and where the member
/// ends. Plain positions, so it moves in registers and aligned words.
#[derive(Clone, Copy, Debug)]
struct Read {
    key: (usize, usize),
    value: (usize, usize),
    /// The position after the value.
    next: usize,
    key_escaped: bool,
    kind: Kind3,
}

impl Read {
    const fn span(&self) -> Span {
        let dialect = match self.kind {
            Kind3::Escaped => Dialect::Json,
            _ => Dialect::Plain,
        };
        Span { start: self.value.0, end: self.value.1, dialect }
    }
}

/// The object whose `{` is at `open`, at nesting level `depth`: members named in `names` go
/// into `slots` by index, the others are checked and skipped. The position after the `}`.
#[inline]
fn object(
    buf: &[u8],
    open: usize,
    names: &[&str],
    slots: &mut [Option<Span>],
    depth: usize,
    limits: &Limits,
) -> Scan<usize> {
    let mut at = skip_space(buf, open + 1);
    if byte(buf, at)? == b'}' {
        return Ok(at + 1);
    }
    let (mut count, mut seen) = (0usize, Seen::default());
    loop {
        let key_at = at;
        let member = member(buf, at, depth, limits)?;
        count += 1;
        if count > limits.fields() {
            return bad(Kind::TooManyFields, key_at);
        }
        if let Some(index) = key_index(buf, &member, names, &seen) {
            if !seen.first_time(index) {
                return bad(Kind::DuplicateField, key_at);
            }
            match member.kind {
                Kind3::Plain | Kind3::Escaped => {
                    if let Some(slot) = slots.get_mut(index) {
                        *slot = Some(member.span());
                    }
                }
                Kind3::Null => {}
                Kind3::Structure => return bad(Kind::NotAScalar, key_at),
            }
        }
        at = skip_space(buf, member.next);
        match byte(buf, at)? {
            b',' => at = skip_space(buf, at + 1),
            b'}' => return Ok(at + 1),
            _ => return bad(Kind::UnexpectedByte, at),
        }
    }
}

/// The index in `names` of the member's key.
#[inline]
fn key_index(buf: &[u8], member: &Read, names: &[&str], seen: &Seen) -> Option<usize> {
    let raw = buf.get(member.key.0..member.key.1)?;
    if !member.key_escaped {
        return seen.index(names, raw);
    }
    // An escaped key names the field its unescaped text names.
    let key = Text::escaped(core::str::from_utf8(raw).ok()?, Dialect::Json);
    names.iter().position(|name| key == *name)
}

/// `"key" : value` at `at` (the key's quote).
#[inline]
fn member(buf: &[u8], at: usize, depth: usize, limits: &Limits) -> Scan<Read> {
    if byte(buf, at)? != b'"' {
        return bad(Kind::UnexpectedByte, at);
    }
    let (key_end, key_escaped) = string(buf, at, limits.max_value_len)?;
    let mut pos = skip_space(buf, key_end + 1);
    if byte(buf, pos)? != b':' {
        return bad(Kind::UnexpectedByte, pos);
    }
    pos = skip_space(buf, pos + 1);
    let (value, kind, next) = value(buf, pos, depth + 1, limits)?;
    Ok(Read { key: (at + 1, key_end), value, next, key_escaped, kind })
}

/// The value at `at`: its extent (a string's content, without the quotes), its kind and the
/// position after it. A structure would open nesting level `depth`.
#[inline]
fn value(buf: &[u8], at: usize, depth: usize, limits: &Limits) -> Scan<((usize, usize), Kind3, usize)> {
    match byte(buf, at)? {
        b'{' | b'[' => {
            let end = skip_structure(buf, at, depth, limits)?;
            Ok(((at, end), Kind3::Structure, end))
        }
        _ => scalar(buf, at, limits),
    }
}

/// The string, number or literal at `at`, as [`value`] gives it.
#[inline(always)]
fn scalar(buf: &[u8], at: usize, limits: &Limits) -> Scan<((usize, usize), Kind3, usize)> {
    match byte(buf, at)? {
        b'"' => {
            let (end, escaped) = string(buf, at, limits.max_value_len)?;
            Ok(((at + 1, end), if escaped { Kind3::Escaped } else { Kind3::Plain }, end + 1))
        }
        b'-' | b'0'..=b'9' => {
            let end = number(buf, at)?;
            if end - at > limits.max_value_len {
                return bad(Kind::ValueTooLong, at);
            }
            Ok(((at, end), Kind3::Plain, end))
        }
        _ => {
            let (end, null) = literal(buf, at)?;
            Ok(((at, end), if null { Kind3::Null } else { Kind3::Plain }, end))
        }
    }
}

/// The string whose opening quote is at `pos`: the position of its closing quote, and whether
/// it holds an escape. Escapes are checked here; UTF-8 is checked with the whole record.
#[inline]
fn string(buf: &[u8], pos: usize, max_len: usize) -> Scan<(usize, bool)> {
    let start = pos + 1;
    let mut at = start;
    let mut escaped = false;
    loop {
        at = json_string_stop(buf, at);
        if at - start > max_len {
            return bad(Kind::ValueTooLong, start);
        }
        match byte(buf, at)? {
            b'"' => return Ok((at, escaped)),
            b'\\' => match json_escape(buf.get(at..).unwrap_or_default()) {
                Ok((_, used)) => {
                    escaped = true;
                    at += used;
                }
                Err(EscapeError::Truncated) => return Err(Fail::Incomplete),
                Err(EscapeError::Invalid) => return bad(Kind::InvalidEscape, at),
                Err(EscapeError::LoneSurrogate) => return bad(Kind::LoneSurrogate, at),
            },
            _ => return bad(Kind::UnexpectedByte, at),
        }
    }
}

/// `true`, `false` or `null` at `at`: the position after it, and whether it is `null`.
fn literal(buf: &[u8], at: usize) -> Scan<(usize, bool)> {
    let rest = buf.get(at..).unwrap_or_default();
    for word in [&b"true"[..], b"false", b"null"] {
        if rest.starts_with(word) {
            return Ok((at + word.len(), word == b"null"));
        }
        // The buffer ends inside the word (the whole word was matched just above).
        if word.starts_with(rest) {
            return Err(Fail::Incomplete);
        }
    }
    bad(Kind::UnexpectedByte, at)
}

/// The end of a run of digits from `at`.
fn digits(buf: &[u8], at: usize) -> usize {
    at + buf.get(at..).unwrap_or_default().iter().take_while(|b| b.is_ascii_digit()).count()
}

/// Digits at `at`, at least one: the position after them.
fn digits1(buf: &[u8], at: usize) -> Scan<usize> {
    match byte(buf, at)? {
        b'0'..=b'9' => Ok(digits(buf, at)),
        _ => bad(Kind::UnexpectedByte, at),
    }
}

/// A number: `-? (0 | [1-9] [0-9]*) ("." [0-9]+)? ([eE] [+-]? [0-9]+)?`. The position after it;
/// incomplete when it runs to the end of the buffer, since more of it may follow.
fn number(buf: &[u8], pos: usize) -> Scan<usize> {
    let mut at = pos + usize::from(buf.get(pos) == Some(&b'-'));
    at = match byte(buf, at)? {
        b'0' => at + 1,
        b'1'..=b'9' => digits(buf, at),
        _ => return bad(Kind::UnexpectedByte, at),
    };
    if byte(buf, at)? == b'.' {
        at = digits1(buf, at + 1)?;
    }
    if matches!(byte(buf, at)?, b'e' | b'E') {
        at += 1;
        at += usize::from(matches!(byte(buf, at)?, b'+' | b'-'));
        at = digits1(buf, at)?;
    }
    // What follows decides that the number is over.
    byte(buf, at)?;
    Ok(at)
}

/// What the structure skipper expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    ValueOrClose,
    Key,
    KeyOrClose,
    Colon,
    CommaOrClose,
}

/// Skips the object or array at `pos`, which opens nesting level `depth`. Iterative: the open
/// brackets are the bits of a `u64`, so no input can exhaust the stack.
fn skip_structure(buf: &[u8], pos: usize, depth: usize, limits: &Limits) -> Scan<usize> {
    let max_depth = limits.depth();
    // Bit i set: level i (counted from this structure) is an object.
    let mut objects: u64 = 0;
    let mut level = 0u32;
    let mut expect = Expect::Value;
    let mut at = pos;
    loop {
        at = skip_space(buf, at);
        let byte = byte(buf, at)?;
        // Asked only inside a structure (level 1 to 64); wrapping keeps it total regardless.
        let in_object = |level: u32| objects & 1u64.wrapping_shl(level.wrapping_sub(1)) != 0;
        match (expect, byte) {
            (Expect::Value | Expect::ValueOrClose, b'{' | b'[') => {
                if depth + level as usize > max_depth || level >= 64 {
                    return bad(Kind::DepthLimit, at);
                }
                let is_object = byte == b'{';
                if is_object {
                    objects |= 1u64 << level;
                } else {
                    objects &= !(1u64 << level);
                }
                level += 1;
                at += 1;
                expect = if is_object { Expect::KeyOrClose } else { Expect::ValueOrClose };
            }
            (Expect::ValueOrClose | Expect::KeyOrClose | Expect::CommaOrClose, b']' | b'}') => {
                if in_object(level) != (byte == b'}') {
                    return bad(Kind::UnexpectedByte, at);
                }
                level = level.saturating_sub(1);
                at += 1;
                if level == 0 {
                    return Ok(at);
                }
                expect = Expect::CommaOrClose;
            }
            (Expect::Key | Expect::KeyOrClose, b'"') => {
                at = string(buf, at, limits.max_value_len)?.0 + 1;
                expect = Expect::Colon;
            }
            (Expect::Colon, b':') => {
                at += 1;
                expect = Expect::Value;
            }
            (Expect::CommaOrClose, b',') => {
                at += 1;
                expect = if in_object(level) { Expect::Key } else { Expect::Value };
            }
            (Expect::Value | Expect::ValueOrClose, b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
                at = scalar(buf, at, limits)?.2;
                expect = Expect::CommaOrClose;
            }
            _ => return bad(Kind::UnexpectedByte, at),
        }
    }
}

/// [`RawRecord::fields`](crate::record::RawRecord::fields) through a JSON record: its members in order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Members {
    pos: usize,
}

fn fields(_record: &str, _ctx: &Ctx) -> Cursor {
    Cursor::Json(Members { pos: 1 })
}

impl Members {
    /// The record was checked whole before it was handed out, so a member follows `{` or `,`,
    /// and `}` (which is no member) ends it.
    pub(crate) fn next<'a>(&mut self, record: &'a str, ctx: &Ctx) -> Option<Member<'a>> {
        let buf = record.as_bytes();
        loop {
            let mut at = skip_space(buf, self.pos);
            if buf.get(at) == Some(&b',') {
                at = skip_space(buf, at + 1);
            }
            let member = member(buf, at, RECORD_DEPTH, &ctx.limits).ok()?;
            self.pos = member.next;
            let name = record.get(member.key.0..member.key.1)?;
            let value = match member.kind {
                Kind3::Plain | Kind3::Escaped => member.span().text(record, 0).ok()?,
                Kind3::Structure => Text::plain(record.get(member.value.0..member.value.1)?),
                Kind3::Null => continue,
            };
            return Some(Member { name, value });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits::DEFAULT;

    fn skip(input: &str) -> Scan<usize> {
        skip_structure(input.as_bytes(), 0, 1, &LIMITS)
    }

    #[test]
    fn skips_valid_structures() {
        for input in [
            "{}",
            "[]",
            r#"{"a": [1, {"b": null}], "c": true}"#,
            "[[[]], {}, -1.5e+3, \"x\\\"]\"]",
            "[0, -0.0]",
            // Siblings of both kinds at one level: each is read as what it is.
            r#"[{"a": 1}, [1, 2], {"b": 1, "c": 2}, [3, 4]]"#,
            r#"[{"a": 1}, {"b": 1, "c": 2}, [1, 2], [3, 4]]"#,
            r#"{"a": [[1, 2], {"b": [3, 4], "c": {"d": 5, "e": 6}}]}"#,
        ] {
            assert_eq!(skip(input), Ok(input.len()), "{input}");
        }
    }

    #[test]
    fn rejects_broken_structures() {
        for input in [
            "[}",
            "{]",
            "{\"a\" 1}",
            "[1,]",
            "{,}",
            "[1 2]",
            "{\"a\":}",
            "{1: 2}",
            "[01]",
            "[1.]",
            "[.5]",
            "[+1]",
            "[tru]",
        ] {
            assert!(matches!(skip(input), Err(Fail::Bad(..))), "{input}");
        }
        for input in ["[", "{\"a\": [1, ", "\"abc", "[1", "[tr"] {
            assert_eq!(skip(input), Err(Fail::Incomplete), "{input}");
        }
    }

    #[test]
    fn depth_is_bounded_without_recursion() {
        let deep = "[".repeat(if cfg!(miri) { 2_000 } else { 200_000 });
        assert_eq!(skip(&deep), Err(Fail::Bad(Kind::DepthLimit, 32)));
    }

    #[test]
    fn strings_are_checked() {
        let string = |s: &[u8]| string(s, 0, LIMITS.max_value_len);
        assert_eq!(string(br#""a\x""#), Err(Fail::Bad(Kind::InvalidEscape, 2)));
        assert_eq!(string(br#""\ud83d""#), Err(Fail::Bad(Kind::LoneSurrogate, 1)));
        assert_eq!(string(b"\"a\nb\""), Err(Fail::Bad(Kind::UnexpectedByte, 2)));
        assert_eq!(string(br#""\ud83d"#), Err(Fail::Incomplete));
        assert_eq!(string(br#""a\"b""#), Ok((5, true)));
        assert_eq!(string(br#""ab""#), Ok((3, false)));
        assert_eq!(super::string(br#""abcd""#, 0, 3), Err(Fail::Bad(Kind::ValueTooLong, 1)));
    }

    #[test]
    fn members_fill_their_slots() {
        let body = br#"{"b": "x", "a": 12, "n": null, "c": {"d": [1]}}"#;
        let mut slots = [None; 3];
        let end = object(body, 0, &["a", "b", "n"], &mut slots, 1, &LIMITS).unwrap();
        assert_eq!(end, body.len());
        assert_eq!(slots, [Some(Span::plain(16, 18)), Some(Span::plain(7, 8)), None]);
        let duplicate = br#"{"a": 1, "a": null}"#;
        assert_eq!(object(duplicate, 0, &["a"], &mut slots, 1, &LIMITS), Err(Fail::Bad(Kind::DuplicateField, 9)));
        let structure = br#"{"a": [1]}"#;
        assert_eq!(object(structure, 0, &["a"], &mut slots, 1, &LIMITS), Err(Fail::Bad(Kind::NotAScalar, 1)));
        // An escaped key names the same field.
        let escaped = br#"{"\u0061": 7}"#;
        let mut slots = [None; 1];
        object(escaped, 0, &["a"], &mut slots, 1, &LIMITS).unwrap();
        assert_eq!(slots, [Some(Span::plain(11, 12))]);
    }

    fn first_error(body: &[u8]) -> Option<crate::DecodeError> {
        let records = match crate::decode::contacts(body, crate::Fmt::Json, crate::Endpoint::Phones) {
            Ok(records) => records,
            Err(err) => return err.malformed(),
        };
        records.filter_map(Result::err).next()
    }

    #[test]
    fn a_comma_before_the_first_record_is_refused() {
        let kind = |body: &[u8]| first_error(body).map(|e| (e.kind, e.offset));
        assert_eq!(kind(br#"[,{"phone": "1"}]"#), Some((Kind::UnexpectedByte, 1)));
        assert_eq!(kind(br#"[ , {"phone": "1"}]"#), Some((Kind::UnexpectedByte, 2)));
        // And a record after another needs one.
        assert_eq!(kind(br#"[{"phone": "1"} {"phone": "2"}]"#), Some((Kind::UnexpectedByte, 16)));
        assert_eq!(kind(br#"[{"phone": "1"}, {"phone": "2"}]"#), None);
    }

    #[test]
    fn an_empty_object_is_a_record_without_fields() {
        let body = br#"[{}, { }, {"phone": "1"}]"#;
        let mut contacts = crate::decode::contacts(body, crate::Fmt::Json, crate::Endpoint::Phones).unwrap();
        for _ in 0..2 {
            let empty = contacts.next().unwrap().unwrap();
            assert!(empty.phone.is_none() && empty.name.is_none());
        }
        assert!(contacts.next().unwrap().unwrap().phone.is_some_and(|phone| phone == "1"));
        assert!(contacts.next().is_none());
    }
}
