//! The fixtures of `tests/fixtures`, embedded by `build.rs`: bodies with `include_bytes!`,
//! expected records as `(field, value)` tables taken from the `.jsonl` files.

use smsc_codec::{Endpoint, Fmt};

/// What the body answers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    /// `get`: a contact list.
    Contacts,
    /// `get_group`: a group list.
    Groups,
    /// `get_black`: the blacklist.
    Blacklist,
    /// `add`, `add_group`, `add_black`: an id.
    Created,
    /// The change and delete commands: `OK`.
    Done,
}

/// The expected outcome, from the `.jsonl` (or `.malformed`) sibling of the body.
pub enum Expect {
    /// List records, each its present fields in order, values unescaped.
    Records(&'static [&'static [(&'static str, &'static str)]]),
    /// An API error.
    Api { code: u16, description: Option<&'static str> },
    /// The new id.
    Created(&'static str),
    /// `OK`.
    Done,
    /// A malformed body: decoding must fail.
    Malformed,
}

pub struct Fixture {
    /// `<endpoint>/<command>/<variant>.fmt<N>`.
    pub name: &'static str,
    pub cmd: Cmd,
    pub endpoint: Endpoint,
    pub fmt: Fmt,
    pub body: &'static [u8],
    /// The expected `smsc decode` output: a compact JSON object per line ("" if malformed).
    pub jsonl: &'static str,
    pub expect: Expect,
}

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
