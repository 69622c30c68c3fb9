//! Whole-body decoding: the body is complete in memory.
//!
//! Every function recognises an API error in the shape of its fmt and in the fmt=0 shape
//! `ERROR = N (...)`, which some SMSC endpoints answer whatever fmt was asked for.
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

use nom::bytes::complete::{tag, take_while};

use crate::error::{DecodeError, DecodeErrorKind as Kind, Error};
use crate::limits::Limits;
use crate::record::Created;
use crate::response::{error_line, line, run, skip_bom, skip_space, xml, Fail, Scan};
use crate::stream::list::{self, List};
use crate::stream::{single, Event, ListDecoder};
use crate::text::Text;
use crate::{Endpoint, Fmt, ListKind, ResponseKind};

/// The records of a list body, in order. Created by [`contacts`], [`groups`], [`blacklist`]
/// and [`list`](fn@list).
///
/// A malformed record ends the iteration with its error; the records before it are intact.
#[derive(Clone, Debug)]
pub struct Records<'a, L: List> {
    body: &'a [u8],
    pos: usize,
    decoder: ListDecoder<L>,
    first: Option<L::Record<'a>>,
}

impl<'a, L: List> Iterator for Records<'a, L> {
    type Item = Result<L::Record<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(record) = self.first.take() {
            return Some(Ok(record));
        }
        if self.decoder.is_finished() {
            return None;
        }
        match self.decoder.decode(&self.body[self.pos..], true) {
            Ok(step) => {
                self.pos += step.consumed;
                match step.event {
                    Event::Record(record) => Some(Ok(record)),
                    // With the whole body given, "need more" cannot happen; an API error can
                    // only come first, and `list` took the first step.
                    Event::NeedMore | Event::End | Event::ApiError(_) => None,
                }
            }
            Err(err) => Some(Err(err)),
        }
    }
}

impl<L: List> core::iter::FusedIterator for Records<'_, L> {}

/// Decodes a list body with explicit limits. The first record is decoded at once, so an API
/// error (error 3 for an empty list included) or a malformed start is reported here.
pub fn list<L: List>(body: &[u8], fmt: Fmt, endpoint: Endpoint, limits: Limits) -> Result<Records<'_, L>, Error<'_>> {
    let mut decoder = ListDecoder::with_limits(fmt, endpoint, limits);
    let step = decoder.decode(body, true)?;
    let first = match step.event {
        Event::Record(record) => Some(record),
        Event::ApiError(api) => return Err(Error::Api(api)),
        Event::NeedMore | Event::End => None,
    };
    Ok(Records { body, pos: step.consumed, decoder, first })
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
/// assert_eq!(contact.group.unwrap().to_u64(), Some(5922));
/// assert!(contacts.next().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn contacts(body: &[u8], fmt: Fmt, endpoint: Endpoint) -> Result<Records<'_, list::Contacts>, Error<'_>> {
    list(body, fmt, endpoint, Limits::DEFAULT)
}

/// Decodes a group list (`get_group`); groups are the same on both endpoints.
pub fn groups(body: &[u8], fmt: Fmt) -> Result<Records<'_, list::Groups>, Error<'_>> {
    list(body, fmt, Endpoint::Phones, Limits::DEFAULT)
}

/// Decodes a blacklist (`get_black`).
pub fn blacklist(body: &[u8], fmt: Fmt, endpoint: Endpoint) -> Result<Records<'_, list::Blacklist>, Error<'_>> {
    list(body, fmt, endpoint, Limits::DEFAULT)
}

/// The body without a BOM and surrounding whitespace: (start, end).
fn trimmed(body: &[u8]) -> Result<(usize, usize), Error<'_>> {
    let start = skip_space(body, skip_bom(body, 0).map_err(|_| malformed(Kind::UnexpectedEnd, body.len()))?);
    let end = body.len()
        - body[start..].iter().rev().position(|&b| !crate::response::is_space(b)).unwrap_or(body.len() - start);
    Ok((start, end))
}

fn malformed(kind: Kind, offset: usize) -> Error<'static> {
    Error::Malformed(DecodeError::new(kind, offset))
}

fn scan_error(fail: Fail, body_len: usize) -> Error<'static> {
    match fail {
        Fail::Incomplete => malformed(Kind::UnexpectedEnd, body_len),
        Fail::Bad(kind, at) => malformed(kind, at),
    }
}

/// A single-object answer in any fmt: the object's members, or an API error.
fn single_answer(body: &[u8], fmt: Fmt) -> Result<Option<single::Single<'_>>, Error<'_>> {
    let (start, end) = trimmed(body)?;
    let limits = Limits::DEFAULT;
    let content = &body[..end];
    if content[start..].starts_with(b"ERROR") {
        let (line_start, line_end, _) = line(content, start, true).map_err(|f| scan_error(f, end))?;
        if let Some(api) = error_line(content, line_start, line_end) {
            let api = api.map_err(|f| scan_error(f, end))?;
            return Err(Error::Api(api));
        }
    }
    let parsed: Scan<single::Single<'_>> = match (fmt, content.get(start)) {
        (Fmt::Json, Some(b'{')) => single::json(content, start, &limits),
        (Fmt::Xml, Some(_)) => xml::skip_misc(content, start).and_then(|at| match content.get(at) {
            Some(b'<') => xml::start_tag(content, at).and_then(|tag| single::xml(content, &tag, &limits)),
            _ => Err(Fail::Bad(Kind::UnexpectedShape, at)),
        }),
        _ => return Ok(None),
    };
    let single = parsed.map_err(|f| scan_error(f, end))?;
    let after = match fmt {
        Fmt::Xml => xml::skip_misc(content, single.end).unwrap_or(end),
        _ => skip_space(content, single.end),
    };
    if after < end {
        return Err(malformed(Kind::TrailingData, after));
    }
    match single.api_error() {
        Some(api) => Err(api.map_or_else(|f| scan_error(f, end), Error::Api)),
        None => Ok(Some(single)),
    }
}

/// Decodes the answer to `add`, `add_group` or `add_black`: the new id.
///
/// ```
/// use smsc_codec::{decode, Fmt};
///
/// assert_eq!(decode::created(b"ID = 4321", Fmt::KeyValue)?.id, "4321");
/// assert_eq!(decode::created(b"4321", Fmt::Csv)?.id, "4321");
/// assert_eq!(decode::created(b"<group><id>4321</id></group>", Fmt::Xml)?.id, "4321");
/// assert_eq!(decode::created(b"{\"id\": 4321}", Fmt::Json)?.id, "4321");
/// # Ok::<(), smsc_codec::Error>(())
/// ```
pub fn created(body: &[u8], fmt: Fmt) -> Result<Created<'_>, Error<'_>> {
    let (start, end) = trimmed(body)?;
    if start == end {
        return Err(malformed(Kind::UnexpectedEnd, end));
    }
    if let Some(single) = single_answer(body, fmt)? {
        return single.id.map(|id| Created { id }).ok_or(malformed(Kind::UnexpectedShape, start));
    }
    let content = &body[..end];
    let id_start = match fmt {
        Fmt::KeyValue => id_after_equals(content, start)?,
        Fmt::Csv => {
            if let Some(api) = single::csv_error(&content[start..]) {
                return Err(Error::Api(api));
            }
            start
        }
        Fmt::Json | Fmt::Xml => return Err(malformed(Kind::UnexpectedShape, start)),
    };
    let id = &content[id_start..end];
    // A bare fmt=1 answer has no key to say what it is: only a number is an id.
    let bad_id = match fmt {
        Fmt::Csv => !id.iter().all(u8::is_ascii_digit),
        _ => id.iter().any(|&b| b == b',' || b == b'\n' || b == b' '),
    };
    if id.is_empty() || bad_id {
        return Err(malformed(Kind::UnexpectedShape, id_start));
    }
    let id = core::str::from_utf8(id).map_err(|e| malformed(Kind::InvalidUtf8, id_start + e.valid_up_to()))?;
    Ok(Created { id: Text::plain(id) })
}

/// The position of the value in `ID = value`.
fn id_after_equals(content: &[u8], start: usize) -> Result<usize, Error<'static>> {
    let spaces = || take_while(|b| b == b' ');
    let head = (tag(&b"ID"[..]), spaces(), tag(&b"="[..]), spaces());
    run(content, start, head).map(|(pos, _)| pos).map_err(|_| malformed(Kind::UnexpectedShape, start))
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
    let (start, end) = trimmed(body)?;
    if start == end || &body[start..end] == b"OK" {
        return Ok(());
    }
    if let Some(single) = single_answer(body, fmt)? {
        return match single.result {
            Some(result) if result == "OK" => Ok(()),
            _ => Err(malformed(Kind::UnexpectedShape, start)),
        };
    }
    if fmt == Fmt::Csv {
        if let Some(api) = single::csv_error(&body[start..end]) {
            return Err(Error::Api(api));
        }
    }
    Err(malformed(Kind::UnexpectedShape, start))
}

/// A decoded answer of any command: see [`response`].
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

/// Decodes the answer of any command, chosen at run time (what a CLI or a binding needs).
///
/// ```
/// use smsc_codec::{decode, CommandKind, Endpoint, Fmt};
/// use smsc_codec::decode::Response;
///
/// let answer = decode::response(CommandKind::AddGroup.response(), b"ID = 17", Fmt::KeyValue, Endpoint::Phones)?;
/// assert!(matches!(answer, Response::Created(created) if created.id == "17"));
/// # Ok::<(), smsc_codec::Error>(())
/// ```
pub fn response(kind: ResponseKind, body: &[u8], fmt: Fmt, endpoint: Endpoint) -> Result<Response<'_>, Error<'_>> {
    Ok(match kind {
        ResponseKind::Created => Response::Created(created(body, fmt)?),
        ResponseKind::Done => {
            done(body, fmt)?;
            Response::Done
        }
        ResponseKind::List(ListKind::Contacts) => Response::Contacts(contacts(body, fmt, endpoint)?),
        ResponseKind::List(ListKind::Groups) => Response::Groups(list(body, fmt, endpoint, Limits::DEFAULT)?),
        ResponseKind::List(ListKind::Blacklist) => Response::Blacklist(blacklist(body, fmt, endpoint)?),
    })
}
