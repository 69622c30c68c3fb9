//! What each command takes, and the checks the server would make, in one table that typed
//! commands and [`Params`](crate::Params) share.

use crate::client::MAX_PAGE;
use crate::error::{BuildError, BuildErrorKind};
use crate::record::Shape;
use crate::{CommandKind, Endpoint};
use Check::{Any, Count, Date, Id, IdList, NotBlank, Type01, Type012};

/// A parameter of a command: its wire name on phones.php, whether it is required, and what the
/// server checks in its value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Param {
    pub name: &'static str,
    pub required: bool,
    pub check: Check,
}

/// What the server checks in a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Check {
    /// Nothing.
    Any,
    /// Not blank: a required `phone` or `name`.
    NotBlank,
    /// One id: decimal digits.
    Id,
    /// A contact's groups: ids separated by commas (no spaces, as the server lists them).
    IdList,
    /// `cnt`: decimal digits, at most [`MAX_PAGE`].
    Count,
    /// A group's `type`: 0 or 1.
    Type01,
    /// A blacklist `type`: 0, 1 or 2.
    Type012,
    /// `bd`: `dd.mm.yyyy`.
    Date,
}

const fn req(name: &'static str, check: Check) -> Param {
    Param { name, required: true, check }
}

const fn opt(name: &'static str, check: Check) -> Param {
    Param { name, required: false, check }
}

// Each command's parameters, in the order they are written (phones.php names).
const ADD: &[Param] = &[
    req("phone", NotBlank),
    opt("name", Any),
    opt("grp", IdList),
    opt("lnm", Any),
    opt("fnm", Any),
    opt("mnm", Any),
    opt("bd", Date),
    opt("myid", Any),
    opt("cmt", Any),
    opt("tags", Any),
    opt("pho", Any),
];
const CHG: &[Param] = &[
    req("phone", NotBlank),
    opt("new_phone", Any),
    opt("name", Any),
    opt("grp", IdList),
    opt("lnm", Any),
    opt("fnm", Any),
    opt("mnm", Any),
    opt("bd", Date),
    opt("myid", Any),
    opt("cmt", Any),
    opt("tags", Any),
    opt("pho", Any),
];
const ADD_GROUP: &[Param] = &[req("name", NotBlank), opt("num", Id), opt("type", Type01)];
const CHG_GROUP: &[Param] = &[req("grp", Id), req("name", NotBlank), opt("num", Id)];
const MOVE_GROUP: &[Param] = &[req("grp", Id), req("phone", NotBlank)];
const DEL: &[Param] = &[req("phone", NotBlank)];
const DEL_GROUP: &[Param] = &[req("grp", Id)];
const GET: &[Param] = &[
    opt("grp", IdList),
    opt("phone", Any),
    opt("fio", Any),
    opt("search", Any),
    opt("after_id", Id),
    opt("cnt", Count),
];
const GET_GROUP: &[Param] = &[opt("type", Type01)];
const ADD_BLACK: &[Param] = &[req("phone", NotBlank), opt("type", Type012), opt("cmt", Any)];
const DEL_BLACK: &[Param] = &[req("phone", NotBlank)];
const GET_BLACK: &[Param] = &[opt("prev_id", Id), opt("cnt", Count)];

/// The parameters of a command, in the order they are written (phones.php names).
pub(crate) const fn params(kind: CommandKind) -> &'static [Param] {
    match kind {
        CommandKind::AddContact => ADD,
        CommandKind::ChangeContact => CHG,
        CommandKind::AddGroup => ADD_GROUP,
        CommandKind::ChangeGroup => CHG_GROUP,
        CommandKind::MoveGroup => MOVE_GROUP,
        CommandKind::DeleteContact => DEL,
        CommandKind::DeleteGroup => DEL_GROUP,
        CommandKind::GetContacts => GET,
        CommandKind::GetGroups => GET_GROUP,
        CommandKind::AddBlacklistEntry => ADD_BLACK,
        CommandKind::DeleteBlacklistEntry => DEL_BLACK,
        CommandKind::GetBlacklist => GET_BLACK,
    }
}

const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The wire name of a phones.php parameter on `endpoint`: mails.php says `mail` and `new_mail`.
pub(crate) const fn wire_name(name: &'static str, endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::Phones => name,
        Endpoint::Mails => {
            if const_eq(name, "phone") {
                "mail"
            } else if const_eq(name, "new_phone") {
                "new_mail"
            } else {
                name
            }
        }
    }
}

/// Whether two parameter names are equal. Both are usually the same literal, merged by the
/// compiler, so the address is compared before the bytes.
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.as_ptr() == b.as_ptr() || a == b)
}

/// The command's parameter whose wire name on `endpoint` is `name`.
pub(crate) fn find(kind: CommandKind, endpoint: Endpoint, name: &str) -> Option<Param> {
    params(kind).iter().copied().find(|p| wire_name(p.name, endpoint) == name)
}

/// The server's checks on a value of `param`.
pub(crate) fn check(param: &Param, value: &str) -> Result<(), BuildError> {
    // Most parameters take anything: one predictable branch for them, rather than an indirect
    // jump through the table below, which mispredicts as the parameters alternate.
    match param.check {
        Any => Ok(()),
        _ => check_value(param, value),
    }
}

#[inline(never)]
fn check_value(param: &Param, value: &str) -> Result<(), BuildError> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let failure = match param.check {
        Any => None,
        NotBlank => value.trim().is_empty().then_some(BuildErrorKind::Empty),
        Id => (!digits(value)).then_some(BuildErrorKind::NotNumeric),
        IdList => (!is_id_list(value)).then_some(BuildErrorKind::InvalidIdList),
        Count if !digits(value) => Some(BuildErrorKind::NotNumeric),
        Count => {
            value.parse::<u32>().map_or(true, |n| n > u32::from(MAX_PAGE)).then_some(BuildErrorKind::CountTooLarge)
        }
        Type01 => (!matches!(value, "0" | "1")).then_some(BuildErrorKind::InvalidType),
        Type012 => (!matches!(value, "0" | "1" | "2")).then_some(BuildErrorKind::InvalidType),
        Date => (!is_date(value)).then_some(BuildErrorKind::InvalidDate),
    };
    failure.map_or(Ok(()), |kind| Err(BuildError::invalid(kind, param.name)))
}

/// Ids separated by single commas (`1,2,3`): the one rule for group ids in every command, and
/// the shape the decoders read them in (`Shape::IdList`, which also admits the empty list a
/// record may carry). A single id is a list of one.
fn is_id_list(value: &str) -> bool {
    !value.is_empty() && Shape::IdList.matches(value.as_bytes())
}

/// `dd.mm.yyyy` with a day that exists in that month.
fn is_date(value: &str) -> bool {
    let &[d1, d2, b'.', m1, m2, b'.', y1, y2, y3, y4] = value.as_bytes() else {
        return false;
    };
    let num = |digits: &[u8]| -> Option<u32> {
        digits.iter().try_fold(0u32, |acc, &d| d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0')))
    };
    let (Some(day), Some(month), Some(year)) = (num(&[d1, d2]), num(&[m1, m2]), num(&[y1, y2, y3, y4])) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day) && year >= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists() {
        for good in ["1", "1,2", "1,2,3", "0012"] {
            assert!(is_id_list(good), "{good:?}");
        }
        for bad in ["", " ", "1,", ",1", "1,,2", "1 2", "1, 2", " 1", "2 ", "1\t", "a", "1;2", "١"] {
            assert!(!is_id_list(bad), "{bad:?}");
        }
    }

    #[test]
    fn dates() {
        assert!(is_date("29.02.2024"));
        assert!(!is_date("29.02.2023"));
        assert!(!is_date("31.04.2020"));
        assert!(!is_date("1.1.2020"));
        assert!(!is_date("01-01-2020"));
    }

    /// The check of `kind`'s parameter `name`.
    fn check(kind: CommandKind, name: &str, value: &str) -> Result<(), BuildError> {
        super::check(&find(kind, Endpoint::Phones, name).expect("a parameter of the command"), value)
    }

    #[test]
    fn checks() {
        assert!(check(CommandKind::GetContacts, "cnt", "1000").is_ok());
        assert_eq!(check(CommandKind::GetContacts, "cnt", "1001").unwrap_err().kind, BuildErrorKind::CountTooLarge);
        assert_eq!(
            check(CommandKind::GetContacts, "cnt", "99999999999").unwrap_err().kind,
            BuildErrorKind::CountTooLarge
        );
        assert_eq!(check(CommandKind::GetContacts, "cnt", "-1").unwrap_err().kind, BuildErrorKind::NotNumeric);
        assert!(check(CommandKind::AddContact, "grp", "1,2,3").is_ok());
        assert_eq!(check(CommandKind::AddContact, "grp", "1, 2").unwrap_err().kind, BuildErrorKind::InvalidIdList);
        assert_eq!(check(CommandKind::DeleteGroup, "grp", " 2").unwrap_err().kind, BuildErrorKind::NotNumeric);
        assert_eq!(check(CommandKind::DeleteGroup, "grp", "1,2").unwrap_err().kind, BuildErrorKind::NotNumeric);
        assert_eq!(check(CommandKind::AddGroup, "type", "2").unwrap_err().kind, BuildErrorKind::InvalidType);
        assert!(check(CommandKind::AddBlacklistEntry, "type", "2").is_ok());
        assert_eq!(check(CommandKind::AddContact, "phone", " ").unwrap_err().kind, BuildErrorKind::Empty);
        // Only a required phone must not be blank.
        assert!(check(CommandKind::GetContacts, "phone", " ").is_ok());
    }

    /// A check is a property of the parameter: the same name checks the same in every command
    /// except `grp` (a list for contacts, one id elsewhere), `type` (0 to 2 on the blacklist) and
    /// `phone`/`name` (not blank where required).
    #[test]
    fn checks_by_name() {
        for kind in CommandKind::ALL {
            for param in params(kind) {
                let expected = match param.name {
                    "grp"
                        if matches!(
                            kind,
                            CommandKind::AddContact | CommandKind::ChangeContact | CommandKind::GetContacts
                        ) =>
                    {
                        IdList
                    }
                    "grp" | "num" | "after_id" | "prev_id" => Id,
                    "cnt" => Count,
                    "type" if kind == CommandKind::AddBlacklistEntry => Type012,
                    "type" => Type01,
                    "bd" => Date,
                    "phone" | "name" if param.required => NotBlank,
                    _ => Any,
                };
                assert_eq!(param.check, expected, "{kind:?} {}", param.name);
            }
        }
    }
}
