//! What each command takes, and the checks the server would make, in one table that typed
//! commands and [`Params`](crate::Params) share.

use crate::error::{BuildError, BuildErrorKind};
use crate::{CommandKind, Endpoint};

/// A parameter of a command: its wire name on phones.php and whether it is required.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Param {
    pub name: &'static str,
    pub required: bool,
}

/// The parameters of a command, in the order they are written (phones.php names).
pub(crate) const fn params(kind: CommandKind) -> &'static [Param] {
    match kind {
        CommandKind::Add => &[
            Param { name: "phone", required: true },
            Param { name: "name", required: false },
            Param { name: "grp", required: false },
            Param { name: "lnm", required: false },
            Param { name: "fnm", required: false },
            Param { name: "mnm", required: false },
            Param { name: "bd", required: false },
            Param { name: "myid", required: false },
            Param { name: "cmt", required: false },
            Param { name: "tags", required: false },
            Param { name: "pho", required: false },
        ],
        CommandKind::Chg => &[
            Param { name: "phone", required: true },
            Param { name: "new_phone", required: false },
            Param { name: "name", required: false },
            Param { name: "grp", required: false },
            Param { name: "lnm", required: false },
            Param { name: "fnm", required: false },
            Param { name: "mnm", required: false },
            Param { name: "bd", required: false },
            Param { name: "myid", required: false },
            Param { name: "cmt", required: false },
            Param { name: "tags", required: false },
            Param { name: "pho", required: false },
        ],
        CommandKind::AddGroup => &[
            Param { name: "name", required: true },
            Param { name: "num", required: false },
            Param { name: "type", required: false },
        ],
        CommandKind::ChgGroup => &[
            Param { name: "grp", required: true },
            Param { name: "name", required: true },
            Param { name: "num", required: false },
        ],
        CommandKind::MoveGroup => &[Param { name: "grp", required: true }, Param { name: "phone", required: true }],
        CommandKind::Del => &[Param { name: "phone", required: true }],
        CommandKind::DelGroup => &[Param { name: "grp", required: true }],
        CommandKind::Get => &[
            Param { name: "grp", required: false },
            Param { name: "phone", required: false },
            Param { name: "fio", required: false },
            Param { name: "search", required: false },
            Param { name: "after_id", required: false },
            Param { name: "cnt", required: false },
        ],
        CommandKind::GetGroup => &[Param { name: "type", required: false }],
        CommandKind::AddBlack => &[
            Param { name: "phone", required: true },
            Param { name: "type", required: false },
            Param { name: "cmt", required: false },
        ],
        CommandKind::DelBlack => &[Param { name: "phone", required: true }],
        CommandKind::GetBlack => &[Param { name: "prev_id", required: false }, Param { name: "cnt", required: false }],
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

/// The command's parameter whose wire name on `endpoint` is `name`.
pub(crate) fn find(kind: CommandKind, endpoint: Endpoint, name: &str) -> Option<Param> {
    params(kind).iter().copied().find(|p| wire_name(p.name, endpoint) == name)
}

/// The server's checks on one value, by phones.php name.
pub(crate) fn check(kind: CommandKind, name: &'static str, value: &str) -> Result<(), BuildError> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // A contact's groups may be a list; everywhere else `grp` is one id.
    let group_list = matches!(kind, CommandKind::Add | CommandKind::Chg | CommandKind::Get);
    let allowed_types: &[&str] = match kind {
        CommandKind::AddBlack => &["0", "1", "2"],
        _ => &["0", "1"],
    };
    let required = params(kind).iter().any(|p| p.name == name && p.required);
    let failure = match name {
        "grp" if group_list => {
            (!value.split(',').all(|id| digits(id.trim_matches(' ')))).then_some(BuildErrorKind::NotNumeric)
        }
        "grp" | "num" | "after_id" | "prev_id" => (!digits(value)).then_some(BuildErrorKind::NotNumeric),
        "cnt" if !digits(value) => Some(BuildErrorKind::NotNumeric),
        "cnt" => value.parse::<u32>().map_or(true, |n| n > 1000).then_some(BuildErrorKind::CountTooLarge),
        "type" => (!allowed_types.contains(&value)).then_some(BuildErrorKind::InvalidType),
        "bd" => (!is_date(value)).then_some(BuildErrorKind::InvalidDate),
        "phone" | "name" => (required && value.trim().is_empty()).then_some(BuildErrorKind::Empty),
        _ => None,
    };
    failure.map_or(Ok(()), |kind| Err(BuildError::invalid(kind, name)))
}

/// `dd.mm.yyyy` with a day that exists in that month.
fn is_date(value: &str) -> bool {
    let b = value.as_bytes();
    if b.len() != 10 || b[2] != b'.' || b[5] != b'.' {
        return false;
    }
    let num = |r: core::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &d| d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0')))
    };
    let (Some(day), Some(month), Some(year)) = (num(0..2), num(3..5), num(6..10)) else {
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
    fn dates() {
        assert!(is_date("29.02.2024"));
        assert!(!is_date("29.02.2023"));
        assert!(!is_date("31.04.2020"));
        assert!(!is_date("1.1.2020"));
        assert!(!is_date("01-01-2020"));
    }

    #[test]
    fn checks() {
        assert!(check(CommandKind::Get, "cnt", "1000").is_ok());
        assert_eq!(check(CommandKind::Get, "cnt", "1001").unwrap_err().kind, BuildErrorKind::CountTooLarge);
        assert_eq!(check(CommandKind::Get, "cnt", "99999999999").unwrap_err().kind, BuildErrorKind::CountTooLarge);
        assert_eq!(check(CommandKind::Get, "cnt", "-1").unwrap_err().kind, BuildErrorKind::NotNumeric);
        assert!(check(CommandKind::Add, "grp", "1,2, 3").is_ok());
        assert_eq!(check(CommandKind::DelGroup, "grp", "1,2").unwrap_err().kind, BuildErrorKind::NotNumeric);
        assert_eq!(check(CommandKind::AddGroup, "type", "2").unwrap_err().kind, BuildErrorKind::InvalidType);
        assert!(check(CommandKind::AddBlack, "type", "2").is_ok());
        assert_eq!(check(CommandKind::Add, "phone", " ").unwrap_err().kind, BuildErrorKind::Empty);
    }
}
