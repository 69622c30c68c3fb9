//! The public error types. nom's types never appear here: a nom upgrade is not a breaking change.

use core::fmt;

use crate::text::Text;

/// Why a body could not be decoded. Small, `Copy`, with a static message.
///
/// ```
/// use smsc_codec::{decode, DecodeErrorKind, Fmt};
///
/// let err = decode::created(b"{\"id\": \"12", Fmt::Json).unwrap_err().malformed().unwrap();
/// assert_eq!((err.kind, err.offset), (DecodeErrorKind::UnexpectedEnd, 10));
/// assert_eq!(err.kind.message(), "unexpected end of body");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The body ended inside a value, a record or a list.
    UnexpectedEnd,
    /// A byte that the format does not allow at this place (in XML also what is not
    /// well-formed: a bad name, a repeated attribute, `--` in a comment, `]]>` in text...).
    UnexpectedByte,
    /// Text that is not valid UTF-8.
    InvalidUtf8,
    /// A JSON escape that is not one of `\" \\ \/ \b \f \n \r \t \uXXXX`.
    InvalidEscape,
    /// A JSON `\uD800`..`\uDFFF` escape without its other half.
    LoneSurrogate,
    /// An XML entity or character reference that is unknown, or refers to a character XML does
    /// not allow (a control character, a surrogate, U+FFFE, U+FFFF, past U+10FFFF).
    InvalidCharRef,
    /// An XML closing tag that does not match its opening tag.
    MismatchedTag,
    /// A known field holds an object, an array or child elements instead of a scalar.
    NotAScalar,
    /// A fmt=0 line that is not a sequence of `key = value` pairs.
    NotKeyValue,
    /// A fmt=0 or fmt=1 line that can be split into fields in more than one way.
    AmbiguousLine,
    /// A line that cannot be split into the fields of its record in any way.
    FieldMismatch,
    /// The body has a different shape than the command's response (for example a list where an
    /// id was expected).
    UnexpectedShape,
    /// Bytes after the end of the response.
    TrailingData,
    /// An error code that is not a number.
    InvalidErrorCode,
    /// Nesting deeper than [`Limits::max_depth`](crate::Limits::max_depth).
    DepthLimit,
    /// A record longer than [`Limits::max_record_len`](crate::Limits::max_record_len).
    RecordTooLong,
    /// A record with more fields than [`Limits::max_fields`](crate::Limits::max_fields).
    TooManyFields,
    /// A value longer than [`Limits::max_value_len`](crate::Limits::max_value_len).
    ValueTooLong,
    /// A known field (or an answer's `id`, `result`, `error`, `error_code`) that appears twice
    /// in one JSON object or XML element: which one would count is not for a decoder to guess.
    DuplicateField,
    /// The fmt's cargo feature (`kv`, `csv`, `xml`, `json`) is not enabled in this build.
    FmtDisabled,
}

impl DecodeErrorKind {
    /// A short static description.
    pub const fn message(self) -> &'static str {
        match self {
            Self::UnexpectedEnd => "unexpected end of body",
            Self::UnexpectedByte => "unexpected byte",
            Self::InvalidUtf8 => "invalid UTF-8",
            Self::InvalidEscape => "invalid JSON escape",
            Self::LoneSurrogate => "lone UTF-16 surrogate in JSON escape",
            Self::InvalidCharRef => "invalid XML entity or character reference",
            Self::MismatchedTag => "mismatched XML closing tag",
            Self::NotAScalar => "field holds a structure instead of a scalar",
            Self::NotKeyValue => "line is not `key = value` pairs",
            Self::AmbiguousLine => "line splits into fields in more than one way",
            Self::FieldMismatch => "line does not split into the record's fields",
            Self::UnexpectedShape => "body has a different shape than the response expected",
            Self::TrailingData => "data after the end of the response",
            Self::InvalidErrorCode => "error code is not a number",
            Self::DepthLimit => "nesting depth limit exceeded",
            Self::RecordTooLong => "record length limit exceeded",
            Self::TooManyFields => "field count limit exceeded",
            Self::ValueTooLong => "value length limit exceeded",
            Self::DuplicateField => "field appears twice in one record",
            Self::FmtDisabled => "this fmt's cargo feature is not enabled",
        }
    }
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A malformed body: what is wrong and at which byte offset of the body.
///
/// With the streaming [`ListDecoder`](crate::ListDecoder) the offset counts from the first byte
/// ever fed, not from the start of the current buffer.
///
/// ```
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// let body = b"<list><contact><phone>1</phone></contact><contact><phone>2</name></contact></list>";
/// let err = decode::contacts(body, Fmt::Xml, Endpoint::Phones).unwrap().nth(1).unwrap().unwrap_err();
/// assert_eq!(&body[err.offset..err.offset + 7], b"</name>");
/// println!("{err}"); // what went wrong, and at which byte
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DecodeError {
    /// What is wrong.
    pub kind: DecodeErrorKind,
    /// The byte offset in the body where it was found.
    pub offset: usize,
}

impl DecodeError {
    pub(crate) const fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

impl core::error::Error for DecodeError {}

/// The error code of an API error.
///
/// The same numbers mean other things on other SMSC endpoints; these are the contacts API's.
///
/// ```
/// use smsc_codec::{decode, Endpoint, ErrorCode, Fmt};
///
/// let err = decode::contacts(b"ERROR = 9 (duplicate request, wait a minute)", Fmt::KeyValue, Endpoint::Phones).unwrap_err();
/// let code = err.api().unwrap().code;
/// assert_eq!(code, ErrorCode::RateLimited);
/// assert!(code.is_retryable());
/// assert_eq!(code.to_string(), "9 (too many identical or concurrent requests)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// 1: error in the parameters.
    Parameters,
    /// 2: wrong login or password, or an IP address outside the allowed list.
    Auth,
    /// 3: no records found; also how the server answers an empty list.
    NotFound,
    /// 4: the IP address is temporarily blocked.
    IpBlocked,
    /// 5: the operation failed (a duplicate group `num`, a name of only a space...).
    Failed,
    /// 9: too many identical or concurrent requests.
    RateLimited,
    /// Any other code.
    Other(u16),
}

impl ErrorCode {
    /// The code for a number; every number is a code (`Other` for those not listed).
    ///
    /// ```
    /// use smsc_codec::ErrorCode;
    ///
    /// assert_eq!(ErrorCode::from_wire(9), ErrorCode::RateLimited);
    /// assert_eq!(ErrorCode::from_wire(7).wire(), 7);
    /// ```
    pub const fn from_wire(code: u16) -> Self {
        match code {
            1 => Self::Parameters,
            2 => Self::Auth,
            3 => Self::NotFound,
            4 => Self::IpBlocked,
            5 => Self::Failed,
            9 => Self::RateLimited,
            other => Self::Other(other),
        }
    }

    /// The number on the wire.
    pub const fn wire(self) -> u16 {
        match self {
            Self::Parameters => 1,
            Self::Auth => 2,
            Self::NotFound => 3,
            Self::IpBlocked => 4,
            Self::Failed => 5,
            Self::RateLimited => 9,
            Self::Other(other) => other,
        }
    }

    /// Whether the same request can succeed later: true for 4 (IP blocked for a while) and 9
    /// (rate limit), false for everything else.
    pub const fn is_retryable(self) -> bool {
        matches!(self, Self::IpBlocked | Self::RateLimited)
    }

    /// A short static description of the code on this endpoint.
    pub const fn message(self) -> &'static str {
        match self {
            Self::Parameters => "error in the parameters",
            Self::Auth => "wrong login or password, or IP address not allowed",
            Self::NotFound => "no records found",
            Self::IpBlocked => "IP address temporarily blocked",
            Self::Failed => "operation failed",
            Self::RateLimited => "too many identical or concurrent requests",
            Self::Other(_) => "unknown error code",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.wire(), self.message())
    }
}

/// An error answered by the server, in any fmt.
///
/// ```
/// use smsc_codec::{decode, ErrorCode, Fmt};
///
/// let body = b"<result><error>authorise error</error><error_code>2</error_code></result>";
/// let err = decode::done(body, Fmt::Xml).unwrap_err();
/// let api = err.api().unwrap();
/// assert_eq!((api.code, api.description.unwrap()), (ErrorCode::Auth, smsc_codec::Text::plain("authorise error")));
/// assert!(!api.is_retryable());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiError<'a> {
    /// The typed code.
    pub code: ErrorCode,
    /// The server's description, when the body carries one (fmt=1 does not).
    pub description: Option<Text<'a>>,
}

impl ApiError<'_> {
    /// Whether the same request can succeed later (see [`ErrorCode::is_retryable`]).
    pub const fn is_retryable(&self) -> bool {
        self.code.is_retryable()
    }

    /// Whether this is error 3, which a list command answers for an empty list.
    pub const fn is_not_found(&self) -> bool {
        matches!(self.code, ErrorCode::NotFound)
    }
}

impl fmt::Display for ApiError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SMSC error {}", self.code.wire())?;
        match &self.description {
            Some(text) => write!(f, ": {text}"),
            None => write!(f, ": {}", self.code.message()),
        }
    }
}

impl core::error::Error for ApiError<'_> {}

/// Why decoding a response failed: the server answered an error, or the body is malformed.
///
/// "Need more bytes" is never an error: the streaming decoder reports it as
/// [`Event::NeedMore`](crate::Event::NeedMore).
///
/// ```
/// use smsc_codec::{decode, Endpoint, Error, Fmt};
///
/// match decode::blacklist(b"0,-3", Fmt::Csv, Endpoint::Phones) {
///     Ok(entries) => println!("{} entries", entries.count()),
///     Err(Error::Api(api)) if api.is_not_found() => println!("the blacklist is empty"),
///     Err(Error::Api(api)) => println!("the server refused: {api}"),
///     Err(Error::Malformed(err)) => println!("not an SMSC answer: {err}"),
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error<'a> {
    /// The server answered with an API error.
    Api(ApiError<'a>),
    /// The body could not be decoded.
    Malformed(DecodeError),
}

impl Error<'_> {
    /// The API error, if this is one.
    pub const fn api(&self) -> Option<&ApiError<'_>> {
        match self {
            Self::Api(api) => Some(api),
            Self::Malformed(_) => None,
        }
    }

    /// The decode error, if the body is malformed.
    pub const fn malformed(&self) -> Option<DecodeError> {
        match self {
            Self::Api(_) => None,
            Self::Malformed(err) => Some(*err),
        }
    }
}

impl From<DecodeError> for Error<'_> {
    fn from(err: DecodeError) -> Self {
        Self::Malformed(err)
    }
}

impl fmt::Display for Error<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api(api) => api.fmt(f),
            Self::Malformed(err) => write!(f, "malformed body: {err}"),
        }
    }
}

impl core::error::Error for Error<'_> {}

/// Why a request could not be built.
///
/// ```
/// use smsc_codec::{AddContact, Auth, BuildErrorKind, Request};
///
/// let err = Request::new(Auth::api_key("k"), AddContact::phone("1").birthday("1990-02-01")).validate().unwrap_err();
/// assert_eq!(err.kind, BuildErrorKind::InvalidDate);
/// assert_eq!(err.to_string(), "`bd` must be a dd.mm.yyyy date");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// A required parameter is missing or empty.
    Empty,
    /// One id (`grp` of a group command, `num`, `after_id`, `prev_id`) or `cnt` that is not
    /// decimal digits.
    NotNumeric,
    /// A contact's groups (`grp` of `add`, `chg`, `get`) that are not ids separated by commas.
    InvalidIdList,
    /// `cnt` above [`MAX_PAGE`](crate::client::MAX_PAGE) (1000).
    CountTooLarge,
    /// A `type` (or `move_group` mode) the command does not accept.
    InvalidType,
    /// A birthday that is not a `dd.mm.yyyy` date.
    InvalidDate,
    /// An MD5 password digest that is not 32 lower-case hexadecimal digits.
    InvalidDigest,
    /// The parameter does not exist on this endpoint (`phone` on mails.php...).
    WrongEndpoint,
    /// The command takes no parameter of that name ([`Params::set`](crate::Params::set)).
    UnknownParam,
    /// The output buffer is too small; [`BuildError::needed`] says how large it must be.
    BufferTooSmall,
    /// The [`core::fmt::Write`] given to [`Request::write_to`](crate::Request::write_to) failed.
    WriteFailed,
}

// The message of `CountTooLarge` spells the limit out: it must change with it.
const _: () = assert!(crate::client::MAX_PAGE == 1000);

impl BuildErrorKind {
    /// The rule that failed, as a short static phrase that follows the parameter's name
    /// (`` `cnt` must be at most 1000 ``).
    pub const fn message(self) -> &'static str {
        match self {
            Self::Empty => "must not be empty",
            Self::NotNumeric => "must be decimal digits",
            Self::InvalidIdList => "must be ids (decimal digits) separated by commas",
            Self::CountTooLarge => "must be at most 1000",
            Self::InvalidType => "is not a value the command accepts",
            Self::InvalidDate => "must be a dd.mm.yyyy date",
            Self::InvalidDigest => "must be 32 lower-case hexadecimal digits",
            Self::WrongEndpoint => "does not exist on this endpoint",
            Self::UnknownParam => "is not a parameter of the command",
            Self::BufferTooSmall => "output buffer too small",
            Self::WriteFailed => "the output writer failed",
        }
    }
}

/// The name of the parameter a [`BuildError`] is about: its wire name, or the name given to
/// [`Params::set`](crate::Params::set) when the command has no such parameter (at most its
/// first 32 bytes). Reads as a `&str`.
///
/// ```
/// use smsc_codec::{Auth, BuildErrorKind, ChangeGroup, Endpoint, Request};
///
/// let err = Request::new(Auth::api_key("k"), ChangeGroup::new(Endpoint::Phones, "x", "VIP")).validate().unwrap_err();
/// assert_eq!((err.kind, err.param.as_str()), (BuildErrorKind::NotNumeric, "grp"));
/// assert!(err.param == "grp");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParamName {
    bytes: [u8; ParamName::CAPACITY],
    len: u8,
}

impl ParamName {
    const CAPACITY: usize = 32;

    /// No parameter (a short buffer, a failed writer).
    pub(crate) const NONE: Self = Self { bytes: [0; Self::CAPACITY], len: 0 };

    /// `name`, cut to [`CAPACITY`](Self::CAPACITY) bytes at a character boundary. Out of line:
    /// it is only called on the way to an error, from many places.
    #[inline(never)]
    pub(crate) fn new(name: &str) -> Self {
        let mut len = name.len().min(Self::CAPACITY);
        // Terminates: 0 is a boundary.
        while !name.is_char_boundary(len) {
            len -= 1;
        }
        let mut bytes = [0; Self::CAPACITY];
        for (to, from) in bytes.iter_mut().zip(name.as_bytes().get(..len).unwrap_or_default()) {
            *to = *from;
        }
        Self { bytes, len: len as u8 }
    }

    /// The name.
    ///
    /// ```
    /// use smsc_codec::{BuildErrorKind, CommandKind, Endpoint, Params};
    ///
    /// let err = Params::new(CommandKind::GetContacts, Endpoint::Phones).set("cnt", "x").unwrap_err();
    /// assert_eq!((err.kind, err.param.as_str()), (BuildErrorKind::NotNumeric, "cnt"));
    /// assert_eq!(err.to_string(), "`cnt` must be decimal digits");
    /// ```
    pub fn as_str(&self) -> &str {
        // Whole characters were copied, so this never fails; `""` keeps the path panic-free.
        core::str::from_utf8(self.bytes.get(..usize::from(self.len)).unwrap_or_default()).unwrap_or_default()
    }
}

impl core::ops::Deref for ParamName {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for ParamName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ParamName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for ParamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for ParamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request that cannot be built: a value the server would reject, or a short buffer.
///
/// ```
/// use smsc_codec::{Auth, BuildErrorKind, Endpoint, GetContacts, Request};
///
/// let request = Request::new(Auth::api_key("k"), GetContacts::new(Endpoint::Phones));
/// let err = request.write_query(&mut [0u8; 16]).unwrap_err();
/// assert_eq!((err.kind, err.needed), (BuildErrorKind::BufferTooSmall, request.query_len()?));
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BuildError {
    /// What is wrong.
    pub kind: BuildErrorKind,
    /// The parameter at fault (empty for [`BufferTooSmall`](BuildErrorKind::BufferTooSmall)
    /// and [`WriteFailed`](BuildErrorKind::WriteFailed)).
    pub param: ParamName,
    /// For [`BuildErrorKind::BufferTooSmall`], the number of bytes the whole output needs.
    pub needed: usize,
}

impl BuildError {
    pub(crate) fn invalid(kind: BuildErrorKind, param: &str) -> Self {
        Self { kind, param: ParamName::new(param), needed: 0 }
    }

    pub(crate) const fn output(kind: BuildErrorKind, needed: usize) -> Self {
        Self { kind, param: ParamName::NONE, needed }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            BuildErrorKind::BufferTooSmall => write!(f, "{}: {} bytes needed", self.kind.message(), self.needed),
            BuildErrorKind::WriteFailed => f.write_str(self.kind.message()),
            kind => write!(f, "`{}` {}", self.param, kind.message()),
        }
    }
}

impl core::error::Error for BuildError {}
