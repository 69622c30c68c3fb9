//! Size probe: the runtime of `size-base` plus every part of smsc-codec the firmware uses,
//! on inputs the optimiser cannot see (`black_box`), so nothing is folded away: request
//! writing (nine command types, every auth), the streaming decoder for the three list kinds in
//! all four fmts (fmt chosen at run time), whole-body `decode::list`/`created`/`done`, the
//! known-field iterator and unescaping comparisons, and the JSON relay. Errors print as
//! numbers and static messages (`Debug` of records would pull in core's Unicode tables). Its flash minus `size-base`'s is the codec's share.

#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use panic_semihosting as _;
use serde::Serialize;
use smsc_codec::list::{Blacklist, Contacts, Groups, List};
use smsc_codec::{
    decode, json, AddBlack, AddContact, AddGroup, Auth, BlockType, ChangeGroup, Command,
    DeleteContact, Endpoint, Event, Fmt, GetBlack, GetContacts, GetGroups, GroupType, Limits,
    ListDecoder, MoveGroup, MoveMode, Record, Request,
};

fn s(text: &'static str) -> &'static str {
    black_box(text)
}

fn query<C: Command>(request: Request<'_, C>) {
    let mut buf = [0u8; 256];
    match request.write_query(&mut buf) {
        Ok(len) => {
            black_box(&buf[..len]);
        }
        Err(err) => hprintln!("{} {}", err.kind.message(), err.needed),
    }
}

fn stream<L: List>(fmt: Fmt, endpoint: Endpoint, body: &[u8]) -> usize
where
    for<'a> L::Record<'a>: Serialize,
{
    let mut decoder = ListDecoder::<L>::with_limits(fmt, endpoint, black_box(Limits::DEFAULT));
    let mut out = [0u8; 512];
    let mut pos = 0;
    let mut hits = 0;
    loop {
        match decoder.decode(&body[pos..], black_box(true)) {
            Ok(step) => {
                pos += step.consumed;
                match step.event {
                    Event::Record(record) => {
                        for (name, value) in record.known_fields() {
                            hits += usize::from(value == s("x")) + name.len();
                        }
                        if let Ok(len) = json::to_slice(&record, &mut out) {
                            black_box(&out[..len]);
                        }
                        black_box(record.raw().bytes());
                    }
                    Event::ApiError(api) => {
                        hits += usize::from(api.code.as_u16());
                        hits += usize::from(api.description.is_some_and(|d| d == s("x")));
                        hprintln!("{}", api.code.message());
                    }
                    Event::NeedMore | Event::End => return hits,
                }
            }
            Err(err) => {
                hprintln!("{} {}", err.kind.message(), err.offset);
                return hits;
            }
        }
    }
}

fn whole<L: List>(fmt: Fmt, endpoint: Endpoint, body: &[u8]) -> usize
where
    for<'a> L::Record<'a>: Serialize,
{
    let mut out = [0u8; 512];
    match decode::list::<L>(body, fmt, endpoint, Limits::DEFAULT) {
        Ok(records) => records
            .map(|record| match record {
                Ok(record) => json::to_slice(&record, &mut out).unwrap_or(0),
                Err(err) => err.offset,
            })
            .sum(),
        Err(err) => {
            hprintln!("{}", err.malformed().map_or(0, |e| e.offset));
            0
        }
    }
}

#[entry]
fn main() -> ! {
    let pw = Auth::password(s("login"), s("password"));
    let fmt = Fmt::from_u8(black_box(3)).unwrap_or(Fmt::Json);
    let endpoint = match black_box(0) {
        0 => Endpoint::Phones,
        _ => Endpoint::Mails,
    };
    query(
        Request::new(
            pw,
            AddContact::phone(s("+7999"))
                .name(s("n"))
                .groups(s("1"))
                .birthday(s("01.02.1990")),
        )
        .fmt(fmt),
    );
    query(
        Request::new(
            Auth::api_key(s("k")),
            GetContacts::new(endpoint)
                .after_id(s("1"))
                .count(black_box(10)),
        )
        .fmt(fmt),
    );
    query(Request::new(pw, GetGroups::new(endpoint).group_type(GroupType::Mail)).fmt(fmt));
    query(Request::new(pw, GetBlack::new(endpoint).count(black_box(50))).fmt(fmt));
    query(Request::new(pw, AddGroup::new(endpoint, s("g"))).fmt(fmt));
    query(Request::new(pw, ChangeGroup::new(endpoint, s("1"), s("g"))).fmt(fmt));
    query(Request::new(pw, MoveGroup::phone(MoveMode::Add, s("1"), s("2"))).fmt(fmt));
    query(Request::new(pw, DeleteContact::mail(s("a@b"))).fmt(fmt));
    query(
        Request::new(
            Auth::md5(s("l"), s("5f4dcc3b5aa765d61d8327deb882cf99")),
            AddBlack::mail(s("a@b"))
                .block(BlockType::Mass)
                .comment(s("c")),
        )
        .fmt(fmt),
    );

    let body: &[u8] = black_box(b"[{\"phone\": \"1\"}]");
    let mut hits = 0;
    for n in 0..4 {
        let fmt = Fmt::from_u8(black_box(n)).unwrap_or(Fmt::Json);
        hits += stream::<Contacts>(fmt, endpoint, body);
        hits += stream::<Groups>(fmt, endpoint, body);
        hits += stream::<Blacklist>(fmt, endpoint, body);
        hits += whole::<Contacts>(fmt, endpoint, body);
        hits += whole::<Groups>(fmt, endpoint, body);
        hits += whole::<Blacklist>(fmt, endpoint, body);
        match decode::created(body, fmt) {
            Ok(created) => hits += usize::from(created.id == s("1")),
            Err(err) => hits += err.malformed().map_or(1, |e| e.offset),
        }
        if let Err(err) = decode::done(body, fmt) {
            hits += err.api().map_or(2, |api| usize::from(api.code.as_u16()));
        }
    }
    hprintln!("{}", hits);
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        cortex_m::asm::wfi();
    }
}
