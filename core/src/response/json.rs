//! fmt=3: JSON. Strings are validated (escapes, surrogate pairs, UTF-8) but not unescaped;
//! unknown structures are skipped iteratively with a bounded depth.

use nom::branch::alt;
use nom::bytes::streaming::tag;
use nom::character::streaming::{char, digit1, one_of};
use nom::combinator::{opt, recognize};

use super::{bad, incomplete_text, run, skip_space, text_error, too_long, utf8, Fail, Member, Scan, Value};
use crate::error::DecodeErrorKind as Kind;
use crate::limits::Limits;
use crate::text::{json_escape, Dialect, EscapeError, Text};

/// Bytes that stop a string scan: the closing quote, an escape, and the control characters a
/// JSON string may not hold raw.
const STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// A string starting at the quote at `pos`: the position after the closing quote and the raw
/// content between the quotes, escapes validated.
pub(crate) fn string<'a>(buf: &'a [u8], pos: usize, limits: &Limits) -> Scan<(usize, &'a str)> {
    string_text(buf, pos, limits).map(|(end, text)| (end, text.raw()))
}

/// A string starting at the quote at `pos` as a [`Text`]: [`Dialect::Json`] when it holds an
/// escape, [`Dialect::Plain`] when not (so readers need not look for escapes again).
pub(crate) fn string_text<'a>(buf: &'a [u8], pos: usize, limits: &Limits) -> Scan<(usize, Text<'a>)> {
    let start = pos + 1;
    let mut at = start;
    let mut escaped = false;
    loop {
        let rest = buf.get(at..).unwrap_or_default();
        let special = rest.iter().position(|&b| STRING_STOP[usize::from(b)]);
        let Some(offset) = special else {
            return match buf.len() - start > limits.max_value_len {
                true => too_long(buf, start, limits.max_value_len),
                false => incomplete_text(buf, start),
            };
        };
        at += offset;
        if at - start > limits.max_value_len {
            return too_long(buf, start, limits.max_value_len);
        }
        match buf[at] {
            b'"' => {
                let dialect = if escaped { Dialect::Json } else { Dialect::Plain };
                return Ok((at + 1, Text::escaped(utf8(buf, start, at)?, dialect)));
            }
            b'\\' => match json_escape(&buf[at..]) {
                Ok((_, used)) => {
                    escaped = true;
                    at += used;
                }
                Err(EscapeError::Truncated) => return incomplete_text(buf, start),
                Err(EscapeError::Invalid) => return text_error(buf, start, at, Kind::InvalidEscape, at),
                Err(EscapeError::LoneSurrogate) => return text_error(buf, start, at, Kind::LoneSurrogate, at),
            },
            _ => return text_error(buf, start, at, Kind::UnexpectedByte, at),
        }
    }
}

/// A number: `-?digits(.digits)?([eE][+-]?digits)?`. Incomplete when it runs to the end of the
/// buffer, since more digits may follow.
fn number(buf: &[u8], pos: usize) -> Scan<(usize, &str)> {
    let fraction = opt((char('.'), digit1));
    let exponent = opt((one_of("eE"), opt(one_of("+-")), digit1));
    let (end, _) = run(buf, pos, recognize((opt(char('-')), digit1, fraction, exponent)))?;
    // Only ASCII was recognised.
    Ok((end, utf8(buf, pos, end)?))
}

/// A scalar or a structure starting at `pos` (not whitespace). `depth` is the depth the value
/// would open if it is a structure.
pub(crate) fn value<'a>(buf: &'a [u8], pos: usize, depth: usize, limits: &Limits) -> Scan<(usize, Value<'a>)> {
    match buf.get(pos) {
        None => Err(Fail::Incomplete),
        Some(b'"') => {
            let (end, text) = string_text(buf, pos, limits)?;
            Ok((end, Value::Scalar(text)))
        }
        Some(b'{' | b'[') => {
            let end = skip_structure(buf, pos, depth, limits)?;
            Ok((end, Value::Structure(utf8(buf, pos, end)?)))
        }
        Some(b'-' | b'0'..=b'9') => {
            let (end, raw) = number(buf, pos)?;
            if end - pos > limits.max_value_len {
                return bad(Kind::ValueTooLong, pos);
            }
            Ok((end, Value::Scalar(Text::plain(raw))))
        }
        Some(_) => {
            let (end, word) = run(buf, pos, alt((tag(&b"true"[..]), tag(&b"false"[..]), tag(&b"null"[..]))))?;
            match word {
                b"null" => Ok((end, Value::Null)),
                _ => Ok((end, Value::Scalar(Text::plain(utf8(buf, pos, end)?)))),
            }
        }
    }
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

/// Skips the object or array starting at `pos`, which opens nesting level `depth`. Iterative:
/// the open brackets are bits of a `u64`, so no input can exhaust the stack.
pub(crate) fn skip_structure(buf: &[u8], pos: usize, depth: usize, limits: &Limits) -> Scan<usize> {
    let max_depth = limits.depth();
    // Bit i set: level i (counted from this structure) is an object.
    let mut objects: u64 = 0;
    let mut level = 0usize;
    let mut expect = Expect::Value;
    let mut at = pos;
    loop {
        at = skip_space(buf, at);
        let Some(&byte) = buf.get(at) else {
            return Err(Fail::Incomplete);
        };
        match (expect, byte) {
            (Expect::Value | Expect::ValueOrClose, b'{' | b'[') => {
                if depth + level > max_depth || level >= 64 {
                    return bad(Kind::DepthLimit, at);
                }
                let is_object = byte == b'{';
                objects = (objects & !(1 << level)) | (u64::from(is_object) << level);
                level += 1;
                at += 1;
                expect = if is_object { Expect::KeyOrClose } else { Expect::ValueOrClose };
            }
            (Expect::ValueOrClose | Expect::KeyOrClose | Expect::CommaOrClose, b']' | b'}') => {
                let is_object = objects & (1 << (level - 1)) != 0;
                if is_object != (byte == b'}') {
                    return bad(Kind::UnexpectedByte, at);
                }
                level -= 1;
                at += 1;
                if level == 0 {
                    return Ok(at);
                }
                expect = Expect::CommaOrClose;
            }
            (Expect::Key | Expect::KeyOrClose, b'"') => {
                at = string(buf, at, limits)?.0;
                expect = Expect::Colon;
            }
            (Expect::Colon, b':') => {
                at += 1;
                expect = Expect::Value;
            }
            (Expect::CommaOrClose, b',') => {
                at += 1;
                let in_object = objects & (1 << (level - 1)) != 0;
                expect = if in_object { Expect::Key } else { Expect::Value };
            }
            (Expect::Value | Expect::ValueOrClose, _) => {
                at = value(buf, at, depth + level, limits)?.0;
                expect = Expect::CommaOrClose;
            }
            _ => return bad(Kind::UnexpectedByte, at),
        }
    }
}

/// Reads the members of an object one at a time, resumably.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Members {
    pos: usize,
    first: bool,
    done: bool,
    /// The nesting level of the object itself.
    depth: usize,
}

impl Members {
    /// Starts at the `{` at `pos`, an object at nesting level `depth`.
    pub(crate) const fn new(pos: usize, depth: usize) -> Self {
        Self { pos: pos + 1, first: true, done: false, depth }
    }

    /// The position after the last thing read (after the `}` once done).
    pub(crate) const fn pos(&self) -> usize {
        self.pos
    }

    /// The next member, or `None` after the closing brace.
    pub(crate) fn next<'a>(&mut self, buf: &'a [u8], limits: &Limits) -> Scan<Option<Member<'a>>> {
        if self.done {
            return Ok(None);
        }
        let mut at = skip_space(buf, self.pos);
        match buf.get(at) {
            None => return Err(Fail::Incomplete),
            Some(b'}') => {
                self.pos = at + 1;
                self.done = true;
                return Ok(None);
            }
            Some(b',') if !self.first => at = skip_space(buf, at + 1),
            Some(_) if self.first => {}
            Some(_) => return bad(Kind::UnexpectedByte, at),
        }
        match buf.get(at) {
            None => return Err(Fail::Incomplete),
            Some(b'"') => {}
            Some(_) => return bad(Kind::UnexpectedByte, at),
        }
        let key_at = at;
        let (after_key, key) = string(buf, at, limits)?;
        at = skip_space(buf, after_key);
        match buf.get(at) {
            None => return Err(Fail::Incomplete),
            Some(b':') => {}
            Some(_) => return bad(Kind::UnexpectedByte, at),
        }
        at = skip_space(buf, at + 1);
        let (end, value) = value(buf, at, self.depth + 1, limits)?;
        self.pos = end;
        self.first = false;
        Ok(Some(Member { key, value, at: key_at }))
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
        for input in ["{}", "[]", r#"{"a": [1, {"b": null}], "c": true}"#, "[[[]], {}, -1.5e+3, \"x\\\"]\"]"] {
            assert_eq!(skip(input), Ok(input.len()), "{input}");
        }
    }

    #[test]
    fn rejects_broken_structures() {
        for input in ["[}", "{]", "{\"a\" 1}", "[1,]", "{,}", "[1 2]", "{\"a\":}", "{1: 2}"] {
            assert!(matches!(skip(input), Err(Fail::Bad(..))), "{input}");
        }
        for input in ["[", "{\"a\": [1, ", "\"abc", "[1"] {
            assert_eq!(skip(input), Err(Fail::Incomplete), "{input}");
        }
    }

    #[test]
    fn depth_is_bounded_without_recursion() {
        // Far deeper than the limit; smaller under Miri, which interprets every byte.
        let deep = "[".repeat(if cfg!(miri) { 2_000 } else { 200_000 });
        assert_eq!(skip(&deep), Err(Fail::Bad(Kind::DepthLimit, 32)));
    }

    #[test]
    fn members_read_one_by_one() {
        let body = br#"{"id": 12, "name" : "a\"b", "x": null}"#;
        let mut members = Members::new(0, 1);
        let first = members.next(body, &LIMITS).unwrap().unwrap();
        assert_eq!((first.key, first.value), ("id", Value::Scalar(Text::plain("12"))));
        let second = members.next(body, &LIMITS).unwrap().unwrap();
        assert_eq!(second.value, Value::Scalar(Text::plain("a\"b")));
        assert_eq!(members.next(body, &LIMITS).unwrap().unwrap().value, Value::Null);
        assert!(members.next(body, &LIMITS).unwrap().is_none());
        assert_eq!(members.pos(), body.len());
    }

    #[test]
    fn strings_are_validated() {
        assert_eq!(string(br#""a\x""#, 0, &LIMITS), Err(Fail::Bad(Kind::InvalidEscape, 2)));
        assert_eq!(string(br#""\ud83d""#, 0, &LIMITS), Err(Fail::Bad(Kind::LoneSurrogate, 1)));
        assert_eq!(string(b"\"a\nb\"", 0, &LIMITS), Err(Fail::Bad(Kind::UnexpectedByte, 2)));
        assert_eq!(string(b"\"a\xffb\"", 0, &LIMITS), Err(Fail::Bad(Kind::InvalidUtf8, 2)));
        assert_eq!(string(br#""\ud83d"#, 0, &LIMITS), Err(Fail::Incomplete));
        let small = Limits { max_value_len: 3, ..LIMITS };
        assert_eq!(string(br#""abcd""#, 0, &small), Err(Fail::Bad(Kind::ValueTooLong, 1)));
    }
}
