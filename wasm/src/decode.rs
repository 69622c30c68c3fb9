//! Decoding into the compact transfer format that `js/glue.js` (`decodeResult`) reads.
//!
//! `table[0]` is the tag; the rest depends on it:
//!
//! | tag | table | text |
//! |---|---|---|
//! | [`LIST`] | field count per record, then per record per field its length in UTF-16 units or [`ABSENT`]; with [`EXTRA`] in the arguments, after each record's known fields the number of unknown ones and, for each, its name's and value's lengths | the present values (and unknown names and values), unescaped, concatenated |
//! | [`CREATED`] | the id's length | the id |
//! | [`DONE`] | | |
//! | [`API`] | code, 1 if the body carries a description, 1 if retryable | the description, or the code's static message |
//! | [`MALFORMED`] | the kind's index ([`malformed_index`]), the byte offset | the kind's static message |

use alloc::string::String;
use alloc::vec::Vec;

use smsc_codec::decode::{self, Response};
use smsc_codec::text::Fragment;
use smsc_codec::{CommandKind, DecodeError, DecodeErrorKind, Endpoint, Error, Fmt, Limits, Record, Text};

/// A list follows.
pub(crate) const LIST: u32 = 0;
/// A created id follows.
pub(crate) const CREATED: u32 = 1;
/// `OK`.
pub(crate) const DONE: u32 = 2;
/// An API error.
pub(crate) const API: u32 = 3;
/// A malformed body.
pub(crate) const MALFORMED: u32 = 4;
/// A field absent from the record.
pub(crate) const ABSENT: u32 = u32::MAX;
/// The argument bit of `decodeArgs` that asks for the fields the codec does not know.
pub(crate) const EXTRA: u32 = 1 << 8;

/// The result of one decode: the table and the text described in the module docs.
#[derive(Default)]
pub(crate) struct Out {
    pub table: Vec<u32>,
    pub text: String,
}

impl Out {
    /// Appends a value, unescaped, and its length in UTF-16 units to the table.
    pub(crate) fn value(&mut self, value: Option<Text<'_>>) {
        let Some(value) = value else {
            self.table.push(ABSENT);
            return;
        };
        let start = self.text.len();
        match value.as_borrowed() {
            Some(plain) => self.text.push_str(plain),
            None => {
                for fragment in value.fragments() {
                    match fragment {
                        Fragment::Literal(s) => self.text.push_str(s),
                        Fragment::Escaped(c) => self.text.push(c),
                    }
                }
            }
        }
        self.table.push(utf16_len(&self.text.as_bytes()[start..]));
    }

    pub(crate) fn malformed(&mut self, err: DecodeError) {
        self.table.clear();
        self.text.clear();
        self.table.extend([MALFORMED, malformed_index(err.kind), u32::try_from(err.offset).unwrap_or(u32::MAX)]);
        self.text.push_str(err.kind.message());
    }

    /// Every record's known fields by position ([`Record::field`]), absent ones included.
    fn records<'a, R: Record<'a>>(
        &mut self,
        records: impl Iterator<Item = Result<R, DecodeError>>,
        endpoint: Endpoint,
        extra: bool,
    ) {
        self.table.extend([LIST, R::KIND.field_names(endpoint).len() as u32]);
        for record in records {
            match record {
                Ok(record) => self.record(&record, endpoint, extra),
                Err(err) => return self.malformed(err),
            }
        }
    }

    /// One record: its known fields by position, then (with `extra`) the others by name.
    pub(crate) fn record<'a, R: Record<'a>>(&mut self, record: &R, endpoint: Endpoint, extra: bool) {
        let names = R::KIND.field_names(endpoint);
        for index in 0..names.len() {
            self.value(record.field(index));
        }
        if extra {
            let at = self.table.len();
            self.table.push(0);
            for field in record.raw().fields().filter(|field| !names.contains(&field.name)) {
                self.value(Some(Text::plain(field.name)));
                self.value(Some(field.value));
                self.table[at] += 1;
            }
        }
    }

    /// An API error: code, whether the body describes it, whether it is retryable, then its
    /// description (or the code's message).
    pub(crate) fn api(&mut self, api: &smsc_codec::ApiError<'_>) {
        let code = u32::from(api.code.wire());
        self.table.extend([API, code, u32::from(api.description.is_some()), u32::from(api.is_retryable())]);
        match api.description {
            Some(description) => self.value(Some(description)),
            None => self.value(Some(Text::plain(api.code.message()))),
        }
    }
}

/// The length in UTF-16 code units of UTF-8 text: one per character, two for characters
/// outside the BMP (four-byte sequences).
fn utf16_len(utf8: &[u8]) -> u32 {
    utf8.iter().map(|&b| u32::from(b & 0xC0 != 0x80) + u32::from(b >= 0xF0)).sum()
}

/// The index of a malformed kind in `glue.js`'s `REASONS` (255 for a kind added later).
pub(crate) fn malformed_index(kind: DecodeErrorKind) -> u32 {
    use DecodeErrorKind as K;
    match kind {
        K::UnexpectedEnd => 0,
        K::UnexpectedByte => 1,
        K::InvalidUtf8 => 2,
        K::InvalidEscape => 3,
        K::LoneSurrogate => 4,
        K::InvalidCharRef => 5,
        K::MismatchedTag => 6,
        K::NotAScalar => 7,
        K::NotKeyValue => 8,
        K::AmbiguousLine => 9,
        K::FieldMismatch => 10,
        K::UnexpectedShape => 11,
        K::TrailingData => 12,
        K::InvalidErrorCode => 13,
        K::DepthLimit => 14,
        K::RecordTooLong => 15,
        K::TooManyFields => 16,
        K::ValueTooLong => 17,
        _ => 255,
    }
}

/// The command, fmt, endpoint and whether unknown fields are wanted, from the packed arguments
/// of `glue.js`'s `decodeArgs`.
pub(crate) fn unpack(packed: u32) -> (CommandKind, Fmt, Endpoint, bool) {
    let kind = CommandKind::ALL[(packed & 0xF) as usize % CommandKind::ALL.len()];
    let fmt = Fmt::from_wire(((packed >> 4) & 3) as u8).unwrap_or(Fmt::Json);
    let endpoint = match packed & 0x40 {
        0 => Endpoint::Phones,
        _ => Endpoint::Mails,
    };
    (kind, fmt, endpoint, packed & EXTRA != 0)
}

/// Decodes `body` for the packed arguments of `glue.js`'s `decodeArgs`.
pub(crate) fn run(packed: u32, body: &[u8]) -> Out {
    let (kind, fmt, endpoint, extra) = unpack(packed);
    let mut out = Out::default();
    match decode::response(kind.response(), body, fmt, endpoint, Limits::DEFAULT) {
        Ok(Response::Contacts(records)) => out.records(records, endpoint, extra),
        Ok(Response::Groups(records)) => out.records(records, endpoint, extra),
        Ok(Response::Blacklist(records)) => out.records(records, endpoint, extra),
        Ok(Response::Created(created)) => {
            out.table.push(CREATED);
            out.value(Some(created.id));
        }
        Ok(Response::Done) => out.table.push(DONE),
        Err(Error::Api(api)) => out.api(&api),
        Err(Error::Malformed(err)) => out.malformed(err),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16() {
        assert_eq!(utf16_len("aІ😀".as_bytes()), 1 + 1 + 2);
    }

    #[test]
    fn shapes() {
        let get = CommandKind::ALL.iter().position(|k| *k == CommandKind::GetContacts);
        let out = run(get.unwrap() as u32 | 3 << 4, br#"[{"name": "\u0406", "int_id": 1}]"#);
        assert_eq!(out.table[..3], [LIST, 11, ABSENT]);
        assert_eq!(out.table[3], 1);
        assert_eq!(out.text, "І");
        let out = run(get.unwrap() as u32 | 3 << 4, b"[{");
        assert_eq!(out.table[0], MALFORMED);
        let out = run(get.unwrap() as u32 | 1 << 4, b"0,-9");
        assert_eq!(out.table[..4], [API, 9, 0, 1]);
    }
}
