#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// With no format enabled (a build that only writes requests) the decoders have nothing to
// dispatch to: they stay, and answer `FmtDisabled`.
#![cfg_attr(not(any(feature = "kv", feature = "csv", feature = "xml", feature = "json")), allow(dead_code, unused))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod client;
mod command;
pub mod decode;
mod error;
mod format;
mod limits;
mod query;
pub mod read;
pub mod record;
mod stream;
pub mod text;

pub use command::{
    AddBlacklistEntry, AddContact, AddGroup, Auth, BlockType, ChangeContact, ChangeGroup, Command, CommandKind,
    DeleteBlacklistEntry, DeleteContact, DeleteGroup, Endpoint, Fmt, GetBlacklist, GetContacts, GetGroups, GroupType,
    MoveGroup, MoveMode, Params, Request, ResponseKind, FORM_CONTENT_TYPE,
};
pub use error::{ApiError, BuildError, BuildErrorKind, DecodeError, DecodeErrorKind, Error, ErrorCode, ParamName};
pub use limits::Limits;
pub use record::{BlacklistEntry, Contact, Created, Group, ListKind, Record};
pub use stream::{list, BlacklistDecoder, ContactsDecoder, Event, GroupsDecoder, ListDecoder, Step};
pub use text::Text;
