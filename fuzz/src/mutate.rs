//! The `oracle` target's input: a list rendered by the test suite's reference renderer, then a
//! few mutations, all read from plain bytes so that seeds can be written by hand
//! (`seed-corpora.sh`).
//!
//! Layout of an input:
//!
//! | bytes | meaning |
//! |---|---|
//! | 0 | flags: bit 0 fmt (0 XML, 1 JSON), bits 1-2 list kind (contacts, groups, blacklist), bit 3 mails, bit 4 BOM, bit 5 CRLF, bit 6 XML prologue, bit 7 unknown fields |
//! | 1 | JSON layout (`% 3`: real, one line, spacey) |
//! | 2 | the renderer's seed (its choice of escapes) |
//! | 3 | the number of mutations (`% 5`) |
//! | 4.. | 4 bytes per mutation: `op`, position (u16 little-endian), `arg` |
//! | rest | the records: separated by `0x1E`, fields by `0x1F`; a field that is `0x1A` alone is absent (read as UTF-8, lossily) |
//!
//! An `op` byte's low 3 bits pick the mutation, its high 5 bits (`n`) are a length:
//!
//! | op | mutation |
//! |---|---|
//! | 0 | replace the byte at the position with `arg` |
//! | 1 | insert `arg` at the position |
//! | 2 | delete `n % 8 + 1` bytes at the position |
//! | 3 | insert token `arg` of [`TOKENS`] at the position |
//! | 4 | replace `n % 8 + 1` bytes at the position with token `arg` |
//! | 5 | duplicate line number `position` (with its line end): a repeated key or element in the line layouts |
//! | 6 | copy `n + 1` bytes from the position to the place `arg / 256` along the body |
//! | 7 | cut the body at the position |
//!
//! Positions are taken modulo the body's length plus one.

use smsc_codec::{Endpoint, Fmt, ListKind};
use smsc_codec_tests::render::{self, GenList, Layout, Style};

/// Tokens spliced into bodies: the places where a hand-written XML or JSON reader goes wrong.
pub const TOKENS: &[&[u8]] = &[
    // XML
    b"]]>",
    b"<!--",
    b"-->",
    b"--",
    b"<!-- c -->",
    b"&#1;",
    b"&#0;",
    b"&#xD800;",
    b"&#xFFFE;",
    b"&#x10FFFF;",
    b"&#x110000;",
    b"&#13;",
    b"&#x;",
    b"&amp;",
    b"&lt;",
    b"&apos;",
    b"&bogus;",
    b"&",
    b"<",
    b">",
    b"</",
    b"/>",
    b"<![CDATA[x]]>",
    b"<?xml version=\"1.0\"?>",
    b"<?pi data?>",
    b"<?xml-stylesheet?>",
    b"<!DOCTYPE list>",
    b"<x/>",
    b"<x>",
    b"</x>",
    b" a=\"1\"",
    b" a='&lt;'",
    b" a=\"1\" a=\"2\"",
    b" a=\"<\"",
    b"a:b",
    b" xmlns:a=\"u\"",
    b"<int_id>1</int_id>",
    b"<phone>1</phone>",
    b"<name>n</name>",
    b"<id>7</id>",
    b"<error_code>3</error_code>",
    b"<result><error>e</error><error_code>3</error_code></result>",
    b"<list>",
    b"</list>",
    // JSON
    b"\\u0000",
    b"\\ud800",
    b"\\udc00",
    b"\\ud83d\\ude00",
    b"\\u0070",
    b"\\u00e9",
    b"\\x",
    b"\\/",
    b"\\\"",
    b"\\",
    b",}",
    b",]",
    b",",
    b":",
    b"01",
    b"-0",
    b"1e400",
    b"1.5E+3",
    b"-",
    b".5",
    b"1.",
    b"true",
    b"false",
    b"null",
    b"{}",
    b"[]",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\"phone\": \"1\", ",
    b"\"id\": 1, ",
    b"\"name\": null, ",
    b"\"x\": {\"a\": [1]}, ",
    b"{\"error\": \"e\", \"error_code\": 3}",
    b"\"error_code\": 3",
    // Both: bytes and characters
    b"\xEF\xBB\xBF",
    b"\x00",
    b"\x01",
    b"\x0b",
    b"\x1f",
    b"\x7f",
    b"\xff",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\xef\xbf\xbe",
    b"\xf4\x90\x80\x80",
    b"\xd0",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    b"\r",
    b"\r\n",
    b"\t",
    b" ",
    b"\xc2\xa0",
    b"ERROR = 3 (record not found)",
    b"OK",
    // XML names: NameChar but not NameStartChar (`·`, U+0300, U+2040, digits, `-`, `.`), not
    // NameChar (`×`, `÷`, U+037E, U+3000, U+FDD0), and allowed ones (U+200C, U+FFFD, U+10000)
    b"\xc2\xb7",
    b"\xcc\x80",
    b"\xe2\x81\x80",
    b"1",
    b"-",
    b".",
    b"\xc3\x97",
    b"\xc3\xb7",
    b"\xcd\xbe",
    b"\xe3\x80\x80",
    b"\xef\xb7\x90",
    b"\xe2\x80\x8c",
    b"\xef\xbf\xbd",
    b"\xf0\x90\x80\x80",
    b"\xef\xbf\xbf",
    // XML references: leading zeros, no `;`, case, overflowing numbers
    b"&#x0041;",
    b"&#00065;",
    b"&#65",
    b"&#;",
    b"&#x-1;",
    b"&#4294967361;",
    b"&#x100000041;",
    b"&amp",
    b"&AMP;",
    b"&quot;",
    // XML declarations and processing instructions
    b"<?xml version='1.0' standalone='yes'?>",
    b"<?xml  version = \"1.0\" ?>",
    b"<?XML version=\"1.0\"?>",
    b"<?xml?>",
    b"<?xml-foo?>",
    b"<?xml version=\"1.1\"?>",
    b"<?xml version=\"2.0\"?>",
    b"<?xml version=\"1.0\" encoding=\"x y\"?>",
    b"<?xml version=\"1.0\" standalone=\"maybe\"?>",
    b"<?xml encoding=\"utf-8\"?>",
    b"<? pi?>",
    b"<?pi?>",
    // XML comments, tags and attributes
    b"<!---->",
    b"<!--->",
    b"<!-- a --->",
    b"<!--a-b-->",
    b"</list >",
    b"</ list>",
    b"< ",
    b" /",
    b"/ >",
    b" a=\"1\"b=\"2\"",
    b" a=1",
    b" a",
    b" a = \"1\"",
    b" a=\"]]>\"",
    b" a=\"&\"",
    b" a=\"&#0;\"",
    b" a=\"\x01\"",
    b"<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>",
    // JSON numbers, literals, escapes and structure
    b"1e",
    b"1e+",
    b"-01",
    b"0e0",
    b"1E-5",
    b"+1",
    b"0x1",
    b"NaN",
    b"Infinity",
    b"True",
    b"nul",
    b"\\ud83d\\u0041",
    b"\\ude00\\ud83d",
    b"\\u00",
    b"\\uZZZZ",
    b"\\U0041",
    b"\\'",
    b"\\0",
    b"\\u006f",
    b"\\u0065",
    b"\\u0069",
    b"\\u0064",
    b"\\u006E",
    b"\x0c",
    b"[,]",
    b"{,}",
    b"\"a\" \"b\"",
    b"\"a\":}",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"{\"error\": \"e\", \"error_code\": \"03\"}",
    b"{\"error_code\": 3e0}",
];

/// One decoded input of the `oracle` target.
#[derive(Clone, Debug)]
pub struct Case {
    /// fmt 2 or 3.
    pub fmt: Fmt,
    /// The list.
    pub kind: ListKind,
    /// The endpoint.
    pub endpoint: Endpoint,
    /// The rendered body, before mutation.
    pub rendered: Vec<u8>,
    /// The mutated body.
    pub body: Vec<u8>,
}

/// Reads an input (see the module's table); `None` when it is too short for the header.
pub fn case(data: &[u8]) -> Option<Case> {
    let (header, rest) = data.split_first_chunk::<4>()?;
    let [flags, layout, seed, count] = *header;
    let fmt = if flags & 1 == 0 { Fmt::Xml } else { Fmt::Json };
    let kind =
        [ListKind::Contacts, ListKind::Groups, ListKind::Blacklist, ListKind::Contacts][usize::from(flags >> 1 & 3)];
    let endpoint = if flags & 8 == 0 { Endpoint::Phones } else { Endpoint::Mails };
    let count = usize::from(count % 5);
    let (ops, records) = rest.split_at((count * 4).min(rest.len()));
    let width = render::field_names(kind, endpoint).len();
    let text = String::from_utf8_lossy(records);
    let records: Vec<_> = if text.is_empty() {
        Vec::new()
    } else {
        text.split('\x1E')
            .take(8)
            .map(|record| {
                let mut fields: Vec<Option<String>> =
                    record.split('\x1F').take(width).map(|f| (f != "\x1A").then(|| f.to_owned())).collect();
                fields.resize(width, None);
                fields
            })
            .collect()
    };
    let style = Style {
        seed: u64::from(seed),
        bom: flags & 0x10 != 0,
        crlf: flags & 0x20 != 0,
        prologue: flags & 0x40 != 0,
        layout: [Layout::Real, Layout::OneLine, Layout::Spacey][usize::from(layout % 3)],
        unknown_fields: flags & 0x80 != 0,
    };
    let rendered = render::render(&GenList { kind, endpoint, records }, fmt, &style);
    let mut body = rendered.clone();
    for op in ops.chunks_exact(4) {
        mutate(&mut body, op[0], u16::from_le_bytes([op[1], op[2]]), op[3]);
    }
    Some(Case { fmt, kind, endpoint, rendered, body })
}

/// Applies one mutation (see the module's table).
pub fn mutate(body: &mut Vec<u8>, op: u8, position: u16, arg: u8) {
    let at = usize::from(position) % (body.len() + 1);
    let n = usize::from(op >> 3);
    let token = TOKENS[usize::from(arg) % TOKENS.len()];
    match op & 7 {
        0 => {
            if let Some(b) = body.get_mut(at) {
                *b = arg;
            }
        }
        1 => body.insert(at, arg),
        2 => {
            let end = (at + n % 8 + 1).min(body.len());
            body.drain(at..end);
        }
        3 => {
            body.splice(at..at, token.iter().copied());
        }
        4 => {
            let end = (at + n % 8 + 1).min(body.len());
            body.splice(at..end, token.iter().copied());
        }
        5 => {
            let lines: Vec<&[u8]> = body.split_inclusive(|&b| b == b'\n').collect();
            if lines.is_empty() {
                return;
            }
            let line = usize::from(position) % lines.len();
            let start: usize = lines[..line].iter().map(|l| l.len()).sum();
            let copy = lines[line].to_vec();
            body.splice(start..start, copy);
        }
        6 => {
            let end = (at + n + 1).min(body.len());
            let copy = body[at..end].to_vec();
            let to = body.len() * usize::from(arg) / 256;
            body.splice(to..to, copy);
        }
        _ => body.truncate(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::oracle::{read, OracleRecord, Reading};

    fn reading(got: &Case, body: &[u8]) -> Reading {
        read(body, got.fmt, got.kind, got.endpoint)
    }

    #[test]
    fn an_input_renders_and_mutates() {
        // JSON, contacts, phones, real layout; one mutation: duplicate line 1 (the `phone` member).
        let mut data = vec![0x01, 0, 1, 1, 5, 1, 0, 0];
        data.extend_from_slice(b"1\x1FIvan");
        let got = case(&data).unwrap();
        assert_eq!((got.fmt, got.kind, got.endpoint), (Fmt::Json, ListKind::Contacts, Endpoint::Phones));
        let fields = OracleRecord::Fields(vec![("phone", "1".to_owned()), ("name", "Ivan".to_owned())]);
        assert_eq!(reading(&got, &got.rendered), Reading::List(vec![fields]));
        let lines: Vec<&[u8]> = got.body.split(|&b| b == b'\n').collect();
        assert!(lines[1].starts_with(b"\"phone\": ") && lines[1] == lines[2]);
        assert_eq!(got.body.len(), got.rendered.len() + lines[1].len() + 1);
        assert!(matches!(&reading(&got, &got.body), Reading::List(r) if matches!(r[0], OracleRecord::Unreadable(_))));
    }

    #[test]
    fn absent_fields_and_no_records() {
        let got = case(&[0x00, 0, 0, 0]).unwrap();
        assert_eq!(reading(&got, &got.body), Reading::List(Vec::new()));
        let mut data = vec![0x02, 0, 0, 0];
        data.extend_from_slice(b"\x1A\x1FTeam\x1E\x1A");
        let got = case(&data).unwrap();
        assert_eq!((got.fmt, got.kind), (Fmt::Xml, ListKind::Groups));
        let team = OracleRecord::Fields(vec![("name", "Team".to_owned())]);
        assert_eq!(reading(&got, &got.body), Reading::List(vec![team, OracleRecord::Fields(Vec::new())]));
        assert!(case(&[0, 0, 0]).is_none());
    }

    #[test]
    fn every_mutation_stays_in_bounds() {
        for op in 0..=255u8 {
            for position in [0u16, 1, 7, 300, u16::MAX] {
                for arg in [0u8, 1, 200, 255] {
                    let mut body = b"<list>\n<x/>\n</list>".to_vec();
                    mutate(&mut body, op, position, arg);
                    let mut empty = Vec::new();
                    mutate(&mut empty, op, position, arg);
                }
            }
        }
    }
}
