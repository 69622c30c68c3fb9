//! Whole-body decoding: the body is complete in memory.
//!
//! One signature shape: a list takes the body, its fmt and the endpoint it came from (which
//! names its fields: `phone` or `mail`); a single answer (`created`, `done`) the body and its
//! fmt. Limits are chosen one way: the functions named after an answer apply
//! [`Limits::DEFAULT`]; the general ones, [`list`](fn@list) and [`response`], take a [`Limits`]
//! as their last argument, as [`ListDecoder::with_limits`](crate::ListDecoder::with_limits) does.
//!
//! Every function recognises an API error in the shape of its fmt and in the fmt=0 shape
//! `ERROR = N (...)`, which some SMSC endpoints answer whatever fmt was asked for. An API error
//! is recognised only by its whole shape, and only as the whole body.
//!
//! ```
//! use smsc_codec::{decode, Endpoint, ErrorCode, Error, Fmt};
//!
//! let body = b"ERROR = 2 (authorise error)";
//! match decode::created(body, Fmt::Json) {
//!     Err(Error::Api(api)) => {
//!         assert_eq!(api.code, ErrorCode::Auth);
//!         assert!(!api.is_retryable());
//!     }
//!     other => panic!("{other:?}"),
//! }
//! ```

use core::marker::PhantomData;

use crate::error::{DecodeError, DecodeErrorKind as Kind, Error};
use crate::format::scan::{self, all_digits, skip_bom, skip_space, trim_end_space};
use crate::format::{self, error_line, Answer, Ctx, Fail};
use crate::limits::Limits;
use crate::record::private::Build;
use crate::record::{Created, MAX_KNOWN};
use crate::stream::list::{self, List};
use crate::stream::{Checked, Event, Machine};
use crate::text::Text;
use crate::{Endpoint, Fmt, ListKind, ResponseKind};

/// The records of a list body, in order. Created by [`contacts`], [`groups`], [`blacklist`]
/// and [`list`](fn@list).
///
/// A malformed record ends the iteration with its error; the records before it are intact.
///
/// ```
/// use smsc_codec::{decode, DecodeErrorKind, Endpoint, Fmt};
///
/// // The records before a malformed one are intact; the iteration ends with its error.
/// let body = b"<list><group><id>1</id></group><group><id>2</id></grop></list>";
/// let mut groups = decode::groups(body, Fmt::Xml, Endpoint::Phones)?;
/// assert_eq!(groups.next().unwrap()?.id.unwrap(), "1");
/// assert_eq!(groups.next().unwrap().unwrap_err().kind, DecodeErrorKind::MismatchedTag);
/// assert!(groups.next().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Records<'a, L: List> {
    body: &'a [u8],
    pos: usize,
    machine: Machine,
    checked: Checked<'a>,
    finished: bool,
    list: PhantomData<fn() -> L>,
}

impl<'a, L: List> Iterator for Records<'a, L> {
    type Item = Result<L::Record<'a>, DecodeError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let mut values = [None; MAX_KNOWN];
        let body = self.body.get(self.pos..).unwrap_or_default();
        match self.machine.decode(body, true, &mut values, &mut self.checked, false) {
            Ok((consumed, Event::Record(raw))) => {
                self.pos += consumed;
                Some(Ok(<L::Record<'a> as Build<'a>>::build(&values, raw)))
            }
            // The list opened before the first record: no API error can come now, and with the
            // whole body given, "need more" cannot happen.
            Ok(_) => {
                self.finished = true;
                None
            }
            Err(err) => {
                self.finished = true;
                Some(Err(err))
            }
        }
    }
}

impl<L: List> core::iter::FusedIterator for Records<'_, L> {}

/// Decodes a list body with explicit limits. The start of the body is read at once, so an API
/// error (error 3 for an empty list included) or a malformed start (a body that is no list) is
/// reported here; a malformed record, by the iterator.
///
/// ```
/// use smsc_codec::list::Contacts;
/// use smsc_codec::{decode, DecodeErrorKind, Endpoint, Fmt, Limits};
///
/// let strict = Limits { max_value_len: 8, ..Limits::DEFAULT };
/// let body = br#"[{"phone": "79991112233"}]"#;
/// let mut contacts = decode::list::<Contacts>(body, Fmt::Json, Endpoint::Phones, strict)?;
/// assert_eq!(contacts.next().unwrap().unwrap_err().kind, DecodeErrorKind::ValueTooLong);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn list<L: List>(body: &[u8], fmt: Fmt, endpoint: Endpoint, limits: Limits) -> Result<Records<'_, L>, Error<'_>> {
    let mut machine = Machine::new(fmt, endpoint, L::KIND, limits);
    let mut checked = Checked::windowed();
    let mut values = [None; MAX_KNOWN];
    let (pos, event) = machine.decode(body, true, &mut values, &mut checked, true)?;
    if let Event::ApiError(api) = event {
        return Err(Error::Api(api));
    }
    Ok(Records { body, pos, machine, checked, finished: false, list: PhantomData })
}

/// Decodes a contact list (`get`).
///
/// ```
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// let body = b"phone = 79991112233, name = \xd0\x86\xd0\xb2\xd0\xb0\xd0\xbd, group = 5922\n";
/// let mut contacts = decode::contacts(body, Fmt::KeyValue, Endpoint::Phones)?;
/// let contact = contacts.next().unwrap()?;
/// assert_eq!(contact.name.unwrap(), "Іван");
/// assert_eq!(contact.groups.unwrap().to_u64(), Some(5922));
/// assert!(contacts.next().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn contacts(body: &[u8], fmt: Fmt, endpoint: Endpoint) -> Result<Records<'_, list::Contacts>, Error<'_>> {
    list(body, fmt, endpoint, Limits::DEFAULT)
}

/// Decodes a group list (`get_group`). Groups have the same fields on both endpoints; the
/// endpoint is kept in each record's [`RawRecord`](crate::record::RawRecord).
///
/// ```
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// let body = "id = 5922, name = Друзі, number = , cnt = 2\n";
/// let group = decode::groups(body.as_bytes(), Fmt::KeyValue, Endpoint::Phones)?.next().unwrap()?;
/// assert_eq!(group.name.unwrap(), "Друзі");
/// assert_eq!(group.count.unwrap().to_u64(), Some(2));
/// assert!(group.number.unwrap().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn groups(body: &[u8], fmt: Fmt, endpoint: Endpoint) -> Result<Records<'_, list::Groups>, Error<'_>> {
    list(body, fmt, endpoint, Limits::DEFAULT)
}

/// Decodes a blacklist (`get_black`).
///
/// ```
/// use smsc_codec::{decode, BlockType, Endpoint, Fmt};
///
/// let body = br#"[{"id": 31, "email": "spam@example.com", "type": 1, "comment": "mass mailings"}]"#;
/// let entry = decode::blacklist(body, Fmt::Json, Endpoint::Mails)?.next().unwrap()?;
/// assert_eq!(entry.phone.unwrap(), "spam@example.com");
/// assert_eq!(BlockType::from_wire(entry.block_type.unwrap().raw()), Some(BlockType::Mass));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn blacklist(body: &[u8], fmt: Fmt, endpoint: Endpoint) -> Result<Records<'_, list::Blacklist>, Error<'_>> {
    list(body, fmt, endpoint, Limits::DEFAULT)
}

fn malformed(kind: Kind, offset: usize) -> Error<'static> {
    Error::Malformed(DecodeError::new(kind, offset))
}

fn failed(fail: Fail, end: usize) -> Error<'static> {
    match fail {
        Fail::Incomplete => malformed(Kind::UnexpectedEnd, end),
        Fail::Bad(kind, at) => malformed(kind, at),
    }
}

/// A single answer (`add` and the change and delete commands): the body without BOM and
/// surrounding whitespace as one answer of `fmt`, which must be all of the body, its text, and
/// the API error it may be. `None` for an empty body.
fn single(body: &[u8], fmt: Fmt, limits: Limits) -> Result<Option<(Answer, &str)>, Error<'_>> {
    let Some(grammar) = format::grammar(fmt) else {
        return Err(malformed(Kind::FmtDisabled, 0));
    };
    let pos = skip_bom(body, 0).unwrap_or(0);
    let start = skip_space(body, pos);
    let end = trim_end_space(body, start);
    if start == end {
        return Ok(None);
    }
    // The answer is one record: its length is bounded as a list's records are.
    if end - start > limits.max_record_len {
        return Err(malformed(Kind::RecordTooLong, start));
    }
    let content = body.get(..end).unwrap_or_default();
    let ctx = Ctx { schema: ListKind::Contacts.schema(Endpoint::Phones), limits };
    let answer = match error_line::recognise(content, start, true) {
        Ok(Some(answer)) => Ok(answer),
        _ => (grammar.answer)(content, pos, &ctx),
    };
    let answer = answer.map_err(|fail| failed(fail.or_invalid_utf8(content, start), end))?;
    let after = (grammar.trailer)(content, answer.end).map_err(|fail| failed(fail, end))?;
    if after < end {
        return Err(failed(Fail::Bad(Kind::TrailingData, after).or_invalid_utf8(content, start), end));
    }
    let text = scan::utf8(content, 0, end).map_err(|fail| failed(fail, end))?;
    if let Some(api) = answer.api_error(text, 0) {
        return Err(api.map_or_else(|fail| failed(fail, end), Error::Api));
    }
    Ok(Some((answer, text)))
}

/// Decodes the answer to `add`, `add_group` or `add_black`: the new id, decimal digits in
/// every fmt.
///
/// ```
/// use smsc_codec::{decode, Fmt};
///
/// assert_eq!(decode::created(b"ID = 4321", Fmt::KeyValue)?.id, "4321");
/// assert_eq!(decode::created(b"4321", Fmt::Csv)?.id, "4321");
/// assert_eq!(decode::created(b"<group><id>4321</id></group>", Fmt::Xml)?.id, "4321");
/// assert_eq!(decode::created(b"{\"id\": 4321}", Fmt::Json)?.id, "4321");
/// assert!(decode::created(b"ID = abc", Fmt::KeyValue).is_err());
/// # Ok::<(), smsc_codec::Error>(())
/// ```
pub fn created(body: &[u8], fmt: Fmt) -> Result<Created<'_>, Error<'_>> {
    created_within(body, fmt, Limits::DEFAULT)
}

fn created_within(body: &[u8], fmt: Fmt, limits: Limits) -> Result<Created<'_>, Error<'_>> {
    let Some((answer, text)) = single(body, fmt, limits)? else {
        return Err(malformed(Kind::UnexpectedEnd, body.len()));
    };
    let Some(span) = answer.id else {
        return Err(malformed(Kind::UnexpectedShape, answer.start));
    };
    let id: Text<'_> = span.text(text, 0).map_err(|fail| failed(fail, body.len()))?;
    match id.as_borrowed() {
        Some(digits) if all_digits(digits.as_bytes()) => Ok(Created { id }),
        _ => Err(malformed(Kind::UnexpectedShape, span.start)),
    }
}

/// Decodes the answer to `chg`, `chg_group`, `move_group`, `del`, `del_group` or `del_black`.
///
/// A bare `OK` is success in every fmt (the real server answers it under fmt=3), and so is an
/// empty body, which has also been seen.
///
/// ```
/// use smsc_codec::{decode, Fmt};
///
/// assert!(decode::done(b"OK", Fmt::Json).is_ok());
/// assert!(decode::done(b"{\"result\": \"OK\"}", Fmt::Json).is_ok());
/// assert!(decode::done(b"<result>OK</result>", Fmt::Xml).is_ok());
/// assert!(decode::done(b"0,-9", Fmt::Csv).unwrap_err().api().unwrap().is_retryable());
/// ```
pub fn done(body: &[u8], fmt: Fmt) -> Result<(), Error<'_>> {
    done_within(body, fmt, Limits::DEFAULT)
}

fn done_within(body: &[u8], fmt: Fmt, limits: Limits) -> Result<(), Error<'_>> {
    let pos = skip_bom(body, 0).unwrap_or(0);
    let start = skip_space(body, pos);
    if body.get(start..trim_end_space(body, start)) == Some(b"OK") {
        return Ok(());
    }
    let Some((answer, text)) = single(body, fmt, limits)? else {
        return Ok(());
    };
    match answer.result.and_then(|span| span.text(text, 0).ok()) {
        Some(result) if result == "OK" => Ok(()),
        _ => Err(malformed(Kind::UnexpectedShape, answer.start)),
    }
}

/// A decoded answer of any command: see [`response`].
///
/// ```
/// use smsc_codec::decode::{self, Response};
/// use smsc_codec::{CommandKind, Endpoint, Fmt, Limits};
///
/// let kind = CommandKind::from_wire("get_group").unwrap().response();
/// match decode::response(kind, b"[]", Fmt::Json, Endpoint::Phones, Limits::DEFAULT)? {
///     Response::Groups(groups) => assert_eq!(groups.count(), 0),
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), smsc_codec::Error>(())
/// ```
#[derive(Clone, Debug)]
pub enum Response<'a> {
    /// A contact list.
    Contacts(Records<'a, list::Contacts>),
    /// A group list.
    Groups(Records<'a, list::Groups>),
    /// A blacklist.
    Blacklist(Records<'a, list::Blacklist>),
    /// A new record's id.
    Created(Created<'a>),
    /// `OK`.
    Done,
}

/// Decodes the answer of any command, chosen at run time (what a CLI or a binding needs), with
/// explicit limits.
///
/// ```
/// use smsc_codec::{decode, CommandKind, Endpoint, Fmt, Limits};
/// use smsc_codec::decode::Response;
///
/// let kind = CommandKind::AddGroup.response();
/// let answer = decode::response(kind, b"ID = 17", Fmt::KeyValue, Endpoint::Phones, Limits::DEFAULT)?;
/// assert!(matches!(answer, Response::Created(created) if created.id == "17"));
/// # Ok::<(), smsc_codec::Error>(())
/// ```
pub fn response(
    kind: ResponseKind,
    body: &[u8],
    fmt: Fmt,
    endpoint: Endpoint,
    limits: Limits,
) -> Result<Response<'_>, Error<'_>> {
    Ok(match kind {
        ResponseKind::Created => Response::Created(created_within(body, fmt, limits)?),
        ResponseKind::Done => {
            done_within(body, fmt, limits)?;
            Response::Done
        }
        ResponseKind::List(ListKind::Contacts) => Response::Contacts(list(body, fmt, endpoint, limits)?),
        ResponseKind::List(ListKind::Groups) => Response::Groups(list(body, fmt, endpoint, limits)?),
        ResponseKind::List(ListKind::Blacklist) => Response::Blacklist(list(body, fmt, endpoint, limits)?),
    })
}
