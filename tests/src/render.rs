//! A reference renderer: writes records the way the SMSC server does (PROTOCOL.md sections 4
//! and 5), in all four fmts, so that decoding can be checked against known values.
//!
//! It is written from the protocol description and the fixtures' README, not from the decoder:
//!
//! - fmt 0: one line per record, `key = value` pairs joined by `, `; an empty value leaves
//!   `key = ` with its trailing space; absent fields are left out;
//! - fmt 1: one line per record, every field's value joined by `,`, unquoted;
//! - fmt 2: `<list>`, one element per record (`<contact>`, `<group>`, `<record>`) with one child
//!   element per present field, text escaped with the predefined entities and, at random,
//!   character references; an empty value is `<x></x>` or `<x/>`;
//! - fmt 3: the real server's layout (PROTOCOL.md 5.1: a newline after `{` and `[{`, one
//!   `"key": value` per line, `},\n{` between records, no trailing newline), the documented
//!   one-line layout, or arbitrary JSON whitespace; strings escaped with `\"`, `\\`, named
//!   escapes, and at random `\/` and `\uXXXX` (surrogate pairs for characters beyond the BMP);
//!   canonical numbers of the numeric fields at random as JSON numbers.
//!
//! What a fmt cannot carry unambiguously is decided by [`can_carry`]; for fmt 0 and fmt 1 it
//! follows the resolution rules of `tests/fixtures/README.md`, implemented independently here
//! as [`reference_kv`] and [`reference_csv`].

use smsc_codec::{Endpoint, Fmt, Limits, ListKind};

use crate::owned::{BLACK_MAILS, BLACK_PHONES, CONTACT_MAILS, CONTACT_PHONES, GROUP};

/// One generated record: a value (or absence) per field, in the documented order.
pub type GenRecord = Vec<Option<String>>;

/// A generated list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenList {
    /// Which list.
    pub kind: ListKind,
    /// Which endpoint (field names differ).
    pub endpoint: Endpoint,
    /// The records.
    pub records: Vec<GenRecord>,
}

/// The JSON layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// PROTOCOL.md 5.1: the real server's line layout.
    Real,
    /// The documented one-line shape: `[{"k": "v", "k2": 5}, {...}]`.
    OneLine,
    /// Arbitrary JSON whitespace (spaces, tabs, CR, LF) between all tokens.
    Spacey,
}

/// How to render: everything the server (or a proxy) may vary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// Seeds the renderer's choices between equivalent spellings (escapes, numbers, `<x/>`).
    pub seed: u64,
    /// A UTF-8 BOM before the body.
    pub bom: bool,
    /// CRLF line ends (fmt 0, 1 and between XML elements).
    pub crlf: bool,
    /// An `<?xml ...?>` prologue (fmt 2).
    pub prologue: bool,
    /// The JSON layout (fmt 3).
    pub layout: Layout,
    /// Unknown fields mixed in (fmt 2 and 3): `int_id`, nested structures.
    pub unknown_fields: bool,
}

impl Style {
    /// The real server's plain style: no BOM, LF, no prologue, the real JSON layout.
    pub const PLAIN: Style =
        Style { seed: 1, bom: false, crlf: false, prologue: false, layout: Layout::Real, unknown_fields: false };
}

/// The field names of a list's records on an endpoint, in the documented order.
pub fn field_names(kind: ListKind, endpoint: Endpoint) -> &'static [&'static str] {
    match (kind, endpoint) {
        (ListKind::Contacts, Endpoint::Phones) => &CONTACT_PHONES,
        (ListKind::Contacts, Endpoint::Mails) => &CONTACT_MAILS,
        (ListKind::Groups, _) => &GROUP,
        (ListKind::Blacklist, Endpoint::Phones) => &BLACK_PHONES,
        (ListKind::Blacklist, Endpoint::Mails) => &BLACK_MAILS,
    }
}

/// The XML element of one record.
pub const fn record_element(kind: ListKind) -> &'static str {
    match kind {
        ListKind::Contacts => "contact",
        ListKind::Groups => "group",
        ListKind::Blacklist => "record",
    }
}

/// Fields that the server may write as JSON numbers (PROTOCOL.md 5.2 and the fixtures).
fn numeric(kind: ListKind, field: usize) -> bool {
    match kind {
        ListKind::Contacts => field == 2,
        ListKind::Groups => matches!(field, 0 | 2 | 3),
        ListKind::Blacklist => matches!(field, 0 | 2),
    }
}

/// A small deterministic generator for the renderer's choices.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True with probability 1/n.
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }

    fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Renders a list in `fmt`.
pub fn render(list: &GenList, fmt: Fmt, style: &Style) -> Vec<u8> {
    let mut rng = Rng::new(style.seed);
    let mut out = String::new();
    if style.bom {
        out.push('\u{FEFF}');
    }
    let nl = if style.crlf { "\r\n" } else { "\n" };
    let names = field_names(list.kind, list.endpoint);
    match fmt {
        Fmt::KeyValue => {
            for record in &list.records {
                let pairs: Vec<String> = names
                    .iter()
                    .zip(record)
                    .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name} = {v}")))
                    .collect();
                out.push_str(&pairs.join(", "));
                out.push_str(nl);
            }
        }
        Fmt::Csv => {
            for record in &list.records {
                let values: Vec<&str> = record.iter().map(|v| v.as_deref().unwrap_or("")).collect();
                out.push_str(&values.join(","));
                out.push_str(nl);
            }
        }
        Fmt::Xml => render_xml(list, names, style, nl, &mut rng, &mut out),
        Fmt::Json => render_json(list, names, style, &mut rng, &mut out),
    }
    out.into_bytes()
}

fn render_xml(list: &GenList, names: &[&str], style: &Style, nl: &str, rng: &mut Rng, out: &mut String) {
    if style.prologue {
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        out.push_str(nl);
    }
    if list.records.is_empty() {
        out.push_str(rng.pick(&["<list></list>", "<list/>", "<list>\n</list>"]));
        return;
    }
    out.push_str("<list>");
    out.push_str(nl);
    let element = record_element(list.kind);
    for record in &list.records {
        out.push_str(&format!("<{element}>{nl}"));
        if style.unknown_fields {
            out.push_str(&format!("<int_id>77</int_id>{nl}"));
        }
        for (i, (name, value)) in names.iter().zip(record).enumerate() {
            let Some(value) = value else { continue };
            if value.is_empty() && rng.one_in(2) {
                out.push_str(&format!("<{name}/>{nl}"));
            } else {
                out.push_str(&format!("<{name}>{}</{name}>{nl}", xml_escape(value, rng)));
            }
            if style.unknown_fields && i == 1 {
                out.push_str(&format!("<extra><a>1</a><a><b/></a><c>x &amp; y</c></extra>{nl}"));
            }
        }
        out.push_str(&format!("</{element}>{nl}"));
    }
    out.push_str("</list>");
}

/// XML text: `&` and `<` always escaped, `>` after `]]` always and otherwise sometimes, `"`
/// `'` sometimes, CR always as a character reference (a raw one would read as LF, section
/// 2.11), any other character sometimes as a decimal or hexadecimal character reference. XML
/// 1.0 cannot carry the other C0 controls, U+FFFE or U+FFFF at all ([`can_carry`]).
pub fn xml_escape(value: &str, rng: &mut impl RngLike) -> String {
    let mut out = String::new();
    for c in value.chars() {
        let reference = c == '\r' || rng.one_in_n(6);
        match c {
            '&' if !reference => out.push_str("&amp;"),
            '<' if !reference => out.push_str("&lt;"),
            '>' if !reference && out.ends_with("]]") => out.push_str("&gt;"),
            '>' if rng.one_in_n(2) => out.push_str("&gt;"),
            '"' if rng.one_in_n(2) => out.push_str("&quot;"),
            '\'' if rng.one_in_n(2) => out.push_str("&apos;"),
            c if reference => {
                if rng.one_in_n(2) {
                    out.push_str(&format!("&#{};", u32::from(c)));
                } else if rng.one_in_n(2) {
                    out.push_str(&format!("&#x{:x};", u32::from(c)));
                } else {
                    out.push_str(&format!("&#x{:X};", u32::from(c)));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// What [`xml_escape`] and [`json_escape`] need from a random source.
pub trait RngLike {
    /// True with probability 1/n.
    fn one_in_n(&mut self, n: u64) -> bool;
}

impl RngLike for Rng {
    fn one_in_n(&mut self, n: u64) -> bool {
        self.one_in(n)
    }
}

/// A seeded [`RngLike`], for tests that call the escapers directly.
pub struct Seeded(Rng);

impl Seeded {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Seeded(Rng::new(seed))
    }
}

impl RngLike for Seeded {
    fn one_in_n(&mut self, n: u64) -> bool {
        self.0.one_in(n)
    }
}

fn render_json(list: &GenList, names: &[&str], style: &Style, rng: &mut Rng, out: &mut String) {
    let spacey = style.layout == Layout::Spacey;
    let ws = |rng: &mut Rng| -> &'static str {
        if spacey {
            rng.pick(&["", " ", "\n", "\t", "\r\n", "  ", " \n "])
        } else {
            ""
        }
    };
    if list.records.is_empty() {
        out.push_str(rng.pick(&["[]", "[\n]", "[ ]"]));
        return;
    }
    let (open, member_sep, between, close) = match style.layout {
        Layout::Real => ("{\n", ",\n", ",\n", "\n}"),
        Layout::OneLine => ("{", ", ", ", ", "}"),
        Layout::Spacey => ("{", ",", ",", "}"),
    };
    out.push('[');
    out.push_str(ws(rng));
    for (r, record) in list.records.iter().enumerate() {
        if r > 0 {
            out.push_str(ws(rng));
            out.push_str(between);
            out.push_str(ws(rng));
        }
        out.push_str(open);
        let mut members: Vec<String> = Vec::new();
        if style.unknown_fields {
            members.push("\"int_id\": \"77\"".to_owned());
        }
        for (i, (name, value)) in names.iter().zip(record).enumerate() {
            let colon = if spacey { format!("{}:{}", ws(rng), ws(rng)) } else { ": ".to_owned() };
            match value {
                None if rng.one_in(3) => members.push(format!("\"{name}\"{colon}null")),
                None => {}
                Some(v) if numeric(list.kind, i) && canonical_number(v) && rng.one_in(2) => {
                    members.push(format!("\"{name}\"{colon}{v}"));
                }
                Some(v) => members.push(format!("\"{name}\"{colon}\"{}\"", json_escape(v, rng))),
            }
            if style.unknown_fields && i == 1 {
                members.push(format!("\"extra\"{colon}{{\"a\": [1, {{\"b\": null}}, \"]}}\"], \"c\": true}}"));
                members.push(format!("\"flags\"{colon}[]"));
            }
        }
        let sep = if spacey { format!("{}{member_sep}{}", ws(rng), ws(rng)) } else { member_sep.to_owned() };
        out.push_str(&members.join(&sep));
        out.push_str(ws(rng));
        out.push_str(close);
    }
    out.push_str(ws(rng));
    out.push(']');
}

/// A JSON number the server could have written for this value: digits without a leading zero.
fn canonical_number(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 15
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value == "0" || !value.starts_with('0'))
}

/// JSON string content: `"` and `\` escaped; control characters by name or as `\u00XX`; and at
/// random `/` as `\/` and any other character as `\uXXXX` (a surrogate pair beyond the BMP),
/// with upper- or lower-case hex digits.
pub fn json_escape(value: &str, rng: &mut impl RngLike) -> String {
    let mut out = String::new();
    for c in value.chars() {
        let named = match c {
            '\n' => Some("\\n"),
            '\t' => Some("\\t"),
            '\r' => Some("\\r"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            _ => None,
        };
        if c == '"' {
            out.push_str("\\\"");
        } else if c == '\\' {
            out.push_str("\\\\");
        } else if let Some(named) = named.filter(|_| rng.one_in_n(2)) {
            out.push_str(named);
        } else if u32::from(c) < 0x20 || rng.one_in_n(4) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                if rng.one_in_n(2) {
                    out.push_str(&format!("\\u{:04X}", *unit));
                } else {
                    out.push_str(&format!("\\u{:04x}", *unit));
                }
            }
        } else if c == '/' && rng.one_in_n(2) {
            out.push_str("\\/");
        } else {
            out.push(c);
        }
    }
    out
}

/// Why a line formats' reference resolver refuses a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// No way of reading the line gives the record's fields.
    NoReading,
    /// More than one way, and no rule picks one.
    Ambiguous,
}

/// Whether `value` may stand in field `field` of a fmt=1 line, by the README's rules.
fn csv_fits(kind: ListKind, endpoint: Endpoint, field: usize, value: &str) -> bool {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    // "no letters (digits, `+`, spaces and separators only), and a digit when not empty"; the
    // separators of phone lists are taken to be `, ; . - ( )`.
    let no_letters = |s: &str| {
        (s.is_empty() || s.bytes().any(|b| b.is_ascii_digit()))
            && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | ',' | ';' | '.' | '-' | '(' | ')'))
    };
    // "contain `@` or are empty", read per address of a list: an empty value, or addresses
    // separated by `,`, `;` or spaces, each containing `@` (a value of separators alone holds
    // no address and is neither).
    let mail = |s: &str| {
        let mut addresses = s.split([',', ';', ' ']).filter(|a| !a.is_empty()).peekable();
        s.is_empty() || (addresses.peek().is_some() && addresses.all(|a| a.contains('@')))
    };
    match (kind, field) {
        (ListKind::Contacts, 0 | 10) => match endpoint {
            Endpoint::Phones => no_letters(value),
            Endpoint::Mails => mail(value),
        },
        (ListKind::Contacts, 2) => value.is_empty() || value.split(',').all(|id| !id.is_empty() && digits(id)),
        (ListKind::Contacts, 6) => {
            let b = value.as_bytes();
            value.is_empty()
                || (b.len() == 10
                    && b[2] == b'.'
                    && b[5] == b'.'
                    && [0, 1, 3, 4, 6, 7, 8, 9].iter().all(|&i| b[i].is_ascii_digit()))
        }
        (ListKind::Groups, 0 | 2 | 3) => digits(value),
        (ListKind::Blacklist, 0) => !value.is_empty() && digits(value),
        (ListKind::Blacklist, 1) => match endpoint {
            Endpoint::Phones => no_letters(value),
            Endpoint::Mails => mail(value),
        },
        (ListKind::Blacklist, 2) => matches!(value, "0" | "1" | "2"),
        _ => true,
    }
}

/// Resolves a fmt=1 line as `tests/fixtures/README.md` says: split on `,`; with no more pieces
/// than fields, take them in order (trailing fields absent); otherwise find every assignment of
/// the pieces to the fields in order in which every field is valid ([`csv_fits`]). One valid
/// assignment is the record; with several, the one that gives every extra comma to the last
/// field wins when it is valid; otherwise the line is refused.
pub fn reference_csv(line: &str, kind: ListKind, endpoint: Endpoint) -> Result<Vec<Option<String>>, Refused> {
    let pieces: Vec<&str> = line.split(',').collect();
    let fields = field_names(kind, endpoint).len();
    let n = pieces.len();
    if n <= fields {
        // One reading, piece by piece (trailing fields absent); it must fit too.
        if !pieces.iter().enumerate().all(|(field, piece)| csv_fits(kind, endpoint, field, piece)) {
            return Err(Refused::NoReading);
        }
        let mut record: Vec<Option<String>> = pieces.iter().map(|p| Some((*p).to_owned())).collect();
        record.resize(fields, None);
        return Ok(record);
    }
    let join = |from: usize, to: usize| pieces[from..to].join(",");
    let fits = |field: usize, from: usize, to: usize| csv_fits(kind, endpoint, field, &join(from, to));
    // ways[i][j]: valid assignments of the first i fields to the first j pieces, capped at 2.
    let mut ways = vec![vec![0u8; n + 1]; fields + 1];
    ways[0][0] = 1;
    for i in 1..=fields {
        for j in i..=n {
            ways[i][j] = ((i - 1)..j)
                .filter(|&k| ways[i - 1][k] > 0 && fits(i - 1, k, j))
                .fold(0u8, |count, k| (count + ways[i - 1][k]).min(2));
        }
    }
    let last_takes_all = (0..fields - 1).all(|f| fits(f, f, f + 1)) && fits(fields - 1, fields - 1, n);
    match ways[fields][n] {
        0 => Err(Refused::NoReading),
        1 => {
            // Walk back along the one assignment.
            let mut cuts = vec![0; fields + 1];
            cuts[fields] = n;
            let mut j = n;
            for i in (1..=fields).rev() {
                let k = ((i - 1)..j)
                    .find(|&k| ways[i - 1][k] > 0 && fits(i - 1, k, j))
                    .expect("a counted assignment exists");
                cuts[i - 1] = k;
                j = k;
            }
            Ok((0..fields).map(|f| Some(join(cuts[f], cuts[f + 1]))).collect())
        }
        _ if last_takes_all => {
            let mut record: Vec<Option<String>> = pieces[..fields - 1].iter().map(|p| Some((*p).to_owned())).collect();
            record.push(Some(join(fields - 1, n)));
            Ok(record)
        }
        _ => Err(Refused::Ambiguous),
    }
}

/// Resolves a fmt=0 line with every field present, as `tests/fixtures/README.md` says: the
/// fields arrive in the documented order and a value ends only at `, <next key> = `. Every way
/// of placing the documented keys is counted; exactly one is the record, more is ambiguous.
pub fn reference_kv(line: &str, kind: ListKind, endpoint: Endpoint) -> Result<Vec<String>, Refused> {
    let names = field_names(kind, endpoint);
    let first = format!("{} = ", names[0]);
    if !line.starts_with(&first) {
        return Err(Refused::NoReading);
    }
    let start = first.len();
    // Readings found so far: each a list of value ranges. The stack holds partial readings:
    // the next field to place, where its value starts, the ranges so far.
    type Ranges = Vec<(usize, usize)>;
    let mut found: Vec<Ranges> = Vec::new();
    let mut stack: Vec<(usize, usize, Ranges)> = vec![(1, start, Vec::new())];
    while let Some((field, value_start, done)) = stack.pop() {
        if field == names.len() {
            let mut reading = done.clone();
            reading.push((value_start, line.len()));
            found.push(reading);
            if found.len() > 1 {
                return Err(Refused::Ambiguous);
            }
            continue;
        }
        let marker = format!(", {} = ", names[field]);
        let mut from = value_start;
        while let Some(i) = line[from..].find(&marker) {
            let at = from + i;
            let mut next = done.clone();
            next.push((value_start, at));
            stack.push((field + 1, at + marker.len(), next));
            from = at + 1;
        }
    }
    match found.len() {
        1 => Ok(found[0].iter().map(|&(a, b)| line[a..b].to_owned()).collect()),
        _ => Err(Refused::NoReading),
    }
}

/// `ERROR S? = S? digits S? ("(" anything ")")? S?`, S being spaces and tabs.
fn is_error_line(line: &str) -> bool {
    let blank = |s: &str| s.trim_start_matches([' ', '\t']).to_owned();
    let Some(rest) = line.strip_prefix("ERROR") else { return false };
    let Some(rest) = blank(rest).strip_prefix('=').map(blank) else { return false };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let rest = blank(&rest[digits..]);
    let rest = rest.trim_end_matches([' ', '\t', '\r', '\n']);
    rest.is_empty() || (rest.starts_with('(') && rest.ends_with(')') && rest.len() >= 2)
}

/// Whether the first fmt=1 line starts like a JSON or XML body (`[{`, `[]`, `{"`, `{}`, `<tag`,
/// `<?`, `<!`) or a fmt=0 record (`key =`): the README says the decoder refuses such a body as
/// another fmt.
fn first_line_looks_structured(list: &GenList) -> bool {
    let Some(first) = list.records.first().and_then(|r| r.first()).and_then(|v| v.as_deref()) else {
        return false;
    };
    let rest = |i: usize| first.get(i..).unwrap_or("").trim_start();
    // The error line `ERROR = N (...)`, whole, is the API error in every fmt (a value that only
    // starts with `ERROR` is a value).
    let line: Vec<&str> = list.records[0].iter().map(|v| v.as_deref().unwrap_or("")).collect();
    if is_error_line(&line.join(",")) {
        return true;
    }
    // A leading U+FEFF is read as a byte order mark.
    if first.starts_with('\u{feff}') {
        return true;
    }
    // Like a fmt=0 record: `key =`.
    let key_len = first.bytes().take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_').count();
    if key_len > 0 && first[key_len..].starts_with(" =") {
        return true;
    }
    match first.as_bytes().first() {
        Some(b'[') => rest(1).starts_with(['{', ']']),
        Some(b'{') => rest(1).starts_with(['"', '}']),
        Some(b'<') => first[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '?' || c == '!'),
        _ => false,
    }
}

/// Whether `fmt` can carry `list` so that it decodes to exactly these records:
///
/// - fmt 0: no CR or LF in a value, at least one field per record, and every `, key =` inside
///   a value names a documented field that comes no later than the field before this one (so it
///   can only be text); with every field present, [`reference_kv`] must read the line back;
/// - fmt 1: every field present (the format is positional), no CR or LF, at most 64
///   comma-separated pieces in a line (the codec's ceiling, whatever the limits: see
///   `Limits::max_fields`), and [`reference_csv`] reads the line back;
/// - fmt 2: no NUL (XML 1.0 cannot carry it, not even as a character reference);
/// - fmt 3: anything.
pub fn can_carry(list: &GenList, fmt: Fmt) -> bool {
    let names = field_names(list.kind, list.endpoint);
    let no_line_end = |r: &GenRecord| r.iter().flatten().all(|v| !v.contains(['\n', '\r']));
    match fmt {
        Fmt::KeyValue => list.records.iter().all(|record| {
            no_line_end(record) && record.iter().any(Option::is_some) && kv_keys_ok(record, names) && {
                let all = record.iter().all(Option::is_some);
                !all || {
                    let line = String::from_utf8(render(
                        &GenList { records: vec![record.clone()], ..list.clone() },
                        Fmt::KeyValue,
                        &Style::PLAIN,
                    ))
                    .expect("UTF-8");
                    let line = line.trim_end_matches('\n');
                    reference_kv(line, list.kind, list.endpoint)
                        .is_ok_and(|values| values.iter().zip(record).all(|(a, b)| b.as_deref() == Some(a)))
                }
            }
        }),
        Fmt::Csv => {
            !first_line_looks_structured(list)
                && list.records.iter().all(|record| {
                    record.iter().all(Option::is_some) && no_line_end(record) && {
                        let values: Vec<&str> = record.iter().map(|v| v.as_deref().unwrap_or("")).collect();
                        let line = values.join(",");
                        // The codec's ceiling of comma-separated pieces in a line (`Limits`).
                        line.split(',').count() <= Limits::MAX_FIELDS
                            && reference_csv(&line, list.kind, list.endpoint).as_ref() == Ok(record)
                    }
                })
        }
        // XML 1.0 characters: no C0 controls but tab, LF and CR, no U+FFFE or U+FFFF.
        Fmt::Xml => list.records.iter().flatten().flatten().all(|v| {
            !v.chars().any(|c| {
                (u32::from(c) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
            })
        }),
        Fmt::Json => true,
    }
}

/// Every `, key =` inside value `j` names a documented field no later than the present field
/// before `j`.
fn kv_keys_ok(record: &GenRecord, names: &[&str]) -> bool {
    let mut previous: Option<usize> = None;
    for (j, value) in record.iter().enumerate() {
        let Some(value) = value else { continue };
        for key in embedded_keys(value) {
            let ok = previous.is_some_and(|p| names[..=p].contains(&key));
            if !ok {
                return false;
            }
        }
        previous = Some(j);
    }
    true
}

/// The `key` of every `, key =` (key = `[a-z0-9_]+`) in `value`.
fn embedded_keys(value: &str) -> Vec<&str> {
    let mut keys = Vec::new();
    let bytes = value.as_bytes();
    let mut from = 0;
    while let Some(i) = value[from..].find(", ") {
        let key_start = from + i + 2;
        let key_end = key_start
            + bytes[key_start..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || **b == b'_')
                .count();
        if key_end > key_start && bytes[key_end..].starts_with(b" =") {
            keys.push(&value[key_start..key_end]);
        }
        from = from + i + 1;
    }
    keys
}
