//! Requests: the common parameters (endpoint, auth, fmt), one type per command, and
//! [`Request`], which validates a command and writes its query or form body.

mod blacklist;
mod contacts;
mod groups;
mod params;
pub(crate) mod spec;

use core::fmt;

pub use blacklist::{AddBlacklistEntry, BlockType, DeleteBlacklistEntry, GetBlacklist};
pub use contacts::{AddContact, ChangeContact, DeleteContact, GetContacts};
pub use groups::{AddGroup, ChangeGroup, DeleteGroup, GetGroups, GroupType, MoveGroup, MoveMode};
pub use params::Params;

use crate::error::{BuildError, BuildErrorKind};
use crate::query::{Out, QueryWriter};

/// The response format asked for with `fmt`.
///
/// ```
/// use smsc_codec::{Auth, Endpoint, Fmt, GetGroups, Request};
///
/// let query = Request::new(Auth::api_key("k"), GetGroups::new(Endpoint::Phones)).fmt(Fmt::Csv).to_heapless::<256>()?;
/// assert_eq!(query, "get_group=1&apikey=k&fmt=1&charset=utf-8");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fmt {
    /// 0: `key = value` text (the server's default).
    KeyValue,
    /// 1: comma-separated values.
    Csv,
    /// 2: XML.
    Xml,
    /// 3: JSON.
    Json,
}

impl Fmt {
    /// The `fmt` number.
    ///
    /// ```
    /// use smsc_codec::Fmt;
    ///
    /// assert_eq!(Fmt::Xml.wire(), 2);
    /// assert_eq!(Fmt::from_wire(3), Some(Fmt::Json));
    /// ```
    pub const fn wire(self) -> u8 {
        match self {
            Self::KeyValue => 0,
            Self::Csv => 1,
            Self::Xml => 2,
            Self::Json => 3,
        }
    }

    /// The format for a `fmt` number.
    pub const fn from_wire(n: u8) -> Option<Self> {
        match n {
            0 => Some(Self::KeyValue),
            1 => Some(Self::Csv),
            2 => Some(Self::Xml),
            3 => Some(Self::Json),
            _ => None,
        }
    }

    /// The `fmt` number as the query writes it.
    const fn wire_str(self) -> &'static str {
        match self {
            Self::KeyValue => "0",
            Self::Csv => "1",
            Self::Xml => "2",
            Self::Json => "3",
        }
    }
}

/// Which script a command goes to.
///
/// ```
/// use smsc_codec::{AddContact, Auth, Endpoint, Request};
///
/// let request = Request::new(Auth::api_key("k"), AddContact::mail("a@example.com"));
/// assert_eq!(request.path(), Endpoint::Mails.path());
/// assert_eq!(Endpoint::default().path(), "/sys/phones.php");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Endpoint {
    /// `/sys/phones.php`: phone contacts, groups and blacklist.
    #[default]
    Phones,
    /// `/sys/mails.php`: e-mail contacts, groups and blacklist (`mail` for `phone`).
    Mails,
}

impl Endpoint {
    /// The path on the SMSC host.
    pub const fn path(self) -> &'static str {
        match self {
            Self::Phones => "/sys/phones.php",
            Self::Mails => "/sys/mails.php",
        }
    }
}

/// How a request authenticates. `Debug` never shows the password, digest or key.
///
/// ```
/// use smsc_codec::{Auth, BuildErrorKind, Endpoint, GetGroups, Request};
///
/// let get = GetGroups::new(Endpoint::Phones);
/// let md5 = Auth::md5("login", "5f4dcc3b5aa765d61d8327deb882cf99");
/// assert!(Request::new(md5, get).to_heapless::<128>()?.contains("&login=login&psw=5f4dcc3b5aa765d61d8327deb882cf99&"));
/// assert_eq!(format!("{md5:?}"), r#"PasswordMd5 { login: "login", md5_hex: "<redacted>" }"#);
/// let upper = Request::new(Auth::md5("login", "5F4DCC3B5AA765D61D8327DEB882CF99"), get).validate();
/// assert_eq!(upper.unwrap_err().kind, BuildErrorKind::InvalidDigest);
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Auth<'a> {
    /// Login and password.
    Password {
        /// The login.
        login: &'a str,
        /// The password.
        password: &'a str,
    },
    /// Login and the lower-case hex MD5 of the password, which the server accepts as `psw`.
    /// Upper-case digits are refused rather than sent: the documented form is lower case.
    PasswordMd5 {
        /// The login.
        login: &'a str,
        /// 32 hexadecimal digits.
        md5_hex: &'a str,
    },
    /// An API key instead of login and password.
    ApiKey(&'a str),
}

impl<'a> Auth<'a> {
    /// Login and password.
    pub const fn password(login: &'a str, password: &'a str) -> Self {
        Self::Password { login, password }
    }

    /// Login and the hex MD5 digest of the password (checked when the request is written).
    pub const fn md5(login: &'a str, md5_hex: &'a str) -> Self {
        Self::PasswordMd5 { login, md5_hex }
    }

    /// An API key.
    pub const fn api_key(key: &'a str) -> Self {
        Self::ApiKey(key)
    }

    fn validate(&self) -> Result<(), BuildError> {
        let empty = |param| Err(BuildError::invalid(BuildErrorKind::Empty, param));
        match *self {
            Self::Password { login, .. } | Self::PasswordMd5 { login, .. } if login.is_empty() => empty("login"),
            Self::Password { password: "", .. } => empty("psw"),
            Self::PasswordMd5 { md5_hex, .. }
                if md5_hex.len() != 32 || !md5_hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) =>
            {
                Err(BuildError::invalid(BuildErrorKind::InvalidDigest, "psw"))
            }
            Self::ApiKey("") => empty("apikey"),
            _ => Ok(()),
        }
    }

    fn write(&self, out: &mut QueryWriter<'_>) -> fmt::Result {
        match *self {
            Self::Password { login, password: psw } | Self::PasswordMd5 { login, md5_hex: psw } => {
                out.pair("login", login)?;
                out.pair("psw", psw)
            }
            Self::ApiKey(key) => out.pair("apikey", key),
        }
    }
}

impl fmt::Debug for Auth<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Password { login, .. } => {
                f.debug_struct("Password").field("login", login).field("password", &"<redacted>").finish()
            }
            Self::PasswordMd5 { login, .. } => {
                f.debug_struct("PasswordMd5").field("login", login).field("md5_hex", &"<redacted>").finish()
            }
            Self::ApiKey(_) => f.debug_tuple("ApiKey").field(&"<redacted>").finish(),
        }
    }
}

/// The twelve commands of the contacts API. Each variant is named as its command type
/// ([`AddContact`], [`GetBlacklist`]...); [`wire`](Self::wire) gives the flag the server reads.
///
/// ```
/// use smsc_codec::{CommandKind, Endpoint, ListKind, ResponseKind};
///
/// let kind = CommandKind::from_wire("get").unwrap();
/// assert_eq!(kind, CommandKind::GetContacts);
/// assert_eq!(kind.response(), ResponseKind::List(ListKind::Contacts));
/// let required: Vec<&str> = CommandKind::ChangeGroup.params(Endpoint::Phones).filter(|p| p.1).map(|p| p.0).collect();
/// assert_eq!(required, ["grp", "name"]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommandKind {
    /// `add`: create a contact ([`AddContact`]).
    AddContact,
    /// `add_group`: create a group ([`AddGroup`]).
    AddGroup,
    /// `chg`: change a contact ([`ChangeContact`]).
    ChangeContact,
    /// `chg_group`: change a group ([`ChangeGroup`]).
    ChangeGroup,
    /// `move_group`: move a contact to a group, add or remove a group ([`MoveGroup`]).
    MoveGroup,
    /// `del`: delete a contact ([`DeleteContact`]).
    DeleteContact,
    /// `del_group`: delete a group ([`DeleteGroup`]).
    DeleteGroup,
    /// `get`: list contacts ([`GetContacts`]).
    GetContacts,
    /// `get_group`: list groups ([`GetGroups`]).
    GetGroups,
    /// `add_black`: add to the blacklist ([`AddBlacklistEntry`]).
    AddBlacklistEntry,
    /// `del_black`: remove from the blacklist ([`DeleteBlacklistEntry`]).
    DeleteBlacklistEntry,
    /// `get_black`: list the blacklist ([`GetBlacklist`]).
    GetBlacklist,
}

impl CommandKind {
    /// Every command.
    pub const ALL: [CommandKind; 12] = [
        Self::AddContact,
        Self::AddGroup,
        Self::ChangeContact,
        Self::ChangeGroup,
        Self::MoveGroup,
        Self::DeleteContact,
        Self::DeleteGroup,
        Self::GetContacts,
        Self::GetGroups,
        Self::AddBlacklistEntry,
        Self::DeleteBlacklistEntry,
        Self::GetBlacklist,
    ];

    /// The wire flag (`add`, `get_group`...).
    ///
    /// ```
    /// use smsc_codec::CommandKind;
    ///
    /// assert_eq!(CommandKind::ChangeGroup.wire(), "chg_group");
    /// assert_eq!(CommandKind::from_wire("get_black"), Some(CommandKind::GetBlacklist));
    /// ```
    pub const fn wire(self) -> &'static str {
        match self {
            Self::AddContact => "add",
            Self::AddGroup => "add_group",
            Self::ChangeContact => "chg",
            Self::ChangeGroup => "chg_group",
            Self::MoveGroup => "move_group",
            Self::DeleteContact => "del",
            Self::DeleteGroup => "del_group",
            Self::GetContacts => "get",
            Self::GetGroups => "get_group",
            Self::AddBlacklistEntry => "add_black",
            Self::DeleteBlacklistEntry => "del_black",
            Self::GetBlacklist => "get_black",
        }
    }

    /// The command for a wire flag.
    pub fn from_wire(flag: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.wire() == flag)
    }

    /// What the server answers on success.
    pub const fn response(self) -> ResponseKind {
        match self {
            Self::AddContact | Self::AddGroup | Self::AddBlacklistEntry => ResponseKind::Created,
            Self::ChangeContact
            | Self::ChangeGroup
            | Self::MoveGroup
            | Self::DeleteContact
            | Self::DeleteGroup
            | Self::DeleteBlacklistEntry => ResponseKind::Done,
            Self::GetContacts => ResponseKind::List(crate::ListKind::Contacts),
            Self::GetGroups => ResponseKind::List(crate::ListKind::Groups),
            Self::GetBlacklist => ResponseKind::List(crate::ListKind::Blacklist),
        }
    }

    /// The wire names of the parameters the command takes on `endpoint`, in the order they
    /// are written, with whether each is required.
    pub fn params(self, endpoint: Endpoint) -> impl Iterator<Item = (&'static str, bool)> {
        spec::params(self).iter().map(move |p| (spec::wire_name(p.name, endpoint), p.required))
    }
}

/// The shape of a successful answer.
///
/// ```
/// use smsc_codec::{CommandKind, ResponseKind};
///
/// assert_eq!(CommandKind::AddBlacklistEntry.response(), ResponseKind::Created);
/// assert_eq!(CommandKind::MoveGroup.response(), ResponseKind::Done);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResponseKind {
    /// The new record's id (`add`, `add_group`, `add_black`).
    Created,
    /// `OK` (changes and deletions).
    Done,
    /// A list.
    List(crate::ListKind),
}

/// A command that a [`Request`] can write. Implemented by the command types and [`Params`],
/// and sealed: every command goes through the checks of its parameter table.
///
/// Code generic over commands takes `C: Command`:
///
/// ```
/// use smsc_codec::{Auth, Command, DeleteContact, Fmt, GetGroups, Endpoint, Request};
///
/// fn url<C: Command>(host: &str, command: C) -> Result<String, smsc_codec::BuildError> {
///     let request = Request::new(Auth::api_key("k"), command).fmt(Fmt::Xml);
///     Ok(format!("https://{host}{}?{}", request.path(), request.to_heapless::<256>()?))
/// }
/// assert!(url("smsc.ua", GetGroups::new(Endpoint::Phones))?.starts_with("https://smsc.ua/sys/phones.php?get_group=1&"));
/// assert!(url("smsc.ua", DeleteContact::mail("a@b.c"))?.contains("mails.php?del=1&"));
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
///
/// Sealed: a command of one's own would skip the parameter checks.
///
/// ```compile_fail
/// struct Mine;
/// impl smsc_codec::Command for Mine {
///     fn kind(&self) -> smsc_codec::CommandKind { smsc_codec::CommandKind::GetGroups }
///     fn endpoint(&self) -> smsc_codec::Endpoint { smsc_codec::Endpoint::Phones }
///     fn for_each_param(
///         &self,
///         _: &mut dyn FnMut(&'static str, &str) -> Result<(), smsc_codec::BuildError>,
///     ) -> Result<(), smsc_codec::BuildError> { Ok(()) }
/// }
/// ```
pub trait Command: sealed::Sealed {
    /// Which command.
    fn kind(&self) -> CommandKind;

    /// Which endpoint it goes to.
    fn endpoint(&self) -> Endpoint;

    /// The value of the command flag: `1`, or the mode of `move_group`.
    fn flag(&self) -> &'static str {
        "1"
    }

    /// Calls `f` with each parameter that is set, by its phones.php name, in the order of
    /// [`CommandKind::params`].
    fn for_each_param(&self, f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>)
        -> Result<(), BuildError>;
}

/// A command with its authentication and response format, ready to write.
///
/// ```
/// use smsc_codec::{AddContact, Auth, Fmt, Request};
///
/// let add = AddContact::phone("79999999999").name("Contact").groups("321");
/// let request = Request::new(Auth::password("login", "secret"), add).fmt(Fmt::Json);
///
/// let mut buf = [0u8; 256];
/// let len = request.write_query(&mut buf)?;
/// assert_eq!(request.path(), "/sys/phones.php");
/// assert_eq!(
///     &buf[..len],
///     b"add=1&login=login&psw=secret&fmt=3&charset=utf-8&phone=79999999999&name=Contact&grp=321"
/// );
/// assert!(!format!("{request:?}").contains("secret"));
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Request<'a, C> {
    auth: Option<Auth<'a>>,
    fmt: Fmt,
    command: C,
}

/// The `Content-Type` of a POST body.
///
/// ```
/// use smsc_codec::{AddContact, Auth, Request, FORM_CONTENT_TYPE};
///
/// let long = "x".repeat(3000);
/// let request = Request::new(Auth::api_key("k"), AddContact::phone("79991112233").comment(&long));
/// assert!(request.prefers_post("smsc.ua")?);
/// let mut body = vec![0u8; request.query_len()?];
/// request.write_query(&mut body)?;
/// // POST https://smsc.ua/sys/phones.php, `Content-Type: {FORM_CONTENT_TYPE}`, `body`.
/// assert_eq!(FORM_CONTENT_TYPE, "application/x-www-form-urlencoded");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Longer URLs go as POST, as the official libraries do.
const MAX_GET_URL: usize = 2000;

impl<'a, C: Command> Request<'a, C> {
    /// A request asking for JSON (fmt=3).
    pub const fn new(auth: Auth<'a>, command: C) -> Self {
        Self { auth: Some(auth), fmt: Fmt::Json, command }
    }

    /// A request without credentials, for a proxy or worker that adds them on the way.
    pub const fn without_auth(command: C) -> Self {
        Self { auth: None, fmt: Fmt::Json, command }
    }

    /// Asks for another response format.
    #[must_use]
    pub const fn fmt(mut self, fmt: Fmt) -> Self {
        self.fmt = fmt;
        self
    }

    /// The response format asked for.
    pub const fn response_fmt(&self) -> Fmt {
        self.fmt
    }

    /// The command.
    pub const fn command(&self) -> &C {
        &self.command
    }

    /// The path: `/sys/phones.php` or `/sys/mails.php`.
    pub fn path(&self) -> &'static str {
        self.command.endpoint().path()
    }

    /// Checks every value as the server would, and that every required parameter is set.
    pub fn validate(&self) -> Result<(), BuildError> {
        validate(self.auth.as_ref(), &self.command)
    }

    /// Writes the query (also the POST form body) into `out`, after [`validate`](Self::validate).
    /// A failing `out` gives [`BuildErrorKind::WriteFailed`].
    pub fn write_to(&self, out: &mut dyn fmt::Write) -> Result<(), BuildError> {
        write(self.auth.as_ref(), self.fmt, &self.command, &mut QueryWriter::new(Out::Fmt(out)))
    }

    /// The length of the query in bytes.
    pub fn query_len(&self) -> Result<usize, BuildError> {
        // Writing into no bytes at all only counts.
        match write_slice(self.auth.as_ref(), self.fmt, &self.command, None, &mut []) {
            Ok(len) => Ok(len),
            Err(err) if err.kind == BuildErrorKind::BufferTooSmall => Ok(err.needed),
            Err(err) => Err(err),
        }
    }

    /// Writes the query into `buf` and returns its length; when `buf` is too short the error
    /// says how many bytes are needed. The same bytes are the POST form body, sent with
    /// [`FORM_CONTENT_TYPE`] when [`prefers_post`](Self::prefers_post) says so.
    pub fn write_query(&self, buf: &mut [u8]) -> Result<usize, BuildError> {
        write_slice(self.auth.as_ref(), self.fmt, &self.command, None, buf)
    }

    /// Writes `<path>?<query>` into `buf`, for a GET request.
    pub fn write_path_and_query(&self, buf: &mut [u8]) -> Result<usize, BuildError> {
        write_slice(self.auth.as_ref(), self.fmt, &self.command, Some(self.path()), buf)
    }

    /// The query as a fixed-capacity string.
    pub fn to_heapless<const N: usize>(&self) -> Result<heapless::String<N>, BuildError> {
        let mut out = heapless::String::new();
        match self.write_to(&mut out) {
            // A `heapless::String` fails only when full; only then is the size counted.
            Err(err) if err.kind == BuildErrorKind::WriteFailed => {
                Err(BuildError::output(BuildErrorKind::BufferTooSmall, self.query_len()?))
            }
            result => result.map(|()| out),
        }
    }

    /// The query as a `String`.
    #[cfg(feature = "alloc")]
    pub fn to_query_string(&self) -> Result<alloc::string::String, BuildError> {
        let mut out = alloc::string::String::new();
        self.write_to(&mut out)?;
        Ok(out)
    }

    /// Whether the request should go as a POST form body: when `https://<host><path>?<query>`
    /// would exceed 2000 characters, as the official libraries decide.
    pub fn prefers_post(&self, host: &str) -> Result<bool, BuildError> {
        Ok("https://".len() + host.len() + self.path().len() + 1 + self.query_len()? > MAX_GET_URL)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::AddContact<'_> {}
    impl Sealed for super::ChangeContact<'_> {}
    impl Sealed for super::DeleteContact<'_> {}
    impl Sealed for super::GetContacts<'_> {}
    impl Sealed for super::AddGroup<'_> {}
    impl Sealed for super::ChangeGroup<'_> {}
    impl Sealed for super::MoveGroup<'_> {}
    impl Sealed for super::DeleteGroup<'_> {}
    impl Sealed for super::GetGroups {}
    impl Sealed for super::AddBlacklistEntry<'_> {}
    impl Sealed for super::DeleteBlacklistEntry<'_> {}
    impl Sealed for super::GetBlacklist<'_> {}
    impl Sealed for super::Params<'_> {}
}

// The work behind `Request`, once for every command type rather than once per type.

fn validate(auth: Option<&Auth<'_>>, command: &dyn Command) -> Result<(), BuildError> {
    if let Some(auth) = auth {
        auth.validate()?;
    }
    let table = spec::params(command.kind());
    let (mut seen, mut next) = (0u32, 0);
    command.for_each_param(&mut |name, value| {
        // Parameters come in table order, so the search starts after the last one found.
        let search = |from| table.iter().enumerate().skip(from).find(|(_, p)| spec::same_name(p.name, name));
        if let Some((i, param)) = search(next).or_else(|| search(0)) {
            spec::check(param, value)?;
            seen |= 1 << i;
            next = i + 1;
        }
        Ok(())
    })?;
    for (i, param) in table.iter().enumerate() {
        if param.required && seen & (1 << i) == 0 {
            return Err(BuildError::invalid(BuildErrorKind::Empty, spec::wire_name(param.name, command.endpoint())));
        }
    }
    Ok(())
}

fn write(
    auth: Option<&Auth<'_>>,
    fmt: Fmt,
    command: &dyn Command,
    query: &mut QueryWriter<'_>,
) -> Result<(), BuildError> {
    validate(auth, command)?;
    // Only a `fmt::Write` fails (a slice counts what does not fit).
    let failed = |_| BuildError::output(BuildErrorKind::WriteFailed, 0);
    let endpoint = command.endpoint();
    query.pair(command.kind().wire(), command.flag()).map_err(failed)?;
    if let Some(auth) = auth {
        auth.write(query).map_err(failed)?;
    }
    query.pair("fmt", fmt.wire_str()).map_err(failed)?;
    query.pair("charset", "utf-8").map_err(failed)?;
    command.for_each_param(&mut |name, value| query.pair(spec::wire_name(name, endpoint), value).map_err(failed))
}

/// Writes the query into `buf`, after `prefix` (the path and `?`) when given.
fn write_slice(
    auth: Option<&Auth<'_>>,
    fmt: Fmt,
    command: &dyn Command,
    prefix: Option<&str>,
    buf: &mut [u8],
) -> Result<usize, BuildError> {
    let mut query = QueryWriter::new(Out::slice(buf));
    if let Some(path) = prefix {
        // A slice never fails: it counts what does not fit.
        let _ = query.out.raw(path);
        let _ = query.out.raw("?");
    }
    write(auth, fmt, command, &mut query)?;
    query.out.slice_len().map_err(|needed| BuildError::output(BuildErrorKind::BufferTooSmall, needed))
}

/// Generates the optional-parameter setters of a command type.
macro_rules! setters {
    ($($(#[$doc:meta])* $method:ident => $field:ident;)*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub const fn $method(mut self, value: &'a str) -> Self {
                self.$field = Some(value);
                self
            }
        )*
    };
}
pub(crate) use setters;

/// Calls `f` for each `(name, Some(value))`.
pub(crate) fn emit(
    pairs: &[(&'static str, Option<&str>)],
    f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
) -> Result<(), BuildError> {
    for &(name, value) in pairs {
        if let Some(value) = value {
            f(name, value)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A command that gives its parameters out of table order (no command of the crate does)
    /// is checked the same: the validator only starts its search where the last one was found.
    #[test]
    fn parameters_out_of_order_are_checked() {
        struct Backwards<'a>(&'a [(&'static str, &'a str)]);
        impl sealed::Sealed for Backwards<'_> {}
        impl Command for Backwards<'_> {
            fn kind(&self) -> CommandKind {
                CommandKind::AddContact
            }
            fn endpoint(&self) -> Endpoint {
                Endpoint::Phones
            }
            fn for_each_param(
                &self,
                f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
            ) -> Result<(), BuildError> {
                self.0.iter().try_for_each(|&(name, value)| f(name, value))
            }
        }
        let auth = Auth::password("l", "p");
        let error = |pairs| {
            Request::new(auth, Backwards(pairs)).validate().map_err(|e| (e.kind, e.param.as_str().len(), e.param))
        };
        let fails = |pairs, kind, name: &str| {
            let err = error(pairs).unwrap_err();
            assert_eq!((err.0, err.2.as_str()), (kind, name));
        };
        fails(&[("bd", "01.01.2000"), ("grp", "1,x"), ("phone", "1")], BuildErrorKind::InvalidIdList, "grp");
        fails(&[("bd", "01.01.2000"), ("grp", "1")], BuildErrorKind::Empty, "phone");
        fails(&[("pho", "2"), ("bd", "1.1.2000"), ("phone", "1")], BuildErrorKind::InvalidDate, "bd");
        assert!(error(&[("bd", "01.01.2000"), ("grp", "1"), ("phone", "1")]).is_ok());
        let query = Request::new(auth, Backwards(&[("name", "N"), ("phone", "+1")])).to_heapless::<96>();
        assert_eq!(query.unwrap(), "add=1&login=l&psw=p&fmt=3&charset=utf-8&name=N&phone=%2B1");
    }

    /// A `fmt::Write` that fails is told apart from a short buffer.
    #[test]
    fn a_failing_writer_is_write_failed() {
        struct Refuses;
        impl fmt::Write for Refuses {
            fn write_str(&mut self, _: &str) -> fmt::Result {
                Err(fmt::Error)
            }
        }
        let request = Request::new(Auth::api_key("k"), GetGroups::new(Endpoint::Phones));
        let err = request.write_to(&mut Refuses).unwrap_err();
        assert_eq!((err.kind, err.needed, err.param.as_str()), (BuildErrorKind::WriteFailed, 0, ""));
        // A heapless string fails only when full: that is a short buffer, with its size.
        let short = request.to_heapless::<8>().unwrap_err();
        assert_eq!((short.kind, short.needed), (BuildErrorKind::BufferTooSmall, request.query_len().unwrap()));
    }
}
