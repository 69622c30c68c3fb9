//! One test per limit: each is enforced, in every fmt where it applies, with its own error kind,
//! and a body just inside the limit still decodes.
#![cfg(all(feature = "kv", feature = "csv", feature = "xml", feature = "json"))]

use smsc_codec::decode;
use smsc_codec::{ContactsDecoder, DecodeError, DecodeErrorKind as Kind, Endpoint, Event, Fmt, Limits};

fn decode_with(body: &[u8], fmt: Fmt, limits: Limits) -> Result<usize, DecodeError> {
    let records = decode::list::<smsc_codec::list::Contacts>(body, fmt, Endpoint::Phones, limits)
        .map_err(|e| e.malformed().unwrap())?;
    let mut count = 0;
    for record in records {
        record?;
        count += 1;
    }
    Ok(count)
}

#[test]
fn defaults_are_documented() {
    assert_eq!(
        Limits::default(),
        Limits { max_depth: 32, max_record_len: 64 * 1024, max_fields: 64, max_value_len: 16 * 1024 }
    );
}

/// A newer server may add fields: a contact with its eleven fields and forty new ones decodes
/// with the default limits in every fmt, and the known fields are the same.
#[test]
fn the_default_field_limit_leaves_room_for_new_fields() {
    let extra = |i: usize| format!("new_field_{i}");
    let json = format!(
        "[{{\"phone\": \"1\", {} \"name\": \"a\"}}]",
        (0..40).map(|i| format!("\"{}\": \"{i}\",", extra(i))).collect::<String>()
    );
    let xml = format!(
        "<list><contact><phone>1</phone>{}<name>a</name></contact></list>",
        (0..40).map(|i| format!("<{0}>{i}</{0}>", extra(i))).collect::<String>()
    );
    let kv = format!("phone = 1, {}name = a\n", (0..40).map(|i| format!("{} = {i}, ", extra(i))).collect::<String>());
    for (body, fmt) in [(json, Fmt::Json), (xml, Fmt::Xml), (kv, Fmt::KeyValue)] {
        let contact = decode::contacts(body.as_bytes(), fmt, Endpoint::Phones).unwrap().next().unwrap().unwrap();
        assert!(contact.phone.unwrap() == "1" && contact.name.unwrap() == "a", "{fmt:?}");
        assert_eq!(contact.raw.fields().count(), 42, "{fmt:?}");
    }
}

#[test]
fn max_depth() {
    // The list is depth 1, the record 2, `x` opens 3, its array 4.
    let json = br#"[{"x": [[1]]}]"#;
    assert_eq!(decode_with(json, Fmt::Json, Limits { max_depth: 4, ..Limits::DEFAULT }), Ok(1));
    assert_eq!(
        decode_with(json, Fmt::Json, Limits { max_depth: 3, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::DepthLimit, offset: 8 })
    );

    // A field element is a scalar like a JSON member: `<x>` holds `<y>` at depth 3, as `"x"`
    // holds its array at depth 3.
    let xml = b"<list><contact><x><y><z>1</z></y></x></contact></list>";
    assert_eq!(decode_with(xml, Fmt::Xml, Limits { max_depth: 4, ..Limits::DEFAULT }), Ok(1));
    assert_eq!(
        decode_with(xml, Fmt::Xml, Limits { max_depth: 3, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::DepthLimit, offset: 21 })
    );
    // The smallest depth that holds a list of records holds them in both formats.
    let two = Limits { max_depth: 2, ..Limits::DEFAULT };
    assert_eq!(decode_with(b"<list><contact><name>a</name></contact></list>", Fmt::Xml, two), Ok(1));
    assert_eq!(decode_with(br#"[{"name": "a"}]"#, Fmt::Json, two), Ok(1));

    // Values beyond the hard ceiling act as the ceiling.
    let mut deep = br#"[{"x": "#.to_vec();
    deep.extend([b'['; 100]);
    let err = decode_with(&deep, Fmt::Json, Limits { max_depth: usize::MAX, ..Limits::DEFAULT }).unwrap_err();
    assert_eq!(err.kind, Kind::DepthLimit);
    assert_eq!(err.offset, 7 + Limits::MAX_DEPTH - 2);
}

#[test]
fn max_record_len() {
    let record = br#"{"phone": "1", "name": "abc"}"#;
    let body = [&b"["[..], record, b"]"].concat();
    let exact = Limits { max_record_len: record.len(), ..Limits::DEFAULT };
    assert_eq!(decode_with(&body, Fmt::Json, exact), Ok(1));
    let short = Limits { max_record_len: record.len() - 1, ..Limits::DEFAULT };
    assert_eq!(decode_with(&body, Fmt::Json, short), Err(DecodeError { kind: Kind::RecordTooLong, offset: 1 }));

    let line = b"phone = 1, name = abc\nphone = 2, name = abcdef\n";
    let limits = Limits { max_record_len: 21, ..Limits::DEFAULT };
    assert_eq!(decode_with(line, Fmt::KeyValue, limits), Err(DecodeError { kind: Kind::RecordTooLong, offset: 22 }));

    let xml = b"<list><contact><name>abc</name></contact></list>";
    let limits = Limits { max_record_len: 35, ..Limits::DEFAULT };
    assert_eq!(decode_with(xml, Fmt::Xml, limits), Ok(1));
    let limits = Limits { max_record_len: 34, ..Limits::DEFAULT };
    assert_eq!(decode_with(xml, Fmt::Xml, limits), Err(DecodeError { kind: Kind::RecordTooLong, offset: 6 }));
}

#[test]
fn max_record_len_bounds_the_streaming_buffer() {
    // A record that never ends: the decoder asks for more until the limit, then refuses.
    let limits = Limits { max_record_len: 64, ..Limits::DEFAULT };
    let mut decoder = ContactsDecoder::with_limits(Fmt::Json, Endpoint::Phones, limits);
    let mut body = br#"[{"name": ""#.to_vec();
    loop {
        match decoder.decode(&body, false) {
            Ok(step) => {
                assert_eq!(step.event, Event::NeedMore);
                assert!(body.len() <= 64 + 1, "asked for more past the limit");
                body.drain(..step.consumed);
                body.push(b'a');
            }
            Err(err) => {
                assert_eq!(err.kind, Kind::RecordTooLong);
                break;
            }
        }
    }
}

#[test]
fn max_fields() {
    let json = br#"[{"a": 1, "b": 2, "c": 3}]"#;
    assert_eq!(decode_with(json, Fmt::Json, Limits { max_fields: 3, ..Limits::DEFAULT }), Ok(1));
    assert_eq!(
        decode_with(json, Fmt::Json, Limits { max_fields: 2, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::TooManyFields, offset: 18 })
    );

    let kv = b"phone = 1, name = a, group = 0\n";
    assert_eq!(decode_with(kv, Fmt::KeyValue, Limits { max_fields: 3, ..Limits::DEFAULT }), Ok(1));
    assert_eq!(
        decode_with(kv, Fmt::KeyValue, Limits { max_fields: 2, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::TooManyFields, offset: 19 })
    );

    // fmt=1 allows twice as many comma-separated pieces as fields: this line has 13.
    let csv = "1,a,2,b,c,,,,,,x,y,z\n";
    assert_eq!(
        decode_with(csv.as_bytes(), Fmt::Csv, Limits { max_fields: 7, ..Limits::DEFAULT }).map_err(|e| e.kind),
        Err(Kind::FieldMismatch)
    );
    assert_eq!(
        decode_with(csv.as_bytes(), Fmt::Csv, Limits { max_fields: 6, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::TooManyFields, offset: 18 })
    );

    let xml = b"<list><contact><a/><b/><c/></contact></list>";
    assert_eq!(decode_with(xml, Fmt::Xml, Limits { max_fields: 3, ..Limits::DEFAULT }), Ok(1));
    assert_eq!(
        decode_with(xml, Fmt::Xml, Limits { max_fields: 2, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::TooManyFields, offset: 23 })
    );
}

#[test]
fn max_value_len() {
    let json = br#"[{"a": "abcd"}]"#;
    assert_eq!(decode_with(json, Fmt::Json, Limits { max_value_len: 4, ..Limits::DEFAULT }), Ok(1));
    assert_eq!(
        decode_with(json, Fmt::Json, Limits { max_value_len: 3, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::ValueTooLong, offset: 8 })
    );
    // Keys are bounded too.
    assert_eq!(
        decode_with(br#"[{"abcd": 1}]"#, Fmt::Json, Limits { max_value_len: 3, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::ValueTooLong, offset: 3 })
    );

    // A number is a value too, bounded the same way wherever it stands.
    let number = br#"[{"a": "x", "b": 1234}]"#;
    assert_eq!(decode_with(number, Fmt::Json, Limits { max_value_len: 4, ..Limits::DEFAULT }), Ok(1));
    assert_eq!(
        decode_with(number, Fmt::Json, Limits { max_value_len: 3, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::ValueTooLong, offset: 17 })
    );

    let xml = b"<list><contact><name>abcd</name></contact></list>";
    assert_eq!(decode_with(xml, Fmt::Xml, Limits { max_value_len: 4, ..Limits::DEFAULT }), Ok(1));
    assert_eq!(
        decode_with(xml, Fmt::Xml, Limits { max_value_len: 3, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::ValueTooLong, offset: 21 })
    );

    let kv = b"phone = 1, name = abcd\n";
    assert_eq!(decode_with(kv, Fmt::KeyValue, Limits { max_value_len: 4, ..Limits::DEFAULT }), Ok(1));
    assert_eq!(
        decode_with(kv, Fmt::KeyValue, Limits { max_value_len: 3, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::ValueTooLong, offset: 18 })
    );

    let csv = b"1,abcd\n";
    assert_eq!(decode_with(csv, Fmt::Csv, Limits { max_value_len: 4, ..Limits::DEFAULT }), Ok(1));
    // A name holding a comma: the line has more pieces than fields and is read the long way.
    let comma = b"1,ab,cd,0,,,,,,,,\n";
    assert_eq!(decode_with(comma, Fmt::Csv, Limits { max_value_len: 5, ..Limits::DEFAULT }), Ok(1));
    assert_eq!(
        decode_with(comma, Fmt::Csv, Limits { max_value_len: 4, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::ValueTooLong, offset: 2 })
    );
    assert_eq!(
        decode_with(csv, Fmt::Csv, Limits { max_value_len: 3, ..Limits::DEFAULT }),
        Err(DecodeError { kind: Kind::ValueTooLong, offset: 2 })
    );
}

/// The single answers respect limits too: a created id or an `OK` object longer than the
/// record limit, or a value longer than the value limit, is refused with that limit's kind.
#[test]
fn single_answers_respect_limits() {
    use smsc_codec::decode::Response;
    use smsc_codec::{Error, ResponseKind};

    let answer = |kind, body: &[u8], fmt, limits| match decode::response(kind, body, fmt, Endpoint::Phones, limits) {
        Ok(Response::Created(created)) => Ok(created.id.raw().to_owned()),
        Ok(Response::Done) => Ok("OK".to_owned()),
        Ok(_) => panic!("a list"),
        Err(Error::Malformed(err)) => Err(err.kind),
        Err(Error::Api(api)) => panic!("{api}"),
    };
    let created = ResponseKind::Created;
    let short_values = Limits { max_value_len: 3, ..Limits::DEFAULT };
    for (body, fmt) in [
        (&b"{\"id\": \"1234\"}"[..], Fmt::Json),
        (b"<group><id>1234</id></group>", Fmt::Xml),
        (b"ID = 1234", Fmt::KeyValue),
        (b"1234", Fmt::Csv),
    ] {
        assert_eq!(answer(created, body, fmt, Limits::DEFAULT), Ok("1234".to_owned()), "{fmt:?}");
        let within = Limits { max_value_len: 4, max_record_len: body.len(), ..Limits::DEFAULT };
        assert_eq!(answer(created, body, fmt, within), Ok("1234".to_owned()), "{fmt:?}");
        let short_records = Limits { max_record_len: body.len() - 1, ..Limits::DEFAULT };
        assert_eq!(answer(created, body, fmt, short_records), Err(Kind::RecordTooLong), "{fmt:?}");
        if fmt == Fmt::Json || fmt == Fmt::Xml {
            assert_eq!(answer(created, body, fmt, short_values), Err(Kind::ValueTooLong), "{fmt:?}");
        }
    }
    let ok = b"{\"result\": \"OK\"}";
    assert_eq!(answer(ResponseKind::Done, ok, Fmt::Json, Limits::DEFAULT), Ok("OK".to_owned()));
    let shallow = Limits { max_record_len: ok.len() - 1, ..Limits::DEFAULT };
    assert_eq!(answer(ResponseKind::Done, ok, Fmt::Json, shallow), Err(Kind::RecordTooLong));
}

/// The record limit is met where the whole body meets it, however the body arrives: for every
/// limit from 8 to 72 bytes and every chunk size, streaming gives the records and the first
/// error (a record too long, or an error inside a long record) that whole-body decoding gives.
/// Blanks, a prologue or a BOM before the list move where records start.
#[test]
#[cfg_attr(miri, ignore = "a quarter of a million decoding calls are slow in the interpreter")]
fn chunked_bodies_meet_the_record_limit_where_the_whole_body_does() {
    let long = "bcdefghijklmnopqrstuvwxyz0123456789";
    let bodies: [(Fmt, String); 8] = [
        (Fmt::Json, format!("  \n[{{\"phone\": \"1\", \"name\": \"abc\"}}, {{\"phone\": \"2\", \"name\": \"a{long}\"}}]")),
        (Fmt::Json, format!("\u{FEFF}[{{\"phone\": \"1\"}},\n{{\"phone\": \"2\", \"name\": \"a\u{1}{long}\"}}]")),
        (Fmt::Xml, format!("<?xml version=\"1.0\"?>\n<list><contact><phone>1</phone></contact><contact><name>a{long}</name></contact></list>")),
        (Fmt::Xml, format!("<list>\n<contact><phone>1</phone></contact>\n<contact><name>a&bad;{long}</name></contact></list>")),
        (Fmt::KeyValue, format!("\nphone = 1, name = abc\nphone = 2, name = a{long}\n")),
        (Fmt::KeyValue, format!("phone = 1\r\nphone = 2, name = a\u{1}{long}, group = x\n")),
        (Fmt::Csv, format!("\n1,abc,5\n2,a{long},5,,,,,,,,,\n")),
        (Fmt::Csv, format!("1,abc\n2,a{long},5,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n")),
    ];
    for (fmt, body) in &bodies {
        let body = body.as_bytes();
        for max_record_len in 8..=72 {
            let limits = Limits { max_record_len, ..Limits::DEFAULT };
            let whole = decode_with(body, *fmt, limits);
            for chunk in 1..=body.len() {
                assert_eq!(
                    streamed(body, *fmt, limits, chunk),
                    whole,
                    "{fmt:?}, limit {max_record_len}, chunks of {chunk}: {}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }
}

/// [`decode_with`] by streaming, `chunk` bytes at a time.
fn streamed(body: &[u8], fmt: Fmt, limits: Limits, chunk: usize) -> Result<usize, DecodeError> {
    let mut decoder = ContactsDecoder::with_limits(fmt, Endpoint::Phones, limits);
    let (mut buf, mut fed, mut count) = (Vec::new(), 0, 0);
    loop {
        let take = chunk.min(body.len() - fed);
        buf.extend_from_slice(&body[fed..fed + take]);
        fed += take;
        let eof = fed == body.len();
        loop {
            let step = decoder.decode(&buf, eof)?;
            let more = match step.event {
                Event::Record(_) => {
                    count += 1;
                    false
                }
                Event::NeedMore if eof => panic!("need more at the end"),
                Event::NeedMore => true,
                Event::End => return Ok(count),
                Event::ApiError(api) => panic!("API error {api:?}"),
            };
            let consumed = step.consumed;
            buf.drain(..consumed);
            if more {
                break;
            }
        }
    }
}
