//! What fmt=0 and fmt=1 share: one record per line. A line ends at LF; a CR before it is not
//! part of the record. Blank lines (spaces and tabs only) are skipped; spaces and tabs on a line
//! with a record belong to its values.

use super::scan::{self, skip_space};
use super::{bad, Ctx, Fail, Found, Item, Place, Scan, Spans};
use crate::error::DecodeErrorKind as Kind;

/// The line at `pos`: where it ends (before a CR) and where the next line starts. Incomplete
/// when no LF follows and the body may go on.
#[inline]
pub(super) fn line(buf: &[u8], pos: usize, eof: bool) -> Scan<(usize, usize)> {
    line_end(buf, pos, scan::find_byte(buf, pos, b'\n').unwrap_or(buf.len()), eof)
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| b == b' ' || b == b'\t')
}

/// The first line from `pos` that is not blank: its start and end.
pub(super) fn first_line(buf: &[u8], pos: usize, eof: bool) -> Scan<(usize, usize)> {
    let mut start = pos;
    loop {
        let (end, next) = line(buf, start, eof)?;
        if !buf.get(start..end).is_some_and(is_blank) || next >= buf.len() {
            return Ok((start, end));
        }
        start = next;
    }
}

/// How a format reads the record on the line at `start` into `spans`: it finds the line's end
/// as it scans the line (one pass), and answers where the line ends (before a CR) and where
/// the next one starts. Incomplete when no LF follows and the body may go on.
pub(super) type Read = fn(buf: &[u8], start: usize, eof: bool, ctx: &Ctx, spans: &mut Spans) -> Scan<(usize, usize)>;

/// The end of a line that ends at `lf` (an LF, or the end of the buffer): without its CR.
#[inline]
pub(super) fn end_before_cr(buf: &[u8], start: usize, lf: usize) -> usize {
    match buf.get(start..lf) {
        Some([.., b'\r']) => lf - 1,
        _ => lf,
    }
}

/// Where the line that reaches `at` (an LF or the end of the buffer) ends and the next starts.
#[inline]
pub(super) fn line_end(buf: &[u8], start: usize, at: usize, eof: bool) -> Scan<(usize, usize)> {
    match buf.get(at) {
        Some(_) => Ok((end_before_cr(buf, start, at), at + 1)),
        None if eof => Ok((end_before_cr(buf, start, at), at)),
        None => Err(Fail::Incomplete),
    }
}

/// The next record from `pos` (blank lines before it skipped), read by `read`; the end of the
/// list at the end of the body.
#[inline]
pub(super) fn item(buf: &[u8], pos: usize, place: Place, ctx: &Ctx, spans: &mut Spans, read: Read) -> Scan<Item> {
    // While streaming, a line with no LF yet waits without being read: a quick scan costs a
    // fraction of reading (splitting) its start twice.
    if place.look_ahead && scan::find_byte(buf, pos, b'\n').is_none() {
        return Err(Fail::Incomplete);
    }
    let eof = place.eof;
    let mut start = pos;
    loop {
        if start >= buf.len() && eof {
            return Ok(Item::End(buf.len()));
        }
        // A blank line (spaces and tabs only) is no record.
        let after_blanks = scan::skip_blank(buf, start);
        match buf.get(after_blanks) {
            Some(b'\n') => {
                start = after_blanks + 1;
                continue;
            }
            Some(b'\r') if buf.get(after_blanks + 1) == Some(&b'\n') => {
                start = after_blanks + 2;
                continue;
            }
            Some(b'\r') if after_blanks + 1 == buf.len() && !eof => return Err(Fail::Incomplete),
            None if !eof => return Err(Fail::Incomplete),
            None => {
                start = after_blanks;
                continue;
            }
            Some(_) => {}
        }
        let (end, next) = read(buf, start, eof, ctx, spans)?;
        return Ok(Item::Record(Found { start, end, next }));
    }
}

/// What may follow the list or an answer: whitespace.
pub(super) fn trailer(buf: &[u8], pos: usize) -> Scan<usize> {
    Ok(skip_space(buf, pos))
}

/// Refuses a body whose first line starts like JSON or XML (`[{`, `[]`, `{"`, `{}`, `<tag`,
/// `<?`, `<!`), which no fmt=0 line and no plausible fmt=1 record does.
pub(super) fn refuse_structured(buf: &[u8], start: usize, end: usize) -> Scan<()> {
    let line = buf.get(start..end).unwrap_or_default();
    let after = |i: usize| line.get(i..).unwrap_or_default().iter().find(|b| !b.is_ascii_whitespace()).copied();
    let structured = match line.first() {
        Some(b'[') => matches!(after(1), Some(b'{' | b']')),
        Some(b'{') => matches!(after(1), Some(b'"' | b'}')),
        Some(b'<') => line.get(1).is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'?' | b'!')),
        _ => false,
    };
    match structured {
        true => bad(Kind::UnexpectedShape, start),
        false => Ok(()),
    }
}
