//! Hostile bodies: every one gets a typed error (or decodes correctly), never a panic, a hang or
//! a stack overflow. Heavy cases are skipped under Miri, which runs the rest.
#![cfg(all(feature = "kv", feature = "csv", feature = "xml", feature = "json"))]

use smsc_codec::decode::{self, Response};
use smsc_codec::Limits;
use smsc_codec::{CommandKind, DecodeError, DecodeErrorKind as Kind, Endpoint, Error, Fmt, Record};

const FMTS: [Fmt; 4] = [Fmt::KeyValue, Fmt::Csv, Fmt::Xml, Fmt::Json];

/// Every record of a contact list as `name=value` strings, or the error.
fn contacts(body: &[u8], fmt: Fmt) -> Result<Vec<Vec<String>>, String> {
    let records = decode::contacts(body, fmt, Endpoint::Phones).map_err(|e| e.to_string())?;
    records
        .map(|r| r.map(|c| c.known_fields().map(|(n, v)| format!("{n}={v}")).collect()).map_err(|e| e.to_string()))
        .collect()
}

fn malformed(result: Result<impl Sized, Error<'_>>) -> DecodeError {
    match result {
        Err(Error::Malformed(err)) => err,
        Err(Error::Api(api)) => panic!("expected malformed, got API error {api}"),
        Ok(_) => panic!("expected malformed, got a decoded answer"),
    }
}

fn first_error(body: &[u8], fmt: Fmt) -> DecodeError {
    match decode::contacts(body, fmt, Endpoint::Phones) {
        Err(err) => malformed(Err::<(), _>(err)),
        Ok(mut records) => match records.find_map(Result::err) {
            Some(err) => err,
            None => panic!("{fmt:?}: decoded without error: {}", String::from_utf8_lossy(body)),
        },
    }
}

#[test]
#[cfg_attr(miri, ignore = "300k-deep bodies take minutes in the interpreter")]
fn deep_nesting_is_refused_without_recursion() {
    let depth = 300_000;
    let mut json = br#"[{"phone": "1", "x": "#.to_vec();
    json.extend(std::iter::repeat_n(b'[', depth));
    let err = first_error(&json, Fmt::Json);
    assert_eq!(err.kind, Kind::DepthLimit);
    // The list is depth 1, the record 2, `x` opens 3: the 31st bracket passes depth 32.
    assert_eq!(err.offset, 21 + 30);

    let mut objects = br#"[{"x": "#.to_vec();
    objects.extend(std::iter::repeat_n(&br#"{"a": "#[..], depth).flatten());
    assert_eq!(first_error(&objects, Fmt::Json).kind, Kind::DepthLimit);

    let mut xml = b"<list><contact><x>".to_vec();
    xml.extend(std::iter::repeat_n(&b"<y>"[..], depth).flatten());
    assert_eq!(first_error(&xml, Fmt::Xml).kind, Kind::DepthLimit);

    let brackets = vec![b'['; depth];
    assert_eq!(first_error(&brackets, Fmt::Json), DecodeError { kind: Kind::UnexpectedByte, offset: 1 });
}

#[test]
#[cfg_attr(miri, ignore = "megabytes of input are slow in the interpreter")]
fn huge_values_hit_the_value_limit() {
    let big = "й".repeat(5 * 1024 * 1024);
    let json = format!(r#"[{{"phone": "1", "name": "{big}"}}]"#);
    assert_eq!(first_error(json.as_bytes(), Fmt::Json), DecodeError { kind: Kind::ValueTooLong, offset: 25 });
    let xml = format!("<list><contact><name>{big}</name></contact></list>");
    assert_eq!(first_error(xml.as_bytes(), Fmt::Xml), DecodeError { kind: Kind::ValueTooLong, offset: 21 });
    let kv = format!("phone = 1, name = {big}\n");
    assert_eq!(first_error(kv.as_bytes(), Fmt::KeyValue).kind, Kind::RecordTooLong);
}

/// An ASCII body of each fmt; every byte replaced by 0xFF must give an error no later than that
/// byte, in every fmt.
#[test]
fn invalid_utf8_at_every_position() {
    let bodies: [(&[u8], Fmt); 4] = [
        (b"phone = 79991112233, name = Ivan, group = 5922\nphone = 2, name = B\n", Fmt::KeyValue),
        (b"79991112233,Ivan,5922,I,P,,01.02.1990,a1,c,t,380501112233\n", Fmt::Csv),
        (b"<list><contact><phone>1</phone><name>A &amp; B</name></contact></list>", Fmt::Xml),
        (br#"[{"phone": "1", "name": "A\"B", "group": 5922, "x": [true, null]}]"#, Fmt::Json),
    ];
    for (body, fmt) in bodies {
        assert!(contacts(body, fmt).is_ok(), "{fmt:?} baseline");
        for i in 0..body.len() {
            let mut bad = body.to_vec();
            bad[i] = 0xFF;
            let err = first_error(&bad, fmt);
            assert!(err.offset <= i, "{fmt:?} byte {i}: error {err} after the bad byte");
        }
    }
}

#[test]
fn surrogates_and_character_references() {
    for (body, kind, offset) in [
        (&br#"[{"name": "\ud83d"}]"#[..], Kind::LoneSurrogate, 11),
        (br#"[{"name": "\ude00"}]"#, Kind::LoneSurrogate, 11),
        (br#"[{"name": "\ud83d\u0041"}]"#, Kind::LoneSurrogate, 11),
        (br#"[{"name": "\u00zz"}]"#, Kind::InvalidEscape, 11),
    ] {
        assert_eq!(first_error(body, Fmt::Json), DecodeError { kind, offset }, "{}", String::from_utf8_lossy(body));
    }
    for reference in ["&#0;", "&#x0;", "&#xD800;", "&#x110000;", "&#99999999999;", "&#;", "&#x;", "&nbsp;", "&amp"] {
        let body = format!("<list><contact><name>a{reference}</name></contact></list>");
        let err = first_error(body.as_bytes(), Fmt::Xml);
        assert_eq!((err.kind, err.offset), (Kind::InvalidCharRef, 22), "{reference}");
    }
    let ok = contacts(br#"[{"name": "\ud83d\ude00\u0000"}]"#, Fmt::Json).unwrap();
    assert_eq!(ok, [["name=😀\0"]]);
}

#[test]
fn line_ends_and_bom_do_not_change_records() {
    let bodies: [(&str, Fmt); 4] = [
        ("phone = 1, name = A\nphone = 2, name = B\n", Fmt::KeyValue),
        ("1,A,0,,,,,,,,\n2,B,0,,,,,,,,\n", Fmt::Csv),
        ("<list>\n<contact>\n<phone>1</phone>\n<name>A</name>\n</contact>\n<contact><phone>2</phone><name>B</name></contact>\n</list>\n", Fmt::Xml),
        ("[{\n\"phone\": \"1\",\n\"name\": \"A\"\n},\n{\n\"phone\": \"2\",\n\"name\": \"B\"\n}]", Fmt::Json),
    ];
    for (body, fmt) in bodies {
        let plain = contacts(body.as_bytes(), fmt).unwrap();
        assert_eq!(plain.len(), 2, "{fmt:?}");
        let crlf = body.replace('\n', "\r\n");
        assert_eq!(contacts(crlf.as_bytes(), fmt).unwrap(), plain, "{fmt:?} CRLF");
        let bom = [&b"\xEF\xBB\xBF"[..], body.as_bytes()].concat();
        assert_eq!(contacts(&bom, fmt).unwrap(), plain, "{fmt:?} BOM");
        let trailing = format!("{body} \r\n\t\n");
        assert_eq!(contacts(trailing.as_bytes(), fmt).unwrap(), plain, "{fmt:?} trailing whitespace");
    }
}

/// Found by the `differential` fuzz target: a fmt=1 body whose first value starts with a tab.
#[test]
fn leading_blanks_of_a_line_are_part_of_its_first_value() {
    let contact = decode::contacts(b"\ta@b.c,a\n", Fmt::Csv, Endpoint::Mails).unwrap().next().unwrap().unwrap();
    assert_eq!(contact.phone.unwrap(), "\ta@b.c");
    // A group id is digits: a tab is no id, and the line is no group.
    assert_eq!(first_error_groups(b"\t,a,,\n").kind, Kind::FieldMismatch);
    let body = b"\r\n phone = 1, name = a\n";
    assert!(contacts(body, Fmt::KeyValue).is_err(), "a key is not ` phone`");
    assert_eq!(contacts(b"\n\nphone = 1\n", Fmt::KeyValue).unwrap(), [["phone=1"]]);
}

fn first_error_groups(body: &[u8]) -> DecodeError {
    match decode::groups(body, Fmt::Csv, Endpoint::Phones) {
        Err(err) => malformed(Err::<(), _>(err)),
        Ok(mut records) => records.find_map(Result::err).expect("an error"),
    }
}

#[test]
fn nul_bytes() {
    // Raw control characters are not allowed in JSON strings or XML text.
    assert_eq!(
        first_error(b"[{\"name\": \"a\0b\"}]", Fmt::Json),
        DecodeError { kind: Kind::UnexpectedByte, offset: 12 }
    );
    assert_eq!(
        first_error(b"<list><contact><name>a\0b</name></contact></list>", Fmt::Xml),
        DecodeError { kind: Kind::UnexpectedByte, offset: 22 }
    );
    // Lines carry text as it is: a NUL is kept, not dropped.
    assert_eq!(contacts(b"phone = 1, name = a\0b\n", Fmt::KeyValue).unwrap(), [["phone=1", "name=a\0b"]]);
    assert_eq!(first_error(b"\0", Fmt::Json), DecodeError { kind: Kind::UnexpectedShape, offset: 0 });
}

#[test]
fn a_body_in_another_fmt_is_refused() {
    let bodies: [(&[u8], Fmt); 4] = [
        (b"phone = 1, name = A\n", Fmt::KeyValue),
        (b"1,A,0,,,,,,,,\n", Fmt::Csv),
        (b"<list><contact><phone>1</phone></contact></list>", Fmt::Xml),
        (b"[{\"phone\": \"1\"}]", Fmt::Json),
    ];
    for (body, written) in bodies {
        for asked in FMTS {
            if asked == written {
                continue;
            }
            let result = contacts(body, asked);
            assert!(result.is_err(), "a fmt {} body read as fmt {}: {result:?}", written.wire(), asked.wire());
        }
    }
}

/// Reads every fixture of tests/fixtures whose expected output is records.
fn fixtures() -> Vec<(String, CommandKind, Endpoint, Fmt, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut out = Vec::new();
    for endpoint in ["phones", "mails"] {
        for entry in std::fs::read_dir(root.join(endpoint)).unwrap() {
            let dir = entry.unwrap().path();
            let command = CommandKind::from_wire(dir.file_name().unwrap().to_str().unwrap()).unwrap();
            for file in std::fs::read_dir(&dir).unwrap() {
                let path = file.unwrap().path();
                let name = path.file_name().unwrap().to_str().unwrap().to_owned();
                let Some(stem) = name.strip_suffix(".body") else {
                    continue;
                };
                if !dir.join(format!("{stem}.jsonl")).exists() {
                    continue;
                }
                let fmt = Fmt::from_wire(stem.rsplit(".fmt").next().unwrap().parse().unwrap()).unwrap();
                let endpoint = if endpoint == "mails" { Endpoint::Mails } else { Endpoint::Phones };
                out.push((path.display().to_string(), command, endpoint, fmt, std::fs::read(&path).unwrap()));
            }
        }
    }
    assert!(out.len() > 200, "fixtures not found");
    out
}

/// The records of an answer as text, or the error.
fn answer(command: CommandKind, endpoint: Endpoint, fmt: Fmt, body: &[u8]) -> (Vec<Vec<String>>, Option<String>) {
    fn rows<'a, R: Record<'a>>(
        records: impl Iterator<Item = Result<R, DecodeError>>,
    ) -> (Vec<Vec<String>>, Option<String>) {
        let mut out = Vec::new();
        for record in records {
            match record {
                Ok(record) => out.push(record.known_fields().map(|(n, v)| format!("{n}={v}")).collect()),
                Err(err) => return (out, Some(err.to_string())),
            }
        }
        (out, None)
    }
    match decode::response(command.response(), body, fmt, endpoint, Limits::DEFAULT) {
        Ok(Response::Contacts(records)) => rows(records),
        Ok(Response::Groups(records)) => rows(records),
        Ok(Response::Blacklist(records)) => rows(records),
        Ok(Response::Created(created)) => (vec![vec![format!("id={}", created.id)]], None),
        Ok(Response::Done) => (vec![vec!["OK".to_owned()]], None),
        Err(Error::Api(api)) => (vec![vec![format!("error {api}")]], None),
        Err(Error::Malformed(err)) => (Vec::new(), Some(err.to_string())),
    }
}

/// Every prefix of every fixture: no panic, and no record differs from the full body's. fmt 0
/// and 1 have no end marker, so there a cut inside the last line read gives a shorter last
/// record; every record before it must still be equal.
#[test]
#[cfg_attr(miri, ignore = "every prefix of 230 fixtures is slow in the interpreter")]
fn truncation_at_every_byte_of_every_fixture() {
    for (path, command, endpoint, fmt, body) in fixtures() {
        let (full, full_err) = answer(command, endpoint, fmt, &body);
        assert_eq!(full_err, None, "{path}");
        // `ERROR = 3` is a whole answer of its own: a cut before the description cannot be told
        // from a server that sent none.
        let error_line = body.trim_ascii_start().starts_with(b"ERROR") || body.starts_with(b"\xEF\xBB\xBFERROR");
        for cut in 0..body.len() {
            let (records, _err) = answer(command, endpoint, fmt, &body[..cut]);
            let line_fmt = matches!(fmt, Fmt::KeyValue | Fmt::Csv);
            let must_match = if line_fmt { records.len().saturating_sub(1) } else { records.len() };
            assert!(records.len() <= full.len(), "{path} cut at {cut}: more records than the full body");
            if error_line || !matches!(command.response(), smsc_codec::ResponseKind::List(_)) {
                continue;
            }
            for (i, record) in records.iter().take(must_match).enumerate() {
                assert_eq!(Some(record), full.get(i), "{path} cut at {cut}: record {i} differs");
            }
        }
    }
}

/// The first error of a contact list, fed one byte at a time.
fn first_error_streamed(body: &[u8], fmt: Fmt) -> Option<DecodeError> {
    let mut decoder = smsc_codec::ContactsDecoder::new(fmt, Endpoint::Phones);
    let mut buf = Vec::new();
    for (i, &byte) in body.iter().enumerate() {
        buf.push(byte);
        let eof = i + 1 == body.len();
        loop {
            match decoder.decode(&buf, eof) {
                Ok(step) => {
                    let more = matches!(step.event, smsc_codec::Event::NeedMore);
                    let end = matches!(step.event, smsc_codec::Event::End | smsc_codec::Event::ApiError(_));
                    buf.drain(..step.consumed);
                    if end {
                        return None;
                    }
                    if more {
                        break;
                    }
                }
                Err(err) => return Some(err),
            }
        }
    }
    None
}

/// Regressions found by the `stream_chunks` fuzz target: a chunked body must report the error
/// the whole body reports, even when a later byte would stop the scan first.
#[test]
#[cfg_attr(miri, ignore = "70 KB bodies fed byte by byte are slow in the interpreter")]
fn chunked_and_whole_bodies_report_the_same_error() {
    let cases: [(&[u8], Fmt); 7] = [
        // Data after a comment after the list (found by the proptest of arbitrary bytes).
        (b"<list/><!-- c -->x", Fmt::Xml),
        (b"<list/>  <!-- never closed", Fmt::Xml),
        // Invalid UTF-8 in a text run that a control character ends later.
        (b"<\xEF\xBB\xBF>\x99+BY\n\0\0\0\0\0\0\0\0\n", Fmt::Xml),
        (b"[{\"name\": \"a\x99b\x01\"}]", Fmt::Json),
        (b"[{\"name\": \"a\x99b\\x\"}]", Fmt::Json),
        // A record over the limit with an error past the limit.
        (&[&b"[{\"name\": \""[..], &[b'a'; 70_000], b"\x01\"}]"].concat(), Fmt::Json),
        (&[&b"<list><contact><name>"[..], &[b'a'; 70_000], b"&bad;</name></contact></list>"].concat(), Fmt::Xml),
    ];
    for (body, fmt) in cases {
        let whole = first_error(body, fmt);
        assert_eq!(
            first_error_streamed(body, fmt),
            Some(whole),
            "{fmt:?}: {}",
            String::from_utf8_lossy(&body[..body.len().min(40)])
        );
    }
}
