//! Decoded values made owned and comparable, and a reader for the CLI's JSON lines.

use smsc_codec::text::BufferTooSmall;
use smsc_codec::{BlacklistEntry, Contact, Group, Record, Text};

/// A record as `(field name, unescaped value)` pairs, in order.
pub type Fields = Vec<(String, String)>;

/// The unescaped value of a [`Text`], after checking that every way of reading it agrees:
/// `Display`, `chars()`, `to_cow()`, `unescaped_len()`, `unescape_into` with a big enough
/// buffer (and `BufferTooSmall` with the exact size one byte short), `== &str` and, when the
/// raw text has no escapes, `as_borrowed()`. Panics on any disagreement.
pub fn text(value: &Text<'_>) -> String {
    let shown = value.to_string();
    let chars: String = value.chars().collect();
    assert_eq!(chars, shown, "chars() vs Display of {value:?}");
    assert_eq!(value.to_cow(), shown.as_str(), "to_cow() of {value:?}");
    assert_eq!(value.unescaped_len(), shown.len(), "unescaped_len of {value:?}");
    let mut buf = vec![0u8; shown.len() + 8];
    assert_eq!(value.unescape_into(&mut buf), Ok(shown.as_str()), "unescape_into of {value:?}");
    let mut exact = vec![0u8; shown.len()];
    assert_eq!(value.unescape_into(&mut exact), Ok(shown.as_str()));
    if !shown.is_empty() {
        let mut short = vec![0u8; shown.len() - 1];
        assert_eq!(
            value.unescape_into(&mut short),
            Err(BufferTooSmall { needed: shown.len() }),
            "unescape_into a short buffer, {value:?}"
        );
    }
    assert!(*value == shown.as_str(), "{value:?} == {shown:?}");
    assert!(shown.as_str() == *value, "{shown:?} == {value:?}");
    let mut longer = shown.clone();
    longer.push('x');
    assert!(*value != longer.as_str(), "{value:?} != {longer:?}");
    if let Some(borrowed) = value.as_borrowed() {
        assert_eq!(borrowed, shown, "as_borrowed of {value:?}");
    }
    assert_eq!(value.is_empty(), shown.is_empty(), "is_empty of {value:?}");
    shown
}

/// The record's present known fields, by [`Record::known_fields`], each value checked by
/// [`text`]. Also checks that the typed struct fields ([`Typed::typed`]) hold the same values
/// at the same places, and that every field of the raw record (unknown ones included) reads
/// consistently too.
pub fn record<'a, R: Typed<'a>>(record: &R) -> Fields {
    for field in record.raw().fields() {
        text(&field.value);
    }
    let known: Fields = record.known_fields().map(|(name, value)| (name.to_owned(), text(&value))).collect();
    let names = R::names(record.raw().endpoint());
    let typed: Fields = record
        .typed()
        .iter()
        .zip(names)
        .filter_map(|(value, name)| value.map(|v| ((*name).to_owned(), v.to_string())))
        .collect();
    assert_eq!(known, typed, "known_fields() vs the struct fields");
    known
}

/// Field names of a contact on phones.php, in the documented order (PROTOCOL.md 4.4).
pub const CONTACT_PHONES: [&str; 11] = [
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
/// Field names of a contact on mails.php.
pub const CONTACT_MAILS: [&str; 11] = [
    "mail",
    "name",
    "group",
    "first_name",
    "last_name",
    "middle_name",
    "birthday",
    "id",
    "comments",
    "tags",
    "mail_other",
];
/// Field names of a group (PROTOCOL.md 4.5).
pub const GROUP: [&str; 4] = ["id", "name", "number", "cnt"];
/// Field names of a blacklist record on phones.php (PROTOCOL.md 4.6).
pub const BLACK_PHONES: [&str; 4] = ["id", "phone", "type", "comment"];
/// Field names of a blacklist record on mails.php.
pub const BLACK_MAILS: [&str; 4] = ["id", "email", "type", "comment"];

/// A record type whose struct fields can be listed in the documented order.
pub trait Typed<'a>: Record<'a> {
    /// The field names on `endpoint`, in the documented order (this crate's own table).
    fn names(endpoint: smsc_codec::Endpoint) -> &'static [&'static str];
    /// The struct fields, in the documented order.
    fn typed(&self) -> Vec<Option<Text<'a>>>;
    /// The record as compact JSON (its `Serialize`, through `serde_json_core::to_slice`)
    /// into `buf`: the length written, or `None` when it does not fit.
    fn to_json(&self, buf: &mut [u8]) -> Option<usize>;
}

impl<'a> Typed<'a> for Contact<'a> {
    fn names(endpoint: smsc_codec::Endpoint) -> &'static [&'static str] {
        match endpoint {
            smsc_codec::Endpoint::Phones => &CONTACT_PHONES,
            smsc_codec::Endpoint::Mails => &CONTACT_MAILS,
        }
    }

    fn typed(&self) -> Vec<Option<Text<'a>>> {
        vec![
            self.phone,
            self.name,
            self.groups,
            self.first_name,
            self.last_name,
            self.middle_name,
            self.birthday,
            self.my_id,
            self.comment,
            self.tags,
            self.other_phones,
        ]
    }

    fn to_json(&self, buf: &mut [u8]) -> Option<usize> {
        serde_json_core::to_slice(self, buf).ok()
    }
}

impl<'a> Typed<'a> for Group<'a> {
    fn names(_: smsc_codec::Endpoint) -> &'static [&'static str] {
        &GROUP
    }

    fn typed(&self) -> Vec<Option<Text<'a>>> {
        vec![self.id, self.name, self.number, self.count]
    }

    fn to_json(&self, buf: &mut [u8]) -> Option<usize> {
        serde_json_core::to_slice(self, buf).ok()
    }
}

impl<'a> Typed<'a> for BlacklistEntry<'a> {
    fn names(endpoint: smsc_codec::Endpoint) -> &'static [&'static str] {
        match endpoint {
            smsc_codec::Endpoint::Phones => &BLACK_PHONES,
            smsc_codec::Endpoint::Mails => &BLACK_MAILS,
        }
    }

    fn typed(&self) -> Vec<Option<Text<'a>>> {
        vec![self.id, self.phone, self.block_type, self.comment]
    }

    fn to_json(&self, buf: &mut [u8]) -> Option<usize> {
        serde_json_core::to_slice(self, buf).ok()
    }
}

/// Reads the CLI's output: one JSON object of string members per line, each line ending in
/// `\n`. Panics on anything else (the fixtures are data the tests trust).
pub fn parse_jsonl(bytes: &[u8]) -> Vec<Fields> {
    let text = std::str::from_utf8(bytes).expect("jsonl is UTF-8");
    if text.is_empty() {
        return Vec::new();
    }
    assert!(text.ends_with('\n'), "jsonl must end with a newline");
    text[..text.len() - 1]
        .split('\n')
        .map(|line| parse_line(line).unwrap_or_else(|e| panic!("{e}: {line:?}")))
        .collect()
}

/// One `{"key":"value",...}` line (compact, string values only).
pub fn parse_line(line: &str) -> Result<Fields, String> {
    let mut rest = line.strip_prefix('{').and_then(|r| r.strip_suffix('}')).ok_or("not an object")?;
    let mut fields = Vec::new();
    while !rest.is_empty() {
        if !fields.is_empty() {
            rest = rest.strip_prefix(',').ok_or("expected `,`")?;
        }
        let (key, after) = json_string(rest)?;
        rest = after.strip_prefix(':').ok_or("expected `:`")?;
        let (value, after) = json_string(rest)?;
        rest = after;
        fields.push((key, value));
    }
    Ok(fields)
}

/// A JSON string at the start of `s`: its value and the rest.
fn json_string(s: &str) -> Result<(String, &str), String> {
    let mut chars = s.strip_prefix('"').ok_or("expected `\"`")?.char_indices();
    let mut out = String::new();
    let body = &s[1..];
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &body[i + 1..])),
            '\\' => {
                let (_, escape) = chars.next().ok_or("truncated escape")?;
                out.push(match escape {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'u' => {
                        let hex: String = (0..4).filter_map(|_| chars.next().map(|(_, c)| c)).collect();
                        let code = u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?;
                        char::from_u32(code).ok_or("surrogate escapes are not used in jsonl")?
                    }
                    other => return Err(format!("bad escape \\{other}")),
                });
            }
            c if u32::from(c) < 0x20 => return Err("raw control character".to_owned()),
            c => out.push(c),
        }
    }
    Err("unterminated string".to_owned())
}

/// The value of `name` in `fields`.
pub fn get<'f>(fields: &'f Fields, name: &str) -> Option<&'f str> {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}
