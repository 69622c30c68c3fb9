//! The codec work of the size probes (`size-codec`, `panic-probe`): every part of smsc-codec
//! a firmware of the variant's kind uses, on inputs the optimiser cannot see (`black_box`), so
//! nothing is folded away.
//!
//! - Requests: nine command types (contacts, groups, blacklist, both endpoints) with password,
//!   MD5 and API-key auth, written into a 256-byte stack buffer; the fmt is a run-time value.
//! - Decoding: for each fmt of the variant (all four, or only fmt=3 with `only-json`), chosen at
//!   run time: the streaming `ListDecoder` for the three list kinds, whole-body `decode::list`
//!   for the three list kinds, `decode::created` and `decode::done`. Every record walks its
//!   known fields with a `Text` comparison (unescaping) and hands its raw bytes on; an API error
//!   gives its code and compares its description.
//! - JSON relay (all-formats only): every record written with `serde_json_core::to_slice`
//!   (serde-json-core) into a 512-byte buffer. A json-only firmware already has its records
//!   as JSON, so that variant has no serde.
//!
//! Errors are reported through `note(message, number)`: static messages and numbers only
//! (`Debug` of records would pull in core's Unicode tables). The probe's own code never
//! panics (no indexing, `get` instead), so every panic path in a probe binary is the codec's.

use core::hint::black_box;

#[cfg(feature = "all-formats")]
use serde_json_core as json;
use smsc_codec::list::{Blacklist, Contacts, Groups, List};
use smsc_codec::{
    decode, AddBlacklistEntry, AddContact, AddGroup, Auth, BlockType, ChangeGroup, Command, DeleteContact, Endpoint,
    Event, Fmt, GetBlacklist, GetContacts, GetGroups, GroupType, Limits, ListDecoder, MoveGroup, MoveMode, Record,
    Request,
};

#[cfg(not(any(feature = "all-formats", feature = "only-json")))]
compile_error!("a size probe needs the feature `all-formats` (default) or `only-json`");
#[cfg(all(feature = "all-formats", feature = "only-json"))]
compile_error!("`only-json` measures the codec without kv/csv/xml: build it with --no-default-features");

/// The fmts the variant decodes, as run-time values (`Fmt::from_wire` on a `black_box`ed number).
#[cfg(feature = "all-formats")]
const FMTS: &[u8] = &[0, 1, 2, 3];
#[cfg(not(feature = "all-formats"))]
const FMTS: &[u8] = &[3];

/// How the probe reports an error: a static message and a number.
pub type Note = fn(&'static str, usize);

fn s(text: &'static str) -> &'static str {
    black_box(text)
}

/// What the firmware does with a record beyond reading its fields: the JSON relay in the
/// all-formats variant, nothing in the json-only one (which then needs no serde).
pub trait Relay {
    fn relay(&self, out: &mut [u8]) -> usize;
}

#[cfg(feature = "all-formats")]
impl<T: serde::Serialize> Relay for T {
    fn relay(&self, out: &mut [u8]) -> usize {
        match json::to_slice(self, out) {
            Ok(len) => {
                black_box(out.get(..len));
                len
            }
            Err(_) => 0,
        }
    }
}

#[cfg(not(feature = "all-formats"))]
impl<T> Relay for T {
    fn relay(&self, _: &mut [u8]) -> usize {
        0
    }
}

fn query<C: Command>(request: Request<'_, C>, note: Note) {
    let mut buf = [0u8; 256];
    match request.write_query(&mut buf) {
        Ok(len) => {
            black_box(buf.get(..len));
        }
        Err(err) => note(err.kind.message(), err.needed),
    }
}

/// One record as a firmware uses it: the known fields compared (unescaped), the raw bytes
/// handed on, the relay.
fn record<'a, R: Record<'a> + Relay>(record: &R, out: &mut [u8]) -> usize {
    let mut hits = 0;
    for (name, value) in record.known_fields() {
        hits += usize::from(value == s("x")) + name.len();
    }
    black_box(record.raw().bytes());
    hits + record.relay(out)
}

fn stream<L: List>(fmt: Fmt, endpoint: Endpoint, body: &[u8], note: Note) -> usize
where
    for<'a> L::Record<'a>: Relay,
{
    let mut decoder = ListDecoder::<L>::with_limits(fmt, endpoint, black_box(Limits::DEFAULT));
    let mut out = [0u8; 512];
    let mut pos = 0;
    let mut hits = 0;
    loop {
        match decoder.decode(body.get(pos..).unwrap_or_default(), black_box(true)) {
            Ok(step) => {
                pos += step.consumed;
                match step.event {
                    Event::Record(r) => hits += record(&r, &mut out),
                    Event::ApiError(api) => {
                        hits += usize::from(api.code.wire());
                        hits += usize::from(api.description.is_some_and(|d| d == s("x")));
                        note(api.code.message(), 0);
                    }
                    Event::NeedMore | Event::End => return hits,
                }
            }
            Err(err) => {
                note(err.kind.message(), err.offset);
                return hits;
            }
        }
    }
}

fn whole<L: List>(fmt: Fmt, endpoint: Endpoint, body: &[u8], note: Note) -> usize
where
    for<'a> L::Record<'a>: Relay,
{
    let mut out = [0u8; 512];
    match decode::list::<L>(body, fmt, endpoint, black_box(Limits::DEFAULT)) {
        Ok(records) => records
            .map(|r| match r {
                Ok(r) => record(&r, &mut out),
                Err(err) => err.offset,
            })
            .sum(),
        Err(err) => {
            note("malformed", err.malformed().map_or(0, |e| e.offset));
            0
        }
    }
}

/// The probe's work; the returned number goes to the output so that nothing is dead.
#[inline(never)]
pub fn run(note: Note) -> usize {
    let pw = Auth::password(s("login"), s("password"));
    let fmt = Fmt::from_wire(black_box(3)).unwrap_or(Fmt::Json);
    let endpoint = match black_box(0) {
        0 => Endpoint::Phones,
        _ => Endpoint::Mails,
    };
    query(
        Request::new(pw, AddContact::phone(s("+7999")).name(s("n")).groups(s("1")).birthday(s("01.02.1990"))).fmt(fmt),
        note,
    );
    query(
        Request::new(Auth::api_key(s("k")), GetContacts::new(endpoint).after_id(s("1")).count(black_box(10))).fmt(fmt),
        note,
    );
    query(Request::new(pw, GetGroups::new(endpoint).group_type(GroupType::Mail)).fmt(fmt), note);
    query(Request::new(pw, GetBlacklist::new(endpoint).count(black_box(50))).fmt(fmt), note);
    query(Request::new(pw, AddGroup::new(endpoint, s("g"))).fmt(fmt), note);
    query(Request::new(pw, ChangeGroup::new(endpoint, s("1"), s("g"))).fmt(fmt), note);
    query(Request::new(pw, MoveGroup::phone(MoveMode::Add, s("1"), s("2"))).fmt(fmt), note);
    query(Request::new(pw, DeleteContact::mail(s("a@b"))).fmt(fmt), note);
    query(
        Request::new(
            Auth::md5(s("l"), s("5f4dcc3b5aa765d61d8327deb882cf99")),
            AddBlacklistEntry::mail(s("a@b")).block_type(BlockType::Mass).comment(s("c")),
        )
        .fmt(fmt),
        note,
    );

    let body: &[u8] = black_box(b"[{\"phone\": \"1\"}]");
    let mut hits = 0;
    for &n in black_box(FMTS) {
        let fmt = Fmt::from_wire(black_box(n)).unwrap_or(Fmt::Json);
        hits += stream::<Contacts>(fmt, endpoint, body, note);
        hits += stream::<Groups>(fmt, endpoint, body, note);
        hits += stream::<Blacklist>(fmt, endpoint, body, note);
        hits += whole::<Contacts>(fmt, endpoint, body, note);
        hits += whole::<Groups>(fmt, endpoint, body, note);
        hits += whole::<Blacklist>(fmt, endpoint, body, note);
        match decode::created(body, fmt) {
            Ok(created) => hits += usize::from(created.id == s("x")),
            Err(err) => hits += err.malformed().map_or(1, |e| e.offset),
        }
        if let Err(err) = decode::done(body, fmt) {
            hits += err.api().map_or(2, |api| usize::from(api.code.wire()));
        }
    }
    hits
}
