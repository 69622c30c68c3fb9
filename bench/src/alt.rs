//! The alternatives: what a user would write instead of smsc-codec, idiomatically, with the
//! crates they would pick. Each reads the same bodies into a struct and then reads every field
//! into the same [`checksum`] as [`ours`](crate::ours).
//!
//! - fmt 3: `serde_json::from_slice::<Vec<_>>` into `Option<String>` fields, and into
//!   `Option<Cow<str>>` fields that really borrow (serde only borrows a `Cow` that is the field's
//!   own type, so the `Option` goes through a `#[serde(borrow)]` newtype; the tests check that
//!   every value without an escape is borrowed).
//! - fmt 2: quick-xml's borrowing `Reader` over the body, mapping `<contact>` children into the
//!   same `Cow` struct: a value is borrowed when it is one text event, owned when entities or
//!   character references (`Event::GeneralRef`) split it. Records are read one at a time, not
//!   collected.
//! - fmt 1: the csv crate's `ByteRecord` reader (no headers, flexible, no quoting since the
//!   format has none), each record mapped positionally to a struct of `Option<&[u8]>`; a variant
//!   also validates each field as UTF-8, which is what our decoder returns (`&str`).
//! - fmt 0: `str::lines`, `split(", ")` and `split_once(" = ")` into a struct of `Option<&str>`.
//! - query: `serde_urlencoded::to_string` of a `#[derive(Serialize)]` struct, and
//!   `url::form_urlencoded::Serializer`, with the same pairs in the same order.
//!
//! The fmt 0 and fmt 1 alternatives are what a user writes first, not correct parsers: a `, `
//! inside a value (fmt 0) or a comma inside `name` (fmt 1) shifts or drops fields. They do no
//! more work than a correct parser would, so the comparison favours them.

use std::borrow::Cow;

use quick_xml::events::Event;
use serde::{Deserialize, Deserializer, Serialize};

use crate::ours::{checksum, AddValues};

/// A contact with owned fields, for `serde_json`.
#[derive(Debug, Default, Deserialize)]
pub struct OwnedContact {
    /// `phone`.
    pub phone: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `group`.
    pub group: Option<String>,
    /// `first_name`.
    pub first_name: Option<String>,
    /// `last_name`.
    pub last_name: Option<String>,
    /// `middle_name`.
    pub middle_name: Option<String>,
    /// `birthday`.
    pub birthday: Option<String>,
    /// `id`.
    pub id: Option<String>,
    /// `comments`.
    pub comments: Option<String>,
    /// `tags`.
    pub tags: Option<String>,
    /// `phone_other`.
    pub phone_other: Option<String>,
}

/// A `Cow<str>` that borrows from the input when it can.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
struct Borrowed<'a>(#[serde(borrow)] Cow<'a, str>);

/// Deserialises an `Option<Cow<str>>` that borrows (serde's own `Option<Cow>` always owns).
fn borrow_opt<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    Ok(Option::<Borrowed<'de>>::deserialize(d)?.map(|b| b.0))
}

/// A contact with borrowed-where-possible fields: for `serde_json` and the quick-xml mapping.
#[derive(Debug, Default, Deserialize)]
pub struct CowContact<'a> {
    /// `phone`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub phone: Option<Cow<'a, str>>,
    /// `name`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub name: Option<Cow<'a, str>>,
    /// `group`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub group: Option<Cow<'a, str>>,
    /// `first_name`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub first_name: Option<Cow<'a, str>>,
    /// `last_name`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub last_name: Option<Cow<'a, str>>,
    /// `middle_name`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub middle_name: Option<Cow<'a, str>>,
    /// `birthday`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub birthday: Option<Cow<'a, str>>,
    /// `id`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub id: Option<Cow<'a, str>>,
    /// `comments`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub comments: Option<Cow<'a, str>>,
    /// `tags`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub tags: Option<Cow<'a, str>>,
    /// `phone_other`.
    #[serde(borrow, default, deserialize_with = "borrow_opt")]
    pub phone_other: Option<Cow<'a, str>>,
}

impl<'a> CowContact<'a> {
    /// The field called `name`, for a mapper that reads names from the body.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut Option<Cow<'a, str>>> {
        Some(match name {
            "phone" => &mut self.phone,
            "name" => &mut self.name,
            "group" => &mut self.group,
            "first_name" => &mut self.first_name,
            "last_name" => &mut self.last_name,
            "middle_name" => &mut self.middle_name,
            "birthday" => &mut self.birthday,
            "id" => &mut self.id,
            "comments" => &mut self.comments,
            "tags" => &mut self.tags,
            "phone_other" => &mut self.phone_other,
            _ => return None,
        })
    }

    /// The fields, in order.
    pub fn fields(&self) -> [&Option<Cow<'a, str>>; 11] {
        [
            &self.phone,
            &self.name,
            &self.group,
            &self.first_name,
            &self.last_name,
            &self.middle_name,
            &self.birthday,
            &self.id,
            &self.comments,
            &self.tags,
            &self.phone_other,
        ]
    }
}

fn read_str(field: Option<&str>) -> u64 {
    field.map_or(0, |v| checksum(v.as_bytes()))
}

/// Reads every field of an owned contact.
pub fn read_owned(c: &OwnedContact) -> u64 {
    [
        &c.phone,
        &c.name,
        &c.group,
        &c.first_name,
        &c.last_name,
        &c.middle_name,
        &c.birthday,
        &c.id,
        &c.comments,
        &c.tags,
        &c.phone_other,
    ]
    .into_iter()
    .map(|f| read_str(f.as_deref()))
    .sum()
}

/// Reads every field of a `Cow` contact.
pub fn read_cow(c: &CowContact<'_>) -> u64 {
    c.fields().into_iter().map(|f| read_str(f.as_deref())).sum()
}

/// fmt 3: `serde_json::from_slice::<Vec<OwnedContact>>`, then every field read.
pub fn serde_json_owned(body: &[u8]) -> u64 {
    let contacts: Vec<OwnedContact> = serde_json::from_slice(body).expect("a JSON list");
    contacts.iter().map(read_owned).sum()
}

/// fmt 3: `serde_json::from_slice::<Vec<CowContact>>`, then every field read.
pub fn serde_json_cow(body: &[u8]) -> u64 {
    let contacts: Vec<CowContact<'_>> = serde_json::from_slice(body).expect("a JSON list");
    contacts.iter().map(read_cow).sum()
}

/// fmt 2: quick-xml's reader, each `<contact>` mapped into a [`CowContact`] and handed to `each`.
pub fn quick_xml_contacts<'a>(body: &'a [u8], mut each: impl FnMut(CowContact<'a>)) {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut contact: Option<CowContact<'a>> = None;
    // The field being read, while inside one of the contact's children.
    let mut field: Option<&'static str> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => match e.name().as_ref() {
                "contact" => contact = Some(CowContact::default()),
                name => {
                    if let Some(slot) = contact.as_mut().and_then(|c| c.field_mut(name)) {
                        *slot = Some(Cow::Borrowed(""));
                        field = crate::fixtures::CONTACT_FIELDS.iter().copied().find(|f| *f == name);
                    }
                }
            },
            Event::Empty(e) => {
                if let Some(slot) = contact.as_mut().and_then(|c| c.field_mut(e.name().as_ref())) {
                    *slot = Some(Cow::Borrowed(""));
                }
            }
            Event::Text(t) => {
                if let Some(slot) = field.and_then(|f| contact.as_mut().and_then(|c| c.field_mut(f))) {
                    match slot {
                        Some(Cow::Borrowed("")) | None => *slot = Some(t.into_inner()),
                        Some(value) => value.to_mut().push_str(&t),
                    }
                }
            }
            Event::GeneralRef(r) => {
                if let Some(slot) = field.and_then(|f| contact.as_mut().and_then(|c| c.field_mut(f))) {
                    let value = slot.get_or_insert(Cow::Borrowed("")).to_mut();
                    match r.resolve_char_ref().expect("a valid character reference") {
                        Some(c) => value.push(c),
                        None => value
                            .push_str(quick_xml::escape::resolve_predefined_entity(&r).expect("a predefined entity")),
                    }
                }
            }
            Event::End(e) => {
                if e.name().as_ref() == "contact" {
                    if let Some(c) = contact.take() {
                        each(c);
                    }
                }
                field = None;
            }
            Event::Eof => break,
            _ => {}
        }
    }
}

/// fmt 2 with quick-xml, every field of every contact read.
pub fn quick_xml(body: &[u8]) -> u64 {
    let mut sum = 0;
    quick_xml_contacts(body, |c| sum += read_cow(&c));
    sum
}

/// A contact as byte slices of a csv record.
#[derive(Debug, Default)]
pub struct ByteContact<'r> {
    /// The eleven positional fields.
    pub fields: [Option<&'r [u8]>; 11],
}

/// fmt 1 with the csv crate: each `ByteRecord` mapped positionally, every field read as bytes.
pub fn csv_byte_record(body: &[u8]) -> u64 {
    csv_records(body, checksum)
}

/// fmt 1 with the csv crate, each field also validated as UTF-8 (what a `&str` field costs).
pub fn csv_byte_record_utf8(body: &[u8]) -> u64 {
    csv_records(body, |field| checksum(std::str::from_utf8(field).expect("UTF-8").as_bytes()))
}

fn csv_records(body: &[u8], mut read: impl FnMut(&[u8]) -> u64) -> u64 {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).quoting(false).from_reader(body);
    let mut record = csv::ByteRecord::new();
    let mut sum = 0;
    while reader.read_byte_record(&mut record).expect("a csv record") {
        let mut contact = ByteContact::default();
        for (slot, value) in contact.fields.iter_mut().zip(record.iter()) {
            *slot = Some(value);
        }
        sum += contact.fields.iter().map(|f| f.map_or(0, &mut read)).sum::<u64>();
    }
    sum
}

/// A contact as `&str` slices of a fmt 0 line.
#[derive(Debug, Default)]
pub struct StrContact<'a> {
    /// The eleven fields, in order.
    pub fields: [Option<&'a str>; 11],
}

/// fmt 0 with `split(", ")` and `split_once(" = ")`, every field read.
pub fn split_kv(body: &[u8]) -> u64 {
    let text = std::str::from_utf8(body).expect("UTF-8");
    let mut sum = 0;
    for line in text.lines() {
        let mut contact = StrContact::default();
        for pair in line.split(", ") {
            // `key = ` with an empty value loses its trailing space to the split.
            let Some((key, value)) = pair.split_once(" = ").or_else(|| pair.strip_suffix(" =").map(|k| (k, ""))) else {
                continue;
            };
            if let Some(i) = crate::fixtures::CONTACT_FIELDS.iter().position(|f| *f == key) {
                contact.fields[i] = Some(value);
            }
        }
        sum += contact.fields.iter().map(|f| read_str(*f)).sum::<u64>();
    }
    sum
}

/// The `add` query as a struct, for `serde_urlencoded`; the pairs in smsc-codec's order.
#[derive(Debug, Serialize)]
pub struct AddQuery<'a> {
    /// `add=1`.
    pub add: u8,
    /// `login`.
    pub login: &'a str,
    /// `psw`.
    pub psw: &'a str,
    /// `fmt=3`.
    pub fmt: u8,
    /// `charset=utf-8`.
    pub charset: &'a str,
    /// `phone`.
    pub phone: &'a str,
    /// `name`.
    pub name: &'a str,
    /// `grp`.
    pub grp: &'a str,
    /// `lnm`.
    pub lnm: &'a str,
    /// `fnm`.
    pub fnm: &'a str,
    /// `mnm`.
    pub mnm: &'a str,
    /// `bd`.
    pub bd: &'a str,
    /// `myid`.
    pub myid: &'a str,
    /// `cmt`.
    pub cmt: &'a str,
    /// `tags`.
    pub tags: &'a str,
    /// `pho`.
    pub pho: &'a str,
}

impl<'a> AddQuery<'a> {
    /// The struct of `v`.
    pub fn new(v: &AddValues) -> AddQuery<'_> {
        AddQuery {
            add: 1,
            login: v.login,
            psw: v.psw,
            fmt: 3,
            charset: "utf-8",
            phone: v.phone,
            name: v.name,
            grp: v.groups,
            lnm: v.last_name,
            fnm: v.first_name,
            mnm: v.middle_name,
            bd: v.birthday,
            myid: v.my_id,
            cmt: v.comment,
            tags: v.tags,
            pho: v.other_phones,
        }
    }
}

/// `serde_urlencoded::to_string` of the `add` struct.
pub fn query_serde_urlencoded(v: &AddValues) -> String {
    serde_urlencoded::to_string(AddQuery::new(v)).expect("a flat struct")
}

/// `url::form_urlencoded::Serializer` with the same pairs.
pub fn query_url(v: &AddValues) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("add", "1")
        .append_pair("login", v.login)
        .append_pair("psw", v.psw)
        .append_pair("fmt", "3")
        .append_pair("charset", "utf-8")
        .append_pair("phone", v.phone)
        .append_pair("name", v.name)
        .append_pair("grp", v.groups)
        .append_pair("lnm", v.last_name)
        .append_pair("fnm", v.first_name)
        .append_pair("mnm", v.middle_name)
        .append_pair("bd", v.birthday)
        .append_pair("myid", v.my_id)
        .append_pair("cmt", v.comment)
        .append_pair("tags", v.tags)
        .append_pair("pho", v.other_phones)
        .finish()
}
