//! An independent reading of fmt=2 and fmt=3 list bodies by general-purpose parsers (roxmltree
//! for XML, serde_json for JSON), and the rule the `oracle` target checks the codec against:
//! what the oracle refuses, the codec must refuse too, but for its documented leniencies; when
//! both accept, every record's known fields must be the same.
//!
//! The codec's documented leniencies (README, "What the decoders do with the real server's
//! quirks"), which [`check`] allows:
//!
//! - a leading UTF-8 BOM (the oracle reads what follows it);
//! - the fmt=0 error line `ERROR = N (description)` answered under any fmt (the codec's API
//!   error must carry that `N`);
//! - an empty or whitespace-only body, read as an empty list;
//! - an error answer instead of a list (`{"error": ..., "error_code": N}`, `<result><error>...
//!   </error><error_code>N</error_code></result>`): well-formed, not a list; the codec's API
//!   error must carry that `N`.
//!
//! Where the codec is stricter than a general parser it may refuse what the oracle accepts:
//! CDATA sections, a DOCTYPE, comments or processing instructions inside a field, text beside
//! child elements, a known field given twice (`DuplicateField`) or holding a structure
//! (`NotAScalar`), nesting past 32, the limits. Records it gave before refusing must still be
//! the oracle's records.

use std::fmt::Write as _;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;
use smsc_codec::decode;
use smsc_codec::{DecodeError, Endpoint, Error, Fmt, ListKind, Record};

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One item of a list as the oracle reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OracleRecord {
    /// The known fields present, in schema order, with their unescaped values.
    Fields(Vec<(&'static str, String)>),
    /// No plain reading as a record (a known field twice or holding a structure, or an array
    /// item that is no object): the codec documents refusing these, so it must not give a record.
    Unreadable(&'static str),
}

/// What the oracle makes of a whole body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Not a well-formed document: the codec must refuse it.
    Invalid(String),
    /// Well-formed XML 1.0 that only fails namespace well-formedness, which the codec does not
    /// claim (roxmltree checks it, the XML 1.0 grammar does not): nothing to compare.
    NotApplicable(String),
    /// A list: `[...]` or `<list>`.
    List(Vec<OracleRecord>),
    /// Well-formed, but not a list. `error_code` is the text of its `error_code` member or child
    /// element, when it has one (an API error answer).
    Other {
        /// The `error_code` text.
        error_code: Option<String>,
    },
}

/// Reads a fmt=3 body (without a BOM) with serde_json.
pub fn read_json(body: &[u8], names: &[&'static str]) -> Reading {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => return Reading::Invalid(err.to_string()),
    };
    let items = match value {
        Value::Array(items) => items,
        Value::Object(map) => {
            let error_code = map.get("error_code").and_then(|code| match code {
                Value::Number(n) => Some(n.to_string()),
                Value::String(s) => Some(s.clone()),
                _ => None,
            });
            return Reading::Other { error_code };
        }
        _ => return Reading::Other { error_code: None },
    };
    // A `Value` object keeps one of two equal keys, and `arbitrary_precision` writes a number's
    // exponent as `e+N` whatever was written: the objects are read again from their raw text,
    // members in order (duplicates included) and each value as written.
    let raw: Vec<Box<RawValue>> = serde_json::from_slice(body).expect("the body parsed as a Value");
    let records = items
        .iter()
        .zip(raw)
        .map(|(item, raw)| match item {
            Value::Object(_) => {
                let Ordered(members) = serde_json::from_str(raw.get()).expect("an object parsed as a Value");
                json_record(&members, names)
            }
            _ => OracleRecord::Unreadable("an array item that is not an object"),
        })
        .collect();
    Reading::List(records)
}

fn json_record(members: &[(String, Box<RawValue>)], names: &[&'static str]) -> OracleRecord {
    let mut slots: Vec<Option<String>> = vec![None; names.len()];
    let mut seen = vec![false; names.len()];
    for (key, raw) in members {
        let Some(i) = names.iter().position(|name| name == key) else {
            continue;
        };
        if std::mem::replace(&mut seen[i], true) {
            return OracleRecord::Unreadable("a known field twice");
        }
        let value: Value = serde_json::from_str(raw.get()).expect("a member parsed as a Value");
        slots[i] = match value {
            Value::Null => None,
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(_) => Some(raw.get().to_owned()),
            Value::String(s) => Some(s),
            Value::Array(_) | Value::Object(_) => return OracleRecord::Unreadable("a known field holds a structure"),
        };
    }
    OracleRecord::Fields(names.iter().zip(slots).filter_map(|(name, slot)| slot.map(|v| (*name, v))).collect())
}

/// A JSON object's members in order, each value's raw text kept.
struct Ordered(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            members.push((key, map.next_value::<Box<RawValue>>()?));
        }
        Ok(Ordered(members))
    }
}

/// Reads a fmt=2 body (without a BOM) with roxmltree: well-formedness, entities and character
/// references resolved, line ends normalised (XML 1.0 section 2.11).
pub fn read_xml(body: &[u8], names: &[&'static str]) -> Reading {
    let Ok(text) = std::str::from_utf8(body) else {
        return Reading::Invalid("not UTF-8".to_owned());
    };
    // Line ends are normalised on input, before parsing (section 2.11). roxmltree does it while
    // reading text, and keeps a raw CR that follows a character reference (`&#65;\r` reads as
    // "A\r", not "A\n"): done here, it has no raw CR left to get wrong.
    let text = &text.replace("\r\n", "\n").replace('\r', "\n");
    // One BOM is the encoding's signature, set aside by the caller; roxmltree would skip a
    // second one too, but that one is a character before the root element.
    if text.starts_with('\u{FEFF}') {
        return Reading::Invalid("U+FEFF before the root element".to_owned());
    }
    // A DTD stays refused (roxmltree's default): the codec refuses it too, and with one
    // allowed roxmltree would resolve entities that the codec rightly does not know.
    let doc = match roxmltree::Document::parse(text) {
        Ok(doc) => doc,
        Err(err) => {
            // roxmltree also checks Namespaces in XML (prefixes declared, `xmlns` rules). The
            // same text with every `:` made `_` (a name character too, and harmless in text)
            // has no namespaces: if that parses, the body is XML 1.0 and only namespaces fail.
            if roxmltree::Document::parse(&text.replace(':', "_")).is_ok() {
                return Reading::NotApplicable(err.to_string());
            }
            return Reading::Invalid(err.to_string());
        }
    };
    if let Err(why) = char_references_ok(text) {
        return Reading::Invalid(why);
    }
    let root = doc.root_element();
    if qname(text, root) != "list" {
        let error_code = root.children().find(|c| c.is_element() && qname(text, *c) == "error_code");
        return Reading::Other { error_code: error_code.map(text_of) };
    }
    let records = root.children().filter(roxmltree::Node::is_element).map(|record| xml_record(text, record, names));
    Reading::List(records.collect())
}

/// roxmltree reads a character reference to a surrogate or past U+10FFFF as U+FFFD; XML 1.0
/// (section 4.1, well-formedness constraint "Legal Character") refuses it. In a well-formed
/// document a `&` outside comments, processing instructions and CDATA sections starts a
/// reference, so a plain scan finds them all.
fn char_references_ok(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some(at) = rest.find(['<', '&']) {
        rest = &rest[at..];
        let skip_to = |open: &str, close: &str| rest.strip_prefix(open).map(|r| r.find(close).map_or("", |e| &r[e..]));
        if let Some(after) =
            skip_to("<!--", "-->").or_else(|| skip_to("<?", "?>")).or_else(|| skip_to("<![CDATA[", "]]>"))
        {
            rest = after;
            continue;
        }
        if let Some(reference) = rest.strip_prefix("&#") {
            let end = reference.find(';').unwrap_or(reference.len());
            let (digits, radix) = match reference[..end].strip_prefix('x') {
                Some(hex) => (hex, 16),
                None => (&reference[..end], 10),
            };
            let legal = u32::from_str_radix(digits, radix).ok().and_then(char::from_u32).is_some_and(
                |c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..),
            );
            if !legal {
                return Err(format!("a character reference to no XML character: &#{};", &reference[..end]));
            }
        }
        rest = &rest[1..];
    }
    Ok(())
}

fn xml_record(text: &str, record: roxmltree::Node<'_, '_>, names: &[&'static str]) -> OracleRecord {
    let mut slots: Vec<Option<String>> = vec![None; names.len()];
    for field in record.children().filter(roxmltree::Node::is_element) {
        let Some(i) = names.iter().position(|name| *name == qname(text, field)) else {
            continue;
        };
        if slots[i].is_some() {
            return OracleRecord::Unreadable("a known field twice");
        }
        if field.children().any(|c| c.is_element()) {
            return OracleRecord::Unreadable("a known field holds elements");
        }
        slots[i] = Some(text_of(field));
    }
    OracleRecord::Fields(names.iter().zip(slots).filter_map(|(name, slot)| slot.map(|v| (*name, v))).collect())
}

/// An element's name as written, prefix included (roxmltree gives the local name and the
/// namespace; the codec matches the name as written).
fn qname<'t>(text: &'t str, node: roxmltree::Node<'_, '_>) -> &'t str {
    let rest = &text[node.range().start + 1..];
    let end = rest.find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>').unwrap_or(rest.len());
    &rest[..end]
}

/// An element's text: its text children joined (comments and processing instructions between
/// them are not text).
fn text_of(node: roxmltree::Node<'_, '_>) -> String {
    node.children().filter_map(|c| c.text()).collect()
}

/// How the codec's whole-body decoding of a list ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// The list ended normally.
    Done,
    /// An API error with this code.
    Api(u16),
    /// A malformed body.
    Malformed(DecodeError),
}

/// What the codec decoded: each record's known fields (unescaped), then how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The records before the end.
    pub records: Vec<Vec<(&'static str, String)>>,
    /// How decoding ended.
    pub end: End,
}

fn collect<'a, R: Record<'a>>(records: Result<impl Iterator<Item = Result<R, DecodeError>>, Error<'a>>) -> Decoded {
    let mut decoded = Decoded { records: Vec::new(), end: End::Done };
    match records {
        Err(Error::Api(api)) => decoded.end = End::Api(api.code.wire()),
        Err(Error::Malformed(err)) => decoded.end = End::Malformed(err),
        Ok(records) => {
            for record in records {
                match record {
                    Ok(record) => decoded.records.push(
                        record
                            .known_fields()
                            .map(|(name, value)| {
                                crate::check_text(value);
                                (name, value.to_string())
                            })
                            .collect(),
                    ),
                    Err(err) => {
                        decoded.end = End::Malformed(err);
                        break;
                    }
                }
            }
        }
    }
    decoded
}

/// The codec's whole-body decoding of a list of `kind`.
pub fn decode_list(body: &[u8], fmt: Fmt, kind: ListKind, endpoint: Endpoint) -> Decoded {
    match kind {
        ListKind::Contacts => collect(decode::contacts(body, fmt, endpoint)),
        ListKind::Groups => collect(decode::groups(body, fmt, Endpoint::Phones)),
        ListKind::Blacklist => collect(decode::blacklist(body, fmt, endpoint)),
    }
}

/// The code of a body that is one fmt=0 error line `ERROR = N ...` (whitespace around it),
/// read independently of the codec: the code, and one line; the description is the codec's to
/// judge.
fn error_line_code(body: &[u8]) -> Option<u64> {
    let line = body.trim_ascii();
    if line.contains(&b'\n') {
        return None;
    }
    let rest = line.strip_prefix(b"ERROR")?.trim_ascii_start().strip_prefix(b"=")?.trim_ascii_start();
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

/// Whether an `error_code` text names this code (decimal digits, surrounding whitespace
/// allowed, as XML text may carry it).
fn code_matches(text: &str, code: u16) -> bool {
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && text.parse::<u64>().ok() == Some(u64::from(code))
}

/// The oracle's reading of `body` (a leading BOM set aside) in `fmt` (2 or 3).
pub fn read(body: &[u8], fmt: Fmt, kind: ListKind, endpoint: Endpoint) -> Reading {
    let body = body.strip_prefix(BOM).unwrap_or(body);
    let names = kind.field_names(endpoint);
    match fmt {
        Fmt::Xml => read_xml(body, names),
        Fmt::Json => read_json(body, names),
        _ => Reading::NotApplicable("the oracle reads fmt 2 and 3 only".to_owned()),
    }
}

/// Checks the codec against the oracle on one body: `Err` describes a disagreement.
pub fn check(body: &[u8], fmt: Fmt, kind: ListKind, endpoint: Endpoint) -> Result<Reading, String> {
    let reading = read(body, fmt, kind, endpoint);
    let decoded = decode_list(body, fmt, kind, endpoint);
    let rest = body.strip_prefix(BOM).unwrap_or(body);
    let verdict = match &reading {
        Reading::NotApplicable(_) => Ok(()),
        Reading::Invalid(why) => match decoded.end {
            End::Malformed(_) => Ok(()),
            // Leniency: the fmt=0 error line in any fmt.
            End::Api(code) if decoded.records.is_empty() && error_line_code(rest) == Some(u64::from(code)) => Ok(()),
            // Leniency: an empty (or whitespace-only) body is an empty list.
            End::Done
                if decoded.records.is_empty() && rest.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) =>
            {
                Ok(())
            }
            _ => Err(format!("the oracle refuses the body ({why}); the codec accepts it")),
        },
        Reading::List(expected) => {
            let mut verdict = Ok(());
            for (i, got) in decoded.records.iter().enumerate() {
                match expected.get(i) {
                    Some(OracleRecord::Fields(fields)) if fields == got => {}
                    Some(other) => {
                        verdict = Err(format!("record {i}: the oracle reads {other:?}, the codec {got:?}"));
                        break;
                    }
                    None => {
                        verdict = Err(format!("record {i}: the oracle has no such record, the codec gives {got:?}"));
                        break;
                    }
                }
            }
            verdict.and(match decoded.end {
                // The codec is stricter than the oracle in documented places: allowed.
                End::Malformed(_) => Ok(()),
                End::Done if decoded.records.len() == expected.len() => Ok(()),
                End::Done => Err(format!(
                    "the oracle reads {} records, the codec ends the list after {}",
                    expected.len(),
                    decoded.records.len()
                )),
                End::Api(code) => Err(format!("the oracle reads a list, the codec an API error {code}")),
            })
        }
        Reading::Other { error_code } => match decoded.end {
            End::Malformed(_) if decoded.records.is_empty() => Ok(()),
            End::Api(code)
                if decoded.records.is_empty() && error_code.as_deref().is_some_and(|t| code_matches(t, code)) =>
            {
                Ok(())
            }
            _ => Err(format!(
                "the oracle reads no list (error_code {error_code:?}); the codec gives a list or another error"
            )),
        },
    };
    verdict.map(|()| reading.clone()).map_err(|why| {
        let mut report = why;
        let _ = write!(report, "\n  codec: {decoded:?}\n  oracle: {reading:?}");
        report
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTACT: &[&str] = &[
        "phone",
        "name",
        "group",
        "first_name",
        "last_name",
        "middle_name",
        "birthday",
        "id",
        "comments",
        "tags",
        "phone_other",
    ];

    fn names() -> &'static [&'static str] {
        let names = ListKind::Contacts.field_names(Endpoint::Phones);
        assert_eq!(names, CONTACT);
        names
    }

    fn fields(pairs: &[(&'static str, &str)]) -> OracleRecord {
        OracleRecord::Fields(pairs.iter().map(|(n, v)| (*n, (*v).to_owned())).collect())
    }

    #[test]
    fn json_reads_strings_numbers_booleans_and_null() {
        let body = br#"[{"name": "a\u0062\n", "phone": 1e400, "id": true, "group": null, "x": {"phone": 1}}]"#;
        assert_eq!(
            read_json(body, names()),
            Reading::List(vec![fields(&[("phone", "1e400"), ("name", "ab\n"), ("id", "true")])])
        );
        // A number keeps its text exactly.
        let body = br#"[{"group": -0.50E+01}]"#;
        assert_eq!(read_json(body, names()), Reading::List(vec![fields(&[("group", "-0.50E+01")])]));
    }

    #[test]
    fn json_duplicates_structures_and_non_objects_have_no_reading() {
        let dup = br#"[{"phone": "1", "phone": "2"}]"#;
        assert!(matches!(&read_json(dup, names()), Reading::List(r) if matches!(r[0], OracleRecord::Unreadable(_))));
        let nested = br#"[{"name": ["a"]}]"#;
        assert!(matches!(&read_json(nested, names()), Reading::List(r) if matches!(r[0], OracleRecord::Unreadable(_))));
        let items = br#"[1, "a", [], null, {}]"#;
        let Reading::List(records) = read_json(items, names()) else { panic!() };
        assert_eq!(records.len(), 5);
        assert!(records[..4].iter().all(|r| matches!(r, OracleRecord::Unreadable(_))));
        assert_eq!(records[4], fields(&[]));
    }

    #[test]
    fn json_refuses_what_rfc_8259_refuses() {
        for body in
            [&br#"[{"a": 1,}]"#[..], b"[01]", b"[\"\\ud800\"]", b"[\"\x01\"]", b"[\"\xff\"]", b"\xEF\xBB\xBF[]", b""]
        {
            assert!(matches!(read_json(body, names()), Reading::Invalid(_)), "{body:?}");
        }
        assert_eq!(
            read_json(br#"{"error": "x", "error_code": 3}"#, names()),
            Reading::Other { error_code: Some("3".to_owned()) }
        );
    }

    #[test]
    fn xml_reads_text_with_references_and_line_ends() {
        let body = b"<?xml version=\"1.0\"?><list>\n<contact><phone>1</phone><name>a&amp;b&#x41;\r\nc\rd&#13;</name>\
            <int_id>7</int_id><x><phone>9</phone></x></contact><contact/></list>";
        assert_eq!(
            read_xml(body, names()),
            Reading::List(vec![fields(&[("phone", "1"), ("name", "a&bA\nc\nd\r")]), fields(&[])])
        );
    }

    #[test]
    fn xml_line_ends_are_normalised_before_references_are_resolved() {
        let body = b"<list><contact><name>&#65;\r&#66;x\r&#13;y\r\n&#13;\r</name></contact></list>";
        assert_eq!(read_xml(body, names()), Reading::List(vec![fields(&[("name", "A\nBx\n\ry\n\r\n")])]));
    }

    #[test]
    fn character_references_are_checked_only_where_they_are_references() {
        assert_eq!(
            char_references_ok("<a b='&#x10FFFF;'>&#9;&#65533;<!-- &#0; --><?p &#0;?><![CDATA[&#0;]]></a>"),
            Ok(())
        );
        assert!(char_references_ok("<a>&#xDFFF;</a>").is_err());
        assert!(char_references_ok("<a>&#x110000;</a>").is_err());
    }

    #[test]
    fn xml_names_are_read_as_written() {
        let body = b"<list xmlns:a=\"u\"><contact><a:phone>1</a:phone><name>n</name></contact></list>";
        assert_eq!(read_xml(body, names()), Reading::List(vec![fields(&[("name", "n")])]));
        // An undeclared prefix is XML 1.0, only not namespace-well-formed.
        let body = b"<list><contact><a:phone>1</a:phone></contact></list>";
        assert!(matches!(read_xml(body, names()), Reading::NotApplicable(_)));
    }

    #[test]
    fn xml_refuses_what_is_not_well_formed() {
        for body in [
            &b"<list><contact><name>]]></name></contact></list>"[..],
            b"<list><!-- a -- b --></list>",
            b"<list><contact><name>&#1;</name></contact></list>",
            b"<list><contact><name>\x01</name></contact></list>",
            b"<list></lisst>",
            b"<list a='1' a='2'></list>",
            b"<list>&bogus;</list>",
            b"<list><contact><name>&#xD800;</name></contact></list>",
            b"<list><contact a='&#x110000;'/></list>",
            b"<list><contact><name>&#1114112;</name></contact></list>",
            b"<list/><list/>",
            b" <?xml version=\"1.0\"?><list/>",
            b"\xEF\xBB\xBF<list/>",
            b"",
        ] {
            assert!(matches!(read_xml(body, names()), Reading::Invalid(_)), "{:?}", String::from_utf8_lossy(body));
        }
        assert_eq!(
            read_xml(b"<result><error>x</error><error_code>3</error_code></result>", names()),
            Reading::Other { error_code: Some("3".to_owned()) }
        );
    }

    #[test]
    fn the_documented_leniencies_pass() {
        let k = ListKind::Contacts;
        let p = Endpoint::Phones;
        for fmt in [Fmt::Xml, Fmt::Json] {
            assert!(check(b"ERROR = 3 (record not found)", fmt, k, p).is_ok());
            assert!(check(b"", fmt, k, p).is_ok());
            assert!(check(b" \r\n", fmt, k, p).is_ok());
        }
        assert!(check(b"\xEF\xBB\xBF[{\"phone\": \"1\"}]", Fmt::Json, k, p).is_ok());
        assert!(check(br#"{"error": "record not found", "error_code": 3}"#, Fmt::Json, k, p).is_ok());
        assert!(check(b"<result><error>x</error><error_code>3</error_code></result>", Fmt::Xml, k, p).is_ok());
    }

    #[test]
    fn the_codec_agrees_on_plain_bodies() {
        let (k, p) = (ListKind::Contacts, Endpoint::Phones);
        let json = br#"[{"phone": "1", "name": "I\u0432", "group": 5922}, {"phone": "2"}]"#;
        let reading = check(json, Fmt::Json, k, p).unwrap();
        assert!(matches!(reading, Reading::List(r) if r.len() == 2));
        let xml = b"<list><contact><phone>1</phone><name>&lt;n&gt;</name></contact></list>";
        assert!(check(xml, Fmt::Xml, k, p).is_ok());
    }

    #[test]
    fn a_codec_that_accepts_too_much_is_caught() {
        // The oracle's verdicts alone: a refused body against an invented acceptance.
        assert!(matches!(
            read(b"[{\"phone\": \"1\"},]", Fmt::Json, ListKind::Contacts, Endpoint::Phones),
            Reading::Invalid(_)
        ));
        assert_eq!(error_line_code(b"ERROR = 12 (x)"), Some(12));
        assert_eq!(error_line_code(b"ERRORx"), None);
        assert_eq!(error_line_code(b" ERROR=9 \r\n"), Some(9));
        assert_eq!(error_line_code(b"ERROR = 3 (a)\nERROR = 4 (b)"), None);
        assert!(code_matches(" 3\n", 3) && !code_matches("3.0", 3) && !code_matches("", 0));
    }
}
