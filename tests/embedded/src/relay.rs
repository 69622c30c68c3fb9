//! Relaying decoded records as JSON into a fixed buffer (`serde_json_core::to_slice`):
//! every list record of every fixture, compared byte for byte with its `.jsonl` line, which is
//! the compact JSON `smsc decode` prints.

use serde::Serialize;
use serde_json_core as json;
use smsc_codec::list::{Blacklist, Contacts, Groups, List};
use smsc_codec::Record;
use smsc_codec::{decode, Limits};

use crate::fixtures::{Cmd, Expect, Fixture, FIXTURES};
use crate::report::check;

/// The JSON output buffer.
pub const OUT: usize = 512;

fn relay<L: List>(fixture: &Fixture) -> usize
where
    for<'a> L::Record<'a>: Serialize,
{
    let name = fixture.name;
    let mut lines = fixture.jsonl.lines();
    let mut out = [0u8; OUT];
    let mut relayed = 0;
    let records = match decode::list::<L>(fixture.body, fixture.fmt, fixture.endpoint, Limits::DEFAULT) {
        Ok(records) => records,
        Err(err) => {
            check!(false, "relay {name}: {err:?}");
            return 0;
        }
    };
    for (i, record) in records.enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                check!(false, "relay {name}: record {i}: {err:?}");
                return relayed;
            }
        };
        let want = lines.next().unwrap_or("");
        match json::to_slice(&record, &mut out) {
            Ok(len) => {
                check!(
                    &out[..len] == want.as_bytes(),
                    "relay {name}: record {i} as {:?}, expected {want:?}",
                    core::str::from_utf8(&out[..len]).unwrap_or("<non UTF-8>")
                );
                // One byte short: a clean error, not a panic or a cut record.
                check!(
                    json::to_slice(&record, &mut out[..len - 1]).is_err(),
                    "relay {name}: record {i} fitted a short buffer"
                );
            }
            Err(err) => {
                check!(false, "relay {name}: record {i}: {err:?} ({:?})", record.raw());
            }
        }
        relayed += 1;
    }
    check!(lines.next().is_none(), "relay {name}: fewer records than lines");
    relayed
}

/// Relays every record of every list fixture; the number relayed.
#[inline(never)]
pub fn run() -> usize {
    let mut relayed = 0;
    for fixture in FIXTURES {
        if !matches!(fixture.expect, Expect::Records(_)) {
            continue;
        }
        relayed += match fixture.cmd {
            Cmd::Contacts => relay::<Contacts>(fixture),
            Cmd::Groups => relay::<Groups>(fixture),
            Cmd::Blacklist => relay::<Blacklist>(fixture),
            Cmd::Created | Cmd::Done => 0,
        };
    }
    relayed
}
