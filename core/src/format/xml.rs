//! fmt=2: XML 1.0, checked for well-formedness as far as the server's answers can go: names
//! of the right characters, attributes (checked, unique, then ignored), character data without
//! `]]>`, control characters or U+FFFE/U+FFFF, entity and character references to XML
//! characters only, comments without `--`, processing instructions, and the XML declaration
//! only at the very start. CDATA sections and document type declarations are refused: the
//! server writes neither.
//!
//! A list is `<list>` with one element per record and one child element per field. A field's
//! text goes straight into its slot; its line ends are normalised when it is read (section
//! 2.11). A field holding elements, comments or processing instructions is a structure:
//! skipped for an unknown field (iteratively, its open names on a fixed stack), refused for a
//! known one. A single answer is one element (`<result>OK</result>`, `<group><id>5</id></group>`,
//! `<result><error>...</error><error_code>N</error_code></result>`).

use nom::branch::alt;
use nom::bytes::streaming::{tag, take_while, take_while1};
use nom::character::streaming::{char, digit1};
use nom::combinator::{opt, recognize};
use nom::sequence::{delimited, preceded};
use nom::Parser;

use super::scan::{self, is, is_space, same_bytes, skip_space, xml_text_stop, Class};
use super::{
    bad, byte, run, Answer, Bytes, Ctx, Cursor, Fail, Found, Grammar, Item, Member, NomError, Open, Place, Scan, Seen,
    Span, Spans, ANSWER_MEMBERS,
};
use crate::error::DecodeErrorKind as Kind;
use crate::limits::Limits;
use crate::text::{xml_reference, Dialect, EscapeError, Text};

pub(crate) static GRAMMAR: Grammar = Grammar { open, item, trailer, answer, fields };

/// The name of the list element.
const LIST: &[u8] = b"list";
/// The nesting level of a list's records.
const RECORD_DEPTH: usize = 2;

/// Before the list: the declaration and misc, then `<list>` (or `<list/>`), or a single answer.
fn open(buf: &[u8], pos: usize, _eof: bool, ctx: &Ctx) -> Scan<Open> {
    let at = prologue(buf, pos)?;
    if byte(buf, at)? != b'<' {
        return bad(Kind::UnexpectedShape, at);
    }
    let tag = start_tag(buf, at, &ctx.limits)?;
    if tag.name(buf) == LIST {
        return Ok(match tag.empty {
            true => Open::Closed(tag.end),
            false => Open::List(tag.end),
        });
    }
    answer_element(buf, at, &tag, &ctx.limits).map(Open::Answer)
}

/// Inside the list: the next record element, or `</list>`.
fn item(buf: &[u8], pos: usize, place: Place, ctx: &Ctx, spans: &mut Spans) -> Scan<Item> {
    let at = misc(buf, pos, false)?;
    if byte(buf, at)? != b'<' {
        return bad(Kind::UnexpectedByte, at);
    }
    if byte(buf, at + 1)? == b'/' {
        let (end, name) = end_tag(buf, at)?;
        if buf.get(name.0..name.1) != Some(LIST) {
            return bad(Kind::MismatchedTag, at);
        }
        return Ok(Item::End(end));
    }
    if ctx.limits.depth() < RECORD_DEPTH {
        return bad(Kind::DepthLimit, at);
    }
    let tag = start_tag(buf, at, &ctx.limits)?;
    // While streaming, a record whose end tag is nowhere after it cannot be complete: wait for
    // more without reading it (a record that straddles two buffers is then read once).
    if place.look_ahead && !tag.empty && !has_end_tag(buf, &tag) {
        return Err(Fail::Incomplete);
    }
    let end = match tag.empty {
        true => tag.end,
        false => children(buf, &tag, ctx.schema.names, spans, RECORD_DEPTH, &ctx.limits)?,
    };
    Ok(Item::Record(Found { start: at, end, next: end }))
}

/// After the root element: whitespace, comments and processing instructions.
fn trailer(buf: &[u8], pos: usize) -> Scan<usize> {
    misc(buf, pos, true)
}

/// The whole body as a single answer element.
fn answer(buf: &[u8], pos: usize, ctx: &Ctx) -> Scan<Answer> {
    let at = match prologue(buf, pos) {
        Err(Fail::Incomplete) => return bad(Kind::UnexpectedEnd, buf.len()),
        other => other?,
    };
    match byte(buf, at) {
        Ok(b'<') => {}
        Ok(_) => return bad(Kind::UnexpectedShape, at),
        Err(_) => return bad(Kind::UnexpectedEnd, at),
    }
    let tag = start_tag(buf, at, &ctx.limits)?;
    answer_element(buf, at, &tag, &ctx.limits)
}

/// `<result>OK</result>`, or an element whose children are the answer's members.
fn answer_element(buf: &[u8], at: usize, tag: &Tag, limits: &Limits) -> Scan<Answer> {
    let mut answer = Answer { start: at, end: tag.end, ..Answer::default() };
    if tag.empty {
        return Ok(answer);
    }
    let (lt, dialect) = text(buf, tag.end, limits.max_value_len)?;
    if byte(buf, lt + 1)? == b'/' {
        answer.end = close(buf, lt, tag.name_range())?;
        if tag.name(buf) == b"result" {
            answer.result = Some(Span { start: tag.end, end: lt, dialect });
        }
        return Ok(answer);
    }
    let mut members = [None; 4];
    answer.end = children(buf, tag, &ANSWER_MEMBERS, &mut members, 1, limits)?;
    [answer.id, answer.result, answer.error, answer.error_code] = members;
    Ok(answer)
}

/// A start tag: its name runs from after the `<` at `at` to `name_end`.
#[derive(Clone, Copy, Debug)]
struct Tag {
    at: usize,
    name_end: usize,
    /// The position after the `>`.
    end: usize,
    /// `<name/>`.
    empty: bool,
}

impl Tag {
    const fn name_range(&self) -> (usize, usize) {
        (self.at + 1, self.name_end)
    }

    fn name<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        buf.get(self.at + 1..self.name_end).unwrap_or_default()
    }
}

/// The children of the element of `tag`, at nesting level `depth`: those named in `names` go
/// into `slots` by index (text only), the others are checked and skipped. The position after
/// the element's end tag.
#[inline]
fn children(
    buf: &[u8],
    tag: &Tag,
    names: &[&str],
    slots: &mut [Option<Span>],
    depth: usize,
    limits: &Limits,
) -> Scan<usize> {
    let (mut count, mut seen) = (0usize, Seen::default());
    let mut at = tag.end;
    loop {
        at = misc(buf, at, false)?;
        if byte(buf, at)? != b'<' {
            // Text beside child elements: not a shape the server writes.
            return bad(Kind::UnexpectedByte, at);
        }
        if byte(buf, at + 1)? == b'/' {
            return close(buf, at, tag.name_range());
        }
        let child = start_tag(buf, at, limits)?;
        count += 1;
        if count > limits.fields() {
            return bad(Kind::TooManyFields, at);
        }
        let (value, end) = element_value(buf, &child, depth, limits)?;
        let name = child.name(buf);
        if let Some(index) = seen.index(names, name) {
            if !seen.first_time(index) {
                return bad(Kind::DuplicateField, at);
            }
            match value {
                Value::Text(span) => {
                    if let Some(slot) = slots.get_mut(index) {
                        *slot = Some(span);
                    }
                }
                Value::Structure(..) => return bad(Kind::NotAScalar, at),
            }
        }
        at = end;
    }
}

/// A field element's value.
#[derive(Clone, Copy, Debug)]
enum Value {
    /// Its text (an empty element has the empty text).
    Text(Span),
    /// Elements, comments or processing instructions inside: the raw content's range.
    Structure(usize, usize),
}

/// The value of the element of `tag`, a field of an element at nesting level `depth` (its
/// child elements open `depth + 1`), and the position after its end tag.
#[inline]
fn element_value(buf: &[u8], tag: &Tag, depth: usize, limits: &Limits) -> Scan<(Value, usize)> {
    if tag.empty {
        return Ok((Value::Text(Span::plain(tag.end, tag.end)), tag.end));
    }
    let (lt, dialect) = text(buf, tag.end, limits.max_value_len)?;
    if byte(buf, lt + 1)? == b'/' {
        let end = close(buf, lt, tag.name_range())?;
        return Ok((Value::Text(Span { start: tag.end, end: lt, dialect }), end));
    }
    let (close_at, end) = skip_content(buf, lt, tag.name_range(), depth, limits)?;
    Ok((Value::Structure(tag.end, close_at), end))
}

/// Whether `</name` of the element of `tag` (then `>` or a space) appears after it: a quick
/// look, no parsing. It looks from the buffer's end back, since a complete record is followed by
/// little of the next, and for `/` and the name's first byte, a pair that few field end tags share.
///
/// Only a shortcut: saying `true` wrongly costs a read that finds the record incomplete, so
/// the answers are the same; saying `false` wrongly would hold a complete record back.
fn has_end_tag(buf: &[u8], tag: &Tag) -> bool {
    let name = tag.name(buf);
    let Some(&first) = name.first() else {
        return false;
    };
    let mut to = buf.len();
    // From the tag's end: a `/` there has the tag's `>` before it, which the check refuses.
    while let Some(slash) = scan::rfind_pair(buf.get(..to).unwrap_or_default(), tag.end, b'/', first) {
        let after = slash + 1 + name.len();
        if buf.get(slash - 1) == Some(&b'<')
            && matches!(buf.get(after), Some(b'>' | b' ' | b'\t' | b'\r' | b'\n'))
            && buf.get(slash + 1..after).is_some_and(|found| same_bytes(found, name))
        {
            return true;
        }
        to = slash;
    }
    false
}

/// The end tag at `at`, which must close the element named `buf[name.0..name.1]`: the position
/// after it.
#[inline]
fn close(buf: &[u8], at: usize, name: (usize, usize)) -> Scan<usize> {
    if let Some(end) = plain_end_tag(buf, at, buf.get(name.0..name.1).unwrap_or_default()) {
        return Ok(end);
    }
    let (end, closing) = end_tag(buf, at)?;
    match buf.get(closing.0..closing.1) == buf.get(name.0..name.1) {
        true => Ok(end),
        false => bad(Kind::MismatchedTag, at),
    }
}

/// The usual end tag, `</name>` with the open element's (already checked) name, at `at`: the
/// position after it. Only a shortcut: anything else goes through the grammar, for its exact
/// error or its spaces.
#[inline]
fn plain_end_tag(buf: &[u8], at: usize, name: &[u8]) -> Option<usize> {
    let rest = buf.get(at..)?.strip_prefix(b"</")?;
    let (found, after) = rest.split_at_checked(name.len())?;
    (same_bytes(found, name) && after.first() == Some(&b'>')).then(|| buf.len() - after.len() + 1)
}

/// Skips the rest of an element's content from `pos` (a `<` after its first text): child
/// elements (their names on a fixed stack, so depth is bounded without recursion), text,
/// comments and processing instructions, up to the end tag matching `name`. The position of
/// that end tag and the position after it.
fn skip_content(buf: &[u8], pos: usize, name: (usize, usize), depth: usize, limits: &Limits) -> Scan<(usize, usize)> {
    let max_depth = limits.depth();
    // The starts of the open child elements' names, relative to `pos`.
    let mut open = [0u32; Limits::MAX_DEPTH];
    let mut level = 0usize;
    let mut at = pos;
    loop {
        at = text(buf, at, limits.max_value_len)?.0;
        match byte(buf, at + 1)? {
            b'/' => {
                let expected = match level.checked_sub(1) {
                    None => name,
                    Some(top) => {
                        let start = pos + open.get(top).map_or(0, |&o| o as usize);
                        (start, name_end(buf, start)?)
                    }
                };
                let end = close(buf, at, expected)?;
                match level.checked_sub(1) {
                    None => return Ok((at, end)),
                    Some(lower) => level = lower,
                }
                at = end;
            }
            b'!' | b'?' => at = comment_or_pi(buf, at)?,
            _ => {
                let tag = start_tag(buf, at, limits)?;
                if !tag.empty {
                    if depth + level + 1 > max_depth || level >= Limits::MAX_DEPTH {
                        return bad(Kind::DepthLimit, at);
                    }
                    let Ok(offset) = u32::try_from(at + 1 - pos) else {
                        return bad(Kind::RecordTooLong, pos);
                    };
                    if let Some(slot) = open.get_mut(level) {
                        *slot = offset;
                    }
                    level += 1;
                }
                at = tag.end;
            }
        }
    }
}

/// The class of the ASCII bytes that may start a name.
const NAME_START: Class = scan::class(b"_:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

/// The class of the ASCII bytes that may continue a name.
const NAME: Class = scan::class_and(NAME_START, b"0123456789-.");

/// XML 1.0 (fifth edition) `NameStartChar`, beyond ASCII.
const fn is_name_start(c: char) -> bool {
    matches!(c as u32,
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2FF | 0x370..=0x37D | 0x37F..=0x1FFF | 0x200C..=0x200D
        | 0x2070..=0x218F | 0x2C00..=0x2FEF | 0x3001..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFFD
        | 0x10000..=0xEFFFF)
}

/// XML 1.0 `NameChar`, beyond ASCII.
const fn is_name_char(c: char) -> bool {
    is_name_start(c) || matches!(c as u32, 0xB7 | 0x300..=0x36F | 0x203F..=0x2040)
}

/// The character at `at` (not ASCII) and its length.
fn char_at(buf: &[u8], at: usize) -> Scan<(char, usize)> {
    let len = match byte(buf, at)? {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return bad(Kind::InvalidUtf8, at),
    };
    let Some(bytes) = buf.get(at..at + len) else {
        return match scan::first_invalid(buf, at, buf.len()) {
            Some(invalid) => bad(Kind::InvalidUtf8, invalid),
            None => Err(Fail::Incomplete),
        };
    };
    match core::str::from_utf8(bytes).ok().and_then(|s| s.chars().next()) {
        Some(c) => Ok((c, len)),
        None => bad(Kind::InvalidUtf8, at),
    }
}

/// The end of the name at `pos`: an ASCII name (every name the server writes) in a tight loop.
#[inline]
fn name_end(buf: &[u8], pos: usize) -> Scan<usize> {
    match byte(buf, pos)? {
        b if b >= 0x80 => return any_name_end(buf, pos),
        b if !is(&NAME_START, b) => return bad(Kind::UnexpectedByte, pos),
        _ => {}
    }
    let mut at = pos + 1;
    while let Some(&b) = buf.get(at) {
        if !is(&NAME, b) {
            return match b >= 0x80 {
                true => any_name_end(buf, pos),
                false => Ok(at),
            };
        }
        at += 1;
    }
    Err(Fail::Incomplete)
}

/// The end of the name at `pos`, which may hold any name character.
fn any_name_end(buf: &[u8], pos: usize) -> Scan<usize> {
    let mut at = pos;
    loop {
        let b = byte(buf, at)?;
        if b < 0x80 {
            let table = if at == pos { &NAME_START } else { &NAME };
            if !is(table, b) {
                break;
            }
            at += 1;
        } else {
            let (c, len) = char_at(buf, at)?;
            let fits = if at == pos { is_name_start(c) } else { is_name_char(c) };
            if !fits {
                break;
            }
            at += len;
        }
    }
    match at > pos {
        true => Ok(at),
        false => bad(Kind::UnexpectedByte, pos),
    }
}

/// The start tag at `at` (a `<` followed by a name): `<` Name (S Attribute)* S? (`>` | `/>`).
#[inline]
fn start_tag(buf: &[u8], at: usize, limits: &Limits) -> Scan<Tag> {
    let name_end = name_end(buf, at + 1)?;
    let mut pos = name_end;
    let mut attributes = 0usize;
    loop {
        let next = skip_space(buf, pos);
        match byte(buf, next)? {
            b'>' => return Ok(Tag { at, name_end, end: next + 1, empty: false }),
            b'/' => {
                return match byte(buf, next + 1)? {
                    b'>' => Ok(Tag { at, name_end, end: next + 2, empty: true }),
                    _ => bad(Kind::UnexpectedByte, next + 1),
                }
            }
            // An attribute needs whitespace before it.
            _ if next == pos => return bad(Kind::UnexpectedByte, next),
            _ => {
                attributes += 1;
                if attributes > limits.fields() {
                    return bad(Kind::TooManyFields, next);
                }
                pos = attribute(buf, next, name_end)?;
            }
        }
    }
}

/// The class of the bytes that stop an attribute value's scan.
const ATTRIBUTE_STOP: Class = scan::controls_and(b"<&\"'\xEF");

/// The attribute at `at` in a start tag whose name ends at `first`: Name Eq AttValue. Its
/// name must not repeat an earlier attribute's. The position after its closing quote.
fn attribute(buf: &[u8], at: usize, first: usize) -> Scan<usize> {
    let end_of_name = name_end(buf, at)?;
    let mut pos = skip_space(buf, end_of_name);
    if byte(buf, pos)? != b'=' {
        return bad(Kind::UnexpectedByte, pos);
    }
    pos = skip_space(buf, pos + 1);
    let quote = byte(buf, pos)?;
    if quote != b'"' && quote != b'\'' {
        return bad(Kind::UnexpectedByte, pos);
    }
    pos += 1;
    let end = loop {
        pos = scan::find_class(buf, pos, &ATTRIBUTE_STOP);
        match byte(buf, pos)? {
            b if b == quote => break pos + 1,
            b'"' | b'\'' | b'\t' | b'\n' | b'\r' => pos += 1,
            b'&' => pos = reference(buf, pos)?,
            0xEF => pos = non_character(buf, pos)?,
            _ => return bad(Kind::UnexpectedByte, pos),
        }
    };
    // Earlier attributes of the same tag, read again: a tag has few.
    let name = buf.get(at..end_of_name);
    let mut earlier = skip_space(buf, first);
    while earlier < at {
        let earlier_end = name_end(buf, earlier)?;
        if buf.get(earlier..earlier_end) == name {
            return bad(Kind::UnexpectedByte, at);
        }
        let value = skip_space(buf, skip_space(buf, earlier_end) + 1);
        let quote = byte(buf, value)?;
        let close = scan::find_byte(buf, value + 1, quote).unwrap_or(buf.len());
        earlier = skip_space(buf, close + 1);
    }
    Ok(end)
}

/// The end tag at `at`: `</` Name S? `>`. The position after it and the name's range.
#[inline]
fn end_tag(buf: &[u8], at: usize) -> Scan<(usize, (usize, usize))> {
    let name_end = name_end(buf, at + 2)?;
    let gt = skip_space(buf, name_end);
    match byte(buf, gt)? {
        b'>' => Ok((gt + 1, (at + 2, name_end))),
        _ => bad(Kind::UnexpectedByte, gt),
    }
}

/// Character data from `pos` to the next `<`: its position and the text's dialect
/// ([`Dialect::Xml`] when it holds a reference or a CR to normalise).
#[inline]
fn text(buf: &[u8], pos: usize, max_len: usize) -> Scan<(usize, Dialect)> {
    let mut at = pos;
    let mut dialect = Dialect::Plain;
    loop {
        at = xml_text_stop(buf, at);
        if at - pos > max_len {
            return bad(Kind::ValueTooLong, pos);
        }
        match byte(buf, at)? {
            b'<' => return Ok((at, dialect)),
            b'&' => {
                at = reference(buf, at)?;
                dialect = Dialect::Xml;
            }
            b'\r' => {
                at += 1;
                dialect = Dialect::Xml;
            }
            b'\t' | b'\n' => at += 1,
            b']' => {
                if byte(buf, at + 1)? == b']' && byte(buf, at + 2)? == b'>' {
                    return bad(Kind::UnexpectedByte, at);
                }
                at += 1;
            }
            0xEF => at = non_character(buf, at)?,
            _ => return bad(Kind::UnexpectedByte, at),
        }
    }
}

/// At a 0xEF byte: refuses U+FFFE and U+FFFF, which are not XML characters. The position after
/// the byte.
fn non_character(buf: &[u8], at: usize) -> Scan<usize> {
    match (byte(buf, at + 1)?, byte(buf, at + 2)?) {
        (0xBF, 0xBE | 0xBF) => bad(Kind::UnexpectedByte, at),
        _ => Ok(at + 1),
    }
}

/// The reference at `at` (`&`): the position after its `;`.
#[inline]
fn reference(buf: &[u8], at: usize) -> Scan<usize> {
    match xml_reference(buf.get(at..).unwrap_or_default()) {
        Ok((_, used)) => Ok(at + used),
        Err(EscapeError::Truncated) => Err(Fail::Incomplete),
        Err(_) => bad(Kind::InvalidCharRef, at),
    }
}

/// The class of the bytes that stop a comment's or processing instruction's scan.
const MARKUP_STOP: Class = scan::controls_and(b"-?\xEF");

/// The comment or processing instruction at `at` (`<!` or `<?`): the position after it.
/// Anything else that starts with `<!` (CDATA, a document type) is refused.
fn comment_or_pi(buf: &[u8], at: usize) -> Scan<usize> {
    let rest = buf.get(at..).unwrap_or_default();
    if rest.starts_with(b"<?") {
        return pi(buf, at);
    }
    if !rest.starts_with(b"<!--") {
        return match b"<!--".starts_with(rest) {
            true => Err(Fail::Incomplete),
            false => bad(Kind::UnexpectedByte, at),
        };
    }
    // `<!--` ((Char - '-') | ('-' (Char - '-')))* `-->`
    let mut pos = at + 4;
    loop {
        pos = scan::find_class(buf, pos, &MARKUP_STOP);
        match byte(buf, pos)? {
            b'-' if byte(buf, pos + 1)? == b'-' => {
                return match byte(buf, pos + 2)? {
                    b'>' => Ok(pos + 3),
                    _ => bad(Kind::UnexpectedByte, pos),
                }
            }
            b'-' | b'?' | b'\t' | b'\n' | b'\r' => pos += 1,
            0xEF => pos = non_character(buf, pos)?,
            _ => return bad(Kind::UnexpectedByte, pos),
        }
    }
}

/// The processing instruction at `at`: `<?` PITarget (S chars)? `?>`, the target any name but
/// `xml` in any case (the declaration has its own place).
fn pi(buf: &[u8], at: usize) -> Scan<usize> {
    let target_end = name_end(buf, at + 2)?;
    if buf.get(at + 2..target_end).is_some_and(|t| t.eq_ignore_ascii_case(b"xml")) {
        return bad(Kind::UnexpectedByte, at);
    }
    let mut pos = target_end;
    match byte(buf, pos)? {
        b'?' => {}
        b if is_space(b) => {}
        _ => return bad(Kind::UnexpectedByte, pos),
    }
    loop {
        pos = scan::find_class(buf, pos, &MARKUP_STOP);
        match byte(buf, pos)? {
            b'?' if byte(buf, pos + 1)? == b'>' => return Ok(pos + 2),
            b'-' | b'?' | b'\t' | b'\n' | b'\r' => pos += 1,
            0xEF => pos = non_character(buf, pos)?,
            _ => return bad(Kind::UnexpectedByte, pos),
        }
    }
}

/// Whitespace, comments and processing instructions from `pos`: the position of what follows.
/// At the end of the buffer: that position when `at_end` (nothing more is needed), otherwise
/// incomplete.
fn misc(buf: &[u8], pos: usize, at_end: bool) -> Scan<usize> {
    let mut at = pos;
    loop {
        at = skip_space(buf, at);
        match (buf.get(at), buf.get(at + 1)) {
            (None, _) if at_end => return Ok(at),
            (None, _) | (Some(b'<'), None) => return Err(Fail::Incomplete),
            (Some(b'<'), Some(b'!' | b'?')) => at = comment_or_pi(buf, at)?,
            _ => return Ok(at),
        }
    }
}

/// `S`, as nom sees it.
fn space<'a>() -> impl Parser<Bytes<'a>, Output = Bytes<'a>, Error = NomError> {
    take_while1(is_space)
}

/// `Eq ::= S? '=' S?`
fn eq<'a>() -> impl Parser<Bytes<'a>, Output = (), Error = NomError> {
    (take_while(is_space), char('='), take_while(is_space)).map(|_| ())
}

/// A quoted value: `"v"` or `'v'`.
fn quoted<'a, P>(value: fn() -> P) -> impl Parser<Bytes<'a>, Output = Bytes<'a>, Error = NomError>
where
    P: Parser<Bytes<'a>, Output = Bytes<'a>, Error = NomError>,
{
    alt((delimited(char('"'), value(), char('"')), delimited(char('\''), value(), char('\''))))
}

/// `VersionNum ::= '1.' [0-9]+`
fn version_num<'a>() -> impl Parser<Bytes<'a>, Output = Bytes<'a>, Error = NomError> {
    recognize((tag(&b"1."[..]), digit1))
}

/// `EncName ::= [A-Za-z] ([A-Za-z0-9._] | '-')*`
fn enc_name<'a>() -> impl Parser<Bytes<'a>, Output = Bytes<'a>, Error = NomError> {
    recognize((
        take_while1(|b: u8| b.is_ascii_alphabetic()).map(|_| ()),
        take_while(|b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')),
    ))
}

/// `yes` or `no`.
fn yes_no<'a>() -> impl Parser<Bytes<'a>, Output = Bytes<'a>, Error = NomError> {
    alt((tag(&b"yes"[..]), tag(&b"no"[..])))
}

/// `XMLDecl ::= '<?xml' VersionInfo EncodingDecl? SDDecl? S? '?>'`, with
/// `VersionInfo ::= S 'version' Eq ("'" VersionNum "'" | '"' VersionNum '"')`,
/// `EncodingDecl ::= S 'encoding' Eq ('"' EncName '"' | "'" EncName "'")` and
/// `SDDecl ::= S 'standalone' Eq (("'" ('yes' | 'no') "'") | ('"' ('yes' | 'no') '"'))`.
fn xml_decl(buf: &[u8], pos: usize) -> Scan<usize> {
    let version_info = preceded((space(), tag(&b"version"[..]), eq()), quoted(version_num));
    let encoding_decl = preceded((space(), tag(&b"encoding"[..]), eq()), quoted(enc_name));
    let sd_decl = preceded((space(), tag(&b"standalone"[..]), eq()), quoted(yes_no));
    let decl =
        (tag(&b"<?xml"[..]), version_info, opt(encoding_decl), opt(sd_decl), take_while(is_space), tag(&b"?>"[..]));
    run(buf, pos, decl).map(|(end, _)| end)
}

/// The document's start at `pos`: the XML declaration if it is there, then misc. The position
/// of the root element.
fn prologue(buf: &[u8], pos: usize) -> Scan<usize> {
    let rest = buf.get(pos..).unwrap_or_default();
    let decl = b"<?xml";
    // The byte after `<?xml` tells the declaration from a processing instruction; a buffer that
    // ends before it is read as the start of one, whose target is incomplete.
    let at = if rest.starts_with(decl) && rest.get(decl.len()).is_some_and(|&b| is_space(b)) {
        xml_decl(buf, pos)?
    } else {
        pos
    };
    misc(buf, at, false)
}

/// [`RawRecord::fields`](crate::record::RawRecord::fields) through an XML record: its child elements
/// in order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Children {
    /// Where the next child may start; `None` before the record's start tag was read.
    pos: Option<usize>,
}

fn fields(_record: &str, _ctx: &Ctx) -> Cursor {
    Cursor::Xml(Children { pos: None })
}

impl Children {
    pub(crate) fn next<'a>(&mut self, record: &'a str, ctx: &Ctx) -> Option<Member<'a>> {
        let buf = record.as_bytes();
        let limits = &ctx.limits;
        let pos = match self.pos {
            Some(pos) => pos,
            None => {
                let tag = start_tag(buf, 0, limits).ok()?;
                if tag.empty {
                    return None;
                }
                tag.end
            }
        };
        let at = misc(buf, pos, false).ok()?;
        // The record's end tag, `</`, is no start tag: that ends the fields.
        let child = start_tag(buf, at, limits).ok()?;
        let (value, end) = element_value(buf, &child, RECORD_DEPTH, limits).ok()?;
        self.pos = Some(end);
        let name = record.get(at + 1..child.name_end)?;
        let value = match value {
            Value::Text(span) => span.text(record, 0).ok()?,
            Value::Structure(start, end) => Text::plain(record.get(start..end)?),
        };
        Some(Member { name, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits::DEFAULT;

    fn element(body: &[u8]) -> Scan<([Option<Span>; 4], usize)> {
        let tag = start_tag(body, 0, &LIMITS)?;
        let mut slots = [None; 4];
        let end = children(body, &tag, &["phone", "name", "tags", "x"], &mut slots, 1, &LIMITS)?;
        Ok((slots, end))
    }

    #[test]
    fn reads_children() {
        let body = b"<contact>\n<phone>79991112233</phone><name a=\"x>y\" b='1'>A &amp; B</name><!-- c --><tags/>\n<y><z>1</z></y></contact>";
        let (slots, end) = element(body).unwrap();
        assert_eq!(end, body.len());
        assert_eq!(slots[0], Some(Span::plain(17, 28)));
        assert_eq!(slots[1], Some(Span { start: 56, end: 65, dialect: Dialect::Xml }));
        assert_eq!(slots[2], Some(Span::plain(89, 89)));
        assert_eq!(slots[3], None);
    }

    #[test]
    fn rejects_what_is_not_well_formed() {
        let error = |body: &[u8]| element(body).err();
        assert_eq!(error(b"<c><name>a</c></name>"), Some(Fail::Bad(Kind::MismatchedTag, 10)));
        assert_eq!(error(b"<c><y><z>1</y></z></c>"), Some(Fail::Bad(Kind::MismatchedTag, 10)));
        assert_eq!(error(b"<c><name>&#0;</name></c>"), Some(Fail::Bad(Kind::InvalidCharRef, 9)));
        assert_eq!(error(b"<c><name>&#1;</name></c>"), Some(Fail::Bad(Kind::InvalidCharRef, 9)));
        assert_eq!(error(b"<c><name>a]]>b</name></c>"), Some(Fail::Bad(Kind::UnexpectedByte, 10)));
        assert_eq!(error(b"<c><name>\xEF\xBF\xBF</name></c>"), Some(Fail::Bad(Kind::UnexpectedByte, 9)));
        assert_eq!(error(b"<c><1a>x</1a></c>"), Some(Fail::Bad(Kind::UnexpectedByte, 4)));
        assert_eq!(error(b"<c><a b='1' b='2'/></c>"), Some(Fail::Bad(Kind::UnexpectedByte, 12)));
        assert_eq!(error(b"<c><a b='<'/></c>"), Some(Fail::Bad(Kind::UnexpectedByte, 9)));
        assert_eq!(error(b"<c><a b='1'c='2'/></c>"), Some(Fail::Bad(Kind::UnexpectedByte, 11)));
        assert_eq!(error(b"<c><!-- a -- b --></c>"), Some(Fail::Bad(Kind::UnexpectedByte, 10)));
        assert_eq!(error(b"<c><?xml x?></c>"), Some(Fail::Bad(Kind::UnexpectedByte, 3)));
        assert_eq!(error(b"<c><![CDATA[x]]></c>"), Some(Fail::Bad(Kind::UnexpectedByte, 3)));
        assert_eq!(error(b"<c><name>a<!-- b -->c</name></c>"), Some(Fail::Bad(Kind::NotAScalar, 3)));
        assert_eq!(error(b"<c><name>a</name><name>b</name></c>"), Some(Fail::Bad(Kind::DuplicateField, 17)));
        assert_eq!(error(b"<c><n>a"), Some(Fail::Incomplete));
        assert_eq!(error(b"<c><n>&am"), Some(Fail::Incomplete));
        assert_eq!(error(b"<c><n>a]"), Some(Fail::Incomplete));
    }

    #[test]
    fn end_tags_may_hold_whitespace_before_the_bracket() {
        let (slots, _) = element(b"<contact><name>a</name \n></contact\t>").unwrap();
        assert!(slots[1].is_some());
        let body = b"<list><contact><name>a</name></contact></list >";
        let ctx = Ctx { schema: crate::ListKind::Contacts.schema(crate::Endpoint::Phones), limits: LIMITS };
        let Ok(Open::List(at)) = open(body, 0, true, &ctx) else { panic!() };
        let mut spans = [None; crate::record::MAX_KNOWN];
        let Ok(Item::Record(found)) =
            item(body, at, Place { first: true, eof: true, look_ahead: false }, &ctx, &mut spans)
        else {
            panic!()
        };
        assert!(
            matches!(item(body, found.next, Place { first: false, eof: true, look_ahead: false }, &ctx, &mut spans), Ok(Item::End(end)) if end == body.len())
        );
    }

    #[test]
    fn the_declaration_is_checked_and_only_at_the_start() {
        assert_eq!(prologue(b"<?xml version=\"1.0\" encoding='utf-8' standalone=\"yes\" ?>\n<list/>", 0), Ok(57));
        assert_eq!(prologue(b"<?xml version=\"1.0\"?><list/>", 0), Ok(21));
        assert!(prologue(b"<?xml version=\"2.0\"?><list/>", 0).is_err());
        assert!(prologue(b"<?xml encoding=\"utf-8\"?><list/>", 0).is_err());
        assert!(prologue(b"\n<?xml version=\"1.0\"?><list/>", 0).is_err());
        assert_eq!(prologue(b"<?xm", 0), Err(Fail::Incomplete));
        assert_eq!(prologue(b"<?xml version=\"1.", 0), Err(Fail::Incomplete));
        assert_eq!(prologue(b"<!-- c --><?pi x?>\n<list/>", 0), Ok(19));
    }

    #[test]
    fn depth_is_bounded() {
        let mut body = b"<c><x>".to_vec();
        body.extend(core::iter::repeat_n(&b"<x>"[..], if cfg!(miri) { 1_000 } else { 100_000 }).flatten());
        assert_eq!(element(&body).err(), Some(Fail::Bad(Kind::DepthLimit, 6 + 3 * 31)));
    }

    /// An answer element is where it stands, whatever comes before it; an empty one ends at its
    /// `/>`.
    #[test]
    fn an_answer_element_has_its_own_place() {
        use crate::{decode, DecodeErrorKind, Fmt};
        let shape = |body: &[u8]| {
            let err = decode::done(body, Fmt::Xml).unwrap_err().malformed().unwrap();
            (err.kind, err.offset)
        };
        assert_eq!(shape(b"<?xml version=\"1.0\"?>\n<group/>"), (DecodeErrorKind::UnexpectedShape, 22));
        assert_eq!(shape(b"  <group><id>1</id></group>"), (DecodeErrorKind::UnexpectedShape, 2));
        assert_eq!(shape(b"<group/>  "), (DecodeErrorKind::UnexpectedShape, 0));
        let created = decode::created(b"<!-- new -->\n<group/>", Fmt::Xml).unwrap_err().malformed().unwrap();
        assert_eq!((created.kind, created.offset), (DecodeErrorKind::UnexpectedShape, 13));
    }

    /// The ASCII part of XML's name classes, byte by byte.
    #[test]
    fn name_classes_are_xmls() {
        for b in 0..=127u8 {
            let start = b.is_ascii_alphabetic() || b == b'_' || b == b':';
            assert_eq!(is(&NAME_START, b), start, "{b}");
            assert_eq!(is(&NAME, b), start || b.is_ascii_digit() || b == b'-' || b == b'.', "{b}");
        }
    }

    /// Names at the edges of the classes, and end tags with and without spaces before `>`.
    #[test]
    fn names_and_end_tags_at_their_edges() {
        let ok = [
            &b"<c><z9-._:Z>1</z9-._:Z><phone>2</phone ></c>"[..],
            b"<c><phone>2</phone\n></c >",
            b"<c><A0>x</A0><phone/></c>",
        ];
        for body in ok {
            assert_eq!(element(body).map(|(_, end)| end), Ok(body.len()), "{:?}", core::str::from_utf8(body));
        }
        let (slots, _) = element(ok[0]).unwrap();
        assert_eq!(slots[0], Some(Span::plain(30, 31)));
        for (body, at) in [
            (&b"<c><a[b>1</a[b></c>"[..], 5),
            (b"<c><a{b>1</a{b></c>", 5),
            (b"<c><[a>1</[a></c>", 4),
            (b"<c><a>1</a]></c>", 10),
        ] {
            assert!(
                matches!(element(body), Err(Fail::Bad(_, found)) if found == at),
                "{:?}: {:?}",
                core::str::from_utf8(body),
                element(body)
            );
        }
    }

    /// Names beyond ASCII: XML 1.0's classes at their edges, in 2-, 3- and 4-byte UTF-8.
    #[test]
    fn names_beyond_ascii() {
        for (c, start, char) in [
            ('\u{C0}', true, true),
            ('\u{D7}', false, false),
            ('\u{B7}', false, true),
            ('\u{2FF}', true, true),
            ('\u{300}', false, true),
            ('\u{36F}', false, true),
            ('\u{37E}', false, false),
            ('\u{203F}', false, true),
            ('\u{2041}', false, false),
            ('\u{3001}', true, true),
            ('\u{FFFE}', false, false),
            ('\u{10000}', true, true),
            ('\u{F0000}', false, false),
        ] {
            assert_eq!((is_name_start(c), is_name_char(c)), (start, char), "{c:?}");
        }
        let ok = [
            "<c><контакт>1</контакт></c>",
            "<c><名前>1</名前></c>",
            "<c><\u{10000}>1</\u{10000}></c>",
            "<c><a\u{B7}\u{300}b>1</a\u{B7}\u{300}b></c>",
            "<c><é>1</é></c>",
            // A character right after `<`: its bytes read exactly, not more.
            "<é><a>1</a></é>",
            "<c><é1-.>1</é1-.></c>",
        ];
        for body in ok {
            assert_eq!(element(body.as_bytes()).map(|(_, end)| end), Ok(body.len()), "{body}");
        }
        for (body, kind, at) in [
            (&b"<c><\xC2\xB7a>1</\xC2\xB7a></c>"[..], Kind::UnexpectedByte, 4),
            (b"<c><a\xC3\x97b>1</a\xC3\x97b></c>", Kind::UnexpectedByte, 5),
            (b"<c><a\xC0\x80>1</a></c>", Kind::InvalidUtf8, 5),
            (b"<c><a\xE0\x80\x80>1</a></c>", Kind::InvalidUtf8, 5),
            (b"<c><a\xF5\x80\x80\x80>1</a></c>", Kind::InvalidUtf8, 5),
            (b"<c><\xC3\xA9\x80>1</a></c>", Kind::InvalidUtf8, 6),
            ("<c><1é>1</1é></c>".as_bytes(), Kind::UnexpectedByte, 4),
        ] {
            assert_eq!(element(body), Err(Fail::Bad(kind, at)), "{:?}", body);
        }
        // A name cut inside a character waits for the rest.
        assert_eq!(element("<c><名".as_bytes()[..6].as_ref()), Err(Fail::Incomplete));
    }

    /// Start tags: attribute values may hold the other quote and whitespace; the attribute
    /// count is bounded by the field limit, exactly; `/` must be followed by `>`.
    #[test]
    fn start_tags_and_their_attributes() {
        let tag = |body: &[u8], fields: usize| {
            let limits = Limits { max_fields: fields, ..Limits::DEFAULT };
            start_tag(body, 0, &limits).map(|tag| (tag.end, tag.empty))
        };
        let quotes = b"<c a=\"it's\" b='say \"x\"' t=\"a\tb\nc\rd\">";
        assert_eq!(tag(quotes, 64), Ok((quotes.len(), false)));
        assert_eq!(tag(b"<c a='1' b='2'/>", 2), Ok((16, true)));
        assert_eq!(tag(b"<c a='1' b='2' d='3'/>", 2), Err(Fail::Bad(Kind::TooManyFields, 15)));
        let references = "<c a=\"x &amp; y&#33;\" b='\u{F000}\u{FFFD}'>".as_bytes();
        assert_eq!(tag(references, 64), Ok((references.len(), false)));
        assert_eq!(tag(b"<c a='&bad;'>", 64), Err(Fail::Bad(Kind::InvalidCharRef, 6)));
        assert_eq!(tag("<c a='\u{FFFE}'>".as_bytes(), 64), Err(Fail::Bad(Kind::UnexpectedByte, 6)));
        assert_eq!(tag(b"<c/x>", 64), Err(Fail::Bad(Kind::UnexpectedByte, 3)));
        assert_eq!(tag(b"<c a='1'/ >", 64), Err(Fail::Bad(Kind::UnexpectedByte, 9)));
    }

    /// Comments, processing instructions and text at their edges: `-` alone, `?`, whitespace
    /// and U+F000 in a comment; `]` and `]]` in text but not `]]>`; `--` only to end a comment.
    #[test]
    fn comments_and_text_at_their_edges() {
        let ok = [
            "<c><!-- a - b ? \t\n\r \u{F000} --><phone>x]y]>z]]</phone><?pi a-b ? ?></c>",
            "<c><!----><phone>]</phone><!-- - --></c>",
            "<c><?pi \u{F000}-?\t\n\r?><?pi?></c>",
        ];
        for body in ok {
            assert_eq!(element(body.as_bytes()).map(|(_, end)| end), Ok(body.len()), "{body}");
        }
        for (body, at) in [
            ("<c><!-- a -- b --></c>", 10),
            ("<c><!-- a --->", 10),
            ("<c><p>x]]>y</p></c>", 7),
            ("<c><p>]]></p></c>", 6),
            ("<c><!-- \u{FFFE} --></c>", 8),
            ("<c><?pi \u{FFFF}?></c>", 8),
            ("<c><?pi!?></c>", 7),
        ] {
            assert_eq!(element(body.as_bytes()), Err(Fail::Bad(Kind::UnexpectedByte, at)), "{body}");
        }
    }

    /// An attribute name may not repeat in its tag, however the values before it are written.
    #[test]
    fn attributes_may_not_repeat() {
        let tag = |body: &str| start_tag(body.as_bytes(), 0, &LIMITS).map(|tag| tag.end);
        for body in ["<c a = \"x'y\" b='2'>", "<c a=\"b='1'\" b='2'>", "<c\ta\n=\r'1'  ab='2' b='3'>"] {
            assert_eq!(tag(body), Ok(body.len()), "{body}");
        }
        for (body, at) in
            [("<c a = \"x'y\" b='2' a='3'>", 19), ("<c a=\"b='1'\" b='2' b='3'>", 19), ("<c a='1' a='1'>", 9)]
        {
            assert_eq!(tag(body), Err(Fail::Bad(Kind::UnexpectedByte, at)), "{body}");
        }
    }

    /// A body shorter than `<?xml` is read as what it is, not as a declaration cut short.
    #[test]
    fn short_bodies_are_not_a_declaration() {
        use crate::{decode, DecodeErrorKind, Fmt};
        let error = |body: &[u8]| decode::done(body, Fmt::Xml).unwrap_err().malformed().map(|e| (e.kind, e.offset));
        assert_eq!(error(b"<a/>"), Some((DecodeErrorKind::UnexpectedShape, 0)));
        assert_eq!(error(b"<?xm"), Some((DecodeErrorKind::UnexpectedEnd, 4)));
        assert_eq!(error(b"<?xml"), Some((DecodeErrorKind::UnexpectedEnd, 5)));
        assert!(decode::contacts(b"<list/>", Fmt::Xml, crate::Endpoint::Phones).unwrap().next().is_none());
        let mut decoder = crate::ContactsDecoder::new(Fmt::Xml, crate::Endpoint::Phones);
        assert!(matches!(decoder.decode(b"<?xm", false).unwrap().event, crate::Event::NeedMore));
    }
}
