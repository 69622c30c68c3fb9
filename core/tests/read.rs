//! The reader adapters over sources that give one byte at a time and interrupt themselves: the
//! records of the whole-body decoder, in every fmt. Small enough to run under Miri (the
//! cross-crate suite in `tests/tests/read.rs` runs every fixture).
#![cfg(all(
    feature = "std",
    feature = "embedded-io",
    feature = "kv",
    feature = "csv",
    feature = "xml",
    feature = "json"
))]

use smsc_codec::read::{EmbeddedReader, IoReader, ReadError};
use smsc_codec::{decode, Endpoint, Fmt};

/// One byte a read, with an `Interrupted` before each.
struct Trickle<'a> {
    body: &'a [u8],
    interrupt: bool,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.interrupt = !self.interrupt;
        if self.interrupt {
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        let n = self.body.len().min(buf.len()).min(1);
        buf[..n].copy_from_slice(&self.body[..n]);
        self.body = &self.body[n..];
        Ok(n)
    }
}

const BODIES: [(Fmt, &[u8]); 4] = [
    (Fmt::KeyValue, b"phone = 79991112233, name = Ivan\nphone = 380501112233, name = \xd0\x9e\n"),
    (Fmt::Csv, b"79991112233,Ivan,0\n380501112233,\xd0\x9e,5\n"),
    (
        Fmt::Xml,
        b"<list><contact><phone>1</phone><name>A &amp; B</name></contact><contact><phone>2</phone></contact></list>",
    ),
    (Fmt::Json, b"[{\"phone\": \"1\", \"name\": \"\\u0410\"}, {\"phone\": \"2\", \"name\": \"\"}]"),
];

fn whole(body: &[u8], fmt: Fmt) -> Vec<(String, Option<String>)> {
    let records = decode::contacts(body, fmt, Endpoint::Phones).unwrap();
    records.map(|c| c.unwrap()).map(|c| (c.phone.unwrap().to_string(), c.name.map(|n| n.to_string()))).collect()
}

#[test]
fn the_std_reader_gives_the_whole_body_records() {
    for (fmt, body) in BODIES {
        let mut buf = [0u8; 80];
        let mut reader = IoReader::contacts(Trickle { body, interrupt: false }, &mut buf, fmt, Endpoint::Phones);
        let mut got = Vec::new();
        while let Some(c) = reader.next().unwrap() {
            got.push((c.phone.unwrap().to_string(), c.name.map(|n| n.to_string())));
        }
        assert_eq!(got, whole(body, fmt), "{fmt:?}");
        assert!(reader.next().unwrap().is_none(), "the end stays the end");
    }
}

#[test]
fn the_embedded_reader_gives_the_whole_body_records() {
    for (fmt, body) in BODIES {
        let mut buf = [0u8; 80];
        let mut reader = EmbeddedReader::contacts(body, &mut buf, fmt, Endpoint::Phones);
        let mut got = Vec::new();
        while let Some(c) = reader.next().unwrap() {
            got.push((c.phone.unwrap().to_string(), c.name.map(|n| n.to_string())));
        }
        assert_eq!(got, whole(body, fmt), "{fmt:?}");
    }
}

#[test]
fn a_malformed_body_is_the_whole_body_error() {
    let body = b"[{\"phone\": \"1\"}, {\"phone\": 2x}]";
    let whole = decode::contacts(body, Fmt::Json, Endpoint::Phones).unwrap().nth(1).unwrap().unwrap_err();
    let mut buf = [0u8; 64];
    let mut reader = IoReader::contacts(Trickle { body, interrupt: false }, &mut buf, Fmt::Json, Endpoint::Phones);
    assert!(reader.next().unwrap().is_some());
    assert!(matches!(reader.next(), Err(ReadError::Malformed(e)) if e == whole));
    assert!(matches!(reader.next(), Err(ReadError::Malformed(e)) if e == whole), "and stays so");
}
