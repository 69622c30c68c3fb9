//! fmt=2: the XML subset the server writes: elements, text with entities and character
//! references, comments, processing instructions, attributes (skipped). Nested elements are
//! skipped iteratively; their open names live in a fixed array, so depth is bounded.

use nom::bytes::streaming::take_while1;

use super::{bad, incomplete_text, run, skip_space, text_error, too_long, utf8, Fail, Member, Scan, Value};
use crate::error::DecodeErrorKind as Kind;
use crate::limits::Limits;
use crate::text::{xml_reference, Dialect, EscapeError, Text};

const fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.') || b >= 0x80
}

/// An element name at `pos`, valid UTF-8.
fn name(buf: &[u8], pos: usize) -> Scan<(usize, &[u8])> {
    let (end, name) = run(buf, pos, take_while1(is_name_byte))?;
    // An ASCII name (every name the server writes) is UTF-8 already.
    if !name.is_ascii() {
        utf8(buf, pos, end)?;
    }
    Ok((end, name))
}

/// A start tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StartTag<'a> {
    pub name: &'a [u8],
    /// Where the `<` is.
    pub at: usize,
    /// The position after the `>`.
    pub end: usize,
    pub self_closing: bool,
}

/// The start tag at `pos` (at `<`, not `</`).
pub(crate) fn start_tag<'a>(buf: &'a [u8], pos: usize) -> Scan<StartTag<'a>> {
    let (mut at, name) = name(buf, pos + 1)?;
    // Attributes: skipped, but quotes are honoured so a `>` inside one does not end the tag.
    let mut quote = None;
    loop {
        let Some(&byte) = buf.get(at) else {
            return Err(Fail::Incomplete);
        };
        match (quote, byte) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), b'<') | (None, b'<') => return bad(Kind::UnexpectedByte, at),
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(byte),
            (None, b'>') => {
                // Attribute values are skipped, but they must be text too.
                if !buf[pos..at].is_ascii() {
                    utf8(buf, pos, at)?;
                }
                let self_closing = buf[at - 1] == b'/' && at - 1 > pos + name.len();
                return Ok(StartTag { name, at: pos, end: at + 1, self_closing });
            }
            (None, _) => {}
        }
        at += 1;
    }
}

/// The end tag at `pos` (at `</`): the position after it, and its name.
fn end_tag(buf: &[u8], pos: usize) -> Scan<(usize, &[u8])> {
    let (at, name) = name(buf, pos + 2)?;
    let at = skip_space(buf, at);
    match buf.get(at) {
        None => Err(Fail::Incomplete),
        Some(b'>') => Ok((at + 1, name)),
        Some(_) => bad(Kind::UnexpectedByte, at),
    }
}

/// Skips whitespace, comments and processing instructions (the `<?xml ...?>` prologue among
/// them) from `pos`; the position of the next thing, or incomplete when the buffer ends first.
pub(crate) fn skip_misc(buf: &[u8], pos: usize) -> Scan<usize> {
    let mut at = pos;
    loop {
        at = skip_space(buf, at);
        let rest = buf.get(at..).unwrap_or_default();
        let (open, close): (&[u8], &[u8]) = if rest.starts_with(b"<!--") {
            (b"<!--", b"-->")
        } else if rest.starts_with(b"<?") {
            (b"<?", b"?>")
        } else if rest.is_empty() || (rest.len() < 4 && b"<!--".starts_with(rest)) {
            return Err(Fail::Incomplete);
        } else {
            return Ok(at);
        };
        let body = &rest[open.len()..];
        match body.windows(close.len()).position(|w| w == close) {
            Some(i) => at += open.len() + i + close.len(),
            None => return Err(Fail::Incomplete),
        }
    }
}

/// Bytes that end a run of XML text: `<`, `&`, and the control characters XML 1.0 forbids.
const TEXT_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
        b += 1;
    }
    table[b'<' as usize] = true;
    table[b'&' as usize] = true;
    table
};

/// Text from `pos` up to the next `<`, with every reference validated: the position of the `<`.
fn text<'a>(buf: &'a [u8], pos: usize, limits: &Limits) -> Scan<(usize, Text<'a>)> {
    let mut at = pos;
    let mut escaped = false;
    loop {
        let rest = buf.get(at..).unwrap_or_default();
        let Some(offset) = rest.iter().position(|&b| TEXT_STOP[usize::from(b)]) else {
            return match buf.len() - pos > limits.max_value_len {
                true => too_long(buf, pos, limits.max_value_len),
                false => incomplete_text(buf, pos),
            };
        };
        at += offset;
        if at - pos > limits.max_value_len {
            return too_long(buf, pos, limits.max_value_len);
        }
        match buf[at] {
            b'<' => {
                let dialect = if escaped { Dialect::Xml } else { Dialect::Plain };
                return Ok((at, Text::escaped(utf8(buf, pos, at)?, dialect)));
            }
            b'&' => {}
            _ => return text_error(buf, pos, at, Kind::UnexpectedByte, at),
        }
        match xml_reference(&buf[at..]) {
            Ok((_, used)) => {
                escaped = true;
                at += used;
            }
            Err(EscapeError::Truncated) => return incomplete_text(buf, pos),
            Err(_) => return text_error(buf, pos, at, Kind::InvalidCharRef, at),
        }
    }
}

/// Skips the content of an element named `name` (opened at nesting level `depth`) from `pos`
/// to just after its end tag, nested elements included.
fn skip_content(buf: &[u8], pos: usize, name: &[u8], depth: usize, limits: &Limits) -> Scan<usize> {
    let max_depth = limits.depth();
    // The open names, as (start, len) into `buf`; slot 0 is the element itself.
    let mut open = [(0usize, 0usize); Limits::MAX_DEPTH];
    let name_at = name.as_ptr() as usize - buf.as_ptr() as usize;
    open[0] = (name_at, name.len());
    let mut level = 1usize;
    let mut at = pos;
    loop {
        at = skip_misc(buf, at)?;
        at = text(buf, at, limits)?.0;
        if buf.get(at + 1) == Some(&b'/') {
            let (end, closing) = end_tag(buf, at)?;
            let (start, len) = open[level - 1];
            if closing != &buf[start..start + len] {
                return bad(Kind::MismatchedTag, at);
            }
            level -= 1;
            at = end;
            if level == 0 {
                return Ok(at);
            }
        } else if buf.get(at + 1).is_none() {
            return Err(Fail::Incomplete);
        } else if buf[at + 1] == b'!' {
            // CDATA and DOCTYPE are not part of what the server writes.
            return bad(Kind::UnexpectedByte, at);
        } else {
            let tag = start_tag(buf, at)?;
            at = tag.end;
            if !tag.self_closing {
                if depth + level > max_depth || level >= Limits::MAX_DEPTH {
                    return bad(Kind::DepthLimit, tag.at);
                }
                open[level] = (tag.at + 1, tag.name.len());
                level += 1;
            }
        }
    }
}

/// The value of the element whose start tag is `tag`, a field of a record at nesting level
/// `depth`: its text, or the raw content when it has child elements (which open `depth + 1`).
/// The position after its end tag.
pub(crate) fn element_value<'a>(
    buf: &'a [u8],
    tag: &StartTag<'a>,
    depth: usize,
    limits: &Limits,
) -> Scan<(usize, Value<'a>)> {
    if tag.self_closing {
        return Ok((tag.end, Value::Scalar(Text::plain(""))));
    }
    let content = tag.end;
    let (lt, text) = text(buf, content, limits)?;
    if buf.get(lt + 1) == Some(&b'/') {
        let (end, closing) = end_tag(buf, lt)?;
        if closing != tag.name {
            return bad(Kind::MismatchedTag, lt);
        }
        return Ok((end, Value::Scalar(text)));
    }
    if buf.get(lt + 1).is_none() {
        return Err(Fail::Incomplete);
    }
    let end = skip_content(buf, content, tag.name, depth, limits)?;
    let close_at = buf[..end].iter().rposition(|&b| b == b'<').unwrap_or(end);
    Ok((end, Value::Structure(utf8(buf, content, close_at)?)))
}

/// Reads the child elements of an element one at a time, resumably.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Children {
    pos: usize,
    done: bool,
    /// The parent's name, as (start, len) into the buffer.
    name: (usize, usize),
    /// The nesting level of the parent.
    depth: usize,
}

impl Children {
    /// Starts after the parent's start tag `tag`, an element at nesting level `depth`.
    pub(crate) fn new(buf: &[u8], tag: &StartTag<'_>, depth: usize) -> Self {
        let name_at = tag.name.as_ptr() as usize - buf.as_ptr() as usize;
        Self { pos: tag.end, done: tag.self_closing, name: (name_at, tag.name.len()), depth }
    }

    /// The position after the last thing read (after the parent's end tag once done).
    pub(crate) const fn pos(&self) -> usize {
        self.pos
    }

    /// The next child element, or `None` after the parent's end tag.
    pub(crate) fn next<'a>(&mut self, buf: &'a [u8], limits: &Limits) -> Scan<Option<Member<'a>>> {
        if self.done {
            return Ok(None);
        }
        let at = skip_misc(buf, self.pos)?;
        match (buf.get(at), buf.get(at + 1)) {
            (Some(b'<'), Some(b'/')) => {
                let (end, closing) = end_tag(buf, at)?;
                let (start, len) = self.name;
                if closing != &buf[start..start + len] {
                    return bad(Kind::MismatchedTag, at);
                }
                self.pos = end;
                self.done = true;
                Ok(None)
            }
            (Some(b'<'), Some(b'!')) => bad(Kind::UnexpectedByte, at),
            (Some(b'<'), Some(_)) => {
                // A field element is a scalar, like a JSON member: only elements inside it nest
                // deeper, so a contact is depth 2 in XML as in JSON.
                let tag = start_tag(buf, at)?;
                let (end, value) = element_value(buf, &tag, self.depth, limits)?;
                self.pos = end;
                Ok(Some(Member { key: utf8(buf, tag.at + 1, tag.at + 1 + tag.name.len())?, value, at }))
            }
            (Some(b'<'), None) | (None, _) => Err(Fail::Incomplete),
            // Text beside child elements: not a shape the server writes.
            (Some(_), _) => bad(Kind::UnexpectedByte, at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits::DEFAULT;

    fn children(body: &[u8]) -> Scan<([(&str, Value<'_>); 4], usize)> {
        let tag = start_tag(body, 0)?;
        let mut children = Children::new(body, &tag, 1);
        let mut out = [("", Value::Null); 4];
        let mut n = 0;
        while let Some(member) = children.next(body, &LIMITS)? {
            out[n] = (member.key, member.value);
            n += 1;
        }
        Ok((out, n))
    }

    #[test]
    fn reads_children() {
        let body = b"<contact>\n<phone>79991112233</phone><name a=\"x>y\">A &amp; B</name><!-- c --><tags/>\n<x><y>1</y></x></contact>";
        let (out, n) = children(body).unwrap();
        assert_eq!(n, 4);
        assert_eq!(out[0], ("phone", Value::Scalar(Text::plain("79991112233"))));
        assert_eq!(out[1].0, "name");
        assert_eq!(out[1].1, Value::Scalar(Text::plain("A & B")));
        assert_eq!(out[2], ("tags", Value::Scalar(Text::plain(""))));
        assert_eq!(out[3], ("x", Value::Structure("<y>1</y>")));
    }

    #[test]
    fn rejects_broken_nesting() {
        assert_eq!(children(b"<c><name>a</c></name>").err(), Some(Fail::Bad(Kind::MismatchedTag, 10)));
        assert_eq!(children(b"<c><x><y>1</x></y></c>").err(), Some(Fail::Bad(Kind::MismatchedTag, 10)));
        assert_eq!(children(b"<c><n>&#0;</n></c>").err(), Some(Fail::Bad(Kind::InvalidCharRef, 6)));
        assert_eq!(children(b"<c><n>a").err(), Some(Fail::Incomplete));
        assert_eq!(children(b"<c><n>&am").err(), Some(Fail::Incomplete));
    }

    #[test]
    fn depth_is_bounded() {
        let mut body = b"<c><x>".to_vec();
        body.extend(core::iter::repeat_n(&b"<x>"[..], if cfg!(miri) { 1_000 } else { 100_000 }).flatten());
        assert_eq!(children(&body).err(), Some(Fail::Bad(Kind::DepthLimit, 6 + 3 * 31)));
    }
}
