//! The core allocates nothing: a counting global allocator (per thread, see
//! `smsc_codec_tests::counting`) watches building every command's query into a stack buffer and
//! decoding every fixture body in every fmt (lists fully iterated, fields compared with `&str`
//! and unescaped into a stack buffer, raw fields, the streaming decoder and its std reader
//! adapter through a 512-byte stack buffer, created, OK and API errors, records written as JSON into a stack buffer).
//!
//! Everything that needs the heap (reading the fixture files, parsing the expected `.jsonl`)
//! happens before counting starts. Mismatches are counted, not formatted, inside the counted
//! region, and reported after it.

use smsc_codec::Limits;
use std::fmt::Write as _;
use std::hint::black_box;

use smsc_codec::decode::{self, Response};
use smsc_codec::list::{Blacklist, Contacts, Groups, List};
use smsc_codec::{
    AddBlacklistEntry, AddContact, AddGroup, Auth, BlockType, ChangeContact, ChangeGroup, Command, CommandKind,
    DeleteBlacklistEntry, DeleteContact, DeleteGroup, Endpoint, Error, GetBlacklist, GetContacts, GetGroups, GroupType,
    ListDecoder, MoveGroup, MoveMode, Params, Request, Text,
};
use smsc_codec_tests::counting::count;
use smsc_codec_tests::drive;
use smsc_codec_tests::fixtures::{self, Expected, Fixture};
use smsc_codec_tests::owned::{self, Fields, Typed};

#[global_allocator]
static COUNTING: smsc_codec_tests::counting::CountingAllocator = smsc_codec_tests::counting::CountingAllocator;

/// The counter sees allocations: without this the other tests could pass vacuously.
#[test]
fn the_counter_sees_allocations() {
    let (_, boxed) = count(|| black_box(Box::new(1u64)));
    assert!(boxed >= 1, "Box::new counted {boxed}");
    let (_, grown) = count(|| {
        let mut v = Vec::new();
        for i in 0..100u32 {
            v.push(black_box(i));
        }
        black_box(v)
    });
    assert!(grown >= 2, "a growing Vec counted {grown}");
    let (_, formatted) = count(|| black_box(format!("{}", black_box(12345))));
    assert!(formatted >= 1);
    let (_, nothing) = count(|| black_box(1 + black_box(2)));
    assert_eq!(nothing, 0);
    // An allocating entry point of the codec is seen too.
    let request = Request::new(Auth::password("l", "p"), DeleteContact::phone("1"));
    let (query, n) = count(|| request.to_query_string());
    assert!(n >= 1, "to_query_string counted {n}");
    assert_eq!(query.unwrap(), "del=1&login=l&psw=p&fmt=3&charset=utf-8&phone=1");
}

/// A `core::fmt::Write` into a fixed buffer, for `Display` without a heap.
struct StackText<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> StackText<N> {
    fn new() -> Self {
        StackText { buf: [0; N], len: 0 }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("\u{FFFD}")
    }
}

impl<const N: usize> std::fmt::Write for StackText<N> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Writes `request` four ways into stack buffers and compares with `expected`; the number of
/// mismatches.
fn query_mismatches<C: Command>(request: &Request<'_, C>, expected: &str) -> u32 {
    let mut bad = 0;
    let mut buf = [0u8; 512];
    match request.write_query(&mut buf) {
        Ok(len) if &buf[..len] == expected.as_bytes() => {}
        _ => bad += 1,
    }
    if request.query_len() != Ok(expected.len()) {
        bad += 1;
    }
    match request.write_path_and_query(&mut buf) {
        Ok(len)
            if buf[..len].starts_with(request.path().as_bytes())
                && buf[request.path().len()] == b'?'
                && &buf[request.path().len() + 1..len] == expected.as_bytes() => {}
        _ => bad += 1,
    }
    match request.to_heapless::<512>() {
        Ok(s) if s.as_str() == expected => {}
        _ => bad += 1,
    }
    // A short buffer reports the size needed, without allocating either.
    match request.write_query(&mut buf[..expected.len() - 1]) {
        Err(err) if err.needed == expected.len() => {}
        _ => bad += 1,
    }
    bad
}

#[test]
fn building_every_command_allocates_nothing() {
    let auth = Auth::password("l", "p");
    let (bad, allocations) = count(|| {
        let mut bad = 0;
        for (e, ep) in [("phone", Endpoint::Phones), ("mail", Endpoint::Mails)] {
            let mails = ep == Endpoint::Mails;
            let c = if mails { "a@b.c" } else { "+79991112233" };
            let c_enc = if mails { "a%40b.c" } else { "%2B79991112233" };
            let mut expected = StackText::<512>::new();
            let mut q = |request_bad: &mut dyn FnMut(&str) -> u32, tail: std::fmt::Arguments<'_>| {
                expected.len = 0;
                let _ = expected.write_fmt(tail);
                request_bad(expected.as_str())
            };
            let add = if mails { AddContact::mail(c) } else { AddContact::phone(c) };
            bad += q(
                &mut |x| query_mismatches(&Request::new(auth, add.name("Іван").groups("1,2")), x),
                format_args!(
                    "add=1&login=l&psw=p&fmt=3&charset=utf-8&{e}={c_enc}&name=%D0%86%D0%B2%D0%B0%D0%BD&grp=1%2C2"
                ),
            );
            bad += q(
                &mut |x| {
                    query_mismatches(
                        &Request::new(auth, AddGroup::new(ep, "G").number("12").group_type(GroupType::Mail)),
                        x,
                    )
                },
                format_args!("add_group=1&login=l&psw=p&fmt=3&charset=utf-8&name=G&num=12&type=1"),
            );
            let chg = if mails { ChangeContact::mail(c) } else { ChangeContact::phone(c) };
            bad += q(
                &mut |x| query_mismatches(&Request::new(auth, chg.new_phones("9").birthday("01.02.1990")), x),
                format_args!("chg=1&login=l&psw=p&fmt=3&charset=utf-8&{e}={c_enc}&new_{e}=9&bd=01.02.1990"),
            );
            bad += q(
                &mut |x| query_mismatches(&Request::new(auth, ChangeGroup::new(ep, "5", "G")), x),
                format_args!("chg_group=1&login=l&psw=p&fmt=3&charset=utf-8&grp=5&name=G"),
            );
            let mv =
                if mails { MoveGroup::mail(MoveMode::Add, "5", c) } else { MoveGroup::phone(MoveMode::Add, "5", c) };
            bad += q(
                &mut |x| query_mismatches(&Request::new(auth, mv), x),
                format_args!("move_group=2&login=l&psw=p&fmt=3&charset=utf-8&grp=5&{e}={c_enc}"),
            );
            let del = if mails { DeleteContact::mail(c) } else { DeleteContact::phone(c) };
            bad += q(
                &mut |x| query_mismatches(&Request::new(auth, del), x),
                format_args!("del=1&login=l&psw=p&fmt=3&charset=utf-8&{e}={c_enc}"),
            );
            bad += q(
                &mut |x| query_mismatches(&Request::new(auth, DeleteGroup::new(ep, "5")), x),
                format_args!("del_group=1&login=l&psw=p&fmt=3&charset=utf-8&grp=5"),
            );
            bad += q(
                &mut |x| query_mismatches(&Request::new(auth, GetContacts::new(ep).after_id("100").count(1000)), x),
                format_args!("get=1&login=l&psw=p&fmt=3&charset=utf-8&after_id=100&cnt=1000"),
            );
            bad += q(
                &mut |x| query_mismatches(&Request::new(auth, GetGroups::new(ep).group_type(GroupType::Phone)), x),
                format_args!("get_group=1&login=l&psw=p&fmt=3&charset=utf-8&type=0"),
            );
            let add_black = if mails { AddBlacklistEntry::mail(c) } else { AddBlacklistEntry::phone(c) };
            bad += q(
                &mut |x| {
                    query_mismatches(&Request::new(auth, add_black.block_type(BlockType::Single).comment("a b")), x)
                },
                format_args!("add_black=1&login=l&psw=p&fmt=3&charset=utf-8&{e}={c_enc}&type=2&cmt=a%20b"),
            );
            let del_black = if mails { DeleteBlacklistEntry::mail(c) } else { DeleteBlacklistEntry::phone(c) };
            bad += q(
                &mut |x| query_mismatches(&Request::new(auth, del_black), x),
                format_args!("del_black=1&login=l&psw=p&fmt=3&charset=utf-8&{e}={c_enc}"),
            );
            bad += q(
                &mut |x| query_mismatches(&Request::new(auth, GetBlacklist::new(ep).prev_id("300").count(5)), x),
                format_args!("get_black=1&login=l&psw=p&fmt=3&charset=utf-8&prev_id=300&cnt=5"),
            );
            // The same through Params, set by wire names, and a refused value.
            let mut params = Params::new(CommandKind::MoveGroup, ep);
            bad += u32::from(params.set("mode", "3").is_err());
            bad += u32::from(params.set("grp", "7").is_err());
            bad += u32::from(params.set(e, c).is_err());
            bad += u32::from(params.set("cnt", "5").is_ok());
            bad += q(
                &mut |x| query_mismatches(&Request::new(Auth::api_key("k"), params), x),
                format_args!("move_group=3&apikey=k&fmt=3&charset=utf-8&grp=7&{e}={c_enc}"),
            );
            let refused = Request::new(auth, GetContacts::new(ep).count(1001));
            bad += u32::from(refused.validate().is_ok());
            let mut buf = [0u8; 64];
            bad += u32::from(refused.write_query(&mut buf).is_ok());
        }
        bad
    });
    assert_eq!(bad, 0, "queries differ from the expected ones");
    assert_eq!(allocations, 0, "building queries allocated {allocations} times");
}

/// What a fixture's decoding is compared with, prepared before counting.
struct Prepared {
    fixture: Fixture,
    lines: Option<Vec<Fields>>,
}

fn prepare() -> Vec<Prepared> {
    fixtures::load_all()
        .into_iter()
        .map(|fixture| {
            let lines = fixture.jsonl().map(owned::parse_jsonl);
            Prepared { fixture, lines }
        })
        .collect()
}

/// Compares a text with an expected value without allocating: `==`, `unescape_into` a stack
/// buffer, `Display` into a stack buffer, `chars()`. The number of mismatches.
fn text_mismatches(text: &Text<'_>, expected: &str) -> u32 {
    let mut bad = 0;
    if *text != expected {
        bad += 1;
    }
    let mut buf = [0u8; 1024];
    match text.unescape_into(&mut buf) {
        Ok(s) if s == expected => {}
        _ => bad += 1,
    }
    let mut shown = StackText::<1024>::new();
    if write!(shown, "{text}").is_err() || shown.as_str() != expected {
        bad += 1;
    }
    if !text.chars().eq(expected.chars()) || text.unescaped_len() != expected.len() {
        bad += 1;
    }
    bad
}

/// One record against its expected line: names and values in order, raw fields readable, and
/// the record as JSON (serde-json-core) into a stack buffer equal to the line.
/// Without a line (records before the error of a malformed body) the record is only read.
fn record_mismatches<'a, R: Typed<'a>>(record: &R, line: Option<&Fields>) -> u32 {
    let Some(line) = line else {
        let mut buf = [0u8; 2048];
        let mut read = 0;
        for (_, value) in record.known_fields() {
            read += value.unescape_into(&mut buf).map_or(0, str::len);
        }
        for field in record.raw().fields() {
            read += field.value.unescape_into(&mut buf).map_or(0, str::len);
        }
        black_box(read);
        return u32::from(record.to_json(&mut buf).is_none());
    };
    let mut bad = 0;
    let mut n = 0;
    for (i, (name, value)) in record.known_fields().enumerate() {
        match line.get(i) {
            Some((want_name, want_value)) if name == want_name => bad += text_mismatches(&value, want_value),
            _ => bad += 1,
        }
        n += 1;
    }
    if n != line.len() {
        bad += 1;
    }
    let mut unescaped = [0u8; 1024];
    for field in record.raw().fields() {
        if field.value.unescape_into(&mut unescaped).is_err() {
            bad += 1;
        }
    }
    let mut json = [0u8; 2048];
    match record.to_json(&mut json) {
        Some(len) => {
            let mut expected = StackText::<2048>::new();
            let _ = expected.write_char('{');
            for (i, (name, value)) in line.iter().enumerate() {
                if i > 0 {
                    let _ = expected.write_char(',');
                }
                let _ = write!(expected, "\"{name}\":\"{}\"", Escaped(value));
            }
            let _ = expected.write_char('}');
            if &json[..len] != expected.as_str().as_bytes() {
                bad += 1;
            }
        }
        None => bad += 1,
    }
    bad
}

/// JSON string content as the CLI and serde-json-core write it for the fixtures' values.
struct Escaped<'s>(&'s str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\t' => f.write_str("\\t")?,
                '\r' => f.write_str("\\r")?,
                '\u{8}' => f.write_str("\\b")?,
                '\u{c}' => f.write_str("\\f")?,
                c if u32::from(c) < 0x20 => write!(f, "\\u{:04x}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

fn records_mismatches<'a, R: Typed<'a>>(
    records: impl Iterator<Item = Result<R, smsc_codec::DecodeError>>,
    lines: Option<&Vec<Fields>>,
    malformed: bool,
) -> u32 {
    let mut bad = 0;
    let mut n = 0;
    for record in records {
        match record {
            Ok(record) => bad += record_mismatches(&record, lines.and_then(|l| l.get(n))),
            Err(_) if malformed => return bad,
            Err(_) => return bad + 1,
        }
        n += 1;
    }
    if malformed || lines.is_none_or(|l| l.len() != n) {
        bad += 1;
    }
    bad
}

/// A list whose records [`record_mismatches`] can check.
trait Check: List {
    fn check(record: &Self::Record<'_>, line: Option<&Fields>) -> u32;
}

impl Check for Contacts {
    fn check(record: &Self::Record<'_>, line: Option<&Fields>) -> u32 {
        record_mismatches(record, line)
    }
}

impl Check for Groups {
    fn check(record: &Self::Record<'_>, line: Option<&Fields>) -> u32 {
        record_mismatches(record, line)
    }
}

impl Check for Blacklist {
    fn check(record: &Self::Record<'_>, line: Option<&Fields>) -> u32 {
        record_mismatches(record, line)
    }
}

/// Streams a list body through a 512-byte stack buffer, comparing each record.
fn stream_mismatches<L: Check>(p: &Prepared) -> u32 {
    let f = &p.fixture;
    let mut buf = [0u8; 512];
    let mut bad = 0;
    let mut n = 0;
    let mut sizes = [7usize, 1, 64, 3].into_iter().cycle();
    let result = drive::stream_with(
        ListDecoder::<L>::new(f.fmt, f.endpoint),
        &f.body,
        &mut buf,
        || sizes.next().unwrap_or(1),
        |record| {
            bad += L::check(record, p.lines.as_ref().and_then(|l| l.get(n)));
            n += 1;
        },
    );
    match (result, &p.lines) {
        (Ok(count), Some(lines)) if count == lines.len() => {}
        (Err(drive::End::Api(code)), Some(lines)) => {
            let want = lines.first().and_then(|l| owned::get(l, "error_code"));
            let mut shown = StackText::<8>::new();
            let _ = write!(shown, "{code}");
            if want != Some(shown.as_str()) {
                bad += 1;
            }
        }
        (Err(drive::End::Malformed(_)), None) => {}
        _ => bad += 1,
    }
    bad
}

/// Reads a list body through the std reader adapter from a slice, into a 512-byte stack buffer,
/// comparing each record and the end.
fn reader_mismatches<L: Check>(p: &Prepared) -> u32 {
    use smsc_codec::read::{IoReader, ReadError};
    let f = &p.fixture;
    let mut buf = [0u8; 512];
    let mut reader = IoReader::with_decoder(&f.body[..], &mut buf, ListDecoder::<L>::new(f.fmt, f.endpoint));
    let (mut bad, mut n) = (0, 0);
    let end = loop {
        match reader.next() {
            Ok(Some(record)) => {
                bad += L::check(&record, p.lines.as_ref().and_then(|l| l.get(n)));
                n += 1;
            }
            Ok(None) => break None,
            Err(err) => break Some(err),
        }
    };
    match (end, &p.lines) {
        (None, Some(lines)) if n == lines.len() => {}
        (Some(ReadError::Api(code)), Some(lines)) => {
            let mut shown = StackText::<8>::new();
            let _ = write!(shown, "{}", code.wire());
            bad += u32::from(lines.first().and_then(|l| owned::get(l, "error_code")) != Some(shown.as_str()));
        }
        (Some(ReadError::Malformed(_)), None) => {}
        _ => bad += 1,
    }
    bad
}

fn fixture_mismatches(p: &Prepared) -> u32 {
    let f = &p.fixture;
    let malformed = matches!(f.expected, Expected::Malformed(_));
    let first = p.lines.as_ref().and_then(|l| l.first());
    let mut bad = 0;
    match decode::response(f.command.response(), &f.body, f.fmt, f.endpoint, Limits::DEFAULT) {
        Ok(Response::Contacts(records)) => bad += records_mismatches(records, p.lines.as_ref(), malformed),
        Ok(Response::Groups(records)) => bad += records_mismatches(records, p.lines.as_ref(), malformed),
        Ok(Response::Blacklist(records)) => bad += records_mismatches(records, p.lines.as_ref(), malformed),
        Ok(Response::Created(created)) => match first.and_then(|l| owned::get(l, "id")) {
            Some(id) => bad += text_mismatches(&created.id, id),
            None => bad += 1,
        },
        Ok(Response::Done) => bad += u32::from(first.and_then(|l| owned::get(l, "result")) != Some("OK")),
        Err(Error::Api(api)) => {
            let mut code = StackText::<8>::new();
            let _ = write!(code, "{}", api.code.wire());
            bad += u32::from(first.and_then(|l| owned::get(l, "error_code")) != Some(code.as_str()));
            match (api.description, first.and_then(|l| owned::get(l, "error"))) {
                (Some(text), Some(want)) => bad += text_mismatches(&text, want),
                (None, None) => {}
                _ => bad += 1,
            }
        }
        Err(Error::Malformed(_)) => bad += u32::from(!malformed),
    }
    match f.command {
        CommandKind::GetContacts => bad += stream_mismatches::<Contacts>(p) + reader_mismatches::<Contacts>(p),
        CommandKind::GetGroups => bad += stream_mismatches::<Groups>(p) + reader_mismatches::<Groups>(p),
        CommandKind::GetBlacklist => bad += stream_mismatches::<Blacklist>(p) + reader_mismatches::<Blacklist>(p),
        _ => {}
    }
    bad
}

#[test]
fn decoding_every_fixture_allocates_nothing() {
    let prepared = prepare();
    assert!(prepared.len() >= 250);
    let (per_fixture, allocations) = count(|| {
        let mut first_bad = None;
        let mut bad_total = 0;
        for (i, p) in prepared.iter().enumerate() {
            let bad = fixture_mismatches(p);
            if bad > 0 && first_bad.is_none() {
                first_bad = Some(i);
            }
            bad_total += bad;
        }
        (bad_total, first_bad)
    });
    let (bad, first_bad) = per_fixture;
    assert_eq!(
        bad,
        0,
        "mismatches; the first in {}",
        first_bad.map(|i| prepared[i].fixture.name()).unwrap_or_default()
    );
    assert_eq!(allocations, 0, "decoding the fixtures allocated {allocations} times");
    // And per fixture, to name any that allocates.
    for p in &prepared {
        let (_, n) = count(|| fixture_mismatches(p));
        assert_eq!(n, 0, "{} allocated {n} times", p.fixture.name());
    }
}
