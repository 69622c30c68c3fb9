//! Property tests (proptest):
//!
//! - (a) the query writer: any values for every parameter of a command decode back to exactly
//!   the pairs put in, in order, and nothing else;
//! - (b) arbitrary bytes to every decoder entry point never panic, never hang, and every field
//!   handed out reads the same whichever way it is read; streaming agrees with whole-body;
//! - (c) generated records rendered by the reference renderer in every fmt decode back to the
//!   same records; fmt 1 lines agree with the README's resolution rules;
//! - (d) every proper prefix of a valid body yields "need more" or the same first records;
//! - (e) streaming with arbitrary chunking through a small, compacted buffer yields exactly the
//!   whole-body records.
//!
//! Case counts are modest so that the crate's tests stay well under a minute in debug builds;
//! `PROPTEST_CASES` raises them for a longer run.

use std::sync::OnceLock;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use smsc_codec::decode::{self, Response};
use smsc_codec::{
    AddContact, Auth, ChangeContact, CommandKind, DecodeErrorKind, Endpoint, Error, Fmt, GetContacts, Limits, ListKind,
    MoveMode, Params, Request,
};
use smsc_codec_tests::drive::{self, End};
use smsc_codec_tests::fixtures;
use smsc_codec_tests::owned::{self, Fields};
use smsc_codec_tests::render::{self, GenList, GenRecord, Layout, Refused, Style};

const FMTS: [Fmt; 4] = [Fmt::KeyValue, Fmt::Csv, Fmt::Xml, Fmt::Json];
const ENDPOINTS: [Endpoint; 2] = [Endpoint::Phones, Endpoint::Mails];
const KINDS: [ListKind; 3] = [ListKind::Contacts, ListKind::Groups, ListKind::Blacklist];

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases),
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Text generators

/// Pieces of text that mean something to some fmt or to the query syntax.
const VOCAB: &[&str] = &[
    "&",
    "<",
    ">",
    "\"",
    "'",
    "\\",
    "/",
    "&amp;",
    "&#1030;",
    "&#x1F600;",
    "\\u0041",
    "\\n",
    "\\",
    "😀",
    "Ї",
    "Іван",
    "Петренко",
    " ",
    "  ",
    "\t",
    "=",
    " = ",
    ";",
    ".",
    "-",
    "+",
    "%",
    "%2B",
    "0",
    "5922",
    "\u{FEFF}",
    "\u{1}",
    "\u{7f}",
    "\u{a0}",
    "\u{2028}",
    "]]>",
    "<!--",
    "-->",
    "?>",
    "<list>",
    "</contact>",
    "null",
    "true",
    "ERROR",
    "ERROR = 3 (x)",
    "OK",
    "0,-3",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    ", ",
    "\n",
    "\r",
    "\r\n",
    "\0",
    "&psw=x",
    "phone = ",
    ", name = ",
    ", comments = ",
    ", tags = ",
    ", id = ",
    ", foo = ",
    ", phone =",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<char>().prop_map(String::from),
        2 => "[a-zA-Zа-яА-ЯіїІЇ0-9 ]{1,5}",
        2 => select(VOCAB).prop_map(str::to_owned),
    ]
}

fn text(max_pieces: usize) -> impl Strategy<Value = String> {
    vec(piece(), 0..=max_pieces).prop_map(|pieces| pieces.concat())
}

/// What a generated list must be carried by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Profile {
    /// All four fmts: every field present, no CR/LF/comma/NUL in free text.
    All,
    /// fmt 2 and fmt 3: anything (NUL removed for XML), absent fields.
    Structured,
    /// fmt 0: commas and `, key = ` text where the resolution rules allow it, absent fields.
    KeyValue,
    /// fmt 1: commas anywhere in free text, every field present; the README decides.
    Commas,
}

fn digits(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[0-9]{{{min},{max}}}")).expect("regex")
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        3 => (1u32..=28, 1u32..=12, 1900u32..=2099).prop_map(|(d, m, y)| format!("{d:02}.{m:02}.{y:04}")),
    ]
}

fn phone(profile: Profile) -> BoxedStrategy<String> {
    match profile {
        // Empty, or a number: a `+` alone is no number.
        Profile::All | Profile::Commas => "(\\+?[0-9]{1,12})?".boxed(),
        _ => "(\\+?[0-9]{1,12}([; ][0-9]{5,12})?)?".boxed(),
    }
}

fn mail() -> impl Strategy<Value = String> {
    "[a-z]{1,6}(\\.[a-z]{1,4})?@[a-z]{1,6}\\.(com|ua)"
}

fn phone_list() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), vec("\\+?[0-9]{5,12}", 1..=3).prop_map(|v| v.join(","))]
}

fn mail_list() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), vec(mail(), 1..=3).prop_map(|v| v.join(","))]
}

/// A field's generated value, shape-correct for typed fields, free text elsewhere.
fn field(kind: ListKind, endpoint: Endpoint, i: usize, profile: Profile, pieces: usize) -> BoxedStrategy<String> {
    let free = text(pieces).boxed();
    match (kind, i) {
        (ListKind::Contacts, 0) => match endpoint {
            Endpoint::Phones => phone(profile),
            Endpoint::Mails => prop_oneof![Just(String::new()), mail()].boxed(),
        },
        (ListKind::Contacts, 2) => match profile {
            Profile::All | Profile::Commas => digits(1, 5).boxed(),
            _ => vec(digits(1, 5), 1..=2).prop_map(|v| v.join(",")).boxed(),
        },
        (ListKind::Contacts, 6) => date().boxed(),
        (ListKind::Contacts, 7) => "[a-z0-9-]{0,6}".boxed(),
        (ListKind::Contacts, 10) => match endpoint {
            Endpoint::Phones => phone_list().boxed(),
            Endpoint::Mails => mail_list().boxed(),
        },
        (ListKind::Groups, 0) => "[1-9][0-9]{0,5}".boxed(),
        (ListKind::Groups, 2) => prop_oneof![Just(String::new()), digits(1, 4)].boxed(),
        (ListKind::Groups, 3) => digits(1, 4).boxed(),
        (ListKind::Blacklist, 0) => "[1-9][0-9]{0,5}".boxed(),
        (ListKind::Blacklist, 1) => match endpoint {
            Endpoint::Phones => "\\+?[0-9]{5,12}".boxed(),
            Endpoint::Mails => mail().boxed(),
        },
        (ListKind::Blacklist, 2) => select(&["0", "1", "2"][..]).prop_map(str::to_owned).boxed(),
        _ => free,
    }
}

fn is_free(kind: ListKind, i: usize) -> bool {
    match kind {
        ListKind::Contacts => matches!(i, 1 | 3 | 4 | 5 | 8 | 9),
        ListKind::Groups => i == 1,
        ListKind::Blacklist => i == 3,
    }
}

fn record(kind: ListKind, endpoint: Endpoint, profile: Profile, pieces: usize) -> impl Strategy<Value = GenRecord> {
    let n = render::field_names(kind, endpoint).len();
    let fields: Vec<BoxedStrategy<Option<String>>> = (0..n)
        .map(|i| {
            let value = field(kind, endpoint, i, profile, pieces);
            match profile {
                Profile::All | Profile::Commas => value.prop_map(Some).boxed(),
                Profile::Structured | Profile::KeyValue => prop::option::weighted(0.8, value).boxed(),
            }
        })
        .collect();
    fields.prop_map(move |mut record| {
        sanitize(kind, endpoint, profile, &mut record);
        record
    })
}

/// Makes free text fit the profile without rejecting cases.
fn sanitize(kind: ListKind, endpoint: Endpoint, profile: Profile, record: &mut GenRecord) {
    let names = render::field_names(kind, endpoint);
    let mut previous: Option<usize> = None;
    for (i, value) in record.iter_mut().enumerate() {
        let Some(value) = value else { continue };
        if is_free(kind, i) {
            *value = match profile {
                Profile::All => xml_chars(&value.replace(['\n', '\r', ','], "_")),
                Profile::Structured => value.clone(),
                Profile::KeyValue => {
                    let allowed = previous.map_or(&[][..], |p| &names[..=p]);
                    kv_text(&value.replace(['\n', '\r'], "_"), allowed)
                }
                Profile::Commas => value.replace(['\n', '\r'], "_"),
            };
        }
        previous = Some(i);
    }
    if profile == Profile::KeyValue && record.iter().all(Option::is_none) {
        record[0] = Some(String::new());
    }
}

/// `value` with what XML 1.0 cannot carry (C0 controls but tab, LF and CR; U+FFFE, U+FFFF)
/// replaced by `_`.
fn xml_chars(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            match (u32::from(c) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}') {
                true => '_',
                false => c,
            }
        })
        .collect()
}

/// Breaks every `, key =` whose key is not in `allowed` (turning its `, ` into `; `).
fn kv_text(value: &str, allowed: &[&str]) -> String {
    let mut out = value.to_owned();
    let mut from = 0;
    while let Some(i) = out[from..].find(", ") {
        let at = from + i;
        let key: String =
            out[at + 2..].chars().take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_').collect();
        let is_key = !key.is_empty() && out[at + 2 + key.len()..].starts_with(" =");
        if is_key && !allowed.contains(&key.as_str()) {
            out.replace_range(at..at + 2, "; ");
        }
        from = at + 1;
    }
    out
}

fn list(profile: Profile, max_records: usize, pieces: usize) -> impl Strategy<Value = GenList> {
    (select(&KINDS[..]), select(&ENDPOINTS[..])).prop_flat_map(move |(kind, endpoint)| {
        vec(record(kind, endpoint, profile, pieces), 0..=max_records).prop_map(move |records| GenList {
            kind,
            endpoint,
            records,
        })
    })
}

fn style() -> impl Strategy<Value = Style> {
    (
        any::<u64>(),
        prop::bool::weighted(0.2),
        any::<bool>(),
        any::<bool>(),
        select(&[Layout::Real, Layout::OneLine, Layout::Spacey][..]),
        any::<bool>(),
    )
        .prop_map(|(seed, bom, crlf, prologue, layout, unknown_fields)| Style {
            seed,
            bom,
            crlf,
            prologue,
            layout,
            unknown_fields,
        })
}

/// The generated records as the decoder should give them: present fields, named.
fn expected(list: &GenList) -> Vec<Fields> {
    let names = render::field_names(list.kind, list.endpoint);
    list.records
        .iter()
        .map(|record| {
            names.iter().zip(record).filter_map(|(n, v)| v.as_ref().map(|v| ((*n).to_owned(), v.clone()))).collect()
        })
        .collect()
}

fn show(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

// ---------------------------------------------------------------------------------------------
// (c) round trips through the reference renderer

fn round_trip(list: &GenList, fmt: Fmt, style: &Style) -> Result<(), TestCaseError> {
    prop_assert!(render::can_carry(list, fmt), "generator produced what {fmt:?} cannot carry");
    let body = render::render(list, fmt, style);
    let decoded = drive::whole_kind(list.kind, &body, fmt, list.endpoint, Limits::DEFAULT);
    prop_assert_eq!(decoded.end, End::Done, "{:?} body {:?}", fmt, show(&body));
    prop_assert_eq!(&decoded.records, &expected(list), "{:?} body {:?}", fmt, show(&body));
    Ok(())
}

/// Found by the `differential` fuzz target: a fmt=1 line of more than 64 comma-separated pieces
/// (values holding commas) is past the codec's ceiling whatever the limits, so the reference
/// renderer cannot give it to fmt=1; one piece fewer can.
#[test]
fn csv_lines_past_the_piece_ceiling_are_not_carried() {
    let names = render::field_names(ListKind::Contacts, Endpoint::Phones);
    // `name` is free text; letters fit no other field, so the reading is the name's.
    let record = |commas: usize| {
        let mut record: GenRecord = names.iter().map(|_| Some(String::new())).collect();
        record[0] = Some("79991112233".to_owned());
        record[1] = Some(vec!["a"; commas + 1].join(","));
        record
    };
    let list = |commas| GenList { kind: ListKind::Contacts, endpoint: Endpoint::Phones, records: vec![record(commas)] };
    // The line's pieces: one per field, and one more per comma in the name.
    let at_ceiling = Limits::MAX_FIELDS - names.len();
    assert!(render::can_carry(&list(at_ceiling), Fmt::Csv));
    let body = render::render(&list(at_ceiling), Fmt::Csv, &Style::PLAIN);
    assert_eq!(body.iter().filter(|&&b| b == b',').count() + 1, Limits::MAX_FIELDS);
    let decoded = drive::whole_kind(ListKind::Contacts, &body, Fmt::Csv, Endpoint::Phones, Limits::DEFAULT);
    assert_eq!(decoded.end, End::Done, "{}", show(&body));
    assert!(!render::can_carry(&list(at_ceiling + 1), Fmt::Csv));
    let body = render::render(&list(at_ceiling + 1), Fmt::Csv, &Style::PLAIN);
    let decoded = drive::whole_kind(ListKind::Contacts, &body, Fmt::Csv, Endpoint::Phones, Limits::DEFAULT);
    assert!(
        matches!(decoded.end, End::Malformed(err) if err.kind == DecodeErrorKind::TooManyFields),
        "{:?}",
        decoded.end
    );
}

proptest! {
    #![proptest_config(config(64))]

    /// The same records from every fmt.
    #[test]
    fn c_every_fmt_gives_the_same_records(list in list(Profile::All, 3, 6), style in style()) {
        for fmt in FMTS {
            round_trip(&list, fmt, &style)?;
        }
    }

    /// XML and JSON carry any text (XML any XML 1.0 character), absent fields, unknown fields.
    #[test]
    fn c_structured_fmts_carry_anything(mut list in list(Profile::Structured, 3, 8), style in style()) {
        round_trip(&list, Fmt::Json, &style)?;
        for value in list.records.iter_mut().flatten().flatten() {
            *value = xml_chars(value);
        }
        round_trip(&list, Fmt::Xml, &style)?;
    }

    /// fmt 0 keeps commas and `, key = ` text where the resolution rules make it text.
    #[test]
    fn c_key_value_resolves_commas_and_seen_keys(list in list(Profile::KeyValue, 3, 8), style in style()) {
        round_trip(&list, Fmt::KeyValue, &style)?;
    }

    /// fmt 1 lines with commas in free text: where the README's rules give one reading the
    /// decoder gives that record.
    #[test]
    fn c_csv_lines_follow_the_readme_readings(list in list(Profile::Commas, 1, 5)) {
        for (line, reference, decoded) in csv_lines(&list) {
            if let Ok(want) = reference {
                prop_assert_eq!(decoded.end, End::Done, "line {:?}", line);
                prop_assert_eq!(&decoded.records, &vec![want], "line {:?}", line);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(2000))]

    /// The same for contacts on mails.php.
    #[test]
    fn c_csv_mail_contacts_follow_the_readme_readings(
        records in vec(record(ListKind::Contacts, Endpoint::Mails, Profile::Commas, 5), 1..=1)
    ) {
        let list = GenList { kind: ListKind::Contacts, endpoint: Endpoint::Mails, records };
        for (line, reference, decoded) in csv_lines(&list) {
            if let Ok(want) = reference {
                prop_assert_eq!(decoded.end, End::Done, "line {:?}", line);
                prop_assert_eq!(&decoded.records, &vec![want], "line {:?}", line);
            }
        }
    }

    /// fmt 1 lines with commas in free text: where the README's rules find no single reading,
    /// the decoder refuses the line rather than return a shifted record.
    #[test]
    fn c_csv_lines_follow_the_readme_refusals(list in list(Profile::Commas, 1, 5)) {
        for (line, reference, decoded) in csv_lines(&list) {
            if reference.is_err() {
                prop_assert!(matches!(decoded.end, End::Malformed(_)), "line {:?}: {:?}", line, decoded);
            }
        }
    }
}

/// Each record of `list` as an fmt=1 line, the README's reading of it, and the decoder's.
fn csv_lines(list: &GenList) -> Vec<(String, Result<Fields, Refused>, drive::Decoded)> {
    let names = render::field_names(list.kind, list.endpoint);
    list.records
        .iter()
        .map(|record| {
            let values: Vec<&str> = record.iter().map(|v| v.as_deref().unwrap_or("")).collect();
            let line = values.join(",");
            let reference = render::reference_csv(&line, list.kind, list.endpoint).map(|fields| {
                names
                    .iter()
                    .zip(&fields)
                    .filter_map(|(n, v)| v.as_ref().map(|v| ((*n).to_owned(), v.clone())))
                    .collect()
            });
            let body = format!("{line}\n");
            let decoded = drive::whole_kind(list.kind, body.as_bytes(), Fmt::Csv, list.endpoint, Limits::DEFAULT);
            (line, reference, decoded)
        })
        .collect()
}

/// The README says an fmt=1 line is an error unless exactly one reading is valid or the
/// reading that gives every extra comma to the last field is valid. The decoder instead takes
/// the last field as wide as its shape allows and then needs one reading of the rest, so it
/// decodes a line that has two valid readings, neither of them all-to-last.
#[test]
fn csv_two_readings_without_all_to_last_is_ambiguous() {
    // 13 pieces for 11 fields: `a, b` in name (phone and group cannot take letters), and
    // `380,381` at the end. Reading 1: phone_other = "380,381". Reading 2: tags = "vip,380",
    // phone_other = "381". All-to-last (phone_other = "vip,380,381") is invalid: letters.
    let line = "1,a, b,5,,,,,,,vip,380,381";
    let reference = render::reference_csv(line, ListKind::Contacts, Endpoint::Phones);
    assert_eq!(reference, Err(Refused::Ambiguous));
    let body = format!("{line}\n");
    let decoded = drive::whole_kind(ListKind::Contacts, body.as_bytes(), Fmt::Csv, Endpoint::Phones, Limits::DEFAULT);
    assert!(
        matches!(decoded.end, End::Malformed(e) if e.kind == smsc_codec::DecodeErrorKind::AmbiguousLine),
        "{decoded:?}"
    );
}

/// The README: `mail`/`mail_other` "contain `@` or are empty". The decoder takes a value made
/// of separators alone (`,`) as a valid list of addresses. Both ways that goes wrong:
/// - `,,0,,,,,,0,-3,,` (written as comments `0,-3`, tags and mail_other empty): the README finds
///   several readings, none all-to-last, so the line is ambiguous; the decoder returns comments
///   `0`, tags `-3`, mail_other `,`: a shifted record;
/// - `,,&,0,,,,,,,,` (written as name `,&`, everything else empty but group `0`): the README
///   finds one reading; the decoder also accepts mail = `,` with name `&`, and refuses the
///   line as ambiguous.
#[test]
fn csv_mail_of_separators_is_not_an_address() {
    let shifted = ",,0,,,,,,0,-3,,";
    assert_eq!(render::reference_csv(shifted, ListKind::Contacts, Endpoint::Mails), Err(Refused::Ambiguous));
    let body = format!("{shifted}\n");
    let decoded = drive::whole_kind(ListKind::Contacts, body.as_bytes(), Fmt::Csv, Endpoint::Mails, Limits::DEFAULT);
    assert!(matches!(decoded.end, End::Malformed(_)), "{shifted:?}: {decoded:?}");

    let refused = ",,&,0,,,,,,,,";
    let want: Vec<Option<String>> =
        ["", ",&", "0", "", "", "", "", "", "", "", ""].iter().map(|v| Some((*v).to_owned())).collect();
    assert_eq!(render::reference_csv(refused, ListKind::Contacts, Endpoint::Mails), Ok(want.clone()));
    let body = format!("{refused}\n");
    let decoded = drive::whole_kind(ListKind::Contacts, body.as_bytes(), Fmt::Csv, Endpoint::Mails, Limits::DEFAULT);
    let list = GenList { kind: ListKind::Contacts, endpoint: Endpoint::Mails, records: vec![want] };
    assert_eq!(decoded.end, End::Done, "{refused:?}");
    assert_eq!(decoded.records, expected(&list));
}

// ---------------------------------------------------------------------------------------------
// (d) split prefix and (e) arbitrary chunking

fn any_fmt_list() -> impl Strategy<Value = (GenList, Fmt, Style)> {
    (select(&FMTS[..]), style()).prop_flat_map(|(fmt, style)| {
        let profile = match fmt {
            Fmt::KeyValue => Profile::KeyValue,
            Fmt::Csv => Profile::All,
            Fmt::Xml | Fmt::Json => Profile::Structured,
        };
        list(profile, 3, 4).prop_map(move |mut list| {
            if fmt == Fmt::Xml {
                for value in list.records.iter_mut().flatten().flatten() {
                    *value = xml_chars(value);
                }
            }
            (list, fmt, style)
        })
    })
}

fn blank(body: &[u8]) -> bool {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body).iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

fn line_fmt(fmt: Fmt) -> bool {
    matches!(fmt, Fmt::KeyValue | Fmt::Csv)
}

proptest! {
    #![proptest_config(config(32))]

    /// Every proper prefix, without eof, yields only "need more" or the full decode's first
    /// records; with eof, the same first records then an error or the end (in fmt 0 and 1 the
    /// last record may be the cut line itself, which is a body of its own).
    #[test]
    fn d_split_prefix((list, fmt, style) in any_fmt_list()) {
        let body = render::render(&list, fmt, &style);
        let full = drive::whole_kind(list.kind, &body, fmt, list.endpoint, Limits::DEFAULT);
        prop_assert_eq!(full.end, End::Done);
        prop_assert_eq!(&full.records, &expected(&list));
        let raws = drive::raw_records(list.kind, &body, fmt, list.endpoint);
        for n in 0..body.len() {
            let prefix = &body[..n];
            let (records, end) = drive::one_buffer(list.kind, prefix, fmt, list.endpoint, false);
            for (i, (fields, _)) in records.iter().enumerate() {
                prop_assert_eq!(Some(fields), full.records.get(i), "prefix {} of {:?}", n, show(&body));
            }
            match end {
                End::NeedMore => {}
                End::Done => prop_assert_eq!(records.len(), full.records.len()),
                other => prop_assert!(false, "prefix {} without eof ends {:?}: {:?}", n, other, show(&body)),
            }
            let (records, end) = drive::one_buffer(list.kind, prefix, fmt, list.endpoint, true);
            for (i, (fields, raw)) in records.iter().enumerate() {
                let same = Some(fields) == full.records.get(i);
                let cut_line = line_fmt(fmt)
                    && i + 1 == records.len()
                    && raws.get(i).is_some_and(|whole| whole.starts_with(raw) && whole.len() > raw.len());
                prop_assert!(same || cut_line, "prefix {} with eof: record {} is {:?}, body {:?}", n, i, fields, show(&body));
            }
            match end {
                End::Malformed(err) => prop_assert!(err.offset <= n),
                // An empty body (a BOM and whitespace at most) is an empty list.
                End::Done => prop_assert!(
                    line_fmt(fmt) || records.len() == full.records.len() || blank(prefix),
                    "prefix {} with eof ends early: {:?}", n, show(prefix)
                ),
                other => prop_assert!(false, "prefix {} with eof ends {:?}", n, other),
            }
        }
    }

    /// A 512-byte buffer (larger only when one record needs it), refilled in arbitrary chunks
    /// and compacted after each step, yields exactly the whole-body records.
    #[test]
    fn e_streaming_in_arbitrary_chunks((list, fmt, style) in any_fmt_list(), chunks in vec(1usize..80, 1..8)) {
        let body = render::render(&list, fmt, &style);
        let whole = drive::whole_kind(list.kind, &body, fmt, list.endpoint, Limits::DEFAULT);
        prop_assert_eq!(&whole.records, &expected(&list));
        let longest = drive::longest_record(list.kind, &body, fmt, list.endpoint);
        let cap = 512.max(longest + 128);
        let streamed = drive::stream_kind(list.kind, &body, fmt, list.endpoint, cap, &chunks);
        prop_assert_eq!(streamed, whole);
    }
}

// ---------------------------------------------------------------------------------------------
// (b) arbitrary bytes never panic

/// Protocol tokens, to build inputs that get past the first byte.
const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    " ",
    "\n",
    "\r\n",
    "\"",
    "\"phone\"",
    "\"name\"",
    "\"id\"",
    "\"error_code\"",
    "\"error\"",
    "\"result\"",
    "\"OK\"",
    "\"x\"",
    "1",
    "-2.5e3",
    "null",
    "true",
    "\\u",
    "\\ud83d",
    "\\ude00",
    "\\\"",
    "\\n",
    "\\x",
    "0041",
    "<list>",
    "</list>",
    "<list/>",
    "<contact>",
    "</contact>",
    "<group>",
    "</group>",
    "<record>",
    "</record>",
    "<phone>",
    "</phone>",
    "<name>",
    "</name>",
    "<id>",
    "</id>",
    "<result>",
    "</result>",
    "<error_code>",
    "</error_code>",
    "<x/>",
    "<?xml version=\"1.0\"?>",
    "<!--",
    "-->",
    "<![CDATA[",
    "&amp;",
    "&#",
    "&#x",
    ";",
    "&",
    "phone = ",
    "name = ",
    "id = ",
    ", ",
    " = ",
    "ERROR = ",
    "(",
    ")",
    "0,-",
    "OK",
    "ID = ",
    "\u{FEFF}",
    "\u{FF}",
    "Ї",
    "😀",
    "\0",
];

fn mutate(mut body: Vec<u8>, edits: &[(u8, Index, u8)]) -> Vec<u8> {
    for &(op, at, byte) in edits {
        if body.is_empty() {
            body.push(byte);
            continue;
        }
        let i = at.index(body.len());
        match op % 5 {
            0 => body[i] ^= byte | 1,
            1 => body.insert(i, byte),
            2 => {
                body.remove(i);
            }
            3 => body.truncate(i),
            _ => {
                let end = (i + 1 + usize::from(byte)).min(body.len());
                let copy = body[i..end].to_vec();
                body.splice(i..i, copy);
            }
        }
    }
    body
}

fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| fixtures::load_all().into_iter().map(|f| f.body).collect())
}

fn arbitrary_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..200),
        vec(select(TOKENS), 0..40).prop_map(|t| t.concat().into_bytes()),
        (any::<Index>(), vec((any::<u8>(), any::<Index>(), any::<u8>()), 1..6)).prop_map(|(seed, edits)| {
            let seeds = seeds();
            mutate(seeds[seed.index(seeds.len())].clone(), &edits)
        }),
    ]
}

fn exercise(body: &[u8], chunks: &[usize]) -> Result<(), TestCaseError> {
    for fmt in FMTS {
        for endpoint in ENDPOINTS {
            for kind in KINDS {
                let whole = drive::whole_kind(kind, body, fmt, endpoint, Limits::DEFAULT);
                prop_assert_ne!(whole.end, End::NoProgress);
                if let End::Malformed(err) = whole.end {
                    prop_assert!(err.offset <= body.len(), "{:?} past the body", err);
                }
                let streamed = drive::stream_kind(kind, body, fmt, endpoint, body.len() + 1, chunks);
                prop_assert_eq!(&streamed, &whole, "{:?} {:?} {:?}", kind, fmt, endpoint);
                let tight = Limits { max_depth: 3, max_record_len: 40, max_fields: 3, max_value_len: 8 };
                let limited = drive::whole_kind(kind, body, fmt, endpoint, tight);
                prop_assert_ne!(limited.end, End::NoProgress);
            }
            // The typed list functions, fully iterated.
            decode::contacts(body, fmt, endpoint).into_iter().flatten().flatten().for_each(|r| drop(owned::record(&r)));
            decode::groups(body, fmt, Endpoint::Phones)
                .into_iter()
                .flatten()
                .flatten()
                .for_each(|r| drop(owned::record(&r)));
            decode::blacklist(body, fmt, endpoint)
                .into_iter()
                .flatten()
                .flatten()
                .for_each(|r| drop(owned::record(&r)));
            for command in CommandKind::ALL {
                match decode::response(command.response(), body, fmt, endpoint, Limits::DEFAULT) {
                    Ok(Response::Created(created)) => {
                        owned::text(&created.id);
                    }
                    Ok(Response::Done) => {}
                    Ok(Response::Contacts(records)) => records.flatten().for_each(|r| drop(owned::record(&r))),
                    Ok(Response::Groups(records)) => records.flatten().for_each(|r| drop(owned::record(&r))),
                    Ok(Response::Blacklist(records)) => records.flatten().for_each(|r| drop(owned::record(&r))),
                    Err(Error::Api(api)) => {
                        if let Some(description) = api.description {
                            owned::text(&description);
                        }
                    }
                    Err(Error::Malformed(err)) => prop_assert!(err.offset <= body.len()),
                }
            }
            match decode::created(body, fmt) {
                Ok(created) => {
                    owned::text(&created.id);
                }
                Err(Error::Api(api)) => {
                    api.description.map(|d| owned::text(&d));
                }
                Err(Error::Malformed(err)) => prop_assert!(err.offset <= body.len()),
            }
            if let Err(Error::Malformed(err)) = decode::done(body, fmt) {
                prop_assert!(err.offset <= body.len());
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn b_arbitrary_bytes_never_panic(body in arbitrary_body(), chunks in vec(1usize..16, 1..4)) {
        exercise(&body, &chunks)?;
    }
}

// ---------------------------------------------------------------------------------------------
// (a) query round trip

#[derive(Clone, Copy, Debug)]
enum V {
    /// Any text.
    Free,
    /// Any text that is not blank (required `phone`/`name`).
    Required,
    /// A comma list of group ids, spaces allowed around them.
    Ids,
    /// Digits.
    Id,
    /// `dd.mm.yyyy`.
    Date,
    /// 0..=1000.
    Cnt,
    /// 0 or 1.
    Type01,
    /// 0, 1 or 2.
    Type012,
}

/// Each command's parameters, phones.php names, in the order they are written.
fn param_table(kind: CommandKind) -> &'static [(&'static str, V)] {
    use V::*;
    const CONTACT: [(&str, V); 10] = [
        ("name", Free),
        ("grp", Ids),
        ("lnm", Free),
        ("fnm", Free),
        ("mnm", Free),
        ("bd", Date),
        ("myid", Free),
        ("cmt", Free),
        ("tags", Free),
        ("pho", Free),
    ];
    const ADD: [(&str, V); 11] = {
        let mut t = [("phone", Required); 11];
        let mut i = 0;
        while i < 10 {
            t[i + 1] = CONTACT[i];
            i += 1;
        }
        t
    };
    const CHG: [(&str, V); 12] = {
        let mut t = [("phone", Required); 12];
        t[1] = ("new_phone", Free);
        let mut i = 0;
        while i < 10 {
            t[i + 2] = CONTACT[i];
            i += 1;
        }
        t
    };
    match kind {
        CommandKind::AddContact => &ADD,
        CommandKind::ChangeContact => &CHG,
        CommandKind::AddGroup => &[("name", Required), ("num", Id), ("type", Type01)],
        CommandKind::ChangeGroup => &[("grp", Id), ("name", Required), ("num", Id)],
        CommandKind::MoveGroup => &[("grp", Id), ("phone", Required)],
        CommandKind::DeleteContact | CommandKind::DeleteBlacklistEntry => &[("phone", Required)],
        CommandKind::DeleteGroup => &[("grp", Id)],
        CommandKind::GetContacts => {
            &[("grp", Ids), ("phone", Free), ("fio", Free), ("search", Free), ("after_id", Id), ("cnt", Cnt)]
        }
        CommandKind::GetGroups => &[("type", Type01)],
        CommandKind::AddBlacklistEntry => &[("phone", Required), ("type", Type012), ("cmt", Free)],
        CommandKind::GetBlacklist => &[("prev_id", Id), ("cnt", Cnt)],
    }
}

fn required(kind: CommandKind, name: &str) -> bool {
    match kind {
        CommandKind::AddContact
        | CommandKind::ChangeContact
        | CommandKind::DeleteContact
        | CommandKind::DeleteBlacklistEntry
        | CommandKind::AddBlacklistEntry => name == "phone",
        CommandKind::AddGroup => name == "name",
        CommandKind::ChangeGroup | CommandKind::MoveGroup => matches!(name, "grp" | "name" | "phone"),
        CommandKind::DeleteGroup => name == "grp",
        _ => false,
    }
}

fn unicode() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), text(8)]
}

fn value(v: V) -> BoxedStrategy<String> {
    match v {
        V::Free => unicode().boxed(),
        V::Required => unicode().prop_map(|s| if s.trim().is_empty() { format!("x{s}") } else { s }).boxed(),
        V::Ids => vec(digits(1, 6), 1..4).prop_map(|ids| ids.join(",")).boxed(),
        V::Id => digits(1, 9).boxed(),
        V::Date => date().prop_filter("a date", |d| !d.is_empty()).boxed(),
        V::Cnt => (0u16..=1000).prop_map(|n| n.to_string()).boxed(),
        V::Type01 => select(&["0", "1"][..]).prop_map(str::to_owned).boxed(),
        V::Type012 => select(&["0", "1", "2"][..]).prop_map(str::to_owned).boxed(),
    }
}

#[derive(Clone, Debug)]
struct QueryCase {
    kind: CommandKind,
    endpoint: Endpoint,
    fmt: Fmt,
    mode: MoveMode,
    auth: (String, String, Option<String>),
    values: Vec<Option<String>>,
}

fn query_case() -> impl Strategy<Value = QueryCase> {
    (
        select(&CommandKind::ALL[..]),
        select(&ENDPOINTS[..]),
        select(&FMTS[..]),
        select(&[MoveMode::Replace, MoveMode::Add, MoveMode::Remove][..]),
        (unicode(), unicode(), prop::option::of(unicode())),
    )
        .prop_flat_map(|(kind, endpoint, fmt, mode, (login, psw, key))| {
            let values: Vec<BoxedStrategy<Option<String>>> = param_table(kind)
                .iter()
                .map(|&(name, v)| {
                    if required(kind, name) {
                        value(v).prop_map(Some).boxed()
                    } else {
                        prop::option::of(value(v)).boxed()
                    }
                })
                .collect();
            let nonblank = |s: String| if s.is_empty() { "x".to_owned() } else { s };
            let auth = (nonblank(login), nonblank(psw), key.map(nonblank));
            values.prop_map(move |values| QueryCase { kind, endpoint, fmt, mode, auth: auth.clone(), values })
        })
}

fn wire(name: &'static str, endpoint: Endpoint) -> &'static str {
    match (endpoint, name) {
        (Endpoint::Mails, "phone") => "mail",
        (Endpoint::Mails, "new_phone") => "new_mail",
        _ => name,
    }
}

fn decoded_pairs(query: &[u8]) -> Result<Vec<(String, String)>, TestCaseError> {
    let query = std::str::from_utf8(query).map_err(|e| TestCaseError::fail(format!("not UTF-8: {e}")))?;
    prop_assert!(query.is_ascii(), "a query is ASCII");
    prop_assert!(!query.contains('+'), "`+` never travels raw");
    prop_assert!(smsc_codec_tests::strictly_form_encoded(query.as_bytes()), "not strictly form-encoded: {}", query);
    Ok(form_urlencoded::parse(query.as_bytes()).into_owned().collect())
}

proptest! {
    #![proptest_config(config(256))]

    /// Any values for every parameter: the query decodes to exactly the pairs put in.
    #[test]
    fn a_query_round_trip(case in query_case()) {
        let mut params = Params::new(case.kind, case.endpoint);
        if case.kind == CommandKind::MoveGroup {
            params.set_mode(case.mode);
        }
        let flag = if case.kind == CommandKind::MoveGroup { case.mode.wire() } else { "1" };
        let mut want = vec![(case.kind.wire().to_owned(), flag.to_owned())];
        let (login, psw, key) = &case.auth;
        let auth = match key {
            Some(key) => {
                want.push(("apikey".to_owned(), key.clone()));
                Auth::api_key(key)
            }
            None => {
                want.push(("login".to_owned(), login.clone()));
                want.push(("psw".to_owned(), psw.clone()));
                Auth::password(login, psw)
            }
        };
        want.push(("fmt".to_owned(), case.fmt.wire().to_string()));
        want.push(("charset".to_owned(), "utf-8".to_owned()));
        for (&(name, _), value) in param_table(case.kind).iter().zip(&case.values) {
            if let Some(value) = value {
                let name = wire(name, case.endpoint);
                params.set(name, value).map_err(|e| TestCaseError::fail(format!("{name}={value:?}: {e}")))?;
                want.push((name.to_owned(), value.clone()));
            }
        }
        let request = Request::new(auth, params).fmt(case.fmt);
        let mut buf = vec![0u8; 16 * 1024];
        let len = request.write_query(&mut buf).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(request.query_len(), Ok(len));
        prop_assert_eq!(decoded_pairs(&buf[..len])?, want);
        let string = request.to_query_string().unwrap();
        prop_assert_eq!(string.as_bytes(), &buf[..len]);
    }

    /// Typed contact commands write what `Params` writes, for any values.
    #[test]
    fn a_typed_contact_commands_match_params(
        phone in value(V::Required),
        name in unicode(),
        cmt in unicode(),
        tags in unicode(),
        fio in unicode(),
        mail in any::<bool>(),
    ) {
        let endpoint = if mail { Endpoint::Mails } else { Endpoint::Phones };
        let auth = Auth::password("l", "p");
        let query = |request: String| request;
        let mut add = Params::new(CommandKind::AddContact, endpoint);
        add.set(wire("phone", endpoint), &phone).unwrap();
        add.set("name", &name).unwrap();
        add.set("cmt", &cmt).unwrap();
        add.set("tags", &tags).unwrap();
        let typed = if mail { AddContact::mail(&phone) } else { AddContact::phone(&phone) };
        let typed = typed.name(&name).comment(&cmt).tags(&tags);
        prop_assert_eq!(
            query(Request::new(auth, typed).to_query_string().unwrap()),
            Request::new(auth, add).to_query_string().unwrap()
        );
        let mut chg = Params::new(CommandKind::ChangeContact, endpoint);
        chg.set(wire("phone", endpoint), &phone).unwrap();
        chg.set(wire("new_phone", endpoint), &name).unwrap();
        chg.set("tags", &tags).unwrap();
        let typed = if mail { ChangeContact::mail(&phone) } else { ChangeContact::phone(&phone) };
        prop_assert_eq!(
            Request::new(auth, typed.new_phones(&name).tags(&tags)).to_query_string().unwrap(),
            Request::new(auth, chg).to_query_string().unwrap()
        );
        let mut get = Params::new(CommandKind::GetContacts, endpoint);
        get.set("fio", &fio).unwrap();
        get.set("search", &cmt).unwrap();
        prop_assert_eq!(
            Request::new(auth, GetContacts::new(endpoint).full_name(&fio).search(&cmt)).to_query_string().unwrap(),
            Request::new(auth, get).to_query_string().unwrap()
        );
    }
}

/// Whole-body decoding checks UTF-8 a 64 KiB window at a time and ends a window before a
/// character it would cut in two: bodies of 2-, 3- and 4-byte characters, shifted so that the
/// windows end at every place within a character, decode whole, and a byte made invalid around
/// the first window's end is reported where it is, after the same records as streaming (which
/// checks record by record) gives.
#[test]
#[cfg_attr(miri, ignore = "bodies of 100 KB are slow in the interpreter")]
fn utf8_windows_of_whole_bodies_cut_no_character() {
    let (kind, endpoint) = (ListKind::Contacts, Endpoint::Phones);
    let names = render::field_names(kind, endpoint);
    let name_at = names.iter().position(|n| *n == "name").expect("contacts have names");
    let phone_at = names.iter().position(|n| *n == "phone").expect("contacts have phones");
    for character in ["ї", "€", "𝄞"] {
        for shift in 0..character.len() {
            let records: Vec<GenRecord> = (0..2400)
                .map(|i| {
                    let mut record = vec![None; names.len()];
                    let pad = if i == 0 { "a".repeat(shift) } else { String::new() };
                    record[name_at] = Some(format!("{pad}{}", character.repeat(13)));
                    record[phone_at] = Some(format!("7999{i:07}"));
                    record
                })
                .collect();
            let list = GenList { kind, endpoint, records };
            for fmt in FMTS {
                let mut body = render::render(&list, fmt, &Style::PLAIN);
                assert!(body.len() > 70_000);
                let whole = drive::whole_kind(kind, &body, fmt, endpoint, Limits::DEFAULT);
                assert_eq!(whole.end, End::Done, "{fmt:?} {character} +{shift}");
                assert_eq!(whole.records.len(), list.records.len(), "{fmt:?} {character} +{shift}");
                // The first byte of the character that the first window's end falls in, or
                // the one after it, made invalid.
                for nudge in 0..2 {
                    let at = (65_536 + nudge * character.len()..body.len())
                        .find(|&i| body[i] == character.as_bytes()[0])
                        .expect("characters past the first window");
                    let original = body[at];
                    body[at] = 0xFF;
                    let whole = drive::whole_kind(kind, &body, fmt, endpoint, Limits::DEFAULT);
                    assert!(
                        matches!(whole.end, End::Malformed(err) if err.offset == at),
                        "{fmt:?} {character} +{shift}: {:?} for 0xFF at {at}",
                        whole.end
                    );
                    let streamed = drive::stream_kind(kind, &body, fmt, endpoint, 512, &[4096]);
                    assert_eq!(streamed, whole, "{fmt:?} {character} +{shift}, 0xFF at {at}");
                    body[at] = original;
                }
            }
        }
    }
}
