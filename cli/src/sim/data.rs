//! The data file (`smsc serve --data FILE`): the account as JSON that a test can seed by hand
//! and read afterwards. Field names are the API's wire names (those of the list answers):
//!
//! ```json
//! {
//!   "contacts": {
//!     "phones": [{"int_id": 123456, "phone": "380501112233", "name": "Олена", "group": [5922],
//!                 "first_name": "", "last_name": "", "middle_name": "", "birthday": "",
//!                 "id": "", "comments": "", "tags": "", "phone_other": ""}],
//!     "mails": [{"int_id": 123457, "mail": "a@example.com", "mail_other": "", ...}]
//!   },
//!   "groups": [{"id": 5922, "name": "Клієнти", "number": "100", "type": 0}],
//!   "blacklist": {
//!     "phones": [{"id": 301, "phone": "380509999999", "type": 0, "comment": ""}],
//!     "mails": [{"id": 302, "email": "b@example.com", "type": 0, "comment": ""}]
//!   },
//!   "next_ids": {"contact": 123458, "group": 5923, "black": 303}
//! }
//! ```
//!
//! A contact's `id` is its `myid` (as `get` lists it), `int_id` the id `add` returned, `group`
//! its groups' ids. Reading, everything may be left out except a contact's or blacklist
//! record's number (or address) and a group's `id`: a missing `int_id` or blacklist `id` is
//! given the next one; a missing `next_ids` is one past the largest id, and at least a new
//! account's first id (123456, 5922, 301). Numbers lose a leading `+`, as `add` strips it.
//! Unknown fields are errors, so that a misspelt name in a seed is not silently ignored.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use smsc_codec::Endpoint;

use super::store::{
    normalise_phones, slot, tokens, valid_list, Black, Contact, Group, Store, FIRST_BLACK, FIRST_CONTACT, FIRST_GROUP,
};

/// Ids in a file must be below this: far from overflowing when counted on, and exact as a
/// JavaScript number.
const MAX_ID: u64 = 1_000_000_000_000_000;

const ENDPOINTS: [Endpoint; 2] = [Endpoint::Phones, Endpoint::Mails];

/// The names of a contact's number fields on an endpoint.
const fn contact_names(endpoint: Endpoint) -> (&'static str, &'static str) {
    match endpoint {
        Endpoint::Phones => ("phone", "phone_other"),
        Endpoint::Mails => ("mail", "mail_other"),
    }
}

const fn endpoint_name(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::Phones => "phones",
        Endpoint::Mails => "mails",
    }
}

// ---- writing ----

#[derive(Serialize)]
struct FileOut<'a> {
    contacts: Both<Records<'a, Contact>>,
    groups: Vec<GroupOut<'a>>,
    blacklist: Both<Records<'a, Black>>,
    next_ids: NextIds,
}

#[derive(Serialize)]
struct Both<T> {
    phones: T,
    mails: T,
}

/// An endpoint's contacts or blacklist records, each written with that endpoint's names.
struct Records<'a, T>(&'a [T], Endpoint);

/// One record with its endpoint's names.
struct Named<'a, T>(&'a T, Endpoint);

impl<'a, T> Serialize for Records<'a, T>
where
    Named<'a, T>: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|record| Named(record, self.1)))
    }
}

impl Serialize for Named<'_, Contact> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (c, (phone, other)) = (self.0, contact_names(self.1));
        let mut out = serializer.serialize_struct("Contact", 12)?;
        out.serialize_field("int_id", &c.int_id)?;
        out.serialize_field(phone, &c.phone)?;
        out.serialize_field("name", &c.name)?;
        out.serialize_field("group", &c.groups)?;
        out.serialize_field("first_name", &c.first_name)?;
        out.serialize_field("last_name", &c.last_name)?;
        out.serialize_field("middle_name", &c.middle_name)?;
        out.serialize_field("birthday", &c.birthday)?;
        out.serialize_field("id", &c.myid)?;
        out.serialize_field("comments", &c.comments)?;
        out.serialize_field("tags", &c.tags)?;
        out.serialize_field(other, &c.phone_other)?;
        out.end()
    }
}

impl Serialize for Named<'_, Black> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let b = self.0;
        let address = match self.1 {
            Endpoint::Phones => "phone",
            Endpoint::Mails => "email",
        };
        let mut out = serializer.serialize_struct("Black", 4)?;
        out.serialize_field("id", &b.id)?;
        out.serialize_field(address, &b.phone)?;
        out.serialize_field("type", &b.block_type)?;
        out.serialize_field("comment", &b.comment)?;
        out.end()
    }
}

#[derive(Serialize)]
struct GroupOut<'a> {
    id: u64,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<&'a str>,
    #[serde(rename = "type")]
    group_type: u8,
}

#[derive(Serialize)]
struct NextIds {
    contact: u64,
    group: u64,
    black: u64,
}

impl Store {
    /// The account as the data file's JSON, two-space indented.
    pub(crate) fn to_json(&self) -> io::Result<Vec<u8>> {
        let file = FileOut {
            contacts: Both {
                phones: Records(&self.contacts[0], Endpoint::Phones),
                mails: Records(&self.contacts[1], Endpoint::Mails),
            },
            groups: self
                .groups
                .iter()
                .map(|g| GroupOut { id: g.id, name: &g.name, number: g.num.as_deref(), group_type: g.group_type })
                .collect(),
            blacklist: Both {
                phones: Records(&self.black[0], Endpoint::Phones),
                mails: Records(&self.black[1], Endpoint::Mails),
            },
            next_ids: NextIds { contact: self.next_contact, group: self.next_group, black: self.next_black },
        };
        let mut out = serde_json::to_vec_pretty(&file).map_err(io::Error::other)?;
        out.push(b'\n');
        Ok(out)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
/// that `path` always holds a whole file (the old one or the new one).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    /// Distinguishes the temporary files of saves running at once in one process.
    static SAVES: AtomicU64 = AtomicU64::new(0);
    let context = |err: io::Error| io::Error::new(err.kind(), format!("cannot save {}: {err}", path.display()));
    let name = path.file_name().ok_or_else(|| context(io::Error::from(io::ErrorKind::InvalidInput)))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".{}.{}.tmp", std::process::id(), SAVES.fetch_add(1, Ordering::Relaxed)));
    let temporary: PathBuf = path.with_file_name(temporary_name);
    let written = File::create(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written.map_err(context)
}

// ---- reading ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    #[serde(default)]
    contacts: BothIn<ContactIn>,
    #[serde(default)]
    groups: Vec<GroupIn>,
    #[serde(default)]
    blacklist: BothIn<BlackIn>,
    #[serde(default)]
    next_ids: NextIdsIn,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BothIn<T> {
    #[serde(default = "Vec::new")]
    phones: Vec<T>,
    #[serde(default = "Vec::new")]
    mails: Vec<T>,
}

impl<T> Default for BothIn<T> {
    fn default() -> Self {
        Self { phones: Vec::new(), mails: Vec::new() }
    }
}

impl<T> BothIn<T> {
    fn into_array(self) -> [Vec<T>; 2] {
        [self.phones, self.mails]
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactIn {
    int_id: Option<u64>,
    #[serde(alias = "mail")]
    phone: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    group: Vec<u64>,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    middle_name: String,
    #[serde(default)]
    birthday: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    comments: String,
    #[serde(default)]
    tags: String,
    #[serde(default, alias = "mail_other")]
    phone_other: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupIn {
    id: u64,
    #[serde(default)]
    name: String,
    #[serde(default)]
    number: Option<Number>,
    #[serde(default, rename = "type")]
    group_type: u8,
}

/// A group's number: as the answers write it (a JSON number) or as text of digits.
#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Int(u64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlackIn {
    id: Option<u64>,
    #[serde(alias = "email")]
    phone: String,
    #[serde(default, rename = "type")]
    block_type: u8,
    #[serde(default)]
    comment: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NextIdsIn {
    contact: Option<u64>,
    group: Option<u64>,
    black: Option<u64>,
}

/// A number list as the store keeps it (what `add` does to it).
fn stored(value: &str, endpoint: Endpoint) -> String {
    match endpoint {
        Endpoint::Phones => normalise_phones(value),
        Endpoint::Mails => value.trim().to_owned(),
    }
}

fn check_id(id: u64, what: &dyn Fn() -> String) -> Result<u64, String> {
    match id < MAX_ID {
        true => Ok(id),
        false => Err(format!("{}: id {id} is too large (ids are below 10^15)", what())),
    }
}

/// One past the largest of `ids`, or `first`, or what the file says, whichever is largest.
fn next_id(ids: impl Iterator<Item = u64>, first: u64, stated: Option<u64>, what: &str) -> Result<u64, String> {
    let next = ids.map(|id| id + 1).max().unwrap_or(first).max(first);
    match stated {
        Some(stated) if stated >= MAX_ID => {
            Err(format!("next_ids.{what}: {stated} is too large (ids are below 10^15)"))
        }
        Some(stated) => Ok(next.max(stated)),
        None => Ok(next),
    }
}

impl Store {
    /// The account of a data file; an empty (or blank) file is an empty account. An error
    /// names what is wrong: serde's message with the line and column, or the record.
    pub(crate) fn from_json(bytes: &[u8]) -> Result<Self, String> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let file: FileIn = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
        let mut store = Self::default();

        let mut group_ids = HashSet::new();
        let mut numbers = HashSet::new();
        for (i, g) in file.groups.into_iter().enumerate() {
            let what = || format!("groups[{i}]");
            let id = check_id(g.id, &what)?;
            if !group_ids.insert(id) {
                return Err(format!("{}: a second group with id {id}", what()));
            }
            if g.group_type > 1 {
                return Err(format!("{}: type {} (0 phones, 1 mails)", what(), g.group_type));
            }
            let num = match g.number {
                None => None,
                Some(Number::Int(n)) => Some(n.to_string()),
                Some(Number::Text(text)) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => Some(text),
                Some(Number::Text(text)) => return Err(format!("{}: number `{text}` is not decimal digits", what())),
            };
            if let Some(num) = &num {
                if !numbers.insert(num.clone()) {
                    return Err(format!("{}: a second group with number {num}", what()));
                }
            }
            store.groups.push(Group { id, name: g.name, num, group_type: g.group_type });
        }
        store.next_group = next_id(group_ids.iter().copied(), FIRST_GROUP, file.next_ids.group, "group")?;

        let contacts = file.contacts.into_array();
        let given = contacts.iter().flatten().filter_map(|c| c.int_id).filter(|&id| id < MAX_ID);
        store.next_contact = next_id(given, FIRST_CONTACT, file.next_ids.contact, "contact")?;
        for (endpoint, list) in ENDPOINTS.into_iter().zip(contacts) {
            let (phone_name, _) = contact_names(endpoint);
            let mut loaded = Vec::with_capacity(list.len());
            for (i, c) in list.into_iter().enumerate() {
                let what = || format!("contacts.{}[{i}]", endpoint_name(endpoint));
                let int_id = match c.int_id {
                    Some(id) => check_id(id, &what)?,
                    None => {
                        store.next_contact += 1;
                        store.next_contact - 1
                    }
                };
                if !valid_list(&c.phone, endpoint) {
                    return Err(format!("{}: `{phone_name}` `{}` holds no number or address", what(), c.phone));
                }
                if let Some(missing) = c.group.iter().find(|g| !group_ids.contains(g)) {
                    return Err(format!("{}: group {missing} is not in `groups`", what()));
                }
                loaded.push(Contact {
                    int_id,
                    phone: stored(&c.phone, endpoint),
                    name: c.name,
                    groups: c.group,
                    first_name: c.first_name,
                    last_name: c.last_name,
                    middle_name: c.middle_name,
                    birthday: c.birthday,
                    myid: c.id,
                    comments: c.comments,
                    tags: c.tags,
                    phone_other: c.phone_other,
                });
            }
            loaded.sort_by_key(|c| c.int_id);
            if let Some(pair) = loaded.windows(2).find(|pair| pair[0].int_id == pair[1].int_id) {
                let name = endpoint_name(endpoint);
                return Err(format!("contacts.{name}: two contacts with int_id {}", pair[0].int_id));
            }
            let index: &mut HashMap<String, u64> = &mut store.by_phone[slot(endpoint)];
            for c in &loaded {
                for token in tokens(&c.phone, endpoint) {
                    if let Some(other) = index.insert(token.clone(), c.int_id) {
                        let name = endpoint_name(endpoint);
                        return Err(format!(
                            "contacts.{name}: `{token}` belongs to two contacts (int_id {other} and {})",
                            c.int_id
                        ));
                    }
                }
            }
            store.contacts[slot(endpoint)] = loaded;
        }

        let black = file.blacklist.into_array();
        let given = black.iter().flatten().filter_map(|b| b.id).filter(|&id| id < MAX_ID);
        store.next_black = next_id(given, FIRST_BLACK, file.next_ids.black, "black")?;
        for (endpoint, list) in ENDPOINTS.into_iter().zip(black) {
            let mut loaded = Vec::with_capacity(list.len());
            for (i, b) in list.into_iter().enumerate() {
                let what = || format!("blacklist.{}[{i}]", endpoint_name(endpoint));
                let id = match b.id {
                    Some(id) => check_id(id, &what)?,
                    None => {
                        store.next_black += 1;
                        store.next_black - 1
                    }
                };
                if !valid_list(&b.phone, endpoint) {
                    return Err(format!("{}: `{}` holds no number or address", what(), b.phone));
                }
                if b.block_type > 2 {
                    return Err(format!("{}: type {} (0, 1 or 2)", what(), b.block_type));
                }
                loaded.push(Black {
                    id,
                    phone: stored(&b.phone, endpoint),
                    block_type: b.block_type,
                    comment: b.comment,
                });
            }
            loaded.sort_by_key(|b| b.id);
            if let Some(pair) = loaded.windows(2).find(|pair| pair[0].id == pair[1].id) {
                let name = endpoint_name(endpoint);
                return Err(format!("blacklist.{name}: two records with id {}", pair[0].id));
            }
            store.black[slot(endpoint)] = loaded;
        }
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::Store;

    #[test]
    fn a_minimal_seed_fills_in_ids() {
        let seed = br#"{"groups": [{"id": 7, "name": "A", "number": 12}],
            "contacts": {"phones": [{"phone": "+380501112233", "group": [7]}, {"int_id": 500000, "phone": "380501112234"}],
                         "mails": [{"mail": "a@example.com"}]},
            "blacklist": {"mails": [{"email": "b@example.com", "type": 2}]}}"#;
        let store = Store::from_json(seed).expect("a valid seed");
        assert_eq!(store.next_group, 5922);
        assert_eq!(store.groups[0].num.as_deref(), Some("12"));
        // Given ids first: the missing ones continue after the largest.
        let ids: Vec<u64> = store.contacts.iter().flatten().map(|c| c.int_id).collect();
        assert_eq!(ids, [500_000, 500_001, 500_002]);
        assert_eq!(store.next_contact, 500_003);
        assert_eq!(store.black[1][0].id, 301);
        let again = Store::from_json(&store.to_json().expect("json")).expect("its own output");
        assert_eq!(again.to_json().expect("json"), store.to_json().expect("json"));
    }

    #[test]
    fn contradictions_are_named() {
        for (seed, expected) in [
            (&br#"{"contacts": {"phones": [{"phone": "1"}, {"phone": "1"}]}}"#[..], "belongs to two contacts"),
            (br#"{"contacts": {"phones": [{"phone": "1", "group": [3]}]}}"#, "group 3 is not in `groups`"),
            (br#"{"contacts": {"mails": [{"mail": "no-at-sign"}]}}"#, "holds no number or address"),
            (br#"{"groups": [{"id": 1, "number": "x1"}]}"#, "not decimal digits"),
            (br#"{"groups": [{"id": 1}, {"id": 1}]}"#, "a second group with id 1"),
            (br#"{"contacts": {"phones": [{"phone": "1", "nmae": "typo"}]}}"#, "unknown field `nmae`"),
            (br#"{"contacts": {"phones": [{"int_id": 99999999999999999, "phone": "1"}]}}"#, "too large"),
            (b"{\n  \"groups\": [\n    {\"id\": }\n  ]\n}", "line 3 column"),
        ] {
            let err = Store::from_json(seed).err().unwrap_or_default();
            assert!(err.contains(expected), "{err:?} should say {expected:?}");
        }
        assert!(Store::from_json(b" \n").is_ok(), "a blank file is an empty account");
    }
}
