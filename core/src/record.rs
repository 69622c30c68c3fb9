//! The decoded records and what reads them: [`Contact`], [`Group`] and [`BlacklistEntry`]
//! (also at the crate root), the [`Record`] trait they share, and the helpers to read every
//! field of a record again, unknown ones included: [`RawRecord`], [`Fields`], [`KnownFields`].
//!
//! ```
//! use smsc_codec::{decode, Endpoint, Fmt, Record};
//!
//! let body = br#"[{"phone": "79991112233", "name": "Ivan", "int_id": "77"}]"#;
//! let contact = decode::contacts(body, Fmt::Json, Endpoint::Phones)?.next().unwrap()?;
//! // Known fields by their wire name, then every field as the body has it.
//! let known: Vec<_> = contact.known_fields().map(|(name, value)| (name, value.raw())).collect();
//! assert_eq!(known, [("phone", "79991112233"), ("name", "Ivan")]);
//! let all: Vec<_> = contact.raw.fields().map(|field| field.name).collect();
//! assert_eq!(all, ["phone", "name", "int_id"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// Each record's fields, their order, their wire names on both endpoints and the shapes their
// values can take are written once, in the `records!` table at the end of this file. The typed
// structs, their schema (what the parsers read) and the positional accessor `Record::field`
// (what the JavaScript binding and the benchmarks read) all come from it.

use core::fmt;

use crate::format::{self, Ctx, Cursor};
use crate::limits::Limits;
use crate::text::Text;
use crate::{Endpoint, Fmt};

/// The most fields a record kind has (a contact's eleven).
pub(crate) const MAX_KNOWN: usize = 11;

/// What a raw value can look like. fmt=1 has no names, so the shapes are what tells the
/// readings of a line apart; fmt=0 uses them to settle ties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Anything.
    Free,
    /// Decimal digits, or empty.
    Digits,
    /// Decimal digits, at least one.
    Id,
    /// A blacklist type: `0`, `1` or `2`.
    BlockType,
    /// Group ids: digits separated by commas, or empty.
    IdList,
    /// `dd.mm.yyyy`, or empty.
    Date,
    /// Phone numbers with any separator: digits, `+`, `-`, `(`, `)`, spaces, `,`, `;`, `.`,
    /// with at least one digit; or empty.
    PhoneList,
    /// E-mail addresses separated by commas, semicolons or spaces, each with an `@`; or empty.
    MailList,
}

// The line formats read the shapes (JSON and XML have names); requests check group ids with one.
impl Shape {
    /// Whether a raw value can be a value of this shape. One pass over the value.
    pub(crate) fn matches(self, value: &[u8]) -> bool {
        match self {
            Shape::Free => true,
            Shape::Digits => value.iter().all(u8::is_ascii_digit),
            Shape::Id => !value.is_empty() && value.iter().all(u8::is_ascii_digit),
            Shape::BlockType => matches!(value, b"0" | b"1" | b"2"),
            // Empty, or ids: digits separated by single commas.
            Shape::IdList => {
                let mut in_id = false;
                for &b in value {
                    match b {
                        b'0'..=b'9' => in_id = true,
                        b',' if in_id => in_id = false,
                        _ => return false,
                    }
                }
                in_id || value.is_empty()
            }
            Shape::Date => match value {
                [] => true,
                [d1, d2, b'.', m1, m2, b'.', y1, y2, y3, y4] => {
                    [d1, d2, m1, m2, y1, y2, y3, y4].iter().all(|b| b.is_ascii_digit())
                }
                _ => false,
            },
            Shape::PhoneList => {
                let mut digit = false;
                for b in value {
                    if !PHONE_BYTES[usize::from(*b)] {
                        return false;
                    }
                    digit |= b.is_ascii_digit();
                }
                digit || value.is_empty()
            }
            Shape::MailList => {
                let mut addresses = value.split(|&b| matches!(b, b',' | b';' | b' ')).filter(|p| !p.is_empty());
                (value.is_empty() || value.contains(&b'@')) && addresses.all(|address| address.contains(&b'@'))
            }
        }
    }
}

/// The bytes a phone number list may hold.
#[cfg_attr(not(any(feature = "kv", feature = "csv")), allow(dead_code))]
const PHONE_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_phone_byte(&(b as u8));
        b += 1;
    }
    table
};

/// A byte a phone number list may hold.
#[cfg_attr(not(any(feature = "kv", feature = "csv")), allow(dead_code))]
pub(crate) const fn is_phone_byte(b: &u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'(' | b')' | b' ' | b',' | b';' | b'.')
}

/// The fields of a record on one endpoint, in the order the server writes them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Schema {
    pub names: &'static [&'static str],
    #[cfg_attr(not(any(feature = "kv", feature = "csv")), allow(dead_code))]
    pub shapes: &'static [Shape],
}

impl Schema {
    #[cfg_attr(not(feature = "csv"), allow(dead_code))]
    pub(crate) const fn len(&self) -> usize {
        self.names.len()
    }

    /// The shape of field `index` (anything past the schema is free text).
    #[cfg_attr(not(any(feature = "kv", feature = "csv")), allow(dead_code))]
    pub(crate) fn shape(&self, index: usize) -> Shape {
        self.shapes.get(index).copied().unwrap_or(Shape::Free)
    }

    /// The index of the field named `key`. `hint` is tried first: the field that usually
    /// comes next, since the server writes fields in schema order.
    #[cfg(feature = "kv")]
    #[inline]
    pub(crate) fn index_of(&self, key: &[u8], hint: usize) -> Option<usize> {
        crate::format::field_index(self.names, key, hint)
    }
}

/// Which list a record belongs to.
///
/// ```
/// use smsc_codec::{CommandKind, ListKind, ResponseKind};
///
/// assert_eq!(CommandKind::GetBlacklist.response(), ResponseKind::List(ListKind::Blacklist));
/// ```
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
    pub(crate) const fn schema(self, endpoint: Endpoint) -> Schema {
        let (phones, mails) = match self {
            Self::Contacts => (CONTACT_PHONES, CONTACT_MAILS),
            Self::Groups => (GROUP_PHONES, GROUP_MAILS),
            Self::Blacklist => (BLACKLIST_ENTRY_PHONES, BLACKLIST_ENTRY_MAILS),
        };
        match endpoint {
            Endpoint::Phones => phones,
            Endpoint::Mails => mails,
        }
    }

    /// The field names of this record on `endpoint`, in the order the server writes them: the
    /// names of [`Record::field`]'s positions.
    ///
    /// ```
    /// use smsc_codec::{Endpoint, ListKind};
    ///
    /// assert_eq!(ListKind::Blacklist.field_names(Endpoint::Mails), ["id", "email", "type", "comment"]);
    /// ```
    pub const fn field_names(self, endpoint: Endpoint) -> &'static [&'static str] {
        self.schema(endpoint).names
    }
}

/// The text of one record, to read all of its fields again, unknown ones included.
///
/// ```
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// let body = b"<list><contact><phone>1</phone><int_id>77</int_id></contact></list>";
/// let contact = decode::contacts(body, Fmt::Xml, Endpoint::Phones)?.next().unwrap()?;
/// assert_eq!(contact.raw.as_str(), "<contact><phone>1</phone><int_id>77</int_id></contact>");
/// assert_eq!(contact.raw.get("int_id").unwrap().to_u64(), Some(77));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RawRecord<'a> {
    text: &'a str,
    fmt: Fmt,
    kind: ListKind,
    endpoint: Endpoint,
}

impl fmt::Debug for RawRecord<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawRecord").field("bytes", &self.text).field("fmt", &self.fmt).finish()
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
    pub(crate) const fn new(text: &'a str, fmt: Fmt, kind: ListKind, endpoint: Endpoint) -> Self {
        Self { text, fmt, kind, endpoint }
    }

    /// The record exactly as it stands in the body (a JSON object, an XML element or a line).
    pub const fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The record as text (it is UTF-8: the decoder checked it).
    pub const fn as_str(&self) -> &'a str {
        self.text
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
    /// [`Dialect::Plain`](crate::text::Dialect::Plain). A fmt=1 field is named by its position.
    pub fn fields(&self) -> Fields<'a> {
        let ctx = Ctx { schema: self.kind.schema(self.endpoint), limits: RELAXED };
        let cursor = match format::grammar(self.fmt) {
            Some(grammar) => (grammar.fields)(self.text, &ctx),
            None => Cursor::Done,
        };
        Fields { text: self.text, ctx, cursor }
    }

    /// The first field named `name`, known or not.
    pub fn get(&self, name: &str) -> Option<Text<'a>> {
        self.fields().find(|field| field.name == name).map(|field| field.value)
    }
}

/// One field of a record.
///
/// ```
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// let contact = decode::contacts(b"79991112233,Ivan\n", Fmt::Csv, Endpoint::Phones)?.next().unwrap()?;
/// let first = contact.raw.fields().next().unwrap();
/// assert_eq!((first.name, first.value.raw()), ("phone", "79991112233"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field's name as it stands in the body (for fmt=1, its documented name by position).
    pub name: &'a str,
    /// Its value.
    pub value: Text<'a>,
}

/// The iterator of [`RawRecord::fields`].
///
/// ```
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// let body = b"phone = 1, name = Ivan, int_id = 77\n";
/// let contact = decode::contacts(body, Fmt::KeyValue, Endpoint::Phones)?.next().unwrap()?;
/// let names: Vec<&str> = contact.raw.fields().map(|field| field.name).collect();
/// assert_eq!(names, ["phone", "name", "int_id"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Fields<'a> {
    text: &'a str,
    ctx: Ctx,
    cursor: Cursor,
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        let member = format::next_member(self.text, &mut self.cursor, &self.ctx)?;
        Some(Field { name: member.name, value: member.value })
    }
}

/// The answer to `add`, `add_group` and `add_black`.
///
/// ```
/// use smsc_codec::{decode, Fmt};
///
/// let created = decode::created(br#"{"id": "17"}"#, Fmt::Json)?;
/// assert_eq!(created.id.to_u64(), Some(17));
/// # Ok::<(), smsc_codec::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Created<'a> {
    /// The new record's id (decimal digits).
    pub id: Text<'a>,
}

/// A record type of a list: [`Contact`], [`Group`] or [`BlacklistEntry`]. Sealed.
///
/// ```
/// use smsc_codec::{decode, Endpoint, Fmt, ListKind, Record};
///
/// /// Any record as `name=value` pairs, known fields only.
/// fn pairs<'a>(record: &impl Record<'a>) -> Vec<String> {
///     record.known_fields().map(|(name, value)| format!("{name}={value}")).collect()
/// }
/// let group = decode::groups(b"7,Friends,,2\n", Fmt::Csv, Endpoint::Phones)?.next().unwrap()?;
/// assert_eq!(pairs(&group), ["id=7", "name=Friends", "number=", "cnt=2"]);
/// assert_eq!(smsc_codec::Group::KIND, ListKind::Groups);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Record<'a>: Sized + private::Build<'a> {
    /// The list this record belongs to.
    const KIND: ListKind;

    /// The raw record.
    fn raw(&self) -> &RawRecord<'a>;

    /// The value of the known field at `index`, in the order of
    /// [`ListKind::field_names`]: `None` when the field is absent (or `index` is past the last
    /// field).
    ///
    /// ```
    /// use smsc_codec::{decode, Endpoint, Fmt, ListKind, Record};
    ///
    /// let body = r#"[{"id": 7, "name": "Клієнти"}]"#;
    /// let group = decode::groups(body.as_bytes(), Fmt::Json, Endpoint::Phones)?.next().unwrap()?;
    /// let names = ListKind::Groups.field_names(Endpoint::Phones);
    /// let row: Vec<_> = (0..names.len()).map(|i| group.field(i).map(|v| v.to_string())).collect();
    /// assert_eq!(row, [Some("7".into()), Some("Клієнти".into()), None, None]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn field(&self, index: usize) -> Option<Text<'a>>;

    /// The known fields present, with their names on the record's endpoint, in schema order.
    fn known_fields(&self) -> KnownFields<'a> {
        let names = Self::KIND.field_names(self.raw().endpoint);
        let mut values = [None; MAX_KNOWN];
        for (i, value) in values.iter_mut().enumerate() {
            *value = self.field(i);
        }
        KnownFields { names, values, next: 0 }
    }
}

pub(crate) mod private {
    use super::{RawRecord, MAX_KNOWN};
    use crate::text::Text;

    /// How the decoders build a record: from its known fields in schema order.
    pub trait Build<'a> {
        fn build(values: &[Option<Text<'a>>; MAX_KNOWN], raw: RawRecord<'a>) -> Self;
    }
}

/// The iterator of [`Record::known_fields`]: `(name, value)` for each known field present.
///
/// ```
/// use smsc_codec::{decode, Endpoint, Fmt, Record};
///
/// let body = br#"[{"email": "a@example.com", "type": 0, "id": 4}]"#;
/// let entry = decode::blacklist(body, Fmt::Json, Endpoint::Mails)?.next().unwrap()?;
/// // Schema order and the endpoint's names, whatever the body's order.
/// let names: Vec<&str> = entry.known_fields().map(|(name, _)| name).collect();
/// assert_eq!(names, ["id", "email", "type"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct KnownFields<'a> {
    names: &'static [&'static str],
    values: [Option<Text<'a>>; MAX_KNOWN],
    next: usize,
}

impl<'a> Iterator for KnownFields<'a> {
    type Item = (&'static str, Text<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        while let Some(name) = self.names.get(self.next) {
            let value = self.values.get(self.next).copied().flatten();
            self.next += 1;
            if let Some(value) = value {
                return Some((name, value));
            }
        }
        None
    }
}

/// The field at `index` among the fields listed, counting from `n`: a chain of comparisons, no
/// array built.
macro_rules! field_at {
    ($record:ident, $index:ident, $n:expr;) => {
        None
    };
    ($record:ident, $index:ident, $n:expr; $field:ident $($rest:ident)*) => {
        if $index == $n {
            $record.$field
        } else {
            field_at!($record, $index, $n + 1; $($rest)*)
        }
    };
}

/// Defines each record kind once: its struct, its schema on both endpoints, and its field
/// accessor by position.
macro_rules! records {
    ($(
        $(#[$doc:meta])*
        $record:ident: $kind:ident, $phones:ident, $mails:ident {
            $($(#[$field_doc:meta])* $field:ident: $phone_name:literal $mail_name:literal $phone_shape:ident $mail_shape:ident,)*
        }
    )*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct $record<'a> {
            $($(#[$field_doc])* pub $field: Option<Text<'a>>,)*
            /// The record's bytes, for unknown fields such as a newer server's `int_id`.
            pub raw: RawRecord<'a>,
        }

        const $phones: Schema = Schema {
            names: &[$($phone_name),*],
            shapes: &[$(Shape::$phone_shape),*],
        };
        const $mails: Schema = Schema {
            names: &[$($mail_name),*],
            shapes: &[$(Shape::$mail_shape),*],
        };

        impl<'a> private::Build<'a> for $record<'a> {
            #[inline]
            fn build(values: &[Option<Text<'a>>; MAX_KNOWN], raw: RawRecord<'a>) -> Self {
                let [$($field,)* ..] = *values;
                Self { $($field,)* raw }
            }
        }

        impl<'a> Record<'a> for $record<'a> {
            const KIND: ListKind = ListKind::$kind;

            fn raw(&self) -> &RawRecord<'a> {
                &self.raw
            }

            fn field(&self, index: usize) -> Option<Text<'a>> {
                field_at!(self, index, 0usize; $($field)*)
            }
        }
    )*};
}

records! {
    /// A contact (`get`). On mails.php `phone` holds the e-mail addresses and `other_phones` the
    /// other addresses (wire names `mail`, `mail_other`).
    ///
    /// ```
    /// use smsc_codec::{decode, Endpoint, Fmt};
    ///
    /// let body = "<list><contact><mail>a@example.com</mail><name>Олена</name><group>1,5</group></contact></list>";
    /// let contact = decode::contacts(body.as_bytes(), Fmt::Xml, Endpoint::Mails)?.next().unwrap()?;
    /// assert_eq!(contact.mail().unwrap(), "a@example.com");
    /// assert_eq!(contact.name.unwrap(), "Олена");
    /// assert_eq!(contact.groups.unwrap().raw().split(',').count(), 2);
    /// assert!(contact.birthday.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Contact: Contacts, CONTACT_PHONES, CONTACT_MAILS {
        /// The contact's numbers (or addresses), any separator.
        phone: "phone" "mail" PhoneList MailList,
        /// The contact's name.
        name: "name" "name" Free Free,
        /// The group ids, comma-separated; `0` for no group.
        groups: "group" "group" IdList IdList,
        /// First name.
        first_name: "first_name" "first_name" Free Free,
        /// Last name.
        last_name: "last_name" "last_name" Free Free,
        /// Middle name.
        middle_name: "middle_name" "middle_name" Free Free,
        /// Birthday, `dd.mm.yyyy`.
        birthday: "birthday" "birthday" Date Date,
        /// The client's own id for the contact (`myid` when written, `id` when listed), not the
        /// id `add` returned.
        my_id: "id" "id" Free Free,
        /// Comments.
        comment: "comments" "comments" Free Free,
        /// Tags.
        tags: "tags" "tags" Free Free,
        /// Other numbers (or addresses), never messaged.
        other_phones: "phone_other" "mail_other" PhoneList MailList,
    }

    /// A group (`get_group`); the same on both endpoints.
    ///
    /// ```
    /// use smsc_codec::{decode, Endpoint, Fmt};
    ///
    /// let group = decode::groups(br#"[{"id": 7, "name": "VIP", "cnt": 12}]"#, Fmt::Json, Endpoint::Phones)?.next().unwrap()?;
    /// assert_eq!((group.id.unwrap().to_u64(), group.count.unwrap().to_u64()), (Some(7), Some(12)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Group: Groups, GROUP_PHONES, GROUP_MAILS {
        /// The group id.
        id: "id" "id" Digits Digits,
        /// The group name.
        name: "name" "name" Free Free,
        /// The group number used for mailings; absent when the group has none.
        number: "number" "number" Digits Digits,
        /// The number of contacts in the group (older servers do not send it).
        count: "cnt" "cnt" Digits Digits,
    }

    /// A blacklist record (`get_black`). On mails.php `phone` holds the address (wire name
    /// `email`).
    ///
    /// ```
    /// use smsc_codec::{decode, Endpoint, Fmt};
    ///
    /// let entry = decode::blacklist(b"id = 9, phone = 79991112233, type = 2, comment = \n", Fmt::KeyValue, Endpoint::Phones)?
    ///     .next()
    ///     .unwrap()?;
    /// assert_eq!(entry.id.unwrap(), "9");
    /// assert_eq!(entry.block_type.unwrap(), "2");
    /// assert!(entry.comment.unwrap().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    BlacklistEntry: Blacklist, BLACKLIST_ENTRY_PHONES, BLACKLIST_ENTRY_MAILS {
        /// The server-assigned id (for `prev_id` paging).
        id: "id" "id" Id Id,
        /// The blocked number (or address).
        phone: "phone" "email" PhoneList MailList,
        /// The block type: 0 all messages, 1 mass mailings, 2 single messages.
        block_type: "type" "type" BlockType BlockType,
        /// The comment.
        comment: "comment" "comment" Free Free,
    }
}

impl<'a> Contact<'a> {
    /// The e-mail addresses of a mails.php contact (the same field as `phone`).
    pub const fn mail(&self) -> Option<Text<'a>> {
        self.phone
    }
}

#[cfg(feature = "serde")]
mod serialize {
    use serde::ser::{Serialize, SerializeMap, Serializer};

    use super::{BlacklistEntry, Contact, Created, Group, Record};

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
    impl Serialize for BlacklistEntry<'_> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_fits_the_known_field_array() {
        for kind in [ListKind::Contacts, ListKind::Groups, ListKind::Blacklist] {
            for endpoint in [Endpoint::Phones, Endpoint::Mails] {
                let schema = kind.schema(endpoint);
                assert!(schema.len() <= MAX_KNOWN);
                assert_eq!(schema.names.len(), schema.shapes.len());
            }
        }
        assert_eq!(ListKind::Contacts.field_names(Endpoint::Phones).len(), MAX_KNOWN);
    }

    #[test]
    fn shapes() {
        assert!(Shape::PhoneList.matches(b"+38 (050) 123-45-67, 380671112233"));
        assert!(!Shape::PhoneList.matches(b"Ivan"));
        assert!(!Shape::PhoneList.matches(b","));
        assert!(Shape::MailList.matches(b"a@b.c; d@e.f"));
        assert!(!Shape::MailList.matches(b"a@b.c, Ivan"));
        assert!(Shape::IdList.matches(b"5922,6011") && !Shape::IdList.matches(b"5922, 6011"));
        assert!(Shape::Date.matches(b"01.02.1990") && !Shape::Date.matches(b"1.2.1990"));
        assert!(Shape::Id.matches(b"7") && !Shape::Id.matches(b""));
    }
}
