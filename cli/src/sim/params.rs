//! Reading a request: standard `application/x-www-form-urlencoded` decoding (any client's
//! queries, not only this codec's), the command flag, and the server's checks on the values
//! (the codec's own [`Params`], which holds them).

use smsc_codec::{BuildErrorKind, CommandKind, Endpoint, Fmt, MoveMode, Params, Request};

use super::ApiCode;

/// Decodes a form body or query string as a PHP server does: pairs split on `&`, the name and
/// value on the first `=`, `+` is a space, `%XX` a byte; a `%` not followed by two hex digits
/// stays as it is, and invalid UTF-8 becomes U+FFFD. Never fails.
///
/// ```
/// use smsc_codec_cli::sim::decode_form;
///
/// let pairs = decode_form(b"phone=%2B7999&name=a+b%20c&bad=%zz&flag");
/// let expected = [("phone", "+7999"), ("name", "a b c"), ("bad", "%zz"), ("flag", "")];
/// assert_eq!(pairs, expected.map(|(n, v)| (n.to_owned(), v.to_owned())));
/// ```
pub fn decode_form(input: &[u8]) -> Vec<(String, String)> {
    input
        .split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            (unescape(name), unescape(value))
        })
        .collect()
}

fn unescape(text: &[u8]) -> String {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'+' => out.push(b' '),
            b'%' => match (text.get(i + 1).and_then(|&b| hex(b)), text.get(i + 2).and_then(|&b| hex(b))) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A request's pairs, with the common parameters read.
pub(crate) struct Parsed<'a> {
    pairs: &'a [(String, String)],
    /// The response format (0 when absent or invalid, as the server defaults).
    pub fmt: Fmt,
}

/// A validated command: its kind, the mode of `move_group`, and its values by phones.php name.
#[derive(Debug)]
pub(crate) struct Command<'a> {
    pub kind: CommandKind,
    pub mode: MoveMode,
    values: Vec<(&'a str, &'a str)>,
}

impl<'a> Command<'a> {
    /// The value of a parameter (phones.php name); the last one wins, as in PHP.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.values.iter().rev().find(|(n, _)| *n == name).map(|&(_, v)| v)
    }
}

impl<'a> Parsed<'a> {
    pub fn new(pairs: &'a [(String, String)]) -> Self {
        let mut parsed = Self { pairs, fmt: Fmt::KeyValue };
        parsed.fmt = super::fmt_of(parsed.get("fmt"));
        parsed
    }

    /// The last value of `name`.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.pairs.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The command, checked as the server checks it: error 1 for no command, a bad value or a
    /// missing required parameter; error 5 for a group name of only spaces. Parameters the
    /// command does not take are ignored, as a PHP script ignores them.
    pub fn command(&self, endpoint: Endpoint) -> Result<Command<'a>, ApiCode> {
        let truthy = |v: &str| !v.is_empty() && v != "0";
        let (kind, flag) = CommandKind::ALL
            .into_iter()
            .find_map(|kind| self.get(kind.wire()).filter(|v| truthy(v)).map(|v| (kind, v)))
            .ok_or(ApiCode::Parameters)?;
        let mode = match kind {
            CommandKind::MoveGroup => MoveMode::from_wire(flag.trim()).ok_or(ApiCode::Parameters)?,
            _ => MoveMode::Replace,
        };
        let mut params = Params::new(kind, endpoint);
        params.set_mode(mode);
        let mut values = Vec::new();
        for (name, value) in self.pairs {
            if name == "mode" {
                continue;
            }
            match params.set(name, value) {
                Ok(()) => {}
                Err(err) if matches!(err.kind, BuildErrorKind::UnknownParam | BuildErrorKind::WrongEndpoint) => {
                    continue
                }
                Err(err)
                    if err.kind == BuildErrorKind::Empty
                        && err.param == "name"
                        && matches!(kind, CommandKind::AddGroup | CommandKind::ChangeGroup) =>
                {
                    return Err(ApiCode::Failed)
                }
                Err(_) => return Err(ApiCode::Parameters),
            }
            let name = match name.as_str() {
                "mail" => "phone",
                "new_mail" => "new_phone",
                other => other,
            };
            values.push((name, value.as_str()));
        }
        Request::without_auth(params).validate().map_err(|_| ApiCode::Parameters)?;
        Ok(Command { kind, mode, values })
    }
}
