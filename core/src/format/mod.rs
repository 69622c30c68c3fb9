//! The response formats, one module each and one cargo feature each: [`kv`] (fmt=0, feature
//! `kv`), [`csv`] (fmt=1, `csv`), [`xml`] (fmt=2, `xml`), [`json`] (fmt=3, `json`).
//!
//! A format module owns everything about its format: opening and closing a list, framing a
//! record and reading its fields in one pass, the single answers (a created id, `OK`), its own
//! API-error shapes, and re-reading a record's fields for [`RawRecord::fields`]. It reaches the
//! streaming shell ([`crate::stream`]) through one table, [`Grammar`]; nothing else of it leaves
//! the module. nom states the grammar rules that are not hot; the hot loops (strings, text,
//! lines) are byte scanners in [`scan`].
//!
//! This module holds what the formats share: the scanners' result type, the spans a record's
//! fields are read into, the single-answer shape, and the `ERROR = N (...)` line that the server
//! may answer under any fmt.
//!
//! [`RawRecord::fields`]: crate::record::RawRecord::fields

#[cfg(any(feature = "kv", feature = "csv"))]
mod lines;
pub(crate) mod scan;

#[cfg(feature = "csv")]
pub(crate) mod csv;
#[cfg(feature = "json")]
pub(crate) mod json;
#[cfg(feature = "kv")]
pub(crate) mod kv;
#[cfg(feature = "xml")]
pub(crate) mod xml;

#[cfg(any(feature = "kv", feature = "xml"))]
use nom::error::{ErrorKind as NomKind, ParseError};

use crate::error::{ApiError, DecodeErrorKind as Kind, ErrorCode};
use crate::limits::Limits;
use crate::record::{Schema, MAX_KNOWN};
use crate::text::{Dialect, Text};
use crate::Fmt;

/// Why a scanner stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fail {
    /// The buffer ends before the construct does.
    Incomplete,
    /// The input is malformed at this offset of the buffer.
    Bad(Kind, usize),
}

impl Fail {
    /// This error, or invalid UTF-8 in `buf[from..]` before its place: so every chunking of a
    /// body reports what the whole body reports, whichever check a format makes first.
    pub(crate) fn or_invalid_utf8(self, buf: &[u8], from: usize) -> Fail {
        match self {
            Fail::Bad(kind, at) => match scan::first_invalid(buf, from, at) {
                Some(invalid) if invalid < at => Fail::Bad(Kind::InvalidUtf8, invalid),
                _ => Fail::Bad(kind, at),
            },
            Fail::Incomplete => Fail::Incomplete,
        }
    }
}

/// What every scanner returns.
pub(crate) type Scan<T> = Result<T, Fail>;

/// A malformed input of `kind` at `at`.
pub(crate) const fn bad<T>(kind: Kind, at: usize) -> Scan<T> {
    Err(Fail::Bad(kind, at))
}

/// The byte at `at`, or incomplete past the end of the buffer.
#[cfg(any(feature = "json", feature = "xml"))]
#[inline(always)]
pub(crate) fn byte(buf: &[u8], at: usize) -> Scan<u8> {
    buf.get(at).copied().ok_or(Fail::Incomplete)
}

/// The bytes nom reads: a slice whose every cut goes through `get`. nom's own `&[u8]` input
/// cuts with indexing, which would leave panic paths in every parser built from its
/// combinators; with this input they cannot panic on any offset.
#[cfg(any(feature = "kv", feature = "xml"))]
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bytes<'a>(pub &'a [u8]);

#[cfg(any(feature = "kv", feature = "xml"))]
impl<'a> nom::Input for Bytes<'a> {
    type Item = u8;
    type Iter = core::iter::Copied<core::slice::Iter<'a, u8>>;
    type IterIndices = core::iter::Enumerate<Self::Iter>;

    fn input_len(&self) -> usize {
        self.0.len()
    }

    fn take(&self, index: usize) -> Self {
        Bytes(self.0.get(..index).unwrap_or(self.0))
    }

    fn take_from(&self, index: usize) -> Self {
        Bytes(self.0.get(index..).unwrap_or_default())
    }

    fn take_split(&self, index: usize) -> (Self, Self) {
        let (prefix, suffix) = self.0.split_at_checked(index).unwrap_or((self.0, &[]));
        (Bytes(suffix), Bytes(prefix))
    }

    fn position<P: Fn(u8) -> bool>(&self, predicate: P) -> Option<usize> {
        self.0.iter().position(|&b| predicate(b))
    }

    fn iter_elements(&self) -> Self::Iter {
        self.0.iter().copied()
    }

    fn iter_indices(&self) -> Self::IterIndices {
        self.iter_elements().enumerate()
    }

    fn slice_index(&self, count: usize) -> Result<usize, nom::Needed> {
        match self.0.len().checked_sub(count) {
            Some(_) => Ok(count),
            None => Err(nom::Needed::new(count.saturating_sub(self.0.len()))),
        }
    }
}

#[cfg(any(feature = "kv", feature = "xml"))]
impl<'b> nom::Compare<&'b [u8]> for Bytes<'_> {
    fn compare(&self, t: &'b [u8]) -> nom::CompareResult {
        self.0.compare(t)
    }

    fn compare_no_case(&self, t: &'b [u8]) -> nom::CompareResult {
        self.0.compare_no_case(t)
    }
}

#[cfg(any(feature = "kv", feature = "xml"))]
impl nom::Offset for Bytes<'_> {
    fn offset(&self, second: &Self) -> usize {
        (second.0.as_ptr() as usize).wrapping_sub(self.0.as_ptr() as usize)
    }
}

/// nom's error type inside this crate: how much input was left where it failed. nom's own
/// types never leave the crate.
#[cfg(any(feature = "kv", feature = "xml"))]
#[derive(Debug)]
pub(crate) struct NomError {
    rest_len: usize,
}

#[cfg(any(feature = "kv", feature = "xml"))]
impl<'a> ParseError<Bytes<'a>> for NomError {
    fn from_error_kind(input: Bytes<'a>, _kind: NomKind) -> Self {
        Self { rest_len: input.0.len() }
    }

    fn append(_input: Bytes<'a>, _kind: NomKind, other: Self) -> Self {
        other
    }
}

/// Runs a nom rule at `pos`: the position after it and its output, incomplete, or
/// `UnexpectedByte` where it failed (absolute offsets).
#[cfg(any(feature = "kv", feature = "xml"))]
pub(crate) fn run<'a, O, P>(buf: &'a [u8], pos: usize, mut rule: P) -> Scan<(usize, O)>
where
    P: nom::Parser<Bytes<'a>, Output = O, Error = NomError>,
{
    let input = Bytes(buf.get(pos..).unwrap_or_default());
    match rule.parse(input) {
        Ok((rest, out)) => Ok((buf.len().saturating_sub(rest.0.len()), out)),
        Err(nom::Err::Incomplete(_)) => Err(Fail::Incomplete),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            bad(Kind::UnexpectedByte, buf.len().saturating_sub(e.rest_len))
        }
    }
}

/// A known field's value in the buffer: its byte range and how it is escaped. Records are read
/// into spans first and turned into [`Text`]s once the whole record is known to be UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
    pub dialect: Dialect,
}

impl Span {
    pub(crate) const fn plain(start: usize, end: usize) -> Self {
        Self { start, end, dialect: Dialect::Plain }
    }

    /// The span as a [`Text`] of `region`, which is the validated text of `buf[base..]`.
    #[inline]
    pub(crate) fn text<'a>(&self, region: &'a str, base: usize) -> Scan<Text<'a>> {
        let start = self.start.wrapping_sub(base);
        let end = self.end.wrapping_sub(base);
        // Spans end at ASCII delimiters, so they are char boundaries; `get` checks it anyway.
        match region.get(start..end) {
            Some(raw) => Ok(Text::escaped(raw, self.dialect)),
            None => bad(Kind::InvalidUtf8, self.start),
        }
    }
}

/// The known fields of one record, by schema index, as they are read.
pub(crate) type Spans = [Option<Span>; MAX_KNOWN];

/// A record read in one pass: where it is, where the next thing starts, its known fields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Found {
    /// The record's own bytes: `start..end` (a JSON object, an XML element, a line).
    pub start: usize,
    pub end: usize,
    /// Where the bytes after the record (and its line end) start.
    pub next: usize,
}

/// What a format found inside a list.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Item {
    /// A record; its known fields are in the spans given to the call.
    Record(Found),
    /// The list is closed; what follows starts here.
    End(usize),
}

/// What a format found at the start of a body.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Open {
    /// A list opened; its items start here.
    List(usize),
    /// An empty list that closed itself (`<list/>`); the trailer starts here.
    #[cfg_attr(not(feature = "xml"), allow(dead_code))]
    Closed(usize),
    /// Not a list: a single answer (an error object, an id...).
    #[cfg_attr(not(any(feature = "json", feature = "xml", feature = "csv")), allow(dead_code))]
    Answer(Answer),
}

/// The index in `names` of `name`. `hint` is tried first: the field that usually comes next,
/// since the server writes fields in schema order. (Only a shortcut: the index is the same.)
// Always inlined: outlined, the call costs JSON and XML decoding 3 % of their instructions.
#[cfg(any(feature = "kv", feature = "json", feature = "xml"))]
#[inline(always)]
pub(crate) fn field_index(names: &[&str], name: &[u8], hint: usize) -> Option<usize> {
    if names.get(hint).is_some_and(|expected| scan::same_bytes(expected.as_bytes(), name)) {
        return Some(hint);
    }
    names.iter().position(|expected| scan::same_bytes(expected.as_bytes(), name))
}

/// The known fields an object or element has shown so far (to refuse one shown twice), and the
/// one likely to come next.
#[cfg(any(feature = "json", feature = "xml"))]
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Seen {
    fields: u32,
    next: usize,
}

#[cfg(any(feature = "json", feature = "xml"))]
impl Seen {
    /// The index in `names` of `name`.
    #[inline]
    pub(crate) fn index(&self, names: &[&str], name: &[u8]) -> Option<usize> {
        field_index(names, name, self.next)
    }

    /// Marks field `index` (below 32) as seen: false when it already was.
    #[inline]
    pub(crate) fn first_time(&mut self, index: usize) -> bool {
        let bit = 1u32.wrapping_shl(index as u32);
        let first = self.fields & bit == 0;
        self.fields |= bit;
        self.next = index + 1;
        first
    }
}

/// A single answer: an object or element with some of the members `id`, `result`, `error`,
/// `error_code`; or the bare shapes of the line formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Answer {
    pub id: Option<Span>,
    pub result: Option<Span>,
    pub error: Option<Span>,
    pub error_code: Option<Span>,
    /// Where the answer starts and ends in the buffer.
    pub start: usize,
    pub end: usize,
}

/// The members an answer object may carry, by name, in the order of the `Answer` fields.
#[cfg(any(feature = "json", feature = "xml"))]
pub(crate) const ANSWER_MEMBERS: [&str; 4] = ["id", "result", "error", "error_code"];

impl Answer {
    /// The API error this answer carries, if it has an error code.
    pub(crate) fn api_error<'a>(&self, region: &'a str, base: usize) -> Option<Scan<ApiError<'a>>> {
        let code = self.error_code?;
        Some(api_error(region, base, code, self.error))
    }
}

/// An API error from the spans of its code and description.
pub(crate) fn api_error<'a>(region: &'a str, base: usize, code: Span, error: Option<Span>) -> Scan<ApiError<'a>> {
    let digits = code.text(region, base)?;
    let Some(code) = digits.as_borrowed().and_then(|d| parse_code(d.as_bytes())) else {
        return bad(Kind::InvalidErrorCode, code.start);
    };
    let description = match error {
        Some(span) => Some(span.text(region, base)?),
        None => None,
    };
    Ok(ApiError { code, description })
}

/// An error code: a decimal number that fits in a `u16`.
pub(crate) fn parse_code(digits: &[u8]) -> Option<ErrorCode> {
    let value = scan::decimal(digits)?;
    u16::try_from(value).ok().map(ErrorCode::from_wire)
}

/// The record's schema and the limits, as every format sees them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ctx {
    pub schema: Schema,
    pub limits: Limits,
}

/// One field of a record, as [`RawRecord::fields`](crate::record::RawRecord::fields) re-reads it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Member<'a> {
    pub name: &'a str,
    pub value: Text<'a>,
}

/// How [`RawRecord::fields`](crate::record::RawRecord::fields) goes on through a record, per format.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cursor {
    #[cfg(feature = "json")]
    Json(json::Members),
    #[cfg(feature = "xml")]
    Xml(xml::Children),
    #[cfg(feature = "kv")]
    Kv(kv::Pairs),
    #[cfg(feature = "csv")]
    Csv(csv::Values),
    /// Nothing (more) to read.
    Done,
}

/// Where a list's item is read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place {
    /// No record was read yet.
    #[cfg_attr(not(feature = "json"), allow(dead_code))]
    pub first: bool,
    /// No byte follows the buffer.
    #[cfg_attr(not(any(feature = "kv", feature = "csv")), allow(dead_code))]
    pub eof: bool,
    /// Look for the record's end before reading it: more bytes may still arrive for this item
    /// (streaming, within the record limit) and the buffer's rest is short enough that the
    /// record may not be whole. A format then waits for more, without reading, when a quick
    /// scan finds no end; reading a record that straddles two buffers costs more than the
    /// scan. Either way the result is the same: a record cut by the buffer's end is
    /// `Incomplete` when read.
    pub look_ahead: bool,
}

/// How a format reads the next item of a list at `pos` into `spans`.
pub(crate) type ReadItem = fn(buf: &[u8], pos: usize, place: Place, ctx: &Ctx, spans: &mut Spans) -> Scan<Item>;

/// A format, as the streaming shell reaches it. Positions are offsets into the buffer given.
pub(crate) struct Grammar {
    /// At `pos`, before the list: its opening, or a single answer. `eof`: no byte follows.
    pub open: fn(buf: &[u8], pos: usize, eof: bool, ctx: &Ctx) -> Scan<Open>,
    /// At `pos`, inside the list: the next record, read into `spans`, or the list's end.
    pub item: ReadItem,
    /// At `pos`, after the list or an answer: the position after what may trail the body
    /// (whitespace, and in XML comments and processing instructions).
    pub trailer: fn(buf: &[u8], pos: usize) -> Scan<usize>,
    /// The whole body `buf[pos..]` (BOM and surrounding whitespace already trimmed) as a single
    /// answer.
    pub answer: fn(buf: &[u8], pos: usize, ctx: &Ctx) -> Scan<Answer>,
    /// A cursor over the fields of `record` (a record this format decoded).
    pub fields: fn(record: &str, ctx: &Ctx) -> Cursor,
}

impl core::fmt::Debug for Grammar {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Grammar")
    }
}

/// The grammar of `fmt`, when its feature is enabled.
pub(crate) const fn grammar(fmt: Fmt) -> Option<&'static Grammar> {
    match fmt {
        #[cfg(feature = "kv")]
        Fmt::KeyValue => Some(&kv::GRAMMAR),
        #[cfg(feature = "csv")]
        Fmt::Csv => Some(&csv::GRAMMAR),
        #[cfg(feature = "xml")]
        Fmt::Xml => Some(&xml::GRAMMAR),
        #[cfg(feature = "json")]
        Fmt::Json => Some(&json::GRAMMAR),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// The next field of a [`Cursor`] over `record`.
pub(crate) fn next_member<'a>(record: &'a str, cursor: &mut Cursor, ctx: &Ctx) -> Option<Member<'a>> {
    match cursor {
        #[cfg(feature = "json")]
        Cursor::Json(members) => members.next(record, ctx),
        #[cfg(feature = "xml")]
        Cursor::Xml(children) => children.next(record, ctx),
        #[cfg(feature = "kv")]
        Cursor::Kv(pairs) => pairs.next(record, ctx),
        #[cfg(feature = "csv")]
        Cursor::Csv(values) => values.next(record, ctx),
        Cursor::Done => None,
    }
}

/// The fmt=0 error line `ERROR = N (description)`, which the server may answer under any fmt.
/// It is recognised only by its whole shape: a line that starts with `ERROR` but goes on
/// otherwise (a mails.php address, say) is not an error.
pub(crate) mod error_line {
    use super::{scan, Answer, Fail, Scan, Span};

    /// The error line at `pos` (the first byte of the body that is not whitespace): `Ok(None)`
    /// when the body does not have its shape, incomplete while it may still get it.
    ///
    /// `"ERROR" S? "=" S? digits S? ("(" description ")")? S?`, S being spaces and tabs, the
    /// description running to the last `)` of the line so that it may hold parentheses. A
    /// hand-written rule: every fmt's decoder has it, a microcontroller's too.
    pub(crate) fn recognise(buf: &[u8], pos: usize, eof: bool) -> Scan<Option<Answer>> {
        match buf.get(pos..).unwrap_or_default() {
            rest if rest.len() < 5 && b"ERROR".starts_with(rest) && !eof => return Err(Fail::Incomplete),
            rest if !rest.starts_with(b"ERROR") => return Ok(None),
            // Only blanks or `=` may follow the word.
            [_, _, _, _, _, next, ..] if !matches!(next, b' ' | b'\t' | b'=') => return Ok(None),
            _ => {}
        }
        let line_end = match scan::find_byte(buf, pos, b'\n') {
            Some(lf) => lf,
            None if eof => buf.len(),
            None => return Err(Fail::Incomplete),
        };
        let end = scan::trim_end_space(buf.get(..line_end).unwrap_or_default(), pos);
        let line = buf.get(..end).unwrap_or_default();
        let at = scan::skip_blank(line, pos + 5);
        if line.get(at) != Some(&b'=') {
            return Ok(None);
        }
        let code_at = scan::skip_blank(line, at + 1);
        let code_end =
            code_at + line.get(code_at..).unwrap_or_default().iter().take_while(|b| b.is_ascii_digit()).count();
        if code_end == code_at {
            return Ok(None);
        }
        let at = scan::skip_blank(line, code_end);
        let error = match line.get(at) {
            None => None,
            Some(b'(') if line.last() == Some(&b')') && end >= at + 2 => Some(Span::plain(at + 1, end - 1)),
            Some(_) => return Ok(None),
        };
        let error_code = Some(Span::plain(code_at, code_end));
        Ok(Some(Answer { error_code, error, start: pos, end, ..Answer::default() }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(body: &[u8]) -> Option<(u16, Option<&str>)> {
        let answer = error_line::recognise(body, 0, true).unwrap()?;
        let region = core::str::from_utf8(body).unwrap();
        let api = answer.api_error(region, 0).unwrap().unwrap();
        Some((api.code.wire(), api.description.map(|d| d.raw())))
    }

    #[test]
    fn the_error_line_is_recognised_by_its_whole_shape() {
        assert_eq!(error(b"ERROR = 3 (record not found)"), Some((3, Some("record not found"))));
        assert_eq!(error(b"ERROR=9"), Some((9, None)));
        assert_eq!(error(b"ERROR = 5 (save error (duplicate))\n"), Some((5, Some("save error (duplicate)"))));
        assert_eq!(error(b"ERROR = 2 (a) \t"), Some((2, Some("a"))));
        // Not the shape: an address, a word after the description, no digits.
        assert_eq!(error(b"ERROR@example.com,Ivan"), None);
        assert_eq!(error(b"ERROR = 2 (a) b"), None);
        assert_eq!(error(b"ERROR = x"), None);
        assert_eq!(error(b"ERROR = 2 a"), None);
        assert_eq!(error(b"OK"), None);
        // While the line is not complete, it may still become the error line.
        assert_eq!(error_line::recognise(b"ERR", 0, false), Err(Fail::Incomplete));
        assert_eq!(error_line::recognise(b"ERROR = 3 (rec", 0, false), Err(Fail::Incomplete));
        assert_eq!(error_line::recognise(b"ERRORx", 0, false), Ok(None));
    }

    #[test]
    fn codes_fit_u16() {
        assert_eq!(parse_code(b"65535"), Some(ErrorCode::Other(65535)));
        assert_eq!(parse_code(b"65536"), None);
        assert_eq!(parse_code(b""), None);
        assert_eq!(parse_code(b"+1"), None);
    }
}
