//! The record-by-record list decoder, for bodies that arrive in pieces, and the one engine
//! behind whole-body decoding ([`decode`](crate::decode) is the same machine with the end of
//! input known).
//!
//! This is the thin shell around the formats: it keeps the phase of the body (before the list,
//! inside it, after it), the absolute offset, and the limits; it checks each record's bytes as
//! UTF-8 once and turns the spans a format read into [`Text`](crate::Text)s. Everything about a
//! format's syntax lives in its module under `format`.

use core::marker::PhantomData;

use crate::error::{ApiError, DecodeError, DecodeErrorKind as Kind};
use crate::format::scan::{self, first_invalid, skip_bom, skip_space};
use crate::format::{self, error_line, Answer, Ctx, Fail, Grammar, Item, Open, Place, Scan, Spans};
use crate::limits::Limits;
use crate::record::private::Build;
use crate::record::{BlacklistEntry, Contact, Group, ListKind, RawRecord, Record, MAX_KNOWN};
use crate::text::Text;
use crate::{Endpoint, Fmt};

/// The kinds of list, as types: [`ListDecoder`]'s parameter.
pub mod list {
    use super::{BlacklistEntry, Contact, Group, ListKind, Record};

    /// A kind of list and the record type it yields. Sealed.
    ///
    /// ```
    /// use smsc_codec::list::{Groups, List};
    /// use smsc_codec::{ListDecoder, ListKind};
    ///
    /// /// A decoder for any list, chosen by type.
    /// fn decoder<L: List>() -> ListDecoder<L> {
    ///     ListDecoder::new(smsc_codec::Fmt::Json, smsc_codec::Endpoint::Phones)
    /// }
    /// let _groups = decoder::<Groups>();
    /// assert_eq!(Groups::KIND, ListKind::Groups);
    /// ```
    pub trait List: private::Sealed {
        /// The record, borrowing the buffer it was decoded from.
        type Record<'a>: Record<'a>;
        /// The runtime kind.
        const KIND: ListKind;
    }

    /// The contact list (`get`).
    ///
    /// ```
    /// use smsc_codec::list::Contacts;
    /// use smsc_codec::{decode, Endpoint, Fmt, Limits};
    ///
    /// let records = decode::list::<Contacts>(b"[]", Fmt::Json, Endpoint::Phones, Limits::DEFAULT)?;
    /// assert_eq!(records.count(), 0);
    /// # Ok::<(), smsc_codec::Error>(())
    /// ```
    #[derive(Clone, Copy, Debug)]
    pub struct Contacts;
    /// The group list (`get_group`).
    ///
    /// ```
    /// use smsc_codec::list::Groups;
    /// use smsc_codec::{decode, Endpoint, Fmt, Limits};
    ///
    /// let records = decode::list::<Groups>(b"[]", Fmt::Json, Endpoint::Phones, Limits::DEFAULT)?;
    /// assert_eq!(records.count(), 0);
    /// # Ok::<(), smsc_codec::Error>(())
    /// ```
    #[derive(Clone, Copy, Debug)]
    pub struct Groups;
    /// The blacklist (`get_black`).
    ///
    /// ```
    /// use smsc_codec::list::Blacklist;
    /// use smsc_codec::{decode, Endpoint, Fmt, Limits};
    ///
    /// let records = decode::list::<Blacklist>(b"[]", Fmt::Json, Endpoint::Phones, Limits::DEFAULT)?;
    /// assert_eq!(records.count(), 0);
    /// # Ok::<(), smsc_codec::Error>(())
    /// ```
    #[derive(Clone, Copy, Debug)]
    pub struct Blacklist;

    impl List for Contacts {
        type Record<'a> = Contact<'a>;
        const KIND: ListKind = ListKind::Contacts;
    }
    impl List for Groups {
        type Record<'a> = Group<'a>;
        const KIND: ListKind = ListKind::Groups;
    }
    impl List for Blacklist {
        type Record<'a> = BlacklistEntry<'a>;
        const KIND: ListKind = ListKind::Blacklist;
    }

    mod private {
        pub trait Sealed {}
        impl Sealed for super::Contacts {}
        impl Sealed for super::Groups {}
        impl Sealed for super::Blacklist {}
    }
}

use list::List;

/// A streaming decoder of contact lists.
///
/// ```
/// use smsc_codec::{ContactsDecoder, Endpoint, Event, Fmt};
///
/// let mut decoder = ContactsDecoder::new(Fmt::Csv, Endpoint::Phones);
/// let step = decoder.decode(b"79991112233,Ivan\n", false)?;
/// assert!(matches!(step.event, Event::Record(contact) if contact.name.unwrap() == "Ivan"));
/// # Ok::<(), smsc_codec::DecodeError>(())
/// ```
pub type ContactsDecoder = ListDecoder<list::Contacts>;
/// A streaming decoder of group lists.
///
/// ```
/// use smsc_codec::{Endpoint, Event, Fmt, GroupsDecoder};
///
/// let mut decoder = GroupsDecoder::new(Fmt::Json, Endpoint::Phones);
/// // Half a group: nothing yet, and the opening `[` is used.
/// let step = decoder.decode(br#"[{"id": "7", "na"#, false)?;
/// assert_eq!((step.consumed, step.event), (1, Event::NeedMore));
/// # Ok::<(), smsc_codec::DecodeError>(())
/// ```
pub type GroupsDecoder = ListDecoder<list::Groups>;
/// A streaming decoder of blacklists.
///
/// ```
/// use smsc_codec::{BlacklistDecoder, Endpoint, Event, Fmt};
///
/// let mut decoder = BlacklistDecoder::new(Fmt::Xml, Endpoint::Phones);
/// let step = decoder.decode(b"<list></list>", true)?;
/// assert_eq!(step.event, Event::End);
/// assert!(decoder.is_finished());
/// # Ok::<(), smsc_codec::DecodeError>(())
/// ```
pub type BlacklistDecoder = ListDecoder<list::Blacklist>;

/// What one call of [`ListDecoder::decode`] found.
///
/// ```
/// use smsc_codec::{ContactsDecoder, Endpoint, Event, Fmt};
///
/// let mut decoder = ContactsDecoder::new(Fmt::Json, Endpoint::Phones);
/// let step = decoder.decode(br#"{"error": "record not found", "error_code": 3}"#, true)?;
/// match step.event {
///     Event::ApiError(api) if api.is_not_found() => { /* an empty list */ }
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), smsc_codec::DecodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a, T> {
    /// A record.
    Record(T),
    /// The server answered an API error instead of a list (error 3 for an empty list among
    /// them). It is the whole body: it is reported once the end of the body shows nothing
    /// else follows. The decoder is finished after it.
    ApiError(ApiError<'a>),
    /// The buffer holds no complete record: keep the unconsumed bytes, append more, call again.
    NeedMore,
    /// The list is over.
    End,
}

/// The result of one call of [`ListDecoder::decode`]: an event, and how many bytes at the start
/// of the buffer it used. Drop those bytes before the next call.
///
/// ```
/// use smsc_codec::{Endpoint, Event, Fmt, GroupsDecoder, Step};
///
/// let body = b"7,Friends,,2\n8,VIP,,1\n";
/// let mut decoder = GroupsDecoder::new(Fmt::Csv, Endpoint::Phones);
/// let Step { consumed, event } = decoder.decode(body, true)?;
/// assert!(matches!(event, Event::Record(group) if group.name.unwrap() == "Friends"));
/// let next = decoder.decode(&body[consumed..], true)?;  // drop what was consumed
/// assert!(matches!(next.event, Event::Record(group) if group.name.unwrap() == "VIP"));
/// # Ok::<(), smsc_codec::DecodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step<'a, T> {
    /// Bytes used from the start of the buffer; they are not needed again.
    pub consumed: usize,
    /// What was found.
    pub event: Event<'a, T>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Before the list: a BOM, a prologue, an API error.
    Start,
    /// Inside the list; `first` until a record was read.
    Items { first: bool },
    /// After the list: only whitespace (and in XML comments) may follow.
    Trailer,
    /// The list ended, or an API error was reported.
    Done,
    /// The body is malformed; every later call reports the same error.
    Failed(DecodeError),
}

/// Decodes a list record by record from a body that arrives in pieces.
///
/// The caller owns the buffer. Each call gets the bytes not yet consumed and says whether the
/// body is complete (`eof`); it answers with a record, "need more" or the end, plus the bytes it
/// consumed. Memory is bounded by the largest record (at most
/// [`Limits::max_record_len`]), not by the body. Offsets in errors count from the first byte
/// ever fed.
///
/// ```
/// use smsc_codec::{ContactsDecoder, Endpoint, Event, Fmt, Step};
///
/// let body = "[{\"phone\": \"79991112233\", \"name\": \"Іван\"},\n{\"phone\": \"380501112233\", \"name\": \"Олена\"}]";
/// let mut decoder = ContactsDecoder::new(Fmt::Json, Endpoint::Phones);
/// let mut buf = [0u8; 64]; // smaller than the body, larger than a record
/// let (mut filled, mut fed, mut names) = (0, 0, 0);
/// loop {
///     // What a socket would do: deliver a few bytes at a time.
///     let take = (body.len() - fed).min(buf.len() - filled).min(7);
///     buf[filled..filled + take].copy_from_slice(&body.as_bytes()[fed..fed + take]);
///     (filled, fed) = (filled + take, fed + take);
///     let eof = fed == body.len();
///     loop {
///         let Step { consumed, event } = decoder.decode(&buf[..filled], eof)?;
///         let done = match event {
///             Event::Record(contact) => {
///                 assert!(contact.name.is_some());
///                 names += 1;
///                 false
///             }
///             Event::NeedMore => true,
///             Event::End | Event::ApiError(_) => break,
///         };
///         buf.copy_within(consumed..filled, 0);
///         filled -= consumed;
///         if done {
///             break;
///         }
///     }
///     if eof {
///         break;
///     }
/// }
/// assert_eq!(names, 2);
/// # Ok::<(), smsc_codec::DecodeError>(())
/// ```
#[derive(Clone, Debug)]
pub struct ListDecoder<L: List> {
    machine: Machine,
    list: PhantomData<fn() -> L>,
}

impl<L: List> ListDecoder<L> {
    /// A decoder for a body in `fmt` from `endpoint`, with [`Limits::DEFAULT`].
    pub const fn new(fmt: Fmt, endpoint: Endpoint) -> Self {
        Self::with_limits(fmt, endpoint, Limits::DEFAULT)
    }

    /// A decoder with other limits.
    pub const fn with_limits(fmt: Fmt, endpoint: Endpoint, limits: Limits) -> Self {
        Self { machine: Machine::new(fmt, endpoint, L::KIND, limits), list: PhantomData }
    }

    /// The absolute offset of the next byte the decoder expects.
    pub const fn offset(&self) -> usize {
        self.machine.offset
    }

    /// Whether the list has ended (or failed): later calls yield nothing new.
    pub const fn is_finished(&self) -> bool {
        matches!(self.machine.phase, Phase::Done | Phase::Failed(_))
    }

    /// Decodes the next record from `buf`, the bytes not consumed so far. `eof` says that no more
    /// bytes will follow `buf`.
    ///
    /// A record is given as soon as its last byte is in `buf` (fmt 0 and 1: its line's LF), so
    /// `NeedMore` with nothing consumed and a full buffer means a record larger than the buffer.
    ///
    /// An API error is an event, not an `Err`: the error type borrows nothing, so `?` works in
    /// a loop that refills `buf`. After a malformed body every call returns the same error.
    #[inline]
    pub fn decode<'a>(&mut self, buf: &'a [u8], eof: bool) -> Result<Step<'a, L::Record<'a>>, DecodeError> {
        let mut values = [None; MAX_KNOWN];
        // The buffer changes between calls: each record is checked as it comes.
        let (consumed, event) = self.machine.decode(buf, eof, &mut values, &mut Checked::per_record(), false)?;
        let event = match event {
            Event::Record(raw) => Event::Record(<L::Record<'a> as Build<'a>>::build(&values, raw)),
            Event::ApiError(api) => Event::ApiError(api),
            Event::NeedMore => Event::NeedMore,
            Event::End => Event::End,
        };
        Ok(Step { consumed, event })
    }

    /// [`decode`](Self::decode), with the event kept as places in `buf`.
    #[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
    pub(crate) fn decode_detached(&mut self, buf: &[u8], eof: bool) -> Result<(usize, Detached), DecodeError> {
        let mut values = [None; MAX_KNOWN];
        let (consumed, event) = self.machine.decode(buf, eof, &mut values, &mut Checked::per_record(), false)?;
        let detached = match event {
            Event::Record(raw) => Detached::Record {
                text: TextAt::of(&Text::plain(raw.as_str()), buf),
                values: values.map(|value| value.map(|text| TextAt::of(&text, buf))),
            },
            Event::ApiError(api) => {
                Detached::ApiError { code: api.code, description: api.description.map(|text| TextAt::of(&text, buf)) }
            }
            Event::NeedMore => Detached::NeedMore,
            Event::End => Detached::End,
        };
        Ok((consumed, detached))
    }

    #[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
    /// The event `detached` describes, out of the bytes it was decoded from (`buf`, the same
    /// buffer borrowed again: only offsets were kept). `None` if they are not those bytes.
    pub(crate) fn attach<'a>(&self, buf: &'a [u8], detached: &Detached) -> Option<Event<'a, L::Record<'a>>> {
        let checked = |at: &TextAt| core::str::from_utf8(buf.get(at.start..at.end)?).ok();
        Some(match detached {
            Detached::Record { text, values } => {
                let record = checked(text)?;
                let mut texts = [None; MAX_KNOWN];
                for (slot, value) in texts.iter_mut().zip(values) {
                    if let Some(value) = value {
                        *slot = Some(value.text(record, text.start)?);
                    }
                }
                let machine = &self.machine;
                let raw = RawRecord::new(record, machine.fmt, machine.kind, machine.endpoint);
                Event::Record(<L::Record<'a> as Build<'a>>::build(&texts, raw))
            }
            Detached::ApiError { code, description } => Event::ApiError(ApiError {
                code: *code,
                description: match description {
                    Some(at) => Some(at.text(checked(at)?, at.start)?),
                    None => None,
                },
            }),
            Detached::NeedMore => Event::NeedMore,
            Detached::End => Event::End,
        })
    }
}

/// Where a [`Text`] stood in the buffer it was decoded from: what an event keeps when the buffer
/// must change before the event is read (the reader adapters refill the buffer a record
/// borrows; safe Rust cannot hold the borrow across the refill, so the event is kept as places
/// and rebuilt from them, at the cost of a second UTF-8 check of the record).
#[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
#[derive(Clone, Copy, Debug)]
pub(crate) struct TextAt {
    start: usize,
    end: usize,
    dialect: crate::text::Dialect,
}

#[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
impl TextAt {
    fn of(text: &Text<'_>, buf: &[u8]) -> Self {
        if text.raw().is_empty() {
            // An empty value need not point into the buffer (`<name/>`): it is kept as empty.
            return Self { start: 0, end: 0, dialect: text.dialect() };
        }
        // Offsets from addresses: no pointer is read, so this is safe and exact.
        let start = (text.raw().as_ptr() as usize).wrapping_sub(buf.as_ptr() as usize);
        Self { start, end: start.wrapping_add(text.raw().len()), dialect: text.dialect() }
    }

    /// The text again, out of `within` (the buffer's `base..` as checked text).
    fn text<'a>(&self, within: &'a str, base: usize) -> Option<Text<'a>> {
        if self.start == self.end {
            return Some(Text::escaped("", self.dialect));
        }
        let raw = within.get(self.start.checked_sub(base)?..self.end.checked_sub(base)?)?;
        Some(Text::escaped(raw, self.dialect))
    }
}

/// An [`Event`] kept as places in the buffer: see [`TextAt`].
// A reader holds one, in place: the size of the record variant is what the record needs.
#[cfg(any(feature = "std", feature = "embedded-io", feature = "embedded-io-async"))]
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug)]
pub(crate) enum Detached {
    Record { text: TextAt, values: [Option<TextAt>; MAX_KNOWN] },
    ApiError { code: crate::ErrorCode, description: Option<TextAt> },
    NeedMore,
    End,
}

/// A record's known fields, in schema order, as the machine writes them for the caller.
pub(crate) type Values<'a> = [Option<Text<'a>>; MAX_KNOWN];

/// Bytes of the body already checked as UTF-8. Whole-body decoding checks the body a window at
/// a time and slices each record's text out of the window, so every byte is checked once
/// however records fall; streaming, whose buffer changes between calls, checks each record.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Checked<'a> {
    text: &'a str,
    /// The absolute offset of `text`.
    start: usize,
    windowed: bool,
}

impl<'a> Checked<'a> {
    /// Each record checked on its own.
    pub(crate) const fn per_record() -> Self {
        Checked { text: "", start: 0, windowed: false }
    }
    /// Windows of this many bytes (or a record, when it is longer).
    const WINDOW: usize = 64 * 1024;

    /// Checked a window at a time.
    pub(crate) const fn windowed() -> Self {
        Checked { text: "", start: 0, windowed: true }
    }

    /// Where a window that must hold `buf[from..to]` ends: [`Self::WINDOW`] bytes on (or at
    /// `to`, when further), moved back before a character it would cut in two. Only a guess
    /// for speed: any end from `to` on gives the same text and errors, a character cut at the
    /// window's end being left for the next window, but a cut one costs checking the window
    /// twice.
    #[inline]
    fn window_end(buf: &[u8], from: usize, to: usize) -> usize {
        let mut end = buf.len().min(to.max(from.saturating_add(Self::WINDOW)));
        // A continuation byte right after the window: its character starts inside (at most
        // three bytes back).
        for _ in 0..3 {
            if end > to && matches!(buf.get(end), Some(0x80..=0xBF)) {
                end -= 1;
            }
        }
        end
    }

    /// `buf[from..to]` as text, `buf` starting at absolute offset `offset`.
    #[inline]
    fn region(&mut self, buf: &'a [u8], offset: usize, from: usize, to: usize) -> Scan<&'a str> {
        if !self.windowed {
            return scan::utf8(buf, from, to);
        }
        let (first, last) = ((offset + from).wrapping_sub(self.start), (offset + to).wrapping_sub(self.start));
        if let Some(text) = self.text.get(first..last) {
            return Ok(text);
        }
        // A new window from `from`, at least to `to`, ending before a character it would cut in
        // two (that waits for the next window).
        let end = Self::window_end(buf, from, to).max(to);
        let bytes = buf.get(from..end).unwrap_or_default();
        let text = match core::str::from_utf8(bytes) {
            Ok(text) => text,
            // Invalid past the region: the region is fine, the rest waits for its own record.
            Err(e) if from + e.valid_up_to() >= to => {
                core::str::from_utf8(bytes.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or_default()
            }
            Err(e) => return Err(Fail::Bad(Kind::InvalidUtf8, from + e.valid_up_to())),
        };
        *self = Checked { text, start: offset + from, windowed: true };
        match text.get(..to - from) {
            Some(text) => Ok(text),
            None => Err(Fail::Bad(Kind::InvalidUtf8, from)),
        }
    }
}

/// What a phase made of the buffer.
enum Progress<'a> {
    /// It moved on to this position (and maybe to another phase).
    Moved(usize),
    /// A record (its fields written for the caller), and the position after it.
    Record(usize, RawRecord<'a>),
    /// The body is this API error.
    Api(ApiError<'a>),
    /// The list ended here, and nothing else follows.
    End(usize),
    /// Only a part of what comes next is here.
    NeedMore(usize),
}

/// The state machine behind every [`ListDecoder`]: one copy of the code for all kinds of list
/// and all fmts.
#[derive(Clone, Debug)]
pub(crate) struct Machine {
    grammar: Option<&'static Grammar>,
    ctx: Ctx,
    fmt: Fmt,
    endpoint: Endpoint,
    kind: ListKind,
    phase: Phase,
    /// Bytes consumed by earlier calls: the absolute offset of the buffer's first byte.
    offset: usize,
    /// The bytes the last record took, separators included (0 before the first).
    last_len: usize,
}

impl Machine {
    pub(crate) const fn new(fmt: Fmt, endpoint: Endpoint, kind: ListKind, limits: Limits) -> Self {
        Self {
            grammar: format::grammar(fmt),
            ctx: Ctx { schema: kind.schema(endpoint), limits },
            fmt,
            endpoint,
            kind,
            phase: Phase::Start,
            offset: 0,
            last_len: 0,
        }
    }

    /// One step: the bytes consumed and what was found, or the error (absolute offset).
    /// `open_only`: stop once the start of the body is read (the list opened, or the body
    /// found to be an API error or empty), answering `NeedMore` with the bytes consumed.
    pub(crate) fn decode<'a>(
        &mut self,
        buf: &'a [u8],
        eof: bool,
        values: &mut Values<'a>,
        checked: &mut Checked<'a>,
        open_only: bool,
    ) -> Result<(usize, Event<'a, RawRecord<'a>>), DecodeError> {
        match self.step(buf, eof, values, checked, open_only) {
            Ok((consumed, event)) => {
                self.offset += consumed;
                Ok((consumed, event))
            }
            Err(fail) => {
                let err = match fail {
                    Fail::Incomplete => DecodeError::new(Kind::UnexpectedEnd, self.offset + buf.len()),
                    Fail::Bad(kind, at) => DecodeError::new(kind, self.offset + at),
                };
                self.phase = Phase::Failed(err);
                Err(err)
            }
        }
    }

    /// The state machine; positions are relative to `buf`.
    fn step<'a>(
        &mut self,
        buf: &'a [u8],
        eof: bool,
        values: &mut Values<'a>,
        checked: &mut Checked<'a>,
        open_only: bool,
    ) -> Scan<(usize, Event<'a, RawRecord<'a>>)> {
        let Some(grammar) = self.grammar else {
            return Err(Fail::Bad(Kind::FmtDisabled, 0));
        };
        let mut pos = 0usize;
        loop {
            // A record, its separators included, may not exceed the limit: the formats see at
            // most that much (and one byte to see it end), so a whole body and any chunking of
            // it meet the same bytes and report the same error.
            let max = self.ctx.limits.max_record_len;
            let view_end = buf.len().min(pos.saturating_add(max).saturating_add(1));
            let view = buf.get(..view_end).unwrap_or(buf);
            let truncated = view_end < buf.len();
            let view_eof = eof && !truncated;
            let progress = match self.phase {
                Phase::Done => return Ok((pos, Event::End)),
                Phase::Failed(err) => return Err(Fail::Bad(err.kind, err.offset.wrapping_sub(self.offset))),
                Phase::Start => self.start(grammar, view, pos, view_eof, checked),
                Phase::Items { first } => {
                    // Once the record limit is in view, nothing more can help: read what is there.
                    // With room for a quarter as much again as the record before, the next is
                    // most likely whole: read it at once (when it is not, reading finds that out).
                    let rest = buf.len().saturating_sub(pos);
                    let place = Place { first, eof: view_eof, look_ahead: !eof && rest <= max && !self.roomy(rest) };
                    self.item(grammar, view, pos, place, values, checked)
                }
                Phase::Trailer => self.trailer(grammar, buf, pos, eof, checked),
            };
            match progress {
                Ok(Progress::Moved(next)) => {
                    pos = next;
                    if open_only && self.phase != Phase::Start {
                        return Ok((pos, Event::NeedMore));
                    }
                }
                Ok(Progress::Record(next, raw)) => return Ok((next, Event::Record(raw))),
                Ok(Progress::Api(api)) => return Ok((buf.len(), Event::ApiError(api))),
                Ok(Progress::End(next)) => return Ok((next, Event::End)),
                Ok(Progress::NeedMore(next)) => return Ok((next, Event::NeedMore)),
                Err(Fail::Incomplete) if truncated => return Err(Fail::Bad(Kind::RecordTooLong, pos)),
                Err(Fail::Incomplete) if !eof => {
                    if buf.len() - pos > max {
                        return Err(Fail::Bad(Kind::RecordTooLong, pos));
                    }
                    return Ok((pos, Event::NeedMore));
                }
                // Invalid UTF-8 before the place of another error is the error: every chunking
                // of a body then reports what the whole body reports.
                Err(Fail::Incomplete) => {
                    return Err(match first_invalid(buf, pos, buf.len()) {
                        Some(at) => Fail::Bad(Kind::InvalidUtf8, at),
                        None => Fail::Incomplete,
                    })
                }
                Err(Fail::Bad(kind, at)) => {
                    return Err(Fail::Bad(kind, at).or_invalid_utf8(buf, pos));
                }
            }
        }
    }

    /// Before the list: a BOM, then an API error, the list's opening, or an empty body.
    fn start<'a>(
        &mut self,
        grammar: &Grammar,
        buf: &'a [u8],
        pos: usize,
        eof: bool,
        checked: &mut Checked<'a>,
    ) -> Scan<Progress<'a>> {
        let pos = skip_bom(buf, pos)?;
        let at = skip_space(buf, pos);
        if at == buf.len() {
            if !eof {
                return Err(Fail::Incomplete);
            }
            // An empty body: an empty list.
            self.phase = Phase::Done;
            return Ok(Progress::Moved(at));
        }
        if let Some(answer) = error_line::recognise(buf, at, eof)? {
            return self.api_error(grammar, buf, pos, answer, eof);
        }
        match (grammar.open)(buf, pos, eof, &self.ctx)? {
            Open::List(next) => {
                // What opens the list (an XML prologue, comments, the root's attributes) is
                // text too.
                checked.region(buf, self.offset, pos, next)?;
                self.phase = Phase::Items { first: true };
                Ok(Progress::Moved(next))
            }
            Open::Closed(next) => {
                checked.region(buf, self.offset, pos, next)?;
                self.phase = Phase::Trailer;
                Ok(Progress::Moved(next))
            }
            Open::Answer(answer) => self.api_error(grammar, buf, pos, answer, eof),
        }
    }

    /// A single answer where a list was expected: the API error it carries, once the body is
    /// known to hold nothing else; otherwise the wrong shape.
    fn api_error<'a>(
        &mut self,
        grammar: &Grammar,
        buf: &'a [u8],
        pos: usize,
        answer: Answer,
        eof: bool,
    ) -> Scan<Progress<'a>> {
        if answer.error_code.is_none() {
            return Err(Fail::Bad(Kind::UnexpectedShape, answer.start));
        }
        let after = (grammar.trailer)(buf, answer.end)?;
        if after < buf.len() {
            return Err(Fail::Bad(Kind::TrailingData, after));
        }
        if !eof {
            return Err(Fail::Incomplete);
        }
        let region = scan::utf8(buf, pos, buf.len())?;
        let api = answer.api_error(region, pos).unwrap_or(Err(Fail::Bad(Kind::UnexpectedShape, answer.start)))?;
        self.phase = Phase::Done;
        Ok(Progress::Api(api))
    }

    /// Whether `rest` bytes leave room for a quarter as much again as the record before, so
    /// that the next record is most likely whole. Only a guess for speed: reading a record that
    /// is not whole finds that out and gives the same answer as looking ahead first.
    #[inline]
    fn roomy(&self, rest: usize) -> bool {
        self.last_len > 0 && rest >= self.last_len.saturating_add(self.last_len / 4)
    }

    /// Inside the list: the next record, or the list's end.
    #[inline]
    fn item<'a>(
        &mut self,
        grammar: &Grammar,
        buf: &'a [u8],
        pos: usize,
        place: Place,
        values: &mut Values<'a>,
        checked: &mut Checked<'a>,
    ) -> Scan<Progress<'a>> {
        let mut spans: Spans = [None; MAX_KNOWN];
        let found = match (grammar.item)(buf, pos, place, &self.ctx, &mut spans)? {
            Item::End(next) => {
                self.phase = Phase::Trailer;
                checked.region(buf, self.offset, pos, next)?;
                return Ok(Progress::Moved(next));
            }
            Item::Record(found) => found,
        };
        if found.end.saturating_sub(pos) > self.ctx.limits.max_record_len {
            return Err(Fail::Bad(Kind::RecordTooLong, pos));
        }
        // The one UTF-8 check of the record and what separates it from the one before.
        let region = checked.region(buf, self.offset, pos, found.next)?;
        for (value, span) in values.iter_mut().zip(&spans) {
            *value = match span {
                Some(span) => Some(span.text(region, pos)?),
                None => None,
            };
        }
        let Some(text) = region.get(found.start.wrapping_sub(pos)..found.end.wrapping_sub(pos)) else {
            return Err(Fail::Bad(Kind::InvalidUtf8, found.start));
        };
        self.phase = Phase::Items { first: false };
        self.last_len = found.next.saturating_sub(pos);
        let raw = RawRecord::new(text, self.fmt, self.kind, self.endpoint);
        Ok(Progress::Record(found.next, raw))
    }

    /// After the list: what may trail the body, up to its end.
    fn trailer<'a>(
        &mut self,
        grammar: &Grammar,
        buf: &'a [u8],
        pos: usize,
        eof: bool,
        checked: &mut Checked<'a>,
    ) -> Scan<Progress<'a>> {
        let at = (grammar.trailer)(buf, pos)?;
        checked.region(buf, self.offset, pos, at)?;
        if at < buf.len() {
            return Err(Fail::Bad(Kind::TrailingData, at));
        }
        // Whatever trails is consumed as it comes; only the end of input says the body is over.
        if !eof {
            return Ok(Progress::NeedMore(at));
        }
        self.phase = Phase::Done;
        Ok(Progress::End(at))
    }
}

#[cfg(all(test, feature = "kv", feature = "csv", feature = "xml", feature = "json"))]
mod tests {
    use super::*;
    use crate::Error;

    fn names(body: &[u8], fmt: Fmt) -> Result<heapless::Vec<heapless::String<32>, 8>, Error<'_>> {
        let mut decoder = ContactsDecoder::new(fmt, Endpoint::Phones);
        let mut out = heapless::Vec::new();
        let mut pos = 0;
        loop {
            let step = decoder.decode(&body[pos..], true)?;
            pos += step.consumed;
            match step.event {
                Event::Record(contact) => {
                    let mut name = heapless::String::new();
                    if let Some(text) = contact.name {
                        core::fmt::write(&mut name, format_args!("{text}")).unwrap();
                    }
                    out.push(name).unwrap();
                }
                Event::NeedMore => panic!("need more at eof"),
                Event::ApiError(api) => return Err(Error::Api(api)),
                Event::End => return Ok(out),
            }
        }
    }

    /// A record whose end is in the buffer is given at once, before the body ends, even when
    /// the next one is cut short: a stream is not held back by the record after.
    #[test]
    fn a_complete_record_is_given_before_the_body_ends() {
        let bodies: [(&[u8], Fmt); 6] = [
            (b"phone = 1, name = A\nphone = 2, na", Fmt::KeyValue),
            (b"1,A,0,,,,,,,,\n2,B,0", Fmt::Csv),
            (b"<list><contact><phone>1</phone><name>A</name></contact><contact><phone>2</ph", Fmt::Xml),
            (b"<list>\n<contact><name>A</name></contact >\n<contact><name>B", Fmt::Xml),
            (b"<list><contact/><contact><phone>2</phone>", Fmt::Xml),
            (b"[{\"phone\": \"1\", \"name\": \"A\"}, {\"phone\": \"2\", \"na", Fmt::Json),
        ];
        for (body, fmt) in bodies {
            let mut decoder = ContactsDecoder::new(fmt, Endpoint::Phones);
            let step = decoder.decode(body, false).unwrap();
            let Event::Record(first) = step.event else {
                panic!("{fmt:?}: {:?} for {:?}", step.event, core::str::from_utf8(body));
            };
            let expected = if body.starts_with(b"<list><contact/>") { None } else { Some("A") };
            assert_eq!(first.name.map(|name| name.as_borrowed().unwrap()), expected, "{fmt:?}");
            let next = decoder.decode(&body[step.consumed..], false).unwrap();
            assert!(matches!(next.event, Event::NeedMore), "{fmt:?}: {:?}", next.event);
        }
    }

    #[test]
    fn every_fmt_decodes() {
        let bodies: [(&[u8], Fmt); 4] = [
            (b"phone = 1, name = A&amp;\nphone = 2, name = B\n", Fmt::KeyValue),
            (b"1,A&amp;,0,,,,,,,,\n2,B,0,,,,,,,,", Fmt::Csv),
            (b"<?xml version=\"1.0\"?>\n<list><contact><phone>1</phone><name>A&amp;amp;</name></contact>\n<contact><name>B</name></contact></list>\n", Fmt::Xml),
            (b"\xEF\xBB\xBF[{\"phone\": \"1\", \"name\": \"A&amp;\"},\n{\"name\": \"B\", \"x\": [1]}]", Fmt::Json),
        ];
        for (body, fmt) in bodies {
            let names = names(body, fmt).unwrap();
            assert_eq!(names, ["A&amp;", "B"], "{fmt:?}");
        }
    }

    #[test]
    fn api_errors_in_every_fmt() {
        let bodies: [(&[u8], Fmt); 6] = [
            (b"ERROR = 3 (record not found)", Fmt::KeyValue),
            (b"0,-3", Fmt::Csv),
            (b"0,-3 \t\n", Fmt::Csv),
            (b"<result><error>record not found</error><error_code>3</error_code></result>", Fmt::Xml),
            (b"{\"error\": \"record not found\", \"error_code\": 3}", Fmt::Json),
            (b"ERROR = 3 (record not found)\n", Fmt::Json),
        ];
        for (body, fmt) in bodies {
            match names(body, fmt) {
                Err(crate::Error::Api(api)) => assert!(api.is_not_found(), "{fmt:?}"),
                other => panic!("{fmt:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn an_api_error_is_the_whole_body() {
        for (body, fmt, at) in [
            (&b"{\"error_code\": 3} x"[..], Fmt::Json, 18),
            (b"<result><error_code>3</error_code></result> x", Fmt::Xml, 44),
            (b"ERROR = 3 (x)\nphone = 1", Fmt::KeyValue, 14),
            (b"0,-3\n1,a,2", Fmt::Csv, 5),
        ] {
            let err = names(body, fmt).unwrap_err();
            assert_eq!(err, Error::Malformed(DecodeError::new(Kind::TrailingData, at)), "{fmt:?}");
        }
    }

    #[test]
    fn streaming_byte_by_byte_matches() {
        let body = b"[{\"phone\": \"1\", \"name\": \"\\u0410\"},{\"name\": \"B\"}]  ";
        let mut decoder = ContactsDecoder::new(Fmt::Json, Endpoint::Phones);
        let mut buf = heapless::Vec::<u8, 64>::new();
        let mut seen = 0;
        for (i, &byte) in body.iter().enumerate() {
            buf.push(byte).unwrap();
            let eof = i + 1 == body.len();
            loop {
                let step = decoder.decode(&buf, eof).unwrap();
                let consumed = step.consumed;
                let stop = match step.event {
                    Event::Record(_) => {
                        seen += 1;
                        false
                    }
                    Event::NeedMore | Event::End | Event::ApiError(_) => true,
                };
                buf.rotate_left(consumed);
                buf.truncate(buf.len() - consumed);
                if stop {
                    break;
                }
            }
        }
        assert_eq!(seen, 2);
        assert!(decoder.is_finished());
    }

    /// Records alternating short and long, so that a long one is often cut by the buffer's end
    /// where the record before would have fit (the decoder reads it without looking first).
    /// Every chunking gives the whole body's records, each as soon as its last byte is in.
    #[test]
    fn a_record_is_given_once_its_last_byte_is_in_and_not_later() {
        use core::fmt::Write;
        const RECORDS: usize = 12;
        let long = "Довгий коментар, що займає більше місця, ніж попередній запис; ";
        let name = |i: usize| if i.is_multiple_of(2) { "A" } else { long };
        for (fmt, end) in [(Fmt::Json, "}"), (Fmt::Xml, "</contact>"), (Fmt::KeyValue, "\n"), (Fmt::Csv, "\n")] {
            let mut out = heapless::String::<4096>::new();
            out.push_str(match fmt {
                Fmt::Json => "[",
                Fmt::Xml => "<?xml version=\"1.0\"?>\n<list>\n",
                _ => "",
            })
            .unwrap();
            for i in 0..RECORDS {
                let comma = if fmt == Fmt::Json && i > 0 { "," } else { "" };
                match fmt {
                    Fmt::Json => write!(out, "{comma}{{\"phone\": \"{i}\", \"name\": \"{}\"}}", name(i)),
                    Fmt::Xml => writeln!(out, "<contact><phone>{i}</phone><name>{}</name></contact>", name(i)),
                    Fmt::KeyValue => writeln!(out, "phone = {i}, name = {}", name(i)),
                    Fmt::Csv => writeln!(out, "{i},{},0,,,,,,,,", name(i)),
                }
                .unwrap();
            }
            out.push_str(match fmt {
                Fmt::Json => "]",
                Fmt::Xml => "</list>\n",
                _ => "",
            })
            .unwrap();
            let body = out.as_bytes();
            // Where each record's last byte is: the end of the n-th `end` marker.
            let ends: heapless::Vec<usize, RECORDS> = body
                .windows(end.len())
                .enumerate()
                .filter(|(_, w)| *w == end.as_bytes())
                .map(|(at, _)| at + end.len())
                .take(RECORDS)
                .collect();
            assert_eq!(ends.len(), RECORDS, "{fmt:?}");
            // Under Miri, one buffer and two chunk sizes: the interpreter is slow.
            let (capacities, chunks): (&[usize], &[usize]) = match cfg!(miri) {
                true => (&[256], &[7, 97]),
                false => (&[200, 256, 300, 512, 4096], &[1, 7, 64, 97, 200]),
            };
            for &capacity in capacities {
                for &chunk in chunks {
                    let mut decoder = ContactsDecoder::new(fmt, Endpoint::Phones);
                    let mut buf = heapless::Vec::<u8, 4096>::new();
                    let (mut fed, mut phones) = (0, 0usize);
                    loop {
                        let take = chunk.min(capacity - buf.len()).min(body.len() - fed);
                        buf.extend_from_slice(&body[fed..fed + take]).unwrap();
                        fed += take;
                        let eof = fed == body.len();
                        let mut start = 0;
                        let finished = loop {
                            let step = decoder.decode(&buf[start..], eof).unwrap();
                            start += step.consumed;
                            match step.event {
                                Event::Record(contact) => {
                                    let phone = contact.phone.map(|p| p.raw());
                                    let mut want = heapless::String::<8>::new();
                                    write!(want, "{phones}").unwrap();
                                    assert_eq!(phone, Some(want.as_str()), "{fmt:?} capacity {capacity} chunk {chunk}");
                                    phones += 1;
                                }
                                Event::NeedMore => break false,
                                Event::End => break true,
                                Event::ApiError(_) => panic!("{fmt:?}: an API error"),
                            }
                        };
                        if finished {
                            break;
                        }
                        // Every record whose last byte (`}`, `>`, a line's LF) is in was given.
                        let complete = ends.iter().filter(|&&e| e <= fed).count();
                        assert!(
                            phones >= complete,
                            "{fmt:?} capacity {capacity} chunk {chunk}: {phones} of {complete} given at {fed}"
                        );
                        assert!(
                            start > 0 || buf.len() < capacity,
                            "{fmt:?} capacity {capacity} chunk {chunk}: stuck with a full buffer"
                        );
                        buf.rotate_left(start);
                        buf.truncate(buf.len() - start);
                    }
                    assert_eq!(phones, RECORDS, "{fmt:?} capacity {capacity} chunk {chunk}");
                }
            }
        }
    }

    #[test]
    fn truncation_is_an_error_at_eof() {
        let err = names(b"[{\"phone\": \"1\"", Fmt::Json).unwrap_err();
        assert_eq!(err, Error::Malformed(DecodeError::new(Kind::UnexpectedEnd, 14)));
        let err = names(b"[{\"phone\": \"1\"}] x", Fmt::Json).unwrap_err();
        assert_eq!(err, Error::Malformed(DecodeError::new(Kind::TrailingData, 17)));
    }
}
