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

/// Whether a query is strictly `application/x-www-form-urlencoded` as the codec writes it: RFC
/// 3986 unreserved bytes, `=`, `&`, and `%` followed by two upper-case hex digits. The decoders
/// the tests use (`form_urlencoded`) pass a bad escape through, so the tests check this first.
pub fn strictly_form_encoded(query: &[u8]) -> bool {
    let hex = |b: Option<&u8>| matches!(b, Some(b'0'..=b'9' | b'A'..=b'F'));
    let mut i = 0;
    while let Some(&b) = query.get(i) {
        match b {
            b'%' if hex(query.get(i + 1)) && hex(query.get(i + 2)) => i += 3,
            b'%' => return false,
            b if b.is_ascii_alphanumeric() || b"-._~=&".contains(&b) => i += 1,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    #[test]
    fn strict_form_encoding() {
        assert!(super::strictly_form_encoded(b"a=1&b=x%2By%20z&c=%D0%86"));
        for bad in [&b"a=%2"[..], b"a=%2b", b"a=%+1", b"a=x+y", b"a=x y", b"a=\xd0"] {
            assert!(!super::strictly_form_encoded(bad), "{bad:?}");
        }
    }
}
