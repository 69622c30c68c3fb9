//! The account's data and what each command does to it.

use std::collections::HashMap;

use smsc_codec::{CommandKind, Endpoint, ListKind, MoveMode};

use super::params::Command;
use super::render::{Answer, Row, Scalar};
use super::ApiCode;

/// Most contacts per endpoint, groups and blacklist records: past them `add` is error 5, so
/// an untrusted client cannot grow the simulator without bound.
const MAX_CONTACTS: usize = 200_000;
const MAX_GROUPS: usize = 10_000;
const MAX_BLACK: usize = 100_000;

#[derive(Debug, Clone)]
pub(super) struct Contact {
    pub int_id: u64,
    pub phone: String,
    pub name: String,
    pub groups: Vec<u64>,
    pub first_name: String,
    pub last_name: String,
    pub middle_name: String,
    pub birthday: String,
    pub myid: String,
    pub comments: String,
    pub tags: String,
    pub phone_other: String,
}

#[derive(Debug, Clone)]
pub(super) struct Group {
    pub id: u64,
    pub name: String,
    /// Decimal digits (written as a JSON number in answers).
    pub num: Option<String>,
    pub group_type: u8,
}

#[derive(Debug, Clone)]
pub(super) struct Black {
    pub id: u64,
    pub phone: String,
    pub block_type: u8,
    pub comment: String,
}

/// Everything one account holds: contacts and blacklists per endpoint, groups shared (each
/// with its type). Saved and loaded as JSON by the `data` module.
#[derive(Debug)]
pub(crate) struct Store {
    /// Contacts in `int_id` order.
    pub(super) contacts: [Vec<Contact>; 2],
    /// Each number (digits) or address (lower case) of a contact, to its `int_id`.
    pub(super) by_phone: [HashMap<String, u64>; 2],
    pub(super) groups: Vec<Group>,
    /// Blacklist records in `id` order.
    pub(super) black: [Vec<Black>; 2],
    pub(super) next_contact: u64,
    pub(super) next_group: u64,
    pub(super) next_black: u64,
}

/// The first ids of a new account.
pub(super) const FIRST_CONTACT: u64 = 123_456;
pub(super) const FIRST_GROUP: u64 = 5922;
pub(super) const FIRST_BLACK: u64 = 301;

impl Default for Store {
    fn default() -> Self {
        Self {
            contacts: [Vec::new(), Vec::new()],
            by_phone: [HashMap::new(), HashMap::new()],
            groups: Vec::new(),
            black: [Vec::new(), Vec::new()],
            next_contact: FIRST_CONTACT,
            next_group: FIRST_GROUP,
            next_black: FIRST_BLACK,
        }
    }
}

pub(super) const fn slot(endpoint: Endpoint) -> usize {
    match endpoint {
        Endpoint::Phones => 0,
        Endpoint::Mails => 1,
    }
}

/// A decimal id; digits past `u64` saturate (they can only mean "after everything").
fn id_of(value: &str) -> u64 {
    value
        .trim()
        .bytes()
        .try_fold(0u64, |acc, b| match b {
            b'0'..=b'9' => Some(acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))),
            _ => None,
        })
        .unwrap_or(u64::MAX)
}

/// Strips the `+` that starts a number (PROTOCOL 5.6), keeping the separators as they are.
pub(super) fn normalise_phones(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut prev: Option<char> = None;
    let mut chars = value.trim().chars().peekable();
    while let Some(c) = chars.next() {
        let starts_number = !prev.is_some_and(|p| p.is_ascii_digit());
        if !(c == '+' && starts_number && chars.peek().is_some_and(char::is_ascii_digit)) {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

/// The numbers (digits only) or addresses (lower case) in a list with any separator.
pub(super) fn tokens(value: &str, endpoint: Endpoint) -> Vec<String> {
    value
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(|token| match endpoint {
            Endpoint::Phones => token.chars().filter(char::is_ascii_digit).collect(),
            Endpoint::Mails => token.trim().to_lowercase(),
        })
        .filter(|token: &String| !token.is_empty())
        .collect()
}

/// Whether a list holds a usable number (phones) or address (mails).
pub(super) fn valid_list(value: &str, endpoint: Endpoint) -> bool {
    let tokens = tokens(value, endpoint);
    !tokens.is_empty() && (endpoint == Endpoint::Phones || tokens.iter().all(|t| t.contains('@')))
}

/// A group name with a capital first letter (PROTOCOL 5.6).
fn capitalise(name: &str) -> String {
    let name = name.trim();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn matches(list: &str, wanted: &str, endpoint: Endpoint) -> bool {
    let wanted = tokens(wanted, endpoint);
    !wanted.is_empty() && tokens(list, endpoint).iter().any(|t| wanted.contains(t))
}

type Outcome = Result<Answer, ApiCode>;

impl Store {
    /// Runs a validated command.
    pub fn execute(&mut self, command: &Command<'_>, endpoint: Endpoint) -> Answer {
        let outcome = match command.kind {
            CommandKind::AddContact => self.add(command, endpoint),
            CommandKind::ChangeContact => self.change(command, endpoint),
            CommandKind::DeleteContact => self.delete(command, endpoint),
            CommandKind::GetContacts => self.get(command, endpoint),
            CommandKind::MoveGroup => self.move_group(command, endpoint),
            CommandKind::AddGroup => self.add_group(command, endpoint),
            CommandKind::ChangeGroup => self.change_group(command),
            CommandKind::DeleteGroup => self.delete_group(command),
            CommandKind::GetGroups => self.get_groups(command, endpoint),
            CommandKind::AddBlacklistEntry => self.add_black(command, endpoint),
            CommandKind::DeleteBlacklistEntry => self.delete_black(command, endpoint),
            CommandKind::GetBlacklist => self.get_black(command, endpoint),
        };
        outcome.unwrap_or_else(Answer::Error)
    }

    fn phone_in(&self, value: &str, endpoint: Endpoint) -> Result<String, ApiCode> {
        if !valid_list(value, endpoint) {
            return Err(ApiCode::Parameters);
        }
        Ok(match endpoint {
            Endpoint::Phones => normalise_phones(value),
            Endpoint::Mails => value.trim().to_owned(),
        })
    }

    /// The ids of a `grp` list, each an existing group.
    fn group_list(&self, value: &str) -> Result<Vec<u64>, ApiCode> {
        let mut ids = Vec::new();
        for id in value.split(',').map(id_of) {
            if !self.groups.iter().any(|g| g.id == id) {
                return Err(ApiCode::Parameters);
            }
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    fn contact_index(&self, phone: &str, endpoint: Endpoint) -> Result<usize, ApiCode> {
        let index = &self.by_phone[slot(endpoint)];
        let int_id = tokens(phone, endpoint).iter().find_map(|t| index.get(t)).copied().ok_or(ApiCode::NotFound)?;
        self.contacts[slot(endpoint)].binary_search_by_key(&int_id, |c| c.int_id).map_err(|_| ApiCode::NotFound)
    }

    fn taken(&self, phone: &str, endpoint: Endpoint, except: Option<u64>) -> bool {
        let index = &self.by_phone[slot(endpoint)];
        tokens(phone, endpoint).iter().any(|t| index.get(t).is_some_and(|&id| Some(id) != except))
    }

    fn index(&mut self, phone: &str, endpoint: Endpoint, int_id: Option<u64>) {
        for token in tokens(phone, endpoint) {
            match int_id {
                Some(id) => self.by_phone[slot(endpoint)].insert(token, id),
                None => self.by_phone[slot(endpoint)].remove(&token),
            };
        }
    }

    fn add(&mut self, command: &Command<'_>, endpoint: Endpoint) -> Outcome {
        let phone = self.phone_in(command.get("phone").unwrap_or(""), endpoint)?;
        let groups = match command.get("grp") {
            Some(list) => self.group_list(list)?,
            None => Vec::new(),
        };
        if self.taken(&phone, endpoint, None) || self.contacts[slot(endpoint)].len() >= MAX_CONTACTS {
            return Err(ApiCode::Failed);
        }
        let text = |name| command.get(name).unwrap_or("").to_owned();
        let int_id = self.next_contact;
        self.next_contact += 1;
        self.index(&phone, endpoint, Some(int_id));
        self.contacts[slot(endpoint)].push(Contact {
            int_id,
            phone,
            name: text("name"),
            groups,
            first_name: text("fnm"),
            last_name: text("lnm"),
            middle_name: text("mnm"),
            birthday: text("bd"),
            myid: text("myid"),
            comments: text("cmt"),
            tags: text("tags"),
            phone_other: text("pho"),
        });
        Ok(Answer::Created { id: int_id, root: "phone" })
    }

    fn change(&mut self, command: &Command<'_>, endpoint: Endpoint) -> Outcome {
        let index = self.contact_index(command.get("phone").unwrap_or(""), endpoint)?;
        let int_id = self.contacts[slot(endpoint)][index].int_id;
        let new_phone = match command.get("new_phone") {
            Some(value) => {
                let phone = self.phone_in(value, endpoint)?;
                if self.taken(&phone, endpoint, Some(int_id)) {
                    return Err(ApiCode::Failed);
                }
                Some(phone)
            }
            None => None,
        };
        let groups = command.get("grp").map(|list| self.group_list(list)).transpose()?;
        if let Some(phone) = new_phone {
            let old = std::mem::replace(&mut self.contacts[slot(endpoint)][index].phone, phone.clone());
            self.index(&old, endpoint, None);
            self.index(&phone, endpoint, Some(int_id));
        }
        let contact = &mut self.contacts[slot(endpoint)][index];
        if let Some(groups) = groups {
            contact.groups = groups;
        }
        for (name, field) in [
            ("name", &mut contact.name),
            ("fnm", &mut contact.first_name),
            ("lnm", &mut contact.last_name),
            ("mnm", &mut contact.middle_name),
            ("bd", &mut contact.birthday),
            ("myid", &mut contact.myid),
            ("cmt", &mut contact.comments),
            ("tags", &mut contact.tags),
            ("pho", &mut contact.phone_other),
        ] {
            if let Some(value) = command.get(name) {
                value.clone_into(field);
            }
        }
        Ok(Answer::Done)
    }

    fn delete(&mut self, command: &Command<'_>, endpoint: Endpoint) -> Outcome {
        let index = self.contact_index(command.get("phone").unwrap_or(""), endpoint)?;
        let contact = self.contacts[slot(endpoint)].remove(index);
        self.index(&contact.phone, endpoint, None);
        Ok(Answer::Done)
    }

    fn get(&self, command: &Command<'_>, endpoint: Endpoint) -> Outcome {
        let groups = command.get("grp").map(|list| list.split(',').map(id_of).collect::<Vec<_>>());
        let after = command.get("after_id").map(id_of);
        let fio = command.get("fio").map(str::to_lowercase);
        let search = command.get("search").map(str::to_lowercase);
        let limit = command.get("cnt").map(id_of).filter(|&n| n > 0).unwrap_or(u64::MAX);
        let rows: Vec<Row> = self.contacts[slot(endpoint)]
            .iter()
            .filter(|c| after.is_none_or(|after| c.int_id > after))
            .filter(|c| groups.as_ref().is_none_or(|ids| c.groups.iter().any(|g| ids.contains(g))))
            .filter(|c| command.get("phone").is_none_or(|phone| matches(&c.phone, phone, endpoint)))
            .filter(|c| {
                fio.as_ref().is_none_or(|fio| {
                    [&c.name, &c.last_name, &c.first_name, &c.middle_name]
                        .iter()
                        .any(|part| part.to_lowercase().contains(fio.as_str()))
                })
            })
            .filter(|c| {
                search.as_ref().is_none_or(|s| {
                    c.name.to_lowercase().contains(s.as_str()) || c.phone.to_lowercase().contains(s.as_str())
                })
            })
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|c| contact_row(c, endpoint))
            .collect();
        list(ListKind::Contacts, rows)
    }

    fn move_group(&mut self, command: &Command<'_>, endpoint: Endpoint) -> Outcome {
        let group = id_of(command.get("grp").unwrap_or(""));
        if !self.groups.iter().any(|g| g.id == group) {
            return Err(ApiCode::NotFound);
        }
        let index = self.contact_index(command.get("phone").unwrap_or(""), endpoint)?;
        let groups = &mut self.contacts[slot(endpoint)][index].groups;
        match command.mode {
            MoveMode::Replace => *groups = vec![group],
            MoveMode::Add if !groups.contains(&group) => groups.push(group),
            MoveMode::Add => {}
            MoveMode::Remove => groups.retain(|&g| g != group),
        }
        Ok(Answer::Done)
    }

    fn num_taken(&self, num: Option<&str>, except: Option<u64>) -> bool {
        num.is_some_and(|num| self.groups.iter().any(|g| Some(g.id) != except && g.num.as_deref() == Some(num)))
    }

    fn add_group(&mut self, command: &Command<'_>, endpoint: Endpoint) -> Outcome {
        let num = command.get("num");
        if self.num_taken(num, None) || self.groups.len() >= MAX_GROUPS {
            return Err(ApiCode::Failed);
        }
        let group_type = match command.get("type") {
            Some(t) => u8::from(t == "1"),
            None => u8::from(endpoint == Endpoint::Mails),
        };
        let id = self.next_group;
        self.next_group += 1;
        let name = capitalise(command.get("name").unwrap_or(""));
        self.groups.push(Group { id, name, num: num.map(str::to_owned), group_type });
        Ok(Answer::Created { id, root: "group" })
    }

    fn change_group(&mut self, command: &Command<'_>) -> Outcome {
        let id = id_of(command.get("grp").unwrap_or(""));
        let index = self.groups.iter().position(|g| g.id == id).ok_or(ApiCode::NotFound)?;
        let num = command.get("num");
        if self.num_taken(num, Some(id)) {
            return Err(ApiCode::Failed);
        }
        let group = &mut self.groups[index];
        group.name = capitalise(command.get("name").unwrap_or(""));
        if let Some(num) = num {
            group.num = Some(num.to_owned());
        }
        Ok(Answer::Done)
    }

    fn delete_group(&mut self, command: &Command<'_>) -> Outcome {
        let id = id_of(command.get("grp").unwrap_or(""));
        let index = self.groups.iter().position(|g| g.id == id).ok_or(ApiCode::NotFound)?;
        self.groups.remove(index);
        for contact in self.contacts.iter_mut().flatten() {
            contact.groups.retain(|&g| g != id);
        }
        Ok(Answer::Done)
    }

    fn get_groups(&self, command: &Command<'_>, endpoint: Endpoint) -> Outcome {
        let wanted = match command.get("type") {
            Some(t) => u8::from(t == "1"),
            None => u8::from(endpoint == Endpoint::Mails),
        };
        let rows = self
            .groups
            .iter()
            .filter(|g| g.group_type == wanted)
            .map(|g| {
                let cnt = self.contacts.iter().flatten().filter(|c| c.groups.contains(&g.id)).count();
                Row::new(vec![
                    ("id", Some(Scalar::Num(g.id.to_string()))),
                    ("name", Some(Scalar::Str(g.name.clone()))),
                    ("number", g.num.clone().map(Scalar::Num)),
                    ("cnt", Some(Scalar::Str(cnt.to_string()))),
                ])
            })
            .collect();
        list(ListKind::Groups, rows)
    }

    fn add_black(&mut self, command: &Command<'_>, endpoint: Endpoint) -> Outcome {
        let phone = self.phone_in(command.get("phone").unwrap_or(""), endpoint)?;
        let records = &mut self.black[slot(endpoint)];
        if records.iter().any(|b| matches(&b.phone, &phone, endpoint)) || records.len() >= MAX_BLACK {
            return Err(ApiCode::Failed);
        }
        let id = self.next_black;
        self.next_black += 1;
        let block_type = command.get("type").and_then(|t| t.parse().ok()).unwrap_or(0);
        let comment = command.get("cmt").unwrap_or("").to_owned();
        records.push(Black { id, phone, block_type, comment });
        Ok(Answer::Created { id, root: "phone" })
    }

    fn delete_black(&mut self, command: &Command<'_>, endpoint: Endpoint) -> Outcome {
        let phone = command.get("phone").unwrap_or("");
        let records = &mut self.black[slot(endpoint)];
        let index = records.iter().position(|b| matches(&b.phone, phone, endpoint)).ok_or(ApiCode::NotFound)?;
        records.remove(index);
        Ok(Answer::Done)
    }

    fn get_black(&self, command: &Command<'_>, endpoint: Endpoint) -> Outcome {
        let before = command.get("prev_id").map(id_of);
        let limit = command.get("cnt").map(id_of).filter(|&n| n > 0).unwrap_or(u64::MAX);
        let address = match endpoint {
            Endpoint::Phones => "phone",
            Endpoint::Mails => "email",
        };
        let rows = self.black[slot(endpoint)]
            .iter()
            .rev()
            .filter(|b| before.is_none_or(|before| b.id < before))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(|b| {
                Row::new(vec![
                    ("id", Some(Scalar::Num(b.id.to_string()))),
                    (address, Some(Scalar::Str(b.phone.clone()))),
                    ("type", Some(Scalar::Num(b.block_type.to_string()))),
                    ("comment", Some(Scalar::Str(b.comment.clone()))),
                ])
            })
            .collect();
        list(ListKind::Blacklist, rows)
    }
}

/// An empty list is error 3 (PROTOCOL 5.4).
fn list(kind: ListKind, rows: Vec<Row>) -> Outcome {
    match rows.is_empty() {
        true => Err(ApiCode::NotFound),
        false => Ok(Answer::List { kind, rows }),
    }
}

/// A contact as the server lists it: every value a string, `group` `0` when in no group,
/// `id` the client's `myid`, and the internal id as `int_id` (what a newer server adds).
fn contact_row(c: &Contact, endpoint: Endpoint) -> Row {
    let (phone, other) = match endpoint {
        Endpoint::Phones => ("phone", "phone_other"),
        Endpoint::Mails => ("mail", "mail_other"),
    };
    let group = match c.groups.is_empty() {
        true => "0".to_owned(),
        false => c.groups.iter().map(u64::to_string).collect::<Vec<_>>().join(","),
    };
    let s = |v: &String| Some(Scalar::Str(v.clone()));
    let mut row = Row::new(vec![
        (phone, s(&c.phone)),
        ("name", s(&c.name)),
        ("group", Some(Scalar::Str(group))),
        ("first_name", s(&c.first_name)),
        ("last_name", s(&c.last_name)),
        ("middle_name", s(&c.middle_name)),
        ("birthday", s(&c.birthday)),
        ("id", s(&c.myid)),
        ("comments", s(&c.comments)),
        ("tags", s(&c.tags)),
        (other, s(&c.phone_other)),
    ]);
    row.extra.push(("int_id", Scalar::Str(c.int_id.to_string())));
    row
}
