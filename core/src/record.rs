//! The decoded records: borrowed views into the body.

use core::fmt;

use crate::limits::Limits;
use crate::response::{json, xml, Known, Reader, Value};
use crate::schema::{Schema, Schemas, BLACKLIST, CONTACTS, GROUPS};
use crate::text::Text;
use crate::{Endpoint, Fmt};

/// Which list a record belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// `get`: contacts.
    Contacts,
    /// `get_group`: groups.
    Groups,
    /// `get_black`: the blacklist.
    Blacklist,
}

impl ListKind {
    pub(crate) const fn schemas(self) -> &'static Schemas {
        match self {
            Self::Contacts => &CONTACTS,
            Self::Groups => &GROUPS,
            Self::Blacklist => &BLACKLIST,
        }
    }

    /// The field names of this record on `endpoint`, in the order the server writes them.
    ///
    /// ```
    /// use smsc_codec::{Endpoint, ListKind};
    ///
    /// assert_eq!(ListKind::Blacklist.field_names(Endpoint::Mails), ["id", "email", "type", "comment"]);
    /// ```
    pub const fn field_names(self, endpoint: Endpoint) -> &'static [&'static str] {
        self.schemas().for_endpoint(endpoint).names
    }
}

/// The bytes of one record, to read all of its fields again, unknown ones included.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RawRecord<'a> {
    bytes: &'a [u8],
    fmt: Fmt,
    kind: ListKind,
    endpoint: Endpoint,
}

impl fmt::Debug for RawRecord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawRecord")
            .field("bytes", &core::str::from_utf8(self.bytes).unwrap_or("<non UTF-8>"))
            .field("fmt", &self.fmt)
            .finish()
    }
}

/// Re-reading a record that already decoded needs no limits beyond the hard ones.
const RELAXED: Limits = Limits {
    max_depth: Limits::MAX_DEPTH,
    max_record_len: usize::MAX,
    max_fields: Limits::MAX_FIELDS,
    max_value_len: usize::MAX,
};

impl<'a> RawRecord<'a> {
    pub(crate) const fn new(bytes: &'a [u8], fmt: Fmt, kind: ListKind, endpoint: Endpoint) -> Self {
        Self { bytes, fmt, kind, endpoint }
    }

    /// The record exactly as it stands in the body (a JSON object, an XML element or a line).
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The fmt it was written in.
    pub const fn fmt(&self) -> Fmt {
        self.fmt
    }

    /// The endpoint it came from.
    pub const fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    /// Every field in body order, unknown ones included. `null` members are left out; a
    /// structure (an unknown field holding a JSON object or XML elements) is given raw, as
    /// [`Dialect::Plain`](crate::Dialect::Plain).
    pub fn fields(&self) -> Fields<'a> {
        let schema = self.kind.schemas().for_endpoint(self.endpoint);
        let reader = reader(self.bytes, 0, self.fmt, &schema, &RELAXED).ok();
        Fields { bytes: self.bytes, reader }
    }

    /// The first field named `name`, known or not.
    pub fn get(&self, name: &str) -> Option<Text<'a>> {
        self.fields().find(|field| field.name == name).map(|field| field.value)
    }
}

/// The reader for the record at `buf[start..]` (whose end the caller knows or will find).
pub(crate) fn reader(
    buf: &[u8],
    start: usize,
    fmt: Fmt,
    schema: &Schema,
    limits: &Limits,
) -> crate::response::Scan<Reader> {
    use crate::response::lines;
    Ok(match fmt {
        Fmt::Json => Reader::Json(json::Members::new(start, 2)),
        Fmt::Xml => Reader::Xml(xml::Children::new(buf, &xml::start_tag(buf, start)?, 2)),
        Fmt::KeyValue => Reader::Lines {
            split: lines::split_kv(buf, start, buf.len(), schema, limits)?,
            next: 0,
            schema: *schema,
            base: start,
        },
        Fmt::Csv => Reader::Lines {
            split: lines::split_csv(buf, start, buf.len(), schema, limits)?,
            next: 0,
            schema: *schema,
            base: start,
        },
    })
}

/// One field of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field's name (for fmt=1, its documented name by position).
    pub name: &'a str,
    /// Its value.
    pub value: Text<'a>,
}

/// The iterator of [`RawRecord::fields`].
#[derive(Clone, Debug)]
pub struct Fields<'a> {
    bytes: &'a [u8],
    reader: Option<Reader>,
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        let reader = self.reader.as_mut()?;
        loop {
            let member = match reader.next(self.bytes, &RELAXED) {
                Ok(Some(member)) => member,
                _ => {
                    self.reader = None;
                    return None;
                }
            };
            let value = match member.value {
                Value::Scalar(text) => text,
                Value::Structure(raw) => Text::plain(raw),
                Value::Null => continue,
            };
            return Some(Field { name: member.key, value });
        }
    }
}

/// A contact (`get`). On mails.php `phone` holds the e-mail addresses and `phone_other` the
/// other addresses (wire names `mail`, `mail_other`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Contact<'a> {
    /// The contact's numbers (or addresses), any separator.
    pub phone: Option<Text<'a>>,
    /// The contact's name.
    pub name: Option<Text<'a>>,
    /// The group id; `0` for no group; sometimes several ids.
    pub group: Option<Text<'a>>,
    /// First name.
    pub first_name: Option<Text<'a>>,
    /// Last name.
    pub last_name: Option<Text<'a>>,
    /// Middle name.
    pub middle_name: Option<Text<'a>>,
    /// Birthday, `dd.mm.yyyy`.
    pub birthday: Option<Text<'a>>,
    /// The client-assigned id (`myid`), not the id `add` returned.
    pub id: Option<Text<'a>>,
    /// Comments.
    pub comments: Option<Text<'a>>,
    /// Tags.
    pub tags: Option<Text<'a>>,
    /// Other numbers (or addresses), never messaged.
    pub phone_other: Option<Text<'a>>,
    /// The record's bytes, for unknown fields such as a newer server's `int_id`.
    pub raw: RawRecord<'a>,
}

/// A group (`get_group`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Group<'a> {
    /// The group id.
    pub id: Option<Text<'a>>,
    /// The group name.
    pub name: Option<Text<'a>>,
    /// The group number used for mailings; absent when the group has none.
    pub number: Option<Text<'a>>,
    /// The number of contacts in the group (older servers do not send it).
    pub cnt: Option<Text<'a>>,
    /// The record's bytes.
    pub raw: RawRecord<'a>,
}

/// A blacklist record (`get_black`). On mails.php `phone` holds the address (wire name `email`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BlackRecord<'a> {
    /// The server-assigned id (for `prev_id` paging).
    pub id: Option<Text<'a>>,
    /// The blocked number (or address).
    pub phone: Option<Text<'a>>,
    /// The block type: 0 all messages, 1 mass mailings, 2 single messages.
    pub r#type: Option<Text<'a>>,
    /// The comment.
    pub comment: Option<Text<'a>>,
    /// The record's bytes.
    pub raw: RawRecord<'a>,
}

/// The answer to `add`, `add_group` and `add_black`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Created<'a> {
    /// The new record's id.
    pub id: Text<'a>,
}

/// A record type of a list: how the decoders build it. Sealed.
pub trait Record<'a>: Sized + private::Sealed {
    /// The list this record belongs to.
    const KIND: ListKind;

    /// Builds the record from its known fields, in schema order.
    #[doc(hidden)]
    fn build(known: &Known<'a>, raw: RawRecord<'a>) -> Self;

    /// The raw record.
    fn raw(&self) -> &RawRecord<'a>;

    /// The known fields with their names on the record's endpoint, in schema order.
    fn known_fields(&self) -> KnownFields<'a>;
}

mod private {
    pub trait Sealed {}
    impl Sealed for super::Contact<'_> {}
    impl Sealed for super::Group<'_> {}
    impl Sealed for super::BlackRecord<'_> {}
}

/// The iterator of [`Record::known_fields`]: `(name, value)` for each known field present.
#[derive(Clone, Debug)]
pub struct KnownFields<'a> {
    names: &'static [&'static str],
    values: Known<'a>,
    next: usize,
}

impl<'a> Iterator for KnownFields<'a> {
    type Item = (&'static str, Text<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        while self.next < self.names.len() {
            let i = self.next;
            self.next += 1;
            if let Some(value) = self.values[i] {
                return Some((self.names[i], value));
            }
        }
        None
    }
}

fn known_fields<'a>(kind: ListKind, raw: &RawRecord<'a>, values: &[Option<Text<'a>>]) -> KnownFields<'a> {
    let mut all: Known<'a> = [None; Schema::MAX_FIELDS];
    all[..values.len()].copy_from_slice(values);
    KnownFields { names: kind.field_names(raw.endpoint), values: all, next: 0 }
}

impl<'a> Record<'a> for Contact<'a> {
    const KIND: ListKind = ListKind::Contacts;

    fn build(k: &Known<'a>, raw: RawRecord<'a>) -> Self {
        Self {
            phone: k[0],
            name: k[1],
            group: k[2],
            first_name: k[3],
            last_name: k[4],
            middle_name: k[5],
            birthday: k[6],
            id: k[7],
            comments: k[8],
            tags: k[9],
            phone_other: k[10],
            raw,
        }
    }

    fn raw(&self) -> &RawRecord<'a> {
        &self.raw
    }

    fn known_fields(&self) -> KnownFields<'a> {
        let values = [
            self.phone,
            self.name,
            self.group,
            self.first_name,
            self.last_name,
            self.middle_name,
            self.birthday,
            self.id,
            self.comments,
            self.tags,
            self.phone_other,
        ];
        known_fields(Self::KIND, &self.raw, &values)
    }
}

impl<'a> Contact<'a> {
    /// The e-mail addresses of a mails.php contact (the same field as `phone`).
    pub const fn mail(&self) -> Option<Text<'a>> {
        self.phone
    }
}

impl<'a> Record<'a> for Group<'a> {
    const KIND: ListKind = ListKind::Groups;

    fn build(k: &Known<'a>, raw: RawRecord<'a>) -> Self {
        Self { id: k[0], name: k[1], number: k[2], cnt: k[3], raw }
    }

    fn raw(&self) -> &RawRecord<'a> {
        &self.raw
    }

    fn known_fields(&self) -> KnownFields<'a> {
        known_fields(Self::KIND, &self.raw, &[self.id, self.name, self.number, self.cnt])
    }
}

impl<'a> Record<'a> for BlackRecord<'a> {
    const KIND: ListKind = ListKind::Blacklist;

    fn build(k: &Known<'a>, raw: RawRecord<'a>) -> Self {
        Self { id: k[0], phone: k[1], r#type: k[2], comment: k[3], raw }
    }

    fn raw(&self) -> &RawRecord<'a> {
        &self.raw
    }

    fn known_fields(&self) -> KnownFields<'a> {
        known_fields(Self::KIND, &self.raw, &[self.id, self.phone, self.r#type, self.comment])
    }
}

#[cfg(feature = "serde")]
mod serialize {
    use serde::ser::{Serialize, SerializeMap, Serializer};

    use super::{BlackRecord, Contact, Created, Group, Record};

    fn map<'a, R: Record<'a>, S: Serializer>(record: &R, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = record.known_fields();
        let mut map = serializer.serialize_map(Some(fields.clone().count()))?;
        for (name, value) in fields {
            map.serialize_entry(name, &value)?;
        }
        map.end()
    }

    /// A map of the present known fields, named as on the record's endpoint, values unescaped.
    impl Serialize for Contact<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            map(self, serializer)
        }
    }

    /// A map of the present known fields, values unescaped.
    impl Serialize for Group<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            map(self, serializer)
        }
    }

    /// A map of the present known fields, named as on the record's endpoint, values unescaped.
    impl Serialize for BlackRecord<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            map(self, serializer)
        }
    }

    /// `{"id": "..."}`.
    impl Serialize for Created<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry("id", &self.id)?;
            map.end()
        }
    }
}
