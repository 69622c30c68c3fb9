//! The parsers, one module per fmt. nom is used only below this module and never leaves it.
//!
//! Every scanner works on a buffer and a position and answers with a new position, "incomplete"
//! (the buffer ends before the construct does) or an error at an offset in the buffer. The
//! streaming decoder turns "incomplete" into "need more" while input can still arrive, and into
//! [`DecodeErrorKind::UnexpectedEnd`] once the body is known to be complete.

pub(crate) mod json;
pub(crate) mod lines;
pub(crate) mod xml;

use nom::error::{ErrorKind as NomKind, ParseError};

use crate::error::{ApiError, DecodeErrorKind, ErrorCode};
use crate::limits::Limits;
use crate::schema::Schema;
use crate::text::Text;

/// A field value as the structured formats (JSON, XML) see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// A string, number or boolean; an XML element's text.
    Scalar(Text<'a>),
    /// JSON `null`: the field is absent.
    Null,
    /// A JSON object or array, or an XML element with child elements, raw.
    Structure(&'a str),
}

/// One field of a structured record: a JSON member or an XML child element.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Member<'a> {
    pub key: &'a str,
    pub value: Value<'a>,
    /// Where the member starts in the buffer.
    pub at: usize,
}

/// Reads a record's fields one at a time, whatever the fmt.
// The line variant carries its split inline: there is no heap to box it on.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub(crate) enum Reader {
    Json(json::Members),
    Xml(xml::Children),
    Lines {
        split: lines::Split,
        next: usize,
        schema: Schema,
        /// Where the line starts in the buffer: the split's offsets are relative to it.
        base: usize,
    },
}

impl Reader {
    /// The next field, or `None` at the end of the record.
    pub(crate) fn next<'a>(&mut self, buf: &'a [u8], limits: &Limits) -> Scan<Option<Member<'a>>> {
        match self {
            Self::Json(members) => members.next(buf, limits),
            Self::Xml(children) => children.next(buf, limits),
            Self::Lines { split, next, schema, base } => {
                let Some(span) = split.get(*next) else {
                    return Ok(None);
                };
                *next += 1;
                let at = |offset: u32| *base + offset as usize;
                let key = match span.key {
                    lines::Key::Known(i) => schema.names[usize::from(i)],
                    lines::Key::Unknown(start, end) => utf8(buf, at(start), at(end))?,
                };
                let (start, end) = (at(span.start), at(span.end));
                if end - start > limits.max_value_len {
                    return bad(DecodeErrorKind::ValueTooLong, start);
                }
                let value = Value::Scalar(Text::plain(utf8(buf, start, end)?));
                Ok(Some(Member { key, value, at: start }))
            }
        }
    }

    /// Reads every field and keeps the schema's, in schema order. The first of a repeated
    /// field wins; unknown fields count towards the field limit.
    pub(crate) fn collect<'a>(&mut self, buf: &'a [u8], schema: &Schema, limits: &Limits) -> Scan<Known<'a>> {
        let mut known: Known<'a> = [None; Schema::MAX_FIELDS];
        let mut count = 0;
        while let Some(member) = self.next(buf, limits)? {
            count += 1;
            if count > limits.fields() {
                return bad(DecodeErrorKind::TooManyFields, member.at);
            }
            let Some(index) = schema.index_of(member.key.as_bytes()) else {
                continue;
            };
            match member.value {
                Value::Scalar(text) => {
                    known[index].get_or_insert(text);
                }
                Value::Null => {}
                Value::Structure(_) => return bad(DecodeErrorKind::NotAScalar, member.at),
            }
        }
        Ok(known)
    }
}

/// Reads the record at `buf[start..]` (a line ends at `buf.len()`): its known fields and the
/// position after it. The fmt=0/1 split lives only in this call.
#[inline(never)]
pub(crate) fn read_record<'a>(
    buf: &'a [u8],
    start: usize,
    fmt: crate::Fmt,
    schema: &Schema,
    limits: &Limits,
) -> Scan<(Known<'a>, usize)> {
    let mut reader = match fmt {
        crate::Fmt::Json => Reader::Json(json::Members::new(start, 2)),
        crate::Fmt::Xml => Reader::Xml(xml::Children::new(buf, &xml::start_tag(buf, start)?, 2)),
        crate::Fmt::KeyValue => Reader::Lines {
            split: lines::split_kv(buf, start, buf.len(), schema, limits)?,
            next: 0,
            schema: *schema,
            base: start,
        },
        crate::Fmt::Csv => Reader::Lines {
            split: lines::split_csv(buf, start, buf.len(), schema, limits)?,
            next: 0,
            schema: *schema,
            base: start,
        },
    };
    let known = reader.collect(buf, schema, limits)?;
    let end = match &reader {
        Reader::Json(members) => members.pos(),
        Reader::Xml(children) => children.pos(),
        Reader::Lines { .. } => buf.len(),
    };
    Ok((known, end))
}

/// The schema's fields of one record, in schema order.
pub(crate) type Known<'a> = [Option<Text<'a>>; Schema::MAX_FIELDS];

/// Why a scanner stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fail {
    /// The buffer ends before the construct does.
    Incomplete,
    /// The input is malformed at this offset of the buffer.
    Bad(DecodeErrorKind, usize),
}

pub(crate) type Scan<T> = Result<T, Fail>;

pub(crate) const fn bad<T>(kind: DecodeErrorKind, at: usize) -> Scan<T> {
    Err(Fail::Bad(kind, at))
}

/// nom's error type inside this crate: the rest of the input where it failed, and why.
#[derive(Debug)]
pub(crate) struct NomError {
    rest_len: usize,
    kind: DecodeErrorKind,
}

impl<'a> ParseError<&'a [u8]> for NomError {
    fn from_error_kind(input: &'a [u8], _kind: NomKind) -> Self {
        Self { rest_len: input.len(), kind: DecodeErrorKind::UnexpectedByte }
    }

    fn append(_input: &'a [u8], _kind: NomKind, other: Self) -> Self {
        other
    }
}

/// Runs a nom parser at `pos` and maps its outcome to a scanner result with absolute offsets.
pub(crate) fn run<'a, O, P>(buf: &'a [u8], pos: usize, mut parser: P) -> Scan<(usize, O)>
where
    P: nom::Parser<&'a [u8], Output = O, Error = NomError>,
{
    let input = buf.get(pos..).unwrap_or_default();
    match parser.parse(input) {
        Ok((rest, out)) => Ok((buf.len() - rest.len(), out)),
        Err(nom::Err::Incomplete(_)) => Err(Fail::Incomplete),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => bad(e.kind, buf.len() - e.rest_len),
    }
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Skips a UTF-8 BOM at `pos`; incomplete when the buffer ends inside one.
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

pub(crate) const fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The position of the first byte at or after `pos` that is not JSON/XML whitespace.
pub(crate) fn skip_space(buf: &[u8], pos: usize) -> usize {
    let rest = buf.get(pos..).unwrap_or_default();
    pos + rest.iter().position(|&b| !is_space(b)).unwrap_or(rest.len())
}

/// Validates `buf[start..end]` as UTF-8.
pub(crate) fn utf8(buf: &[u8], start: usize, end: usize) -> Scan<&str> {
    core::str::from_utf8(&buf[start..end]).or_else(|e| bad(DecodeErrorKind::InvalidUtf8, start + e.valid_up_to()))
}

/// The buffer ended inside a value from `start`: incomplete, unless the bytes so far already
/// hold a sequence that no continuation can make UTF-8, which is an error now, at its offset.
pub(crate) fn incomplete_text<T>(buf: &[u8], start: usize) -> Scan<T> {
    match core::str::from_utf8(buf.get(start..).unwrap_or_default()) {
        Err(e) if e.error_len().is_some() => bad(DecodeErrorKind::InvalidUtf8, start + e.valid_up_to()),
        _ => Err(Fail::Incomplete),
    }
}

/// An error of `kind` at `offset`, found at the stop byte `at` of a text run from `start`. An
/// invalid UTF-8 sequence earlier in the run comes first, so every chunking of a body reports
/// the error the whole body reports.
pub(crate) fn text_error<T>(buf: &[u8], start: usize, at: usize, kind: DecodeErrorKind, offset: usize) -> Scan<T> {
    // `at` holds an ASCII stop byte: a sequence left unfinished before it is invalid too.
    utf8(buf, start, at)?;
    bad(kind, offset)
}

/// A text run from `start` longer than `max`: invalid UTF-8 within the first `max + 1` bytes
/// (what a streaming caller may have seen before the run grew too long) comes first.
pub(crate) fn too_long<T>(buf: &[u8], start: usize, max: usize) -> Scan<T> {
    let seen = &buf[..buf.len().min(start.saturating_add(max).saturating_add(1))];
    match incomplete_text::<()>(seen, start) {
        Err(Fail::Bad(kind, at)) => bad(kind, at),
        _ => bad(DecodeErrorKind::ValueTooLong, start),
    }
}

/// One line: its content without the line end, and the position after the line end.
/// Incomplete when no line end follows and the body may go on.
pub(crate) fn line(buf: &[u8], pos: usize, eof: bool) -> Scan<(usize, usize, usize)> {
    let rest = buf.get(pos..).unwrap_or_default();
    let (mut end, next) = match rest.iter().position(|&b| b == b'\n') {
        Some(nl) => (pos + nl, pos + nl + 1),
        None if eof => (buf.len(), buf.len()),
        None => return Err(Fail::Incomplete),
    };
    if end > pos && buf[end - 1] == b'\r' {
        end -= 1;
    }
    Ok((pos, end, next))
}

/// Recognises the fmt=0 error line `ERROR = N (description)` in `buf[start..end]` (one line).
///
/// `None` when the line does not start with `ERROR`; an error when it does but is broken.
pub(crate) fn error_line(buf: &[u8], start: usize, end: usize) -> Option<Scan<ApiError<'_>>> {
    use nom::bytes::complete::{tag, take_while, take_while1};
    use nom::sequence::preceded;

    let line = &buf[..end];
    if !line[start..].starts_with(b"ERROR") {
        return None;
    }
    let spaces = || take_while(|b| b == b' ' || b == b'\t');
    let head = (tag(&b"ERROR"[..]), spaces(), tag(&b"="[..]), spaces());
    let parsed = run(line, start, preceded(head, take_while1(|b: u8| b.is_ascii_digit())));
    let (pos, digits) = match parsed {
        Ok(found) => found,
        Err(Fail::Bad(_, at)) => return Some(bad(DecodeErrorKind::InvalidErrorCode, at.min(end))),
        Err(Fail::Incomplete) => return Some(bad(DecodeErrorKind::InvalidErrorCode, end)),
    };
    let Some(code) = parse_code(digits) else {
        return Some(bad(DecodeErrorKind::InvalidErrorCode, pos - digits.len()));
    };
    let pos = skip_space(line, pos);
    if pos == end {
        return Some(Ok(ApiError { code, description: None }));
    }
    // The description runs to the last `)` of the line: it may itself hold parentheses.
    let close = line[pos..].iter().rposition(|&b| b == b')').map(|i| pos + i);
    let Some(close) = close.filter(|_| line[pos] == b'(') else {
        return Some(bad(DecodeErrorKind::UnexpectedByte, pos));
    };
    Some(utf8(line, pos + 1, close).and_then(|description| match skip_space(line, close + 1) {
        rest if rest == end => Ok(ApiError { code, description: Some(Text::plain(description)) }),
        rest => bad(DecodeErrorKind::TrailingData, rest),
    }))
}

/// An error code: a decimal number that fits in a `u16`.
pub(crate) fn parse_code(digits: &[u8]) -> Option<ErrorCode> {
    if digits.is_empty() || digits.len() > 5 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits.iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
    u16::try_from(value).ok().map(ErrorCode::from_u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_line_variants() {
        let body = b"ERROR = 3 (record not found)";
        let api = error_line(body, 0, body.len()).unwrap().unwrap();
        assert_eq!(api.code, ErrorCode::NotFound);
        assert_eq!(api.description.unwrap(), "record not found");

        let body = b"ERROR=9";
        let api = error_line(body, 0, body.len()).unwrap().unwrap();
        assert_eq!((api.code, api.description), (ErrorCode::RateLimited, None));

        let body = b"ERROR = 5 (save error (duplicate))";
        let api = error_line(body, 0, body.len()).unwrap().unwrap();
        assert_eq!(api.description.unwrap(), "save error (duplicate)");

        let body = b"ERROR = x";
        assert_eq!(error_line(body, 0, body.len()), Some(Err(Fail::Bad(DecodeErrorKind::InvalidErrorCode, 8))));
        let body = b"ERROR = 2 (a) b";
        assert_eq!(error_line(body, 0, body.len()), Some(Err(Fail::Bad(DecodeErrorKind::TrailingData, 14))));
        assert_eq!(error_line(b"OK", 0, 2), None);
    }

    #[test]
    fn codes_fit_u16() {
        assert_eq!(parse_code(b"65535"), Some(ErrorCode::Other(65535)));
        assert_eq!(parse_code(b"65536"), None);
        assert_eq!(parse_code(b""), None);
    }
}
