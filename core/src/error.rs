//! The public error types. nom's types never appear here: a nom upgrade is not a breaking change.

use core::fmt;

use crate::text::Text;

/// Why a body could not be decoded. Small, `Copy`, with a static message.
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BuildErrorKind {
    /// A required parameter is empty.
    Empty,
    /// A group id (or list of them) that is not numeric.
    NotNumeric,
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
}

// The message of `CountTooLarge` spells the limit out: it must change with it.
const _: () = assert!(crate::client::MAX_PAGE == 1000);

impl BuildErrorKind {
    /// A short static description.
    pub const fn message(self) -> &'static str {
        match self {
            Self::Empty => "required parameter is empty",
            Self::NotNumeric => "group id must be numeric (a comma-separated list for grp)",
            Self::CountTooLarge => "cnt must be at most 1000",
            Self::InvalidType => "type is not one the command accepts",
            Self::InvalidDate => "birthday must be a dd.mm.yyyy date",
            Self::InvalidDigest => "password digest must be 32 lower-case hexadecimal digits",
            Self::WrongEndpoint => "parameter does not exist on this endpoint",
            Self::UnknownParam => "the command takes no such parameter",
            Self::BufferTooSmall => "output buffer too small",
        }
    }
}

/// A request that cannot be built: a value the server would reject, or a short buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BuildError {
    /// What is wrong.
    pub kind: BuildErrorKind,
    /// The wire name of the parameter at fault (empty for [`BuildErrorKind::BufferTooSmall`]).
    pub param: &'static str,
    /// For [`BuildErrorKind::BufferTooSmall`], the number of bytes the whole output needs.
    pub needed: usize,
}

impl BuildError {
    pub(crate) const fn invalid(kind: BuildErrorKind, param: &'static str) -> Self {
        Self { kind, param, needed: 0 }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            BuildErrorKind::BufferTooSmall => {
                write!(f, "{}: {} bytes needed", self.kind.message(), self.needed)
            }
            kind => write!(f, "`{}`: {}", self.param, kind.message()),
        }
    }
}

impl core::error::Error for BuildError {}
