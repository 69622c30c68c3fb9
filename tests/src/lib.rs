//! Support library of the cross-crate tests of `smsc-codec` and the `smsc` CLI.
//!
//! The tests themselves live in `tests/tests/*.rs`, one file per concern. This library holds
//! what several of them share:
//!
//! - [`fixtures`]: the response-body fixtures of `tests/fixtures`, walked at run time;
//! - [`owned`]: decoded records as owned `(name, value)` lists, a reader for the CLI's JSON
//!   lines, and the consistency checks every decoded [`Text`](smsc_codec::Text) must pass;
//! - [`render`]: a reference renderer that writes generated records the way the server does,
//!   in all four fmts;
//! - [`drive`]: whole-body and streaming decoding into owned records, with arbitrary chunking
//!   and a fixed, caller-compacted buffer;
//! - [`counting`]: a per-thread allocation counter and the global allocator that feeds it.
//!
//! Nothing here decides an expected value by calling the code under test: expected records come
//! from the fixtures' `.jsonl` files or from the generator's own values.

pub mod counting;
pub mod drive;
pub mod fixtures;
pub mod owned;
pub mod render;
