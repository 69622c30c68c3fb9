//! fmt=1: `value,value,...`, one record per line, positional, neither quoted nor escaped, so a
//! value may hold commas. A reading of a line assigns its comma-separated pieces to the
//! schema's fields in order, each field one piece or more, and must fit every field's shape (a
//! group id is digits, a birthday a date, a phone has no letters...):
//!
//! - with as many pieces as fields, or fewer (trailing fields absent), there is one reading,
//!   piece by piece; it must fit;
//! - with more, every reading that fits is counted: exactly one is taken; among several, only
//!   the one where every field but the last holds one piece and the last takes the rest (a
//!   `phone_other` list, a blacklist comment) is; otherwise the line is ambiguous;
//! - a line that fits no reading is [`FieldMismatch`](crate::DecodeErrorKind::FieldMismatch),
//!   never a shifted record.
//!
//! The count is a dynamic programme over (field, pieces used) whose rows are bit sets, so a
//! line costs time linear in its pieces per field and a fixed, small stack.

use super::lines::{self, first_line, refuse_structured};
use super::scan::{self, all_digits, skip_space, trim_end_space};
use super::{bad, Answer, Ctx, Cursor, Grammar, Item, Member, Open, Place, Scan, Span, Spans};
use crate::error::DecodeErrorKind as Kind;
use crate::record::{Schema, Shape, MAX_KNOWN};
use crate::text::Text;

pub(crate) static GRAMMAR: Grammar = Grammar { open, item, trailer: lines::trailer, answer, fields };

/// Before the list: the error line `0,-N`, or nothing to open. A body that is JSON, XML or
/// fmt=0 (`key = value`) is refused.
fn open(buf: &[u8], pos: usize, eof: bool, _ctx: &Ctx) -> Scan<Open> {
    let (start, end) = first_line(buf, pos, eof)?;
    refuse_structured(buf, start, end)?;
    if let Some(answer) = error(buf, start, end) {
        return Ok(Open::Answer(answer));
    }
    if starts_with_key(buf.get(start..end).unwrap_or_default()) {
        return bad(Kind::UnexpectedShape, start);
    }
    Ok(Open::List(pos))
}

fn item(buf: &[u8], pos: usize, place: Place, ctx: &Ctx, spans: &mut Spans) -> Scan<Item> {
    lines::item(buf, pos, place, ctx, spans, read)
}

/// The error `0,-N` on the line `buf[start..end]` (blanks after it allowed).
fn error(buf: &[u8], start: usize, end: usize) -> Option<Answer> {
    let end = trim_end_space(buf.get(..end).unwrap_or_default(), start);
    let code = buf.get(start..end)?.strip_prefix(b"0,-")?;
    all_digits(code).then_some(Answer {
        error_code: Some(Span::plain(start + 3, end)),
        start,
        end,
        ..Answer::default()
    })
}

/// Whether a line starts like a fmt=0 record, `key =`, which fmt=1 would read as a number.
fn starts_with_key(line: &[u8]) -> bool {
    let key_len = line.iter().take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || **b == b'_').count();
    key_len > 0 && line.get(key_len..).is_some_and(|rest| rest.starts_with(b" ="))
}

/// A created id (digits), `OK`, or the error `0,-N`.
fn answer(buf: &[u8], pos: usize, _ctx: &Ctx) -> Scan<Answer> {
    let start = skip_space(buf, pos);
    let end = trim_end_space(buf, start);
    if let Some(answer) = error(buf, start, end) {
        return Ok(answer);
    }
    let body = buf.get(start..end).unwrap_or_default();
    let mut answer = Answer { start, end, ..Answer::default() };
    if body == b"OK" {
        answer.result = Some(Span::plain(start, end));
    } else if all_digits(body) {
        // A bare answer has no key to say what it is: only a number is an id.
        answer.id = Some(Span::plain(start, end));
    } else {
        return bad(Kind::UnexpectedShape, start);
    }
    Ok(answer)
}

/// Reads the line at `start` into `spans`: where it ends, and where the next starts.
fn read(buf: &[u8], start: usize, eof: bool, ctx: &Ctx, spans: &mut Spans) -> Scan<(usize, usize)> {
    let mut ends = [0u32; MAX_PIECES];
    let (pieces, end, next) = split(buf, start, eof, ctx, &mut ends)?;
    let line = buf.get(start..end).unwrap_or_default();
    let ends = ends.get(..pieces).unwrap_or_default();
    let schema = &ctx.schema;
    if pieces <= schema.len() && pieces <= ctx.limits.fields() {
        // The common line: one reading, piece by piece, read straight into the spans.
        let mut from = 0;
        for (field, (&to, slot)) in ends.iter().zip(spans.iter_mut()).enumerate() {
            let to = to as usize;
            let value = line.get(from..to).unwrap_or_default();
            let shape = schema.shape(field);
            if shape != Shape::Free && !shape.matches(value) {
                return bad(Kind::FieldMismatch, start);
            }
            if to - from > ctx.limits.max_value_len {
                return bad(Kind::ValueTooLong, start + from);
            }
            *slot = Some(Span::plain(start + from, start + to));
            from = to + 1;
        }
        return Ok((end, next));
    }
    let values = resolve(line, start, ends, ctx)?;
    for (field, (from, to)) in values.iter().enumerate() {
        if field >= ctx.limits.fields() {
            return bad(Kind::TooManyFields, start + from);
        }
        if to - from > ctx.limits.max_value_len {
            return bad(Kind::ValueTooLong, start + from);
        }
        if let Some(slot) = spans.get_mut(field) {
            *slot = Some(Span::plain(start + from, start + to));
        }
    }
    Ok((end, next))
}

/// Splits the line at `start` at its commas, in the one pass that finds its end: the number
/// of pieces (their ends, relative to the line, in `ends`), the line's end and the next line's
/// start.
#[inline]
fn split(buf: &[u8], start: usize, eof: bool, ctx: &Ctx, ends: &mut [u32; MAX_PIECES]) -> Scan<(usize, usize, usize)> {
    let max_pieces = (2 * ctx.limits.fields()).clamp(1, MAX_PIECES);
    let mut pieces = 0usize;
    let mut push = |end: usize, pieces: &mut usize| -> Scan<()> {
        let Ok(relative) = u32::try_from(end - start) else {
            return bad(Kind::RecordTooLong, start);
        };
        if let Some(slot) = ends.get_mut(*pieces) {
            *slot = relative;
        }
        *pieces += 1;
        Ok(())
    };
    for stop in scan::Stops::new(buf, start, b',', b'\n') {
        if buf.get(stop) == Some(&b'\n') {
            let (end, next) = lines::line_end(buf, start, stop, eof)?;
            push(end, &mut pieces)?;
            return Ok((pieces, end, next));
        }
        push(stop, &mut pieces)?;
        if pieces >= max_pieces {
            return bad(Kind::TooManyFields, stop);
        }
    }
    let (end, next) = lines::line_end(buf, start, buf.len(), eof)?;
    push(end, &mut pieces)?;
    Ok((pieces, end, next))
}

/// The most comma-separated pieces a line may have (twice the field limit, at most this: the
/// readers' bit sets are words of 64 positions).
const MAX_PIECES: usize = 64;

/// The values of a line in its reading, as byte ranges of the line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Values {
    /// The end of each field's value; a value starts one byte (the comma) after the previous
    /// one's end.
    ends: [u32; MAX_KNOWN],
    count: u8,
    /// The next field [`RawRecord::fields`](crate::record::RawRecord::fields) reads.
    next: u8,
}

impl Values {
    fn iter(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let ends = self.ends.get(..usize::from(self.count)).unwrap_or_default();
        ends.iter().enumerate().map(move |(i, &end)| {
            let start = match i.checked_sub(1).and_then(|p| ends.get(p)) {
                Some(&previous) => previous as usize + 1,
                None => 0,
            };
            (start, end as usize)
        })
    }

    pub(crate) fn next<'a>(&mut self, record: &'a str, ctx: &Ctx) -> Option<Member<'a>> {
        let field = usize::from(self.next);
        let (start, end) = self.iter().nth(field)?;
        self.next += 1;
        let name = ctx.schema.names.get(field)?;
        Some(Member { name, value: Text::plain(record.get(start..end)?) })
    }
}

fn fields(record: &str, ctx: &Ctx) -> Cursor {
    let mut ends = [0u32; MAX_PIECES];
    let line = record.as_bytes();
    match split(line, 0, true, ctx, &mut ends)
        .and_then(|(pieces, ..)| resolve(line, 0, ends.get(..pieces).unwrap_or_default(), ctx))
    {
        Ok(values) => Cursor::Csv(values),
        Err(_) => Cursor::Done,
    }
}

/// The classes of a byte that the piece classes are made of.
mod byte {
    pub const DIGIT: u8 = 1;
    /// A byte a phone number list may hold.
    pub const PHONE: u8 = 2;
    pub const AT: u8 = 4;
    /// What separates e-mail addresses inside a piece: `;` or a space.
    pub const MAIL_SEPARATOR: u8 = 8;

    pub const CLASS: [u8; 256] = {
        let mut table = [0u8; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            let mut class = 0;
            if c.is_ascii_digit() {
                class |= DIGIT;
            }
            if crate::record::is_phone_byte(&c) {
                class |= PHONE;
            }
            if c == b'@' {
                class |= AT;
            }
            if c == b';' || c == b' ' {
                class |= MAIL_SEPARATOR;
            }
            table[b] = class;
            b += 1;
        }
        table
    };
}

/// The classes of a line's pieces, one bit set per class: bit `p` set when piece `p` is of
/// it. What the field shapes need to know of a value made of pieces `k..=q` is then a mask.
#[derive(Default)]
struct Classes {
    empty: u64,
    /// Digits, at least one.
    digits: u64,
    /// Only bytes a phone number list may hold.
    phone: u64,
    has_digit: u64,
    /// Each address in it (separated by `;` or spaces) holds an `@`.
    mail: u64,
    has_at: u64,
    /// `dd.mm.yyyy`.
    date: u64,
    /// `0`, `1` or `2`.
    block: u64,
}

impl Classes {
    /// Takes piece `p` into account, in one pass over its bytes (and one more for the
    /// addresses, when the schema has an address field).
    fn add(&mut self, p: usize, piece: &[u8], addresses: bool) {
        let bit = 1u64 << (p & 63);
        let (mut all, mut any) = (u8::MAX, 0u8);
        for &b in piece {
            let class = byte::CLASS[usize::from(b)];
            all &= class;
            any |= class;
        }
        let set = |on: bool| if on { bit } else { 0 };
        if addresses {
            let mut words = piece.split(|b| byte::CLASS[usize::from(*b)] & byte::MAIL_SEPARATOR != 0);
            self.mail |= set(words.all(|word| word.is_empty() || word.contains(&b'@')));
            self.has_at |= set(any & byte::AT != 0);
        }
        self.empty |= set(piece.is_empty());
        self.digits |= set(!piece.is_empty() && all & byte::DIGIT != 0);
        self.phone |= set(all & byte::PHONE != 0);
        self.has_digit |= set(any & byte::DIGIT != 0);
        self.date |= set(piece.len() == 10 && Shape::Date.matches(piece));
        self.block |= set(piece.len() == 1 && Shape::BlockType.matches(piece));
    }

    /// Whether pieces `k..=q` (joined by their commas) can be a value of `shape`.
    #[inline]
    fn fit(&self, shape: Shape, k: usize, q: usize) -> bool {
        if k > q || q > 63 {
            return false;
        }
        let single = k == q;
        let range = match single {
            true => 1u64 << k,
            false => (u64::MAX >> (63 - q)) & (u64::MAX << k),
        };
        let all = |set: u64| set & range == range;
        let any = |set: u64| set & range != 0;
        let one = |set: u64| single && any(set);
        match shape {
            Shape::Free => true,
            Shape::Digits => one(self.empty | self.digits),
            Shape::Id => one(self.digits),
            Shape::BlockType => one(self.block),
            Shape::Date => one(self.empty | self.date),
            Shape::IdList => one(self.empty | self.digits) || (!single && all(self.digits)),
            Shape::PhoneList => all(self.phone) && (one(self.empty) || any(self.has_digit)),
            Shape::MailList => all(self.mail) && (one(self.empty) || any(self.has_at)),
        }
    }
}

/// The reading of `line` (whose first byte is at `base` in the body, for error offsets), split
/// into pieces that end at `ends`.
fn resolve(line: &[u8], base: usize, ends: &[u32], ctx: &Ctx) -> Scan<Values> {
    let schema = &ctx.schema;
    let pieces = ends.len();
    let start = |p: usize| p.checked_sub(1).and_then(|q| ends.get(q)).map_or(0, |&e| e as usize + 1);
    let piece = |p: usize| line.get(start(p)..ends.get(p).map_or(0, |&e| e as usize)).unwrap_or_default();
    let fields = schema.len();
    let mut values = Values { ends: [0; MAX_KNOWN], count: 0, next: 0 };

    if pieces <= fields {
        // One reading, piece by piece; it must fit.
        for p in 0..pieces {
            let shape = schema.shape(p);
            if shape != Shape::Free && !shape.matches(piece(p)) {
                return bad(Kind::FieldMismatch, base);
            }
            if let (Some(slot), Some(&end)) = (values.ends.get_mut(p), ends.get(p)) {
                *slot = end;
            }
        }
        values.count = pieces as u8;
        return Ok(values);
    }

    let extra = pieces - fields;
    if extra == 1 {
        return one_extra(line, base, &piece, ends, ctx);
    }
    // Piece p can only go to fields p - extra ..= p: only pieces that may land in a field with
    // a shape need their classes.
    let addresses = schema.shapes.contains(&Shape::MailList);
    let mut classes = Classes::default();
    for p in 0..pieces {
        // (A field past the schema is free text.)
        if (p.saturating_sub(extra)..=p).any(|f| schema.shape(f) != Shape::Free) {
            classes.add(p, piece(p), addresses);
        }
    }
    let table = Table::fill(schema, &classes, extra);
    // The piece each field starts at; `pieces` after the last.
    let mut cuts = [0u8; MAX_KNOWN + 1];
    match table.ways(fields, extra) {
        0 => return bad(Kind::FieldMismatch, base),
        1 => table.walk_back(schema, &classes, extra, &mut cuts),
        _ => {
            // Several readings: the last field may still take the rest of the line.
            let to_last = (0..fields - 1).all(|f| classes.fit(schema.shape(f), f, f))
                && classes.fit(schema.shape(fields - 1), fields - 1, pieces - 1);
            if !to_last {
                return bad(Kind::AmbiguousLine, base);
            }
            for (f, cut) in cuts.iter_mut().enumerate().take(fields) {
                *cut = f as u8;
            }
        }
    }
    if let Some(last) = cuts.get_mut(fields) {
        *last = pieces as u8;
    }
    // Field f takes pieces cuts[f]..cuts[f + 1]: its value ends where its last piece does.
    for f in 0..fields {
        let last_piece = cuts.get(f + 1).map_or(0, |&c| usize::from(c)).saturating_sub(1);
        if let (Some(slot), Some(&end)) = (values.ends.get_mut(f), ends.get(last_piece)) {
            *slot = end;
        }
    }
    values.count = fields as u8;
    Ok(values)
}

/// The reading of a line with one piece more than fields (the usual case: a comma in a name,
/// two numbers in `phone_other`): the readings are "field f takes two pieces", for each f,
/// checked with the values' own bytes.
fn one_extra<'l>(
    line: &'l [u8],
    base: usize,
    piece: &dyn Fn(usize) -> &'l [u8],
    ends: &[u32],
    ctx: &Ctx,
) -> Scan<Values> {
    let schema = &ctx.schema;
    let fields = schema.len().min(MAX_KNOWN);
    let fits = |field: usize, value: &[u8]| {
        let shape = schema.shape(field);
        shape == Shape::Free || shape.matches(value)
    };
    let start = |p: usize| p.checked_sub(1).and_then(|q| ends.get(q)).map_or(0, |&e| e as usize + 1);
    let end = |p: usize| ends.get(p).map_or(0, |&e| e as usize);
    // before[f]: fields 0..f each fit their own piece; after[f]: fields f.. each fit the piece
    // after their own.
    let mut before = [true; MAX_KNOWN + 1];
    let mut after = [true; MAX_KNOWN + 1];
    for f in 0..fields {
        let fit = before.get(f).copied().unwrap_or(false) && fits(f, piece(f));
        if let Some(slot) = before.get_mut(f + 1) {
            *slot = fit;
        }
    }
    for f in (0..fields).rev() {
        let fit = after.get(f + 1).copied().unwrap_or(false) && fits(f, piece(f + 1));
        if let Some(slot) = after.get_mut(f) {
            *slot = fit;
        }
    }
    let all_before = |f: usize| before.get(f).copied().unwrap_or(false);
    let all_after = |f: usize| after.get(f).copied().unwrap_or(false);
    let mut readings = 0;
    let mut wide = 0;
    for f in 0..fields {
        if all_before(f) && all_after(f + 1) && fits(f, line.get(start(f)..end(f + 1)).unwrap_or_default()) {
            readings += 1;
            wide = f;
        }
    }
    // Several readings: the last field may still take the rest, when it is among them.
    let last = fields.saturating_sub(1);
    match readings {
        0 => return bad(Kind::FieldMismatch, base),
        1 => {}
        _ if all_before(last) && fits(last, line.get(start(last)..).unwrap_or_default()) => wide = last,
        _ => return bad(Kind::AmbiguousLine, base),
    }
    let mut values = Values { ends: [0; MAX_KNOWN], count: fields as u8, next: 0 };
    for (f, slot) in values.ends.iter_mut().enumerate().take(fields) {
        *slot = ends.get(if f < wide { f } else { f + 1 }).copied().unwrap_or(0);
    }
    Ok(values)
}

/// `ways[i][e]`, the readings of the first `i` fields over the first `i + e` pieces (`e` of the
/// line's extra pieces used so far), counted up to two: row `i` is two bit sets over `e`,
/// "at least one" and "at least two".
struct Table {
    one: [u64; MAX_KNOWN + 1],
    two: [u64; MAX_KNOWN + 1],
}

impl Table {
    fn fill(schema: &Schema, classes: &Classes, extra: usize) -> Self {
        let fields = schema.len().min(MAX_KNOWN);
        // No field over no piece: one reading.
        let mut table = Table { one: [0; MAX_KNOWN + 1], two: [0; MAX_KNOWN + 1] };
        if let Some(row) = table.one.first_mut() {
            *row = 1;
        }
        for i in 1..=fields {
            let shape = schema.shape(i - 1);
            let before_one = table.one.get(i - 1).copied().unwrap_or(0);
            let before_two = table.two.get(i - 1).copied().unwrap_or(0);
            let (mut one, mut two) = (0u64, 0u64);
            for e in 0..=extra.min(63) {
                // Field i - 1 takes pieces (i - 1 + e0)..=(i - 1 + e), for each e0 <= e.
                let mut sum = 0u32;
                for e0 in 0..=e {
                    let bit = 1u64 << e0;
                    if before_one & bit != 0 && classes.fit(shape, i - 1 + e0, i - 1 + e) {
                        sum += 1 + u32::from(before_two & bit != 0);
                        if sum >= 2 {
                            break;
                        }
                    }
                }
                if sum >= 1 {
                    one |= 1u64 << e;
                }
                if sum >= 2 {
                    two |= 1u64 << e;
                }
            }
            if let (Some(one_slot), Some(two_slot)) = (table.one.get_mut(i), table.two.get_mut(i)) {
                (*one_slot, *two_slot) = (one, two);
            }
        }
        table
    }

    /// The readings of all `fields` over all pieces: 0, 1, or 2 for several.
    fn ways(&self, fields: usize, extra: usize) -> u8 {
        // (A line has at most 64 pieces, so `extra` is below 64; past it, no reading.)
        let mask = u32::try_from(extra).ok().and_then(|extra| 1u64.checked_shl(extra)).unwrap_or(0);
        let bit = |set: Option<&u64>| set.is_some_and(|s| s & mask != 0);
        u8::from(bit(self.one.get(fields))) + u8::from(bit(self.two.get(fields)))
    }

    /// The piece each field starts at, in the one reading.
    fn walk_back(&self, schema: &Schema, classes: &Classes, extra: usize, cuts: &mut [u8; MAX_KNOWN + 1]) {
        let mut e = extra;
        for i in (1..=schema.len().min(MAX_KNOWN)).rev() {
            let shape = schema.shape(i - 1);
            let before = self.one.get(i - 1).copied().unwrap_or(0);
            let e0 = (0..=e).find(|&e0| before & (1u64 << e0) != 0 && classes.fit(shape, i - 1 + e0, i - 1 + e));
            let e0 = e0.unwrap_or(0);
            if let Some(cut) = cuts.get_mut(i - 1) {
                *cut = (i - 1 + e0) as u8;
            }
            e = e0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::{Endpoint, ListKind};

    fn read_line(kind: ListKind, endpoint: Endpoint, line: &str) -> Scan<heapless::Vec<&str, 12>> {
        let ctx = Ctx { schema: kind.schema(endpoint), limits: Limits::DEFAULT };
        let mut ends = [0u32; MAX_PIECES];
        let (pieces, ..) = split(line.as_bytes(), 0, true, &ctx, &mut ends)?;
        let values = resolve(line.as_bytes(), 0, &ends[..pieces], &ctx)?;
        Ok(values.iter().map(|(a, b)| &line[a..b]).collect())
    }

    fn contact(line: &str) -> Scan<heapless::Vec<&str, 12>> {
        read_line(ListKind::Contacts, Endpoint::Phones, line)
    }

    #[test]
    fn exact_lines_must_fit_their_shapes() {
        let line = "79991112233,Іван,5922,Іван,Петренко,,01.02.1990,a1,,vip,380501112233";
        assert_eq!(contact(line).unwrap()[1], "Іван");
        // Trailing fields absent: the pieces there are must fit.
        assert_eq!(contact("79991112233,Іван,5922").unwrap().len(), 3);
        // A server that omits `phone_other` and a comma in the name: the line has as many
        // pieces as fields, but the group would be ` молодший`. Refused, not shifted.
        let line = "79991112233,Іван, молодший,5922,Іван,Петренко,,01.02.1990,a1,,vip";
        assert_eq!(contact(line), bad(Kind::FieldMismatch, 0));
        // Plain text (a proxy's error page) is no record.
        assert_eq!(read_line(ListKind::Groups, Endpoint::Phones, "Service Unavailable"), bad(Kind::FieldMismatch, 0));
        assert_eq!(contact("Bad Gateway"), bad(Kind::FieldMismatch, 0));
    }

    #[test]
    fn extra_commas_go_where_the_shapes_allow() {
        let line = "12,Друзі, колеги,7,3";
        assert_eq!(read_line(ListKind::Groups, Endpoint::Phones, line).unwrap(), ["12", "Друзі, колеги", "7", "3"]);
        let line = "5,79991112233,0,spam, again, and again";
        assert_eq!(
            read_line(ListKind::Blacklist, Endpoint::Phones, line).unwrap(),
            ["5", "79991112233", "0", "spam, again, and again"]
        );
        let line = "79991112233,Іван, молодший,5922,Іван,Петренко,,01.02.1990,a1,,vip,380501112233";
        assert_eq!(contact(line).unwrap()[1], "Іван, молодший");
        let line = "79991112233,Іван,5922,Іван,Петренко,,01.02.1990,a1,,vip,380501112233,380671112233";
        assert_eq!(contact(line).unwrap()[10], "380501112233,380671112233");
        let line = "a@b.c,Ivan,5922,,,,,,,,x@y.z,u@v.w";
        assert_eq!(read_line(ListKind::Contacts, Endpoint::Mails, line).unwrap()[10], "x@y.z,u@v.w");
    }

    #[test]
    fn lines_with_several_readings_are_refused() {
        let line = "79991112233,Іван, молодший,5922,Іван,Петренко,,01.02.1990,a1,,vip,380501112233,380671112233";
        assert_eq!(contact(line), bad(Kind::AmbiguousLine, 0));
        let line = "380501234567,Іван Петренко,5922,5923,Іван,Петренко,,15.03.1985,1001,передзвонити,,";
        assert_eq!(contact(line), bad(Kind::AmbiguousLine, 0));
        let line = "79991112233,Іван,5922,Іван,Петренко,,01.02.1990,a1,call, later,vip,380501112233";
        assert_eq!(contact(line), bad(Kind::AmbiguousLine, 0));
    }

    #[test]
    fn the_table_counts_like_the_definition() {
        // Against brute force, on lines of every small shape, for every list on both endpoints.
        let pieces_of = [
            "",
            "1",
            "12",
            "a",
            "1.2",
            "01.02.1990",
            "1234567890",
            "+7",
            "a@b",
            "x y",
            "0",
            "2",
            "a@b;c@d",
            "a@b c",
            "1;2",
            " ",
            "@",
        ];
        let mut seed = 7u64;
        let mut next = |below: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % below
        };
        // Under Miri, which interprets every step, a sample is enough to find undefined behaviour.
        let lines = if cfg!(miri) { 1 } else { 1500 };
        for kind in [ListKind::Contacts, ListKind::Groups, ListKind::Blacklist] {
            for endpoint in [Endpoint::Phones, Endpoint::Mails] {
                let schema = kind.schema(endpoint);
                for _ in 0..lines {
                    // Any pieces: mostly no reading or a single one.
                    let mut chosen: heapless::Vec<&str, 16> = heapless::Vec::new();
                    for _ in 0..schema.len() + next(4) {
                        chosen.push(pieces_of[next(pieces_of.len())]).unwrap();
                    }
                    check_line(kind, endpoint, &chosen);
                    // Pieces that fit their fields, with two or three more put in: many
                    // readings, and the rule for choosing among them.
                    chosen.clear();
                    for field in 0..schema.len() {
                        let samples: &[&str] = match schema.shape(field) {
                            Shape::Free => &["a", "x y", "1", ""],
                            Shape::Digits | Shape::IdList => &["", "12"],
                            Shape::Id => &["7"],
                            Shape::BlockType => &["0", "2"],
                            Shape::Date => &["", "01.02.1990"],
                            Shape::PhoneList => &["", "+7", "79991112233"],
                            Shape::MailList => &["", "a@b"],
                        };
                        chosen.push(samples[next(samples.len())]).unwrap();
                    }
                    for _ in 0..2 + next(2) {
                        let at = next(chosen.len() + 1);
                        chosen.insert(at, pieces_of[next(pieces_of.len())]).unwrap();
                    }
                    check_line(kind, endpoint, &chosen);
                }
            }
        }
    }

    /// The line of `chosen` pieces against the shapes' definitions applied to its text: the
    /// classes of every run of pieces, the table's count of readings, and what `resolve` makes
    /// of it: no reading is a mismatch; one reading is taken; of several, the one where every
    /// field but the last takes one piece and the last takes the rest is taken when it is a
    /// reading, and otherwise the line is ambiguous.
    fn check_line(kind: ListKind, endpoint: Endpoint, chosen: &[&str]) {
        let schema = kind.schema(endpoint);
        let fields = schema.len();
        let addresses = schema.shapes.contains(&Shape::MailList);
        let mut line = heapless::String::<256>::new();
        for (p, piece) in chosen.iter().enumerate() {
            if p > 0 {
                line.push(',').unwrap();
            }
            line.push_str(piece).unwrap();
        }
        let line = line.as_str();
        let n = chosen.len();
        // The text of pieces `k..=q` joined by their commas.
        let joined = |k: usize, q: usize| {
            let start: usize = chosen[..k].iter().map(|p| p.len() + 1).sum();
            let len: usize = chosen[k..=q].iter().map(|p| p.len() + 1).sum::<usize>() - 1;
            &line[start..start + len]
        };
        let fits = |f: usize, k: usize, q: usize| schema.shape(f).matches(joined(k, q).as_bytes());
        // Every reading (the piece each field starts at): their count, and the first found.
        fn find(
            fields: usize,
            n: usize,
            fits: &dyn Fn(usize, usize, usize) -> bool,
            field: usize,
            from: usize,
            cuts: &mut [usize; 17],
            first: &mut Option<[usize; 17]>,
        ) -> u32 {
            if field == fields {
                if from == n && first.is_none() {
                    *first = Some(*cuts);
                }
                return u32::from(from == n);
            }
            let mut total = 0;
            for to in from..n {
                if fits(field, from, to) {
                    cuts[field] = from;
                    cuts[field + 1] = to + 1;
                    total += find(fields, n, fits, field + 1, to + 1, cuts, first);
                }
            }
            total
        }
        let (mut cuts, mut first) = ([0usize; 17], None);
        let ways = find(fields, n, &fits, 0, 0, &mut cuts, &mut first);

        let mut classes = Classes::default();
        for (p, piece) in chosen.iter().enumerate() {
            classes.add(p, piece.as_bytes(), addresses);
        }
        let table = Table::fill(&schema, &classes, n - fields);
        assert_eq!(u32::from(table.ways(fields, n - fields)), ways.min(2), "{line}");
        for k in 0..n {
            for q in k..n {
                for field in 0..fields {
                    let shape = schema.shape(field);
                    if shape == Shape::MailList && !addresses {
                        continue;
                    }
                    let expected = shape.matches(joined(k, q).as_bytes());
                    assert_eq!(classes.fit(shape, k, q), expected, "{line} {k}..={q} {shape:?}");
                }
            }
        }
        // Runs that end past the 64 pieces the masks hold, or end before they start, fit nothing;
        // the 64th piece is still held.
        assert!(!classes.fit(Shape::Free, 1, 0) && !classes.fit(Shape::Free, 0, 64));
        assert!(classes.fit(Shape::Free, 63, 63) && classes.fit(Shape::Free, 0, 63));

        let to_last = (0..fields - 1).all(|f| fits(f, f, f)) && fits(fields - 1, fields - 1, n - 1);
        let taken = match (ways, to_last) {
            (0, _) => None,
            (1, _) => first,
            (_, true) => {
                let mut cuts = [0usize; 17];
                for (f, cut) in cuts.iter_mut().enumerate().take(fields) {
                    *cut = f;
                }
                cuts[fields] = n;
                Some(cuts)
            }
            (_, false) => None,
        };
        let got = read_line(kind, endpoint, line);
        match taken {
            Some(cuts) => {
                let values = got.unwrap_or_else(|e| panic!("{line}: {e:?}"));
                for f in 0..fields {
                    assert_eq!(values[f], joined(cuts[f], cuts[f + 1] - 1), "{line} field {f}");
                }
            }
            None => {
                let kind = if ways == 0 { Kind::FieldMismatch } else { Kind::AmbiguousLine };
                assert_eq!(got, bad(kind, 0), "{line}");
            }
        }
    }

    /// A fmt=0 body read as fmt=1 is the wrong shape, whatever its first key is made of; a
    /// fmt=1 line that only looks a little like one is a record.
    #[test]
    fn a_key_value_body_is_not_a_csv_list() {
        use crate::{decode, DecodeErrorKind, Fmt};
        let shape = |body: &[u8]| match decode::contacts(body, Fmt::Csv, Endpoint::Phones) {
            Ok(mut records) => records.next().map(|record| record.err().map(|e| (e.kind, e.offset))),
            Err(err) => Some(err.malformed().map(|e| (e.kind, e.offset))),
        };
        for body in [&b"phone = 1, name = A\n"[..], b"group_id = 5\n", b"f1 = 2\n", b"_ = 3\n"] {
            assert_eq!(
                shape(body),
                Some(Some((DecodeErrorKind::UnexpectedShape, 0))),
                "{:?}",
                core::str::from_utf8(body)
            );
        }
        assert_eq!(shape(b"79991112233,A = B,0\n"), Some(None));
        // Not a key (a capital, no space before `=`): read as a record, whose phone is wrong.
        for body in [&b"Phone = 1,A,0\n"[..], b"phone= 1,A,0\n", b"ph-one = 1,A,0\n", b" = 1,A,0\n"] {
            assert_eq!(
                shape(body),
                Some(Some((DecodeErrorKind::FieldMismatch, 0))),
                "{:?}",
                core::str::from_utf8(body)
            );
        }
    }

    /// A bare answer that is neither a number nor `OK` where one is wanted is the wrong shape
    /// where it starts, after any blanks.
    #[test]
    fn a_bare_answer_of_the_wrong_kind_is_refused_where_it_starts() {
        use crate::{decode, DecodeErrorKind, Fmt};
        let created = decode::created(b"  OK", Fmt::Csv).unwrap_err().malformed().unwrap();
        assert_eq!((created.kind, created.offset), (DecodeErrorKind::UnexpectedShape, 2));
        let done = decode::done(b" \n 123", Fmt::Csv).unwrap_err().malformed().unwrap();
        assert_eq!((done.kind, done.offset), (DecodeErrorKind::UnexpectedShape, 3));
    }
}
