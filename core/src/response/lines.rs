//! fmt=0 (`key = value, key = value`) and fmt=1 (`value,value`): one record per line, values
//! unquoted and unescaped, so a value may hold the separator. The splitter resolves a line the
//! way the format allows and refuses it when more than one reading remains:
//!
//! - fmt=1: a line with as many values as fields is taken as it is; fewer leave trailing fields
//!   absent. With more, the extra commas must belong to some fields: a reading must fit the
//!   field shapes (a group id is digits, a birthday a date, a phone has no letters...). One
//!   reading is taken; among several, only the one where the last field takes the rest of the
//!   line (a `phone_other` list, a blacklist comment) is; otherwise the line is ambiguous.
//! - fmt=0: every `, key = ` is a possible separator. Known keys come in the documented order, so
//!   a reading keeps them strictly in that order; the reading with the most known fields (then
//!   unknown ones) wins, and a tie is settled by the field shapes, or refused.

use nom::bytes::complete::{tag, take_while1};
use nom::combinator::opt;
use nom::sequence::terminated;

use super::{bad, run, Fail, Scan};
use crate::error::DecodeErrorKind as Kind;
use crate::limits::Limits;
use crate::schema::{Schema, Shape};

/// Where a field's name comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    /// A field of the schema, by index.
    Known(u8),
    /// Another name, as a byte range of the line.
    Unknown(u32, u32),
}

/// One field of a line: its name and its value's byte range, both relative to the line start
/// (so a split stays small on a microcontroller's stack).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub key: Key,
    pub start: u32,
    pub end: u32,
}

pub(crate) type Split = heapless::Vec<Span, { Limits::MAX_FIELDS }>;

/// fmt=1 values may hold commas, so a line may have up to twice as many pieces as fields.
const MAX_PIECES: usize = 2 * Limits::MAX_FIELDS;

/// At most this many ways are counted: one is a reading, two is ambiguity.
const MANY: u8 = 2;

/// The line `buf[start..end]`, whose offsets must fit in a `u32`.
fn line_of(buf: &[u8], start: usize, end: usize) -> Scan<&[u8]> {
    match u32::try_from(end - start) {
        Ok(_) => Ok(&buf[start..end]),
        Err(_) => bad(Kind::RecordTooLong, start),
    }
}

/// Splits the fmt=1 line `buf[start..end]` into the schema's fields.
#[inline(never)]
pub(crate) fn split_csv(buf: &[u8], start: usize, end: usize, schema: &Schema, limits: &Limits) -> Scan<Split> {
    let line = line_of(buf, start, end)?;
    // Piece boundaries: bounds[s]..bounds[s + 1] - 1 is piece s (the -1 drops the comma).
    let mut bounds = heapless::Vec::<u32, { MAX_PIECES + 1 }>::new();
    let _ = bounds.push(0);
    let max_pieces = 2 * limits.fields();
    for (i, _) in line.iter().enumerate().filter(|(_, &b)| b == b',') {
        if bounds.len() >= max_pieces {
            return bad(Kind::TooManyFields, start + i);
        }
        let _ = bounds.push(i as u32 + 1);
    }
    let _ = bounds.push(line.len() as u32 + 1);
    let pieces = bounds.len() - 1;
    let fields = schema.len();
    let value = |from: usize, to: usize| (bounds[from], bounds[to] - 1);
    let span = |field: usize, (a, b): (u32, u32)| Span { key: Key::Known(field as u8), start: a, end: b };
    let mut split = Split::new();
    if pieces <= fields {
        for s in 0..pieces {
            let _ = split.push(span(s, value(s, s + 1)));
        }
        return Ok(split);
    }
    let fits = |field: usize, from: usize, to: usize| {
        let (a, b) = value(from, to);
        schema.shape(field).matches(&line[a as usize..b as usize])
    };
    // ways[i][j]: readings of the first i fields over the first j pieces, capped at MANY.
    let mut ways = [[0u8; MAX_PIECES + 1]; Schema::MAX_FIELDS + 1];
    ways[0][0] = 1;
    for i in 1..=fields {
        // The fields after the i-th need a piece each: later ends cannot complete a reading.
        for j in i..=pieces - (fields - i) {
            ways[i][j] = (i - 1..j)
                .filter(|&k| ways[i - 1][k] > 0 && fits(i - 1, k, j))
                .fold(0u8, |acc, k| acc.saturating_add(ways[i - 1][k]).min(MANY));
        }
    }
    let mut cuts = [0u8; Schema::MAX_FIELDS + 1];
    match ways[fields][pieces] {
        0 => return bad(Kind::FieldMismatch, start),
        1 => {
            // Walk back along the one reading.
            cuts[fields] = pieces as u8;
            let mut j = pieces;
            for i in (1..=fields).rev() {
                let k = (i - 1..j).find(|&k| ways[i - 1][k] > 0 && fits(i - 1, k, j)).unwrap_or(0);
                cuts[i - 1] = k as u8;
                j = k;
            }
        }
        _ => {
            // Several readings: the last field may still take the rest of the line, when every
            // other field holds one piece (a `phone_other` list, a blacklist comment).
            let to_last = (0..fields - 1).all(|f| fits(f, f, f + 1)) && fits(fields - 1, fields - 1, pieces);
            if !to_last {
                return bad(Kind::AmbiguousLine, start);
            }
            for (f, cut) in cuts.iter_mut().enumerate().take(fields) {
                *cut = f as u8;
            }
            cuts[fields] = pieces as u8;
        }
    }
    for field in 0..fields {
        let _ = split.push(span(field, value(usize::from(cuts[field]), usize::from(cuts[field + 1]))));
    }
    Ok(split)
}

const fn is_key_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
}

/// Whether a line starts like a JSON or XML body (`[{`, `[]`, `{"`, `{}`, `<tag`, `<?`, `<!`),
/// which no fmt=0 line and no plausible fmt=1 record does.
pub(crate) fn starts_structured(line: &[u8]) -> bool {
    let after = |i: usize| line.get(i..).unwrap_or_default().iter().find(|b| !b.is_ascii_whitespace()).copied();
    match line.first() {
        Some(b'[') => matches!(after(1), Some(b'{' | b']')),
        Some(b'{') => matches!(after(1), Some(b'"' | b'}')),
        Some(b'<') => line.get(1).is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'?' | b'!')),
        _ => false,
    }
}

/// Whether a line starts like a fmt=0 record: `key = `.
pub(crate) fn starts_with_key(line: &[u8]) -> bool {
    let key_len = line.iter().take_while(|&&b| is_key_byte(b)).count();
    key_len > 0 && line[key_len..].starts_with(b" =")
}

/// A possible field start in a fmt=0 line; offsets relative to the line.
#[derive(Clone, Copy, Debug, Default)]
struct Candidate {
    /// Where the `, ` before it starts (0 for the first).
    sep: u32,
    key: (u32, u32),
    value: u32,
    /// Schema index + 1, or 0 for an unknown key.
    rank: u8,
}

/// The best continuation of a reading after a candidate.
#[derive(Clone, Copy, Debug, Default)]
struct Best {
    score: u16,
    count: u8,
    /// The next candidate, or `NONE` for the end of the line.
    next: u8,
}

const NONE: u8 = u8::MAX;

fn key_of(c: &Candidate) -> Key {
    match c.rank {
        0 => Key::Unknown(c.key.0, c.key.1),
        r => Key::Known(r - 1),
    }
}
const KNOWN_WEIGHT: u16 = 256;

/// Splits the fmt=0 line `buf[start..end]` into `key = value` fields.
#[inline(never)]
pub(crate) fn split_kv(buf: &[u8], start: usize, end: usize, schema: &Schema, limits: &Limits) -> Scan<Split> {
    let line = line_of(buf, start, end)?;
    // `key = value`; a server that trims lines may leave `key =` at the end without the space.
    let key_eq =
        |at: usize| run(line, at, terminated(take_while1(is_key_byte), (tag(&b" ="[..]), opt(tag(&b" "[..])))));
    let rank = |key: &[u8]| schema.index_of(key).map_or(0, |i| i as u8 + 1);
    let candidate = |sep: usize, key_at: usize, value: usize, key: &[u8]| Candidate {
        sep: sep as u32,
        key: (key_at as u32, (key_at + key.len()) as u32),
        value: value as u32,
        rank: rank(key),
    };
    let mut candidates = heapless::Vec::<Candidate, { Limits::MAX_FIELDS }>::new();
    let Ok((value, key)) = key_eq(0) else {
        return bad(Kind::NotKeyValue, start);
    };
    let _ = candidates.push(candidate(0, 0, value, key));
    let mut at = value;
    while let Some(i) = line[at..].iter().position(|&b| b == b',') {
        let sep = at + i;
        if line.get(sep + 1) != Some(&b' ') {
            at = sep + 1;
            continue;
        }
        if let Ok((value, key)) = key_eq(sep + 2) {
            if candidates.len() >= limits.fields() {
                return bad(Kind::TooManyFields, start + sep);
            }
            let _ = candidates.push(candidate(sep, sep + 2, value, key));
        }
        at = sep + 2;
    }
    // The common line: known keys in strictly increasing order. Taking every candidate is then
    // the one reading with the most fields (any other drops some), so no search is needed.
    let mut last_rank = 0;
    let in_order = candidates.iter().all(|c| {
        let ordered = c.rank == 0 || c.rank > last_rank;
        last_rank = last_rank.max(c.rank);
        ordered
    });
    let mut split = Split::new();
    if in_order {
        for (i, c) in candidates.iter().enumerate() {
            let end = candidates.get(i + 1).map_or(line.len() as u32, |next| next.sep);
            let _ = split.push(Span { key: key_of(c), start: c.value, end });
        }
    } else {
        search(line, &candidates, schema, &mut split).map_err(|kind| Fail::Bad(kind, start))?;
    }
    Ok(split)
}

/// The reading of a line whose keys are out of order, by the dynamic programme; out of line so
/// its table takes stack only when needed.
#[inline(never)]
fn search(line: &[u8], candidates: &[Candidate], schema: &Schema, split: &mut Split) -> Result<(), Kind> {
    // Field shapes only settle ties: a line the keys alone resolve is taken as it is.
    let first_rank = usize::from(candidates[0].rank);
    let mut table = [[Best::default(); Schema::MAX_FIELDS + 1]; Limits::MAX_FIELDS];
    fill(&mut table, line, candidates, schema, false);
    if table[0][first_rank].count > 1 {
        fill(&mut table, line, candidates, schema, true);
    }
    match table[0][first_rank].count {
        0 => return Err(Kind::FieldMismatch),
        1 => {}
        _ => return Err(Kind::AmbiguousLine),
    }
    // Walk the one best reading.
    let (mut i, mut rank) = (0usize, first_rank);
    loop {
        let c = candidates[i];
        let next = table[i][rank].next;
        let value_end = match next {
            NONE => line.len() as u32,
            next => candidates[usize::from(next)].sep,
        };
        let _ = split.push(Span { key: key_of(&c), start: c.value, end: value_end });
        if next == NONE {
            return Ok(());
        }
        i = usize::from(next);
        if candidates[i].rank != 0 {
            rank = usize::from(candidates[i].rank);
        }
    }
}

type Table = [[Best; Schema::MAX_FIELDS + 1]; Limits::MAX_FIELDS];

/// The dynamic programme over candidates, backwards: `table[i][r]` is the best continuation
/// after candidate `i` when the highest known field so far has rank `r`. Filled in place: one
/// table on the stack, however often it is filled.
fn fill(table: &mut Table, line: &[u8], candidates: &[Candidate], schema: &Schema, shapes: bool) {
    let m = candidates.len();
    let fits = |i: usize, value_end: u32| {
        let c = candidates[i];
        !shapes
            || c.rank == 0
            || schema.shape(usize::from(c.rank) - 1).matches(&line[c.value as usize..value_end as usize])
    };
    for i in (0..m).rev() {
        for r in 0..=schema.len() {
            let mut best = Best { score: 0, count: 0, next: NONE };
            if fits(i, line.len() as u32) {
                best.count = 1;
            }
            for j in i + 1..m {
                let cj = candidates[j];
                let r_next = match cj.rank {
                    0 => r,
                    rank if usize::from(rank) > r => usize::from(rank),
                    _ => continue,
                };
                let after = table[j][r_next];
                if after.count == 0 || !fits(i, cj.sep) {
                    continue;
                }
                let weight = if cj.rank == 0 { 1 } else { KNOWN_WEIGHT };
                let score = after.score + weight;
                if best.count == 0 || score > best.score {
                    best = Best { score, count: after.count, next: j as u8 };
                } else if score == best.score {
                    best.count = best.count.saturating_add(after.count).min(MANY);
                }
            }
            table[i][r] = best;
        }
    }
}

impl Shape {
    /// Whether a raw value can be a value of this shape.
    #[inline]
    pub(crate) fn matches(self, value: &[u8]) -> bool {
        let all = |allowed: fn(u8) -> bool| value.iter().all(|&b| allowed(b));
        match self {
            Shape::Free => true,
            Shape::Digits => all(|b| b.is_ascii_digit()),
            Shape::Id => !value.is_empty() && all(|b| b.is_ascii_digit()),
            Shape::BlockType => matches!(value, b"0" | b"1" | b"2"),
            // Empty, or ids: digits separated by commas.
            Shape::IdList => {
                value.is_empty()
                    || value.split(|&b| b == b',').all(|id| !id.is_empty() && id.iter().all(u8::is_ascii_digit))
            }
            // Empty, or `dd.mm.yyyy`.
            Shape::Date => {
                value.is_empty()
                    || (value.len() == 10
                        && value
                            .iter()
                            .enumerate()
                            .all(|(i, &b)| if i == 2 || i == 5 { b == b'.' } else { b.is_ascii_digit() }))
            }
            // Numbers have digits and no letters: digits, `+` and separators; separators alone
            // are no number.
            Shape::PhoneList => {
                (value.is_empty() || value.iter().any(u8::is_ascii_digit))
                    && all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'(' | b')' | b' ' | b',' | b';' | b'.'))
            }
            // Addresses separated by commas, semicolons or spaces; separators alone are no address.
            Shape::MailList => {
                let mut pieces = value.split(|&b| matches!(b, b',' | b';' | b' ')).filter(|p| !p.is_empty());
                (value.is_empty() || value.contains(&b'@')) && pieces.all(|piece| piece.contains(&b'@'))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{BLACKLIST, CONTACTS, GROUPS};
    use crate::Endpoint;

    const LIMITS: Limits = Limits::DEFAULT;

    fn values<'a>(line: &'a str, split: &Split) -> heapless::Vec<&'a str, 32> {
        split.iter().map(|s| &line[s.start as usize..s.end as usize]).collect()
    }

    #[test]
    fn csv_exact_and_resolved() {
        let schema = GROUPS.for_endpoint(Endpoint::Phones);
        let line = "12,Друзі, колеги,7,3";
        let split = split_csv(line.as_bytes(), 0, line.len(), &schema, &LIMITS).unwrap();
        assert_eq!(values(line, &split), ["12", "Друзі, колеги", "7", "3"]);

        let schema = BLACKLIST.for_endpoint(Endpoint::Phones);
        let line = "5,79991112233,0,spam, again, and again";
        let split = split_csv(line.as_bytes(), 0, line.len(), &schema, &LIMITS).unwrap();
        assert_eq!(values(line, &split), ["5", "79991112233", "0", "spam, again, and again"]);
    }

    #[test]
    fn csv_contact_cases() {
        let schema = CONTACTS.for_endpoint(Endpoint::Phones);
        let split = |line: &str| split_csv(line.as_bytes(), 0, line.len(), &schema, &LIMITS);
        // The comma can only be in the name: the group is digits, the phone has no letters.
        let line = "79991112233,Іван, молодший,5922,Іван,Петренко,,01.02.1990,a1,,vip,380501112233";
        assert_eq!(values(line, &split(line).unwrap())[1], "Іван, молодший");
        // Every extra comma goes to the last field: a phone_other list.
        let line = "79991112233,Іван,5922,Іван,Петренко,,01.02.1990,a1,,vip,380501112233,380671112233";
        assert_eq!(values(line, &split(line).unwrap())[10], "380501112233,380671112233");
        // Both at once: tags could end with `,380501112233` as well.
        let line = "79991112233,Іван, молодший,5922,Іван,Петренко,,01.02.1990,a1,,vip,380501112233,380671112233";
        assert_eq!(split(line), bad(Kind::AmbiguousLine, 0));
        // Two groups and empty trailing fields: `phone_other` cannot be "," (no number), and the
        // comma could be in the group or the first name, so the line is refused, not shifted
        // (found by the simulator's end-to-end tests).
        let line = "380501234567,Іван Петренко,5922,5923,Іван,Петренко,,15.03.1985,1001,передзвонити,,";
        assert_eq!(split(line), bad(Kind::AmbiguousLine, 0));
        // A comma in the comments could belong to id, comments or tags.
        let line = "79991112233,Іван,5922,Іван,Петренко,,01.02.1990,a1,call, later,vip,380501112233";
        assert_eq!(split(line), bad(Kind::AmbiguousLine, 0));
    }

    #[test]
    fn kv_resolves_repeated_keys() {
        let schema = CONTACTS.for_endpoint(Endpoint::Phones);
        let line = "phone = 7999, name = Ivan, group = 0, first_name = , last_name = , middle_name = , birthday = , id = , comments = see, name = x, tags = , phone_other = ";
        let split = split_kv(line.as_bytes(), 0, line.len(), &schema, &LIMITS).unwrap();
        assert_eq!(split.len(), 11);
        assert_eq!(values(line, &split)[8], "see, name = x");

        let line = "phone = 7999, name = a, tags = b, group = 5, first_name = , last_name = , middle_name = , birthday = , id = , comments = , tags = t, phone_other = ";
        let split = split_kv(line.as_bytes(), 0, line.len(), &schema, &LIMITS).unwrap();
        assert_eq!(values(line, &split)[1], "a, tags = b");

        let line = "phone = 7999, name = a, group = b, group = 5, first_name = x";
        let split = split_kv(line.as_bytes(), 0, line.len(), &schema, &LIMITS).unwrap();
        assert_eq!(values(line, &split)[1], "a, group = b");

        let line = "phone = 7999, int_id = 4, name = a";
        let split = split_kv(line.as_bytes(), 0, line.len(), &schema, &LIMITS).unwrap();
        assert_eq!(split[1].key, Key::Unknown(14, 20));
        assert_eq!(split_kv(b"no equals", 0, 9, &schema, &LIMITS), bad(Kind::NotKeyValue, 0));
    }
}
