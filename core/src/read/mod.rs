//! Reader adapters: the streaming decoder driven over a byte source, so that nobody writes the
//! refill loop again.
//!
//! | source | type | feature |
//! |---|---|---|
//! | [`std::io::Read`] (a file, a blocking HTTP body: ureq, reqwest's blocking client) | [`IoReader`] | `std` |
//! | [`embedded_io::Read`] (embedded HTTP stacks, blocking) | [`EmbeddedReader`] | `embedded-io` |
//! | [`embedded_io_async::Read`] (embassy-net, reqwless; any executor) | [`AsyncReader`] | `embedded-io-async` |
//!
//! Each reads into a buffer the caller lends it and gives one record per `next()`; a record
//! borrows that buffer until the next call. Memory is the buffer: it must hold the largest
//! record (a record longer than the buffer is
//! [`RecordTooLong`](crate::DecodeErrorKind::RecordTooLong)), and a body of any length goes
//! through it. An interrupted read (`ErrorKind::Interrupted`) is retried; any other read error
//! is returned as [`ReadError::Io`], and the next call reads again.
//!
//! An API error answered instead of the list is [`ReadError::Api`] with its code, so that `?`
//! works in a function returning a `'static` error; its description stays readable through
//! `api_error()`. Error 3 is how the server answers an empty list.
//!
//! The adapters check each record's UTF-8 a second time (the decoder's check cannot be kept
//! across the refill in safe Rust): drive [`ListDecoder`] by hand when the
//! last 10-30 % of speed matters more than the loop.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use smsc_codec::read::{IoReader, ReadError};
//! use smsc_codec::{Endpoint, Fmt};
//!
//! let body: &[u8] = b"phone = 79991112233, name = Ivan\nphone = 380501112233, name = Olena\n";
//! let mut buf = [0u8; 64];
//! let mut reader = IoReader::contacts(body, &mut buf, Fmt::KeyValue, Endpoint::Phones);
//! let mut names = Vec::new();
//! while let Some(contact) = reader.next()? {
//!     names.push(contact.name.unwrap().to_string());
//! }
//! assert_eq!(names, ["Ivan", "Olena"]);
//!
//! // The server's "no records" is an error with its code; the description stays readable.
//! let mut reader = IoReader::contacts(&b"ERROR = 3 (record not found)"[..], &mut buf, Fmt::Json, Endpoint::Phones);
//! match reader.next() {
//!     Err(ReadError::Api(code)) if code.wire() == 3 => {
//!         assert_eq!(reader.api_error().unwrap().description.unwrap(), "record not found");
//!     }
//!     other => panic!("{other:?}"),
//! }
//! # }
//! # Ok::<(), smsc_codec::read::ReadError<std::io::Error>>(())
//! ```

#[cfg(feature = "embedded-io-async")]
mod asynchronous;
#[cfg(feature = "embedded-io")]
mod embedded;
#[cfg(feature = "std")]
mod io;

use core::fmt;

#[cfg(feature = "embedded-io-async")]
pub use asynchronous::AsyncReader;
#[cfg(feature = "embedded-io")]
pub use embedded::EmbeddedReader;
#[cfg(feature = "std")]
pub use io::IoReader;

use crate::error::{DecodeError, ErrorCode};
#[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
use crate::{
    error::{ApiError, DecodeErrorKind},
    stream::list::List,
    stream::{Detached, Event, ListDecoder},
};

/// Why a reader adapter stopped.
///
/// ```
/// # #[cfg(feature = "std")] {
/// use smsc_codec::read::{IoReader, ReadError};
/// use smsc_codec::{DecodeErrorKind, Endpoint, Fmt};
///
/// let mut buf = [0u8; 64];
/// let mut reader = IoReader::contacts(&b"[{\"phone\": 1}, {"[..], &mut buf, Fmt::Json, Endpoint::Phones);
/// assert!(reader.next().unwrap().is_some());
/// match reader.next() {
///     Err(ReadError::Malformed(err)) => assert_eq!(err.kind, DecodeErrorKind::UnexpectedEnd),
///     other => panic!("{other:?}"),
/// }
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadError<E> {
    /// The source failed (never `Interrupted`: that is retried). The next call reads again.
    Io(E),
    /// The body is malformed; every later call returns the same error.
    Malformed(DecodeError),
    /// The server answered an API error instead of the list: its code (error 3: no records).
    /// `api_error()` on the reader gives its description.
    Api(ErrorCode),
}

impl<E> ReadError<E> {
    /// Whether this is the server's "no records found" (error 3), its answer to an empty list.
    pub const fn is_not_found(&self) -> bool {
        matches!(self, Self::Api(ErrorCode::NotFound))
    }
}

impl<E> From<DecodeError> for ReadError<E> {
    fn from(err: DecodeError) -> Self {
        Self::Malformed(err)
    }
}

impl<E: fmt::Display> fmt::Display for ReadError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(err) => write!(f, "reading the body failed: {err}"),
            Self::Malformed(err) => write!(f, "malformed body: {err}"),
            Self::Api(code) => write!(f, "SMSC error {code}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for ReadError<E> {}

#[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
/// What a reader must do next.
enum Want {
    /// Read into [`Buffered::space`].
    Read,
    /// An item is ready: [`Buffered::item`].
    Item,
}

#[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
/// The buffer and the decoder every adapter shares; the adapters add only the reading.
#[derive(Debug)]
struct Buffered<'b, L: List> {
    decoder: ListDecoder<L>,
    buf: &'b mut [u8],
    /// Where the bytes not yet decoded start in `buf`. Consumed bytes are skipped, not moved:
    /// the rest is moved to the front only when a read needs the room (once per buffer, not
    /// once per record).
    start: usize,
    /// Bytes of `buf` that hold body bytes (up to this index).
    filled: usize,
    /// Bytes after `start` that the last item used: skipped on the next call.
    used: usize,
    eof: bool,
    /// The last item, as places in `buf`.
    item: Detached,
}

#[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
impl<'b, L: List> Buffered<'b, L> {
    fn new(decoder: ListDecoder<L>, buf: &'b mut [u8]) -> Self {
        Self { decoder, buf, start: 0, filled: 0, used: 0, eof: false, item: Detached::NeedMore }
    }

    /// Moves the bytes not yet decoded to the front of the buffer, making room for a read.
    fn compact(&mut self) {
        self.buf.copy_within(self.start..self.filled, 0);
        self.filled -= self.start;
        self.start = 0;
    }

    /// The bytes not yet decoded.
    fn pending(&self) -> &[u8] {
        self.buf.get(self.start..self.filled).unwrap_or_default()
    }

    /// Decodes what the buffer holds: an item, or a read first.
    fn advance(&mut self) -> Result<Want, DecodeError> {
        self.start += core::mem::take(&mut self.used);
        let pending = self.buf.get(self.start..self.filled).unwrap_or_default();
        let (consumed, item) = self.decoder.decode_detached(pending, self.eof)?;
        if let Detached::NeedMore = item {
            self.start += consumed;
            if self.eof {
                // The decoder never asks for more at the end (the test suites check it on every
                // body they stream); were it to, reading would not help: the bytes from the
                // decoder's place on end too soon.
                return Err(DecodeError::new(DecodeErrorKind::UnexpectedEnd, self.decoder.offset()));
            }
            self.compact();
            if self.filled == self.buf.len() {
                // The next record is longer than the buffer can hold.
                return Err(DecodeError::new(DecodeErrorKind::RecordTooLong, self.decoder.offset()));
            }
            return Ok(Want::Read);
        }
        self.used = consumed;
        self.item = item;
        Ok(Want::Item)
    }

    #[cfg(any(feature = "std", feature = "embedded-io"))]
    /// The next item, reading with `read` (bytes into the slice it is given, 0 at the end)
    /// as often as the decoder asks: the whole of a blocking adapter but its source.
    fn next_with<E>(
        &mut self,
        mut read: impl FnMut(&mut [u8]) -> Result<usize, E>,
    ) -> Result<Option<L::Record<'_>>, ReadError<E>> {
        while let Want::Read = self.advance()? {
            let n = read(self.space()).map_err(ReadError::Io)?;
            self.filled(n);
        }
        self.item()
    }

    /// Where the next read goes.
    fn space(&mut self) -> &mut [u8] {
        self.buf.get_mut(self.filled..).unwrap_or_default()
    }

    /// `n` bytes were read into [`space`](Self::space); none is the end of the body.
    fn filled(&mut self, n: usize) {
        match n {
            0 => self.eof = true,
            n => self.filled = (self.filled + n).min(self.buf.len()),
        }
    }

    /// The item [`advance`](Self::advance) found.
    fn item<E>(&self) -> Result<Option<L::Record<'_>>, ReadError<E>> {
        match self.event() {
            Some(Event::Record(record)) => Ok(Some(record)),
            Some(Event::ApiError(api)) => Err(ReadError::Api(api.code)),
            Some(Event::End) => Ok(None),
            // The item's bytes are where `advance` left them, so this does not happen.
            Some(Event::NeedMore) | None => {
                Err(ReadError::Malformed(DecodeError::new(DecodeErrorKind::InvalidUtf8, self.decoder.offset())))
            }
        }
    }

    fn event(&self) -> Option<Event<'_, L::Record<'_>>> {
        self.decoder.attach(self.pending(), &self.item)
    }

    /// The API error the body is, once an adapter returned [`ReadError::Api`].
    fn api_error(&self) -> Option<ApiError<'_>> {
        match self.event() {
            Some(Event::ApiError(api)) => Some(api),
            _ => None,
        }
    }
}

#[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
/// The constructors and accessors every adapter has, around its `source` and `inner` fields.
macro_rules! adapter {
    ($reader:ident, $bound:path) => {
        impl<'b, R: $bound> $reader<'b, R, crate::list::Contacts> {
            /// A reader of a contact list (`get`).
            pub fn contacts(source: R, buf: &'b mut [u8], fmt: crate::Fmt, endpoint: crate::Endpoint) -> Self {
                Self::with_decoder(source, buf, crate::ListDecoder::new(fmt, endpoint))
            }
        }

        impl<'b, R: $bound> $reader<'b, R, crate::list::Groups> {
            /// A reader of a group list (`get_group`).
            pub fn groups(source: R, buf: &'b mut [u8], fmt: crate::Fmt, endpoint: crate::Endpoint) -> Self {
                Self::with_decoder(source, buf, crate::ListDecoder::new(fmt, endpoint))
            }
        }

        impl<'b, R: $bound> $reader<'b, R, crate::list::Blacklist> {
            /// A reader of the blacklist (`get_black`).
            pub fn blacklist(source: R, buf: &'b mut [u8], fmt: crate::Fmt, endpoint: crate::Endpoint) -> Self {
                Self::with_decoder(source, buf, crate::ListDecoder::new(fmt, endpoint))
            }
        }

        impl<'b, R: $bound, L: crate::list::List> $reader<'b, R, L> {
            /// A reader with a decoder of the caller's (other [`Limits`](crate::Limits)).
            pub fn with_decoder(source: R, buf: &'b mut [u8], decoder: crate::ListDecoder<L>) -> Self {
                Self { source, inner: super::Buffered::new(decoder, buf) }
            }

            /// The description of the API error the body is, after `next` returned
            /// [`ReadError::Api`](super::ReadError::Api).
            pub fn api_error(&self) -> Option<crate::ApiError<'_>> {
                self.inner.api_error()
            }

            /// The absolute offset in the body of the next byte the decoder expects.
            pub fn offset(&self) -> usize {
                self.inner.decoder.offset()
            }

            /// The source back. What it already gave stays in the buffer, decoded or not.
            pub fn into_inner(self) -> R {
                self.source
            }
        }
    };
}
#[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
use adapter;
