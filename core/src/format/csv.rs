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
use super::{bad, Answer, Ctx, Cursor, Grammar, Item, Member, Open, Scan, Span, Spans};
use crate::error::DecodeErrorKind as Kind;
use crate::record::{is_phone_byte, Schema, Shape, MAX_KNOWN};
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

fn item(buf: &[u8], pos: usize, _first: bool, eof: bool, ctx: &Ctx, spans: &mut Spans) -> Scan<Item> {
    lines::item(buf, pos, eof, ctx, spans, read)
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

/// Reads the line `buf[start..end]` into `spans`.
fn read(buf: &[u8], start: usize, end: usize, ctx: &Ctx, spans: &mut Spans) -> Scan<()> {
    let line = buf.get(start..end).unwrap_or_default();
    let values = resolve(line, start, ctx)?;
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
    Ok(())
}

/// The most comma-separated pieces a line may have (twice the field limit, at most this: the
/// table's bit sets hold 128 positions, 0 to 127).
const MAX_PIECES: usize = 127;

/// The values of a line in its reading, as byte ranges of the line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Values {
    /// The end of each field's value; a value starts one byte (the comma) after the previous
    /// one's end.
    ends: [u32; MAX_KNOWN],
    count: u8,
    /// The next field [`RawRecord::fields`](crate::RawRecord::fields) reads.
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
    match resolve(record.as_bytes(), 0, ctx) {
        Ok(values) => Cursor::Csv(values),
        Err(_) => Cursor::Done,
    }
}

/// What a piece is, as bits: what the shapes of a value made of it need to know.
mod piece {
    pub const EMPTY: u8 = 1;
    /// Digits, at least one.
    pub const DIGITS: u8 = 2;
    /// Only bytes a phone number list may hold.
    pub const PHONE: u8 = 4;
    pub const HAS_DIGIT: u8 = 8;
    /// Each address in it (separated by `;` or spaces) holds an `@`.
    pub const MAIL: u8 = 16;
    pub const HAS_AT: u8 = 32;
    /// `dd.mm.yyyy`.
    pub const DATE: u8 = 64;
    /// `0`, `1` or `2`.
    pub const BLOCK: u8 = 128;
}

fn classify(piece: &[u8]) -> u8 {
    let mut bits = 0;
    if piece.is_empty() {
        bits |= piece::EMPTY;
    }
    if all_digits(piece) {
        bits |= piece::DIGITS;
    }
    if piece.iter().all(is_phone_byte) {
        bits |= piece::PHONE;
    }
    if piece.iter().any(u8::is_ascii_digit) {
        bits |= piece::HAS_DIGIT;
    }
    if piece.split(|&b| b == b';' || b == b' ').all(|address| address.is_empty() || address.contains(&b'@')) {
        bits |= piece::MAIL;
    }
    if piece.contains(&b'@') {
        bits |= piece::HAS_AT;
    }
    if Shape::Date.matches(piece) && !piece.is_empty() {
        bits |= piece::DATE;
    }
    if Shape::BlockType.matches(piece) {
        bits |= piece::BLOCK;
    }
    bits
}

/// The reading of `line` (whose first byte is at `base` in the body, for error offsets).
fn resolve(line: &[u8], base: usize, ctx: &Ctx) -> Scan<Values> {
    let schema = &ctx.schema;
    // Piece p is line[start(p)..ends[p]], start(p) = ends[p - 1] + 1.
    let mut ends = [0u32; MAX_PIECES];
    let max_pieces = (2 * ctx.limits.fields()).clamp(1, MAX_PIECES);
    let mut pieces = 0usize;
    let mut at = 0usize;
    loop {
        let comma = scan::find_byte(line, at, b',');
        let end = comma.unwrap_or(line.len());
        let Ok(end32) = u32::try_from(end) else {
            return bad(Kind::RecordTooLong, base);
        };
        if let Some(slot) = ends.get_mut(pieces) {
            *slot = end32;
        }
        pieces += 1;
        match comma {
            None => break,
            Some(_) if pieces >= max_pieces => return bad(Kind::TooManyFields, base + end),
            Some(comma) => at = comma + 1,
        }
    }
    let ends = ends.get(..pieces).unwrap_or_default();
    let start = |p: usize| p.checked_sub(1).and_then(|q| ends.get(q)).map_or(0, |&e| e as usize + 1);
    let piece = |p: usize| line.get(start(p)..ends.get(p).map_or(0, |&e| e as usize)).unwrap_or_default();
    let fields = schema.len();
    let mut values = Values { ends: [0; MAX_KNOWN], count: 0, next: 0 };

    if pieces <= fields {
        for p in 0..pieces {
            if !schema.shape(p).matches(piece(p)) {
                return bad(Kind::FieldMismatch, base);
            }
            if let (Some(slot), Some(&end)) = (values.ends.get_mut(p), ends.get(p)) {
                *slot = end;
            }
        }
        values.count = pieces as u8;
        return Ok(values);
    }

    let mut kinds = [0u8; MAX_PIECES];
    for (p, bits) in kinds.iter_mut().enumerate().take(pieces) {
        *bits = classify(piece(p));
    }
    let kinds = kinds.get(..pieces).unwrap_or_default();
    let table = Table::fill(schema, kinds, pieces);
    let cuts = match table.ways(fields, pieces) {
        0 => return bad(Kind::FieldMismatch, base),
        1 => table.walk_back(schema, kinds, pieces),
        _ => {
            // Several readings: the last field may still take the rest of the line.
            let to_last = (0..fields - 1).all(|f| span_fits(schema.shape(f), kinds, f, f + 1))
                && span_fits(schema.shape(fields - 1), kinds, fields - 1, pieces);
            if !to_last {
                return bad(Kind::AmbiguousLine, base);
            }
            let mut cuts = [0u8; MAX_KNOWN + 1];
            for (f, cut) in cuts.iter_mut().enumerate().take(fields) {
                *cut = f as u8;
            }
            if let Some(last) = cuts.get_mut(fields) {
                *last = pieces as u8;
            }
            cuts
        }
    };
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

/// Whether pieces `k..j` (`k < j`), joined by their commas, can be a value of `shape`.
fn span_fits(shape: Shape, kinds: &[u8], k: usize, j: usize) -> bool {
    let span = kinds.get(k..j).unwrap_or_default();
    let single = if j == k + 1 { span.first().copied() } else { None };
    let all = |bit: u8| span.iter().all(|&b| b & bit != 0);
    let any = |bit: u8| span.iter().any(|&b| b & bit != 0);
    let one = |bits: u8| single.is_some_and(|b| b & bits != 0);
    match shape {
        Shape::Free => true,
        Shape::Digits => one(piece::EMPTY | piece::DIGITS),
        Shape::Id => one(piece::DIGITS),
        Shape::BlockType => one(piece::BLOCK),
        Shape::Date => one(piece::EMPTY | piece::DATE),
        Shape::IdList => one(piece::EMPTY | piece::DIGITS) || (single.is_none() && all(piece::DIGITS)),
        Shape::PhoneList => all(piece::PHONE) && (one(piece::EMPTY) || any(piece::HAS_DIGIT)),
        Shape::MailList => all(piece::MAIL) && (one(piece::EMPTY) || any(piece::HAS_AT)),
    }
}

/// The pieces `k` such that pieces `k..j` can be a value of `shape`, as a bit set, for
/// `j = q + 1`: computed for one `q` from the piece kinds up to it. `run_*` are the first
/// pieces of the runs of pieces with that bit that end at `q`.
struct Starts {
    run_digits: usize,
    run_phone: usize,
    run_mail: usize,
    /// The last piece at or before `q` with a digit (or an `@`), plus one; 0 for none.
    digit_after: usize,
    at_after: usize,
}

impl Starts {
    const fn new() -> Self {
        Self { run_digits: 0, run_phone: 0, run_mail: 0, digit_after: 0, at_after: 0 }
    }

    /// Takes piece `q` into account.
    fn push(&mut self, q: usize, kind: u8) {
        let run = |start: usize, bit: u8| if kind & bit != 0 { start } else { q + 1 };
        self.run_digits = run(self.run_digits, piece::DIGITS);
        self.run_phone = run(self.run_phone, piece::PHONE);
        self.run_mail = run(self.run_mail, piece::MAIL);
        if kind & piece::HAS_DIGIT != 0 {
            self.digit_after = q + 1;
        }
        if kind & piece::HAS_AT != 0 {
            self.at_after = q + 1;
        }
    }

    /// The starts `k` for the value ending with piece `q` (of kind `kind`).
    fn of(&self, shape: Shape, q: usize, kind: u8) -> u128 {
        let range = |from: usize, to: usize| -> u128 {
            // Bits from..=to.
            if from > to || to >= 128 {
                return 0;
            }
            let high = if to == 127 { u128::MAX } else { (1u128 << (to + 1)) - 1 };
            high & !((1u128 << from) - 1)
        };
        let single = |bits: u8| if kind & bits != 0 { range(q, q) } else { 0 };
        match shape {
            Shape::Free => range(0, q),
            Shape::Digits => single(piece::EMPTY | piece::DIGITS),
            Shape::Id => single(piece::DIGITS),
            Shape::BlockType => single(piece::BLOCK),
            Shape::Date => single(piece::EMPTY | piece::DATE),
            Shape::IdList => single(piece::EMPTY | piece::DIGITS) | range(self.run_digits, q.wrapping_sub(1)),
            // An empty piece is a whole value; otherwise a run of allowed pieces with a digit
            // (an `@`) in it: starts from the run's first piece to the last piece with one.
            Shape::PhoneList => single(piece::EMPTY) | range(self.run_phone, self.digit_after.wrapping_sub(1)),
            Shape::MailList => single(piece::EMPTY) | range(self.run_mail, self.at_after.wrapping_sub(1)),
        }
    }
}

/// `ways[i][j]`, the readings of the first `i` fields over the first `j` pieces, counted up to
/// two: row `i` is two bit sets over `j`, "at least one" and "at least two".
struct Table {
    one: [u128; MAX_KNOWN + 1],
    two: [u128; MAX_KNOWN + 1],
}

impl Table {
    fn fill(schema: &Schema, kinds: &[u8], pieces: usize) -> Self {
        let fields = schema.len();
        let mut table = Table { one: [0; MAX_KNOWN + 1], two: [0; MAX_KNOWN + 1] };
        table.one[0] = 1;
        for i in 1..=fields.min(MAX_KNOWN) {
            let (prev_one, prev_two) = (table.one[i - 1], table.two[i - 1]);
            let shape = schema.shape(i - 1);
            let mut starts = Starts::new();
            let (mut one, mut two) = (0u128, 0u128);
            for (q, &kind) in kinds.iter().enumerate() {
                starts.push(q, kind);
                let j = q + 1;
                // Every later field needs a piece of its own.
                if j < i || j > pieces - (fields - i) {
                    continue;
                }
                let from = starts.of(shape, q, kind);
                let sum = (prev_one & from).count_ones() + (prev_two & from).count_ones();
                if sum >= 1 {
                    one |= 1u128 << j;
                }
                if sum >= 2 {
                    two |= 1u128 << j;
                }
            }
            table.one[i] = one;
            table.two[i] = two;
        }
        table
    }

    /// The readings of `fields` fields over `pieces` pieces: 0, 1, or 2 for several.
    fn ways(&self, fields: usize, pieces: usize) -> u8 {
        let bit = |set: Option<&u128>| set.is_some_and(|s| pieces < 128 && s & (1u128 << pieces) != 0);
        u8::from(bit(self.one.get(fields))) + u8::from(bit(self.two.get(fields)))
    }

    /// The piece each field starts at, in the one reading, and `pieces` after the last.
    fn walk_back(&self, schema: &Schema, kinds: &[u8], pieces: usize) -> [u8; MAX_KNOWN + 1] {
        let fields = schema.len();
        let mut cuts = [0u8; MAX_KNOWN + 1];
        if let Some(last) = cuts.get_mut(fields) {
            *last = pieces as u8;
        }
        let mut j = pieces;
        for i in (1..=fields).rev() {
            let q = j.saturating_sub(1);
            // The run starts at q need the pieces up to q.
            let mut starts = Starts::new();
            for (p, &kind) in kinds.iter().enumerate().take(q + 1) {
                starts.push(p, kind);
            }
            let from = starts.of(schema.shape(i - 1), q, kinds.get(q).copied().unwrap_or(0));
            let candidates = self.one.get(i - 1).copied().unwrap_or(0) & from;
            let k = candidates.trailing_zeros() as usize;
            if let Some(cut) = cuts.get_mut(i - 1) {
                *cut = k as u8;
            }
            j = k;
        }
        cuts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::{Endpoint, ListKind};

    fn read_line(kind: ListKind, endpoint: Endpoint, line: &str) -> Scan<heapless::Vec<&str, 12>> {
        let ctx = Ctx { schema: kind.schema(endpoint), limits: Limits::DEFAULT };
        let values = resolve(line.as_bytes(), 0, &ctx)?;
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
        // Against a brute-force count of the readings, on lines of every small shape.
        let pieces_of = ["", "1", "12", "a", "1.2", "01.02.1990", "+7", "a@b", "x y"];
        let schema = ListKind::Contacts.schema(Endpoint::Phones);
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut line = heapless::String::<256>::new();
            let n = 12 + (seed % 4) as usize;
            for p in 0..n {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                if p > 0 {
                    line.push(',').unwrap();
                }
                line.push_str(pieces_of[(seed >> 33) as usize % pieces_of.len()]).unwrap();
            }
            let bytes = line.as_bytes();
            let pieces: heapless::Vec<&[u8], 16> = bytes.split(|&b| b == b',').collect();
            // Brute force: every way to cut n pieces into 11 non-empty runs.
            fn count(schema: &Schema, line: &[u8], pieces: &[&[u8]], field: usize, from: usize) -> u32 {
                if field == schema.len() {
                    return u32::from(from == pieces.len());
                }
                let mut total = 0;
                let mut offset: usize = pieces[..from].iter().map(|p| p.len() + 1).sum();
                let start = offset;
                for to in from + 1..=pieces.len() {
                    offset += pieces[to - 1].len() + usize::from(to - 1 > from);
                    let value = &line[start..start + offset - start];
                    if schema.shape(field).matches(value) {
                        total += count(schema, line, pieces, field + 1, to);
                    }
                }
                total
            }
            let expected = count(&schema, bytes, &pieces, 0, 0).min(2) as u8;
            let mut kinds = [0u8; 16];
            for (p, piece) in pieces.iter().enumerate() {
                kinds[p] = classify(piece);
            }
            let table = Table::fill(&schema, &kinds[..n], n);
            assert_eq!(table.ways(schema.len(), n), expected, "{line}");
        }
    }
}
