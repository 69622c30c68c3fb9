//! fmt=0: `key = value, key = value`, one record per line. Values are neither quoted nor
//! escaped, so a value may hold `, key = ` itself: every `, key = ` is only a possible field
//! start. The reading of a line:
//!
//! - a key the schema does not know always starts a field (how a newer server's field looks);
//! - known keys come in the documented order, so a reading keeps them strictly in that order,
//!   and the reading with the most fields wins;
//! - a tie is settled by the field shapes (a group is digits, a birthday a date...); what
//!   remains tied is [`AmbiguousLine`](crate::DecodeErrorKind::AmbiguousLine).
//!
//! The common line, whose known keys come in order, is read in one pass: taking every `, key =`
//! is then the one reading with the most fields. Only a line with a known key out of order goes
//! through the search, which is a longest-increasing-chain count over its known keys.

use nom::bytes::complete::{tag, take_while};

use super::lines::{self, first_line, refuse_structured};
use super::scan::{self, skip_space, trim_end_space};
use super::{bad, run, Answer, Ctx, Cursor, Fail, Grammar, Item, Member, Open, Place, Scan, Span, Spans};
use crate::error::DecodeErrorKind as Kind;
use crate::record::{Schema, MAX_KNOWN};
use crate::text::Text;

pub(crate) static GRAMMAR: Grammar = Grammar { open, item, trailer: lines::trailer, answer, fields };

/// Before the list: nothing to open; a body that is JSON or XML is refused.
fn open(buf: &[u8], pos: usize, eof: bool, _ctx: &Ctx) -> Scan<Open> {
    let (start, end) = first_line(buf, pos, eof)?;
    refuse_structured(buf, start, end)?;
    Ok(Open::List(pos))
}

fn item(buf: &[u8], pos: usize, place: Place, ctx: &Ctx, spans: &mut Spans) -> Scan<Item> {
    lines::item(buf, pos, place, ctx, spans, read)
}

/// `ID = <id>` (a created id) or `OK`; the error line is recognised before this.
fn answer(buf: &[u8], pos: usize, _ctx: &Ctx) -> Scan<Answer> {
    let start = skip_space(buf, pos);
    let end = trim_end_space(buf, start);
    let body = buf.get(..end).unwrap_or_default();
    let mut answer = Answer { start, end, ..Answer::default() };
    if body.get(start..) == Some(b"OK") {
        answer.result = Some(Span::plain(start, end));
        return Ok(answer);
    }
    let blanks = || take_while(|b| b == b' ' || b == b'\t');
    match run(body, start, (tag(&b"ID"[..]), blanks(), tag(&b"="[..]), blanks())) {
        Ok((value, _)) if value < end => answer.id = Some(Span::plain(value, end)),
        _ => return bad(Kind::UnexpectedShape, start),
    }
    Ok(answer)
}

/// A byte of a key: lower-case letters, digits, `_`.
const fn is_key_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
}

/// `key " =" " "?` at `at`: where the key ends and where its value starts. A server that trims
/// lines may leave `key =` at the end without the space.
#[inline]
fn key_eq(line: &[u8], at: usize) -> Option<(usize, usize)> {
    let key_len = line.get(at..)?.iter().take_while(|&&b| is_key_byte(b)).count();
    let key_end = at + key_len;
    if key_len == 0 || line.get(key_end..key_end + 2) != Some(b" =") {
        return None;
    }
    match line.get(key_end + 2) {
        Some(b' ') => Some((key_end, key_end + 3)),
        _ => Some((key_end, key_end + 2)),
    }
}

/// The next possible field start after `at`: a `, key = `. The comma's position, the key's
/// end and the value's start.
#[inline]
fn next_candidate(line: &[u8], mut at: usize) -> Option<(usize, usize, usize)> {
    loop {
        let comma = scan::find_byte(line, at, b',')?;
        if line.get(comma + 1) == Some(&b' ') {
            if let Some((key_end, value)) = key_eq(line, comma + 2) {
                return Some((comma, key_end, value));
            }
        }
        at = comma + 1;
    }
}

/// The schema index of `key` plus one, or 0 for a key the schema does not know.
#[inline]
fn rank(schema: &Schema, key: &[u8], hint: usize) -> u8 {
    schema.index_of(key, hint).map_or(0, |index| index as u8 + 1)
}

/// Reads the line at `start` into `spans`: where it ends, and where the next starts.
fn read(buf: &[u8], start: usize, eof: bool, ctx: &Ctx, spans: &mut Spans) -> Scan<(usize, usize)> {
    let (end, next) = match read_in_order(buf, start, eof, ctx, spans)? {
        InOrder::Read(end, next) => return Ok((end, next)),
        InOrder::Not(end, next) => (end, next),
    };
    *spans = [None; MAX_KNOWN];
    let line = buf.get(start..end).unwrap_or_default();
    let pairs = search(line, start, ctx)?;
    fill(line, start, pairs, ctx, spans)?;
    Ok((end, next))
}

/// What the one-pass reading found.
enum InOrder {
    /// The line, read: where it ends and where the next starts.
    Read(usize, usize),
    /// A known key out of order: the line needs the search.
    Not(usize, usize),
}

/// The one-pass reading of the line at `start` while its known keys come in order (spans
/// half filled when one does not); the pass also finds where the line ends.
#[inline]
fn read_in_order(buf: &[u8], start: usize, eof: bool, ctx: &Ctx, spans: &mut Spans) -> Scan<InOrder> {
    let (schema, limits) = (&ctx.schema, &ctx.limits);
    let Some((key_end, mut value)) = key_eq(buf, start) else {
        // No key: an error, once the line is known to be all there.
        return match scan::find_byte(buf, start, b'\n') {
            None if !eof => Err(Fail::Incomplete),
            _ => bad(Kind::NotKeyValue, start),
        };
    };
    let mut current = rank(schema, buf.get(start..key_end).unwrap_or_default(), 0);
    let mut last = current;
    let mut count = 1;
    let mut at = value;
    let close = |current: u8, value: usize, value_end: usize, spans: &mut Spans| {
        if value_end - value > limits.max_value_len {
            return bad(Kind::ValueTooLong, value);
        }
        if let Some(slot) = usize::from(current).checked_sub(1).and_then(|i| spans.get_mut(i)) {
            *slot = Some(Span::plain(value, value_end));
        }
        Ok(())
    };
    loop {
        let stop = scan::find_either(buf, at, b',', b'\n');
        if buf.get(stop) != Some(&b',') {
            let (end, next) = lines::line_end(buf, start, stop, eof)?;
            close(current, value, end.max(value), spans)?;
            return Ok(InOrder::Read(end, next));
        }
        at = stop + 1;
        let candidate = match buf.get(stop + 1) {
            Some(b' ') => key_eq(buf, stop + 2),
            _ => None,
        };
        let Some((key_end, next_value)) = candidate else {
            continue;
        };
        close(current, value, stop, spans)?;
        current = rank(schema, buf.get(stop + 2..key_end).unwrap_or_default(), usize::from(last));
        if current != 0 {
            if current <= last {
                let lf = scan::find_byte(buf, stop, b'\n').unwrap_or(buf.len());
                let (end, next) = lines::line_end(buf, start, lf, eof)?;
                return Ok(InOrder::Not(end, next));
            }
            last = current;
        }
        count += 1;
        if count > limits.fields() {
            return bad(Kind::TooManyFields, stop);
        }
        value = next_value;
        at = next_value;
    }
}

/// The most known-key field starts the search keeps.
const MAX_KNOWN_STARTS: usize = 64;

/// A known-key field start, for the search.
#[derive(Clone, Copy, Default)]
struct KnownStart {
    /// The `, ` before it (0 at the line's start).
    sep: u32,
    /// Where its value ends when no later known key is taken: the next unknown key's `, `.
    limit: u32,
    /// Schema index plus one.
    rank: u8,
}

/// The best readings from a known start on: how many fields the longest chain of known keys
/// has, how many chains have that length (two means several), and the next start in one.
#[derive(Clone, Copy, Default)]
struct Best {
    len: u8,
    count: u8,
    next: u8,
}

const NONE: u8 = u8::MAX;

/// The reading of a line with known keys out of order: which field starts it takes.
#[inline(never)]
fn search(line: &[u8], base: usize, ctx: &Ctx) -> Scan<Pairs> {
    let (schema, limits) = (&ctx.schema, &ctx.limits);
    let mut starts = [KnownStart::default(); MAX_KNOWN_STARTS];
    let mut known = 0usize;
    let mut unknown = 0usize;
    let line_len = u32::try_from(line.len()).or_else(|_| bad(Kind::RecordTooLong, base))?;
    let mut push = |sep: usize, key: &[u8], starts: &mut [KnownStart; MAX_KNOWN_STARTS]| -> Scan<()> {
        match rank(schema, key, 0) {
            0 => {
                // Every known start without a limit yet ends its value here at the latest.
                for start in starts.iter_mut().take(known).rev() {
                    if start.limit != line_len {
                        break;
                    }
                    start.limit = sep as u32;
                }
                unknown += 1;
            }
            rank => {
                let Some(slot) = starts.get_mut(known) else {
                    return bad(Kind::TooManyFields, base + sep);
                };
                *slot = KnownStart { sep: sep as u32, limit: line_len, rank };
                known += 1;
            }
        }
        if known + unknown > 2 * limits.fields() {
            return bad(Kind::TooManyFields, base + sep);
        }
        Ok(())
    };
    let first_key = key_eq(line, 0).map_or(0, |(key_end, _)| key_end);
    push(0, line.get(..first_key).unwrap_or_default(), &mut starts)?;
    let mut at = 0;
    while let Some((comma, key_end, value)) = next_candidate(line, at) {
        push(comma, line.get(comma + 2..key_end).unwrap_or_default(), &mut starts)?;
        at = value;
    }
    let starts = starts.get(..known).unwrap_or_default();
    let first_known = starts.first().is_some_and(|s| s.sep == 0);

    // The value of start `i` if the next known start taken is `next`.
    let value_of = |i: usize, next: Option<usize>| {
        let start = starts.get(i).copied().unwrap_or_default();
        let value = match start.sep {
            0 => key_eq(line, 0),
            sep => key_eq(line, sep as usize + 2),
        }
        .map_or(0, |(_, value)| value);
        let end = next.and_then(|n| starts.get(n)).map_or(start.limit, |n| n.sep.min(start.limit));
        line.get(value..end as usize).unwrap_or_default()
    };
    let mut best = [Best::default(); MAX_KNOWN_STARTS];
    let chains = |shapes: bool, best: &mut [Best; MAX_KNOWN_STARTS]| -> (u8, u8, u8) {
        let fits = |i: usize, next: Option<usize>| {
            let rank = starts.get(i).map_or(0, |s| s.rank);
            !shapes || schema.shape(usize::from(rank).saturating_sub(1)).matches(value_of(i, next))
        };
        for i in (0..starts.len()).rev() {
            let rank = starts.get(i).map_or(0, |s| s.rank);
            let alone = u8::from(fits(i, None));
            let mut here = Best { len: alone, count: alone, next: NONE };
            // The starts after `i`.
            for j in (i..starts.len()).skip(1) {
                let after = best.get(j).copied().unwrap_or_default();
                if starts.get(j).map_or(0, |s| s.rank) <= rank || after.len == 0 || !fits(i, Some(j)) {
                    continue;
                }
                let len = after.len + 1;
                if len > here.len {
                    here = Best { len, count: after.count, next: j as u8 };
                } else if len == here.len {
                    here.count = (here.count + after.count).min(2);
                }
            }
            if let Some(slot) = best.get_mut(i) {
                *slot = here;
            }
        }
        if first_known {
            let b = best.first().copied().unwrap_or_default();
            return (b.len, b.count, 0);
        }
        // An unknown key starts the line: the chain may start at any known start, or be empty.
        let mut top = (0u8, 1u8, NONE);
        for (i, b) in best.iter().enumerate().take(starts.len()) {
            if b.len > top.0 {
                top = (b.len, b.count, i as u8);
            } else if b.len == top.0 && b.len > 0 {
                top.1 = (top.1 + b.count).min(2);
            }
        }
        top
    };
    let (len, count, mut next) = chains(false, &mut best);
    if count > 1 {
        let (len_shaped, count_shaped, start) = chains(true, &mut best);
        if len_shaped != len || count_shaped != 1 {
            return bad(Kind::AmbiguousLine, base);
        }
        next = start;
    }
    // Walk the one reading.
    let mut used = 0u64;
    while let Some(b) = best.get(usize::from(next)) {
        used |= 1u64 << (next & 63);
        next = b.next;
    }
    Ok(Pairs { next: Some(0), used, all: false, known: 0, ranked: false })
}

/// Fills `spans` from a reading of the line.
fn fill(line: &[u8], base: usize, mut pairs: Pairs, ctx: &Ctx, spans: &mut Spans) -> Scan<()> {
    let mut count = 0;
    while let Some(pair) = pairs.next_pair(line, &ctx.schema) {
        count += 1;
        if count > ctx.limits.fields() {
            return bad(Kind::TooManyFields, base + pair.key.saturating_sub(2));
        }
        if pair.value_end - pair.value > ctx.limits.max_value_len {
            return bad(Kind::ValueTooLong, base + pair.value);
        }
        if let Some(slot) = usize::from(pair.rank).checked_sub(1).and_then(|i| spans.get_mut(i)) {
            *slot = Some(Span::plain(base + pair.value, base + pair.value_end));
        }
    }
    Ok(())
}

/// One `key = value` of a line.
struct Pair {
    key: usize,
    key_end: usize,
    value: usize,
    value_end: usize,
    rank: u8,
}

/// The fields of a line in a given reading, one at a time: what [`RawRecord::fields`] goes
/// through, and what fills a record after a search.
///
/// [`RawRecord::fields`]: crate::record::RawRecord::fields
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pairs {
    /// Where the next pair's key starts.
    next: Option<usize>,
    /// The known starts taken, by their order among the line's known starts.
    used: u64,
    /// Every start is taken (the line's known keys come in order).
    all: bool,
    /// Known starts passed so far.
    known: u32,
    /// Whether the first pair was ranked already.
    ranked: bool,
}

impl Pairs {
    fn takes(&mut self, rank: u8) -> bool {
        if rank == 0 {
            return true;
        }
        let index = self.known;
        self.known += 1;
        // (At most 64 known starts are kept: `index` is below 64.)
        self.all || self.used & 1u64.checked_shl(index).unwrap_or(0) != 0
    }

    fn next_pair(&mut self, line: &[u8], schema: &Schema) -> Option<Pair> {
        let key = self.next?;
        let (key_end, value) = key_eq(line, key)?;
        let key_rank = rank(schema, line.get(key..key_end).unwrap_or_default(), 0);
        if !self.ranked {
            // The first pair is always taken; count it among the known starts.
            self.ranked = true;
            self.takes(key_rank);
        }
        let mut at = value;
        while let Some((comma, next_key_end, next_value)) = next_candidate(line, at) {
            let next_rank = rank(schema, line.get(comma + 2..next_key_end).unwrap_or_default(), 0);
            if self.takes(next_rank) {
                self.next = Some(comma + 2);
                return Some(Pair { key, key_end, value, value_end: comma, rank: key_rank });
            }
            at = next_value;
        }
        self.next = None;
        Some(Pair { key, key_end, value, value_end: line.len(), rank: key_rank })
    }

    pub(crate) fn next<'a>(&mut self, record: &'a str, ctx: &Ctx) -> Option<Member<'a>> {
        let pair = self.next_pair(record.as_bytes(), &ctx.schema)?;
        let name = record.get(pair.key..pair.key_end)?;
        let value = Text::plain(record.get(pair.value..pair.value_end)?);
        Some(Member { name, value })
    }
}

/// A cursor over the fields of a line, in its reading.
fn fields(record: &str, ctx: &Ctx) -> Cursor {
    let line = record.as_bytes();
    let mut spans = [None; MAX_KNOWN];
    match read_in_order(line, 0, true, ctx, &mut spans) {
        Ok(InOrder::Read(..)) => Cursor::Kv(Pairs { next: Some(0), used: 0, all: true, known: 0, ranked: false }),
        Ok(InOrder::Not(..)) => search(line, 0, ctx).map_or(Cursor::Done, Cursor::Kv),
        Err(_) => Cursor::Done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::{Endpoint, ListKind};

    fn values(line: &str) -> Scan<[Option<&str>; MAX_KNOWN]> {
        let ctx = Ctx { schema: ListKind::Contacts.schema(Endpoint::Phones), limits: Limits::DEFAULT };
        let mut spans = [None; MAX_KNOWN];
        read(line.as_bytes(), 0, true, &ctx, &mut spans)?;
        Ok(spans.map(|span| span.map(|s| &line[s.start..s.end])))
    }

    #[test]
    fn in_order_lines_take_every_key() {
        let v = values("phone = 7999, name = Ivan, x = 1, group = 0, comments = a, b").unwrap();
        assert_eq!(v[0..3], [Some("7999"), Some("Ivan"), Some("0")]);
        assert_eq!(v[8], Some("a, b"));
        assert_eq!(values("no equals"), bad(Kind::NotKeyValue, 0));
        assert_eq!(values("phone =").unwrap()[0], Some(""));
    }

    #[test]
    fn repeated_keys_are_resolved_or_refused() {
        let line = "phone = 7999, name = Ivan, group = 0, first_name = , last_name = , middle_name = , birthday = , id = , comments = see, name = x, tags = , phone_other = ";
        assert_eq!(values(line).unwrap()[8], Some("see, name = x"));

        let line = "phone = 7999, name = a, tags = b, group = 5, first_name = , last_name = , middle_name = , birthday = , id = , comments = , tags = t, phone_other = ";
        assert_eq!(values(line).unwrap()[1], Some("a, tags = b"));

        // A tie on the number of fields, settled by the group's shape.
        let line = "phone = 7999, name = a, group = b, group = 5, first_name = x";
        assert_eq!(values(line).unwrap()[1], Some("a, group = b"));

        // A tie the shapes cannot settle.
        let line = "phone = 7999, comments = a, tags = vip, tags = opt";
        assert_eq!(values(line), bad(Kind::AmbiguousLine, 0));

        // An unknown key is a field of its own; with it, a repeated name is a tie.
        let line = "phone = 7999, int_id = 4, name = a, group = 5, name = b";
        assert_eq!(values(line).unwrap()[2], Some("5, name = b"));
        let line = "phone = 7999, int_id = 4, name = a, name = b";
        assert_eq!(values(line), bad(Kind::AmbiguousLine, 0));
    }

    #[test]
    fn fields_follow_the_reading() {
        let ctx = Ctx { schema: ListKind::Contacts.schema(Endpoint::Phones), limits: Limits::DEFAULT };
        let line = "phone = 7999, int_id = 4, name = a, comments = c, name = b, tags = t";
        let Cursor::Kv(mut pairs) = fields(line, &ctx) else { panic!() };
        let mut names = heapless::Vec::<(&str, &str), 8>::new();
        while let Some(member) = pairs.next(line, &ctx) {
            names.push((member.name, member.value.raw())).unwrap();
        }
        assert_eq!(
            names,
            [("phone", "7999"), ("int_id", "4"), ("name", "a"), ("comments", "c, name = b"), ("tags", "t")]
        );
    }

    #[test]
    fn the_created_id_and_ok() {
        let ctx = Ctx { schema: ListKind::Contacts.schema(Endpoint::Phones), limits: Limits::DEFAULT };
        let answer = super::answer(b"ID = 4321\n", 0, &ctx).unwrap();
        assert_eq!(answer.id, Some(Span::plain(5, 9)));
        assert!(super::answer(b"OK", 0, &ctx).unwrap().result.is_some());
        assert!(super::answer(b"ID = ", 0, &ctx).is_err());
    }

    /// An answer of the wrong kind (`OK` where an id is wanted, an id where `OK` is) is the
    /// wrong shape where it starts, after any blanks.
    #[test]
    fn an_answer_of_the_wrong_kind_is_refused_where_it_starts() {
        use crate::{decode, DecodeErrorKind, Fmt};
        let created = decode::created(b"  OK", Fmt::KeyValue).unwrap_err().malformed().unwrap();
        assert_eq!((created.kind, created.offset), (DecodeErrorKind::UnexpectedShape, 2));
        let done = decode::done(b" \n ID = 5", Fmt::KeyValue).unwrap_err().malformed().unwrap();
        assert_eq!((done.kind, done.offset), (DecodeErrorKind::UnexpectedShape, 3));
    }

    /// The reading of lines whose keys repeat and come out of order, against the rule applied
    /// by brute force: every unknown key starts a field; of the known keys' starts, a reading
    /// takes a set whose keys strictly follow the schema's order (beginning with the line's
    /// first key when it is known), and has the most of them; a tie goes to the one reading whose
    /// values all fit their shapes among the longest that do, or is `AmbiguousLine`.
    #[test]
    fn readings_follow_the_rule_by_brute_force() {
        let schema = ListKind::Contacts.schema(Endpoint::Phones);
        let keys = ["phone", "name", "group", "birthday", "id", "comments", "x"];
        let pieces = ["", "1", "a", "01.02.1990", "7999", "5"];
        let mut seed = 11u64;
        let mut next = |below: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % below
        };
        let lines = if cfg!(miri) { 5 } else { 3000 };
        for _ in 0..lines {
            // (where the start is: 0 or its comma, where its value starts, its rank)
            let mut starts: heapless::Vec<(usize, usize, usize), 8> = heapless::Vec::new();
            let mut line = heapless::String::<256>::new();
            for pair in 0..2 + next(6) {
                let key = keys[next(keys.len())];
                let sep = line.len();
                if pair > 0 {
                    line.push_str(", ").unwrap();
                }
                line.push_str(key).unwrap();
                line.push_str(" = ").unwrap();
                let rank = schema.names.iter().position(|name| *name == key).map_or(0, |i| i + 1);
                starts.push((sep, line.len(), rank)).unwrap();
                line.push_str(pieces[next(pieces.len())]).unwrap();
            }
            let line = line.as_str();
            let n = starts.len();
            // A known start's value ends at the next start taken, or at the next unknown key.
            let limit = |i: usize| starts[i + 1..].iter().find(|s| s.2 == 0).map_or(line.len(), |s| s.0);
            let value = |i: usize, next: Option<usize>| {
                let end = next.map_or(limit(i), |j| starts[j].0.min(limit(i)));
                &line[starts[i].1..end]
            };
            // Every set of known starts (a bit mask) that is a reading, and whether its values fit.
            let mut best = (0u32, 0u32, 0u32); // (length, how many, the set)
            let mut shaped = (0u32, 0u32, 0u32);
            for set in 0u32..1 << n {
                let taken: heapless::Vec<usize, 8> = (0..n).filter(|&i| set & (1 << i) != 0).collect();
                let known = taken.iter().all(|&i| starts[i].2 != 0);
                let ordered = taken.windows(2).all(|w| starts[w[0]].2 < starts[w[1]].2);
                let first = starts[0].2 == 0 || taken.first() == Some(&0);
                if !(known && ordered && first) {
                    continue;
                }
                let fits = taken.iter().enumerate().all(|(k, &i)| {
                    schema.shape(starts[i].2 - 1).matches(value(i, taken.get(k + 1).copied()).as_bytes())
                });
                let len = taken.len() as u32;
                for (on, tally) in [(true, &mut best), (fits, &mut shaped)] {
                    if on && len > tally.0 {
                        *tally = (len, 1, set);
                    } else if on && len == tally.0 {
                        tally.1 += 1;
                    }
                }
            }
            let chosen = match (best.1, shaped) {
                (1, _) => Some(best.2),
                (_, (len, 1, set)) if len == best.0 => Some(set),
                _ => None,
            };
            let got = values(line);
            let Some(set) = chosen else {
                assert_eq!(got, bad(Kind::AmbiguousLine, 0), "{line}");
                continue;
            };
            let mut expected = [None; MAX_KNOWN];
            let taken: heapless::Vec<usize, 8> = (0..n).filter(|&i| set & (1 << i) != 0).collect();
            for (k, &i) in taken.iter().enumerate() {
                expected[starts[i].2 - 1] = Some(value(i, taken.get(k + 1).copied()));
            }
            assert_eq!(got, Ok(expected), "{line}");
        }
    }

    /// The field limit on a line that needs the search: the search counts every key first
    /// (twice the limit at most), then the reading's fields are counted against the limit.
    #[test]
    fn the_search_counts_fields_against_the_limit() {
        let read_with = |line: &str, max_fields: usize| {
            let ctx = Ctx {
                schema: ListKind::Contacts.schema(Endpoint::Phones),
                limits: Limits { max_fields, ..Limits::DEFAULT },
            };
            read(line.as_bytes(), 0, true, &ctx, &mut [None; MAX_KNOWN]).map(|_| ())
        };
        // `phone` out of order joins `name`'s value: the reading is `name` and `x`.
        assert_eq!(read_with("name = a, phone = 1, x = 1, phone = 2", 2), Ok(()));
        // Three fields read: the third is refused where its `, ` starts.
        assert_eq!(read_with("name = a, phone = 1, x = 1, y = 2", 2), bad(Kind::TooManyFields, 26));
        // Five keys are more than the search looks at, whatever the reading.
        let line = "name = a, phone = 1, x = 1, phone = 2, phone = 3";
        assert_eq!(read_with(line, 2), bad(Kind::TooManyFields, line.rfind(", ").unwrap()));
        // And the value limit, on the value the search gives (`name` repeated is its value).
        let value_with = |max_value_len: usize| {
            let ctx = Ctx {
                schema: ListKind::Contacts.schema(Endpoint::Phones),
                limits: Limits { max_value_len, ..Limits::DEFAULT },
            };
            read(b"phone = 1, name = ab, name = cd", 0, true, &ctx, &mut [None; MAX_KNOWN]).map(|_| ())
        };
        assert_eq!(value_with(13), Ok(()));
        assert_eq!(value_with(12), bad(Kind::ValueTooLong, 18));
    }
}
