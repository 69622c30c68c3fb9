//! Every fixture decoded and compared with its expected values: lists through the streaming
//! decoder in every chunk pattern, single answers (created, OK) through `decode`.

use smsc_codec::list::{Blacklist, Contacts, Groups, List};
use smsc_codec::{decode, ApiError, DecodeError, Error, Event, ListDecoder, Record};

use crate::fixtures::{Cmd, Expect, Fixture};
use crate::report::check;
use crate::stream::{feed, Ended, Sink, Stats, PATTERNS};

/// The record's present known fields equal `want`, in order.
pub fn same_fields<'a, R: Record<'a>>(record: &R, want: &[(&str, &str)]) -> bool {
    let mut fields = record.known_fields();
    for &(key, value) in want {
        match fields.next() {
            Some((name, text)) if name == key && text == value => {}
            _ => return false,
        }
    }
    fields.next().is_none()
}

fn same_api(api: &ApiError<'_>, code: u16, description: Option<&str>) -> bool {
    api.code.wire() == code
        && match (api.description, description) {
            (Some(text), Some(want)) => text == want,
            (None, None) => true,
            _ => false,
        }
}

/// Compares the events of one feed with the fixture's expectation.
struct Checker<'f> {
    fixture: &'f Fixture,
    pattern: usize,
    records: usize,
    api: bool,
    end: bool,
    error: Option<DecodeError>,
    ok: bool,
}

impl<L: List> Sink<L> for Checker<'_> {
    fn event<'a>(&mut self, event: &Event<'a, L::Record<'a>>) -> bool {
        let name = self.fixture.name;
        match (event, &self.fixture.expect) {
            (Event::NeedMore, _) => {}
            (Event::Record(record), Expect::Records(want)) => {
                let i = self.records;
                self.records += 1;
                self.ok &= check!(
                    want.get(i).is_some_and(|want| same_fields(record, want)),
                    "{name} (chunk pattern {}): record {i} is {:?}",
                    self.pattern,
                    record.raw()
                );
            }
            // Records before the bad one of a malformed body are not specified.
            (Event::Record(_), Expect::Malformed) => {}
            (Event::ApiError(api), Expect::Api { code, description }) => {
                self.api = true;
                self.ok &=
                    check!(same_api(api, *code, *description), "{name} (chunk pattern {}): {api:?}", self.pattern);
            }
            (Event::End, _) => self.end = true,
            (Event::Record(record), _) => {
                self.ok &= check!(false, "{name}: unexpected record {:?}", record.raw());
            }
            (Event::ApiError(api), _) => {
                self.ok &= check!(false, "{name}: unexpected API error {api:?}");
            }
        }
        true
    }

    fn error(&mut self, error: DecodeError) {
        self.error = Some(error);
    }
}

fn list<L: List>(fixture: &Fixture, stats: &mut Stats) {
    let name = fixture.name;
    let fresh = || ListDecoder::<L>::new(fixture.fmt, fixture.endpoint);
    for (pattern, chunks) in PATTERNS.iter().enumerate() {
        let mut decoder = fresh();
        let mut checker = Checker { fixture, pattern, records: 0, api: false, end: false, error: None, ok: true };
        let (ended, _) = feed(&mut decoder, fresh, fixture.body, chunks, false, &mut checker, stats);
        let ok = match fixture.expect {
            Expect::Records(want) => ended == Ended::Finished && checker.end && checker.records == want.len(),
            Expect::Api { .. } => ended == Ended::Finished && checker.api,
            Expect::Malformed => match ended {
                // A failed decoder keeps failing with the same error.
                Ended::Error(err) => decoder.is_finished() && matches!(decoder.decode(b"", true), Err(e) if e == err),
                _ => false,
            },
            Expect::Created(_) | Expect::Done => false,
        };
        check!(
            ok && checker.ok,
            "{name} (chunk pattern {pattern}): ended {ended:?}, {} records, end {}, error {:?}",
            checker.records,
            checker.end,
            checker.error
        );
    }
}

fn single(fixture: &Fixture) {
    let name = fixture.name;
    let body = fixture.body;
    let (result, id) = match fixture.cmd {
        Cmd::Created => match decode::created(body, fixture.fmt) {
            Ok(created) => (Ok(()), Some(created.id)),
            Err(err) => (Err(err), None),
        },
        _ => (decode::done(body, fixture.fmt), None),
    };
    let ok = match (&fixture.expect, result, id) {
        (Expect::Created(want), Ok(()), Some(id)) => id == *want,
        (Expect::Done, Ok(()), None) => true,
        (Expect::Api { code, description }, Err(Error::Api(api)), _) => same_api(&api, *code, *description),
        (Expect::Malformed, Err(Error::Malformed(_)), _) => true,
        _ => false,
    };
    check!(ok, "{name}: decoded {result:?}, id {id:?}");
}

/// Every fixture of `fmt`; returns the stack and record observations of the list feeds.
#[inline(never)]
pub fn run(fmt: smsc_codec::Fmt) -> (usize, Stats) {
    let mut stats = Stats::default();
    let mut count = 0;
    for fixture in crate::fixtures::FIXTURES.iter().filter(|f| f.fmt == fmt) {
        count += 1;
        match fixture.cmd {
            Cmd::Contacts => list::<Contacts>(fixture, &mut stats),
            Cmd::Groups => list::<Groups>(fixture, &mut stats),
            Cmd::Blacklist => list::<Blacklist>(fixture, &mut stats),
            Cmd::Created | Cmd::Done => single(fixture),
        }
    }
    (count, stats)
}
