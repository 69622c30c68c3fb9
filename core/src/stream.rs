//! The record-by-record list decoder, for bodies that arrive in pieces. Whole-body decoding
//! ([`decode`](crate::decode)) is the same machine with the end of input known.

use core::marker::PhantomData;

use crate::error::{ApiError, DecodeError, DecodeErrorKind as Kind};
use crate::limits::Limits;
use crate::record::{BlackRecord, Contact, Group, ListKind, RawRecord, Record};
use crate::response::{self, bad, line, skip_bom, skip_space, xml, Fail, Known, Scan};
use crate::{Endpoint, Fmt};

/// The kinds of list, as types: [`ListDecoder`]'s parameter.
pub mod list {
    use super::{BlackRecord, Contact, Group, ListKind, Record};

    /// A kind of list and the record type it yields. Sealed.
    pub trait List: private::Sealed {
        /// The record, borrowing the buffer it was decoded from.
        type Record<'a>: Record<'a>;
        /// The runtime kind.
        const KIND: ListKind;
    }

    /// The contact list (`get`).
    #[derive(Clone, Copy, Debug)]
    pub struct Contacts;
    /// The group list (`get_group`).
    #[derive(Clone, Copy, Debug)]
    pub struct Groups;
    /// The blacklist (`get_black`).
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
        type Record<'a> = BlackRecord<'a>;
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
pub type ContactDecoder = ListDecoder<list::Contacts>;
/// A streaming decoder of group lists.
pub type GroupDecoder = ListDecoder<list::Groups>;
/// A streaming decoder of blacklists.
pub type BlacklistDecoder = ListDecoder<list::Blacklist>;

/// What one call of [`ListDecoder::decode`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a, T> {
    /// A record.
    Record(T),
    /// The server answered an API error instead of a list (error 3 for an empty list among
    /// them). It can only come first; the decoder is finished after it.
    ApiError(ApiError<'a>),
    /// The buffer holds no complete record: keep the unconsumed bytes, append more, call again.
    NeedMore,
    /// The list is over.
    End,
}

/// The result of one call of [`ListDecoder::decode`]: an event, and how many bytes at the start
/// of the buffer it used. Drop those bytes before the next call.
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
    /// After the closing bracket or tag: only whitespace may follow.
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
/// use smsc_codec::{ContactDecoder, Endpoint, Event, Fmt, Step};
///
/// let body = "[{\"phone\": \"79991112233\", \"name\": \"Іван\"},\n{\"phone\": \"380501112233\", \"name\": \"Олена\"}]";
/// let mut decoder = ContactDecoder::new(Fmt::Json, Endpoint::Phones);
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
        let machine = Machine { fmt, endpoint, kind: L::KIND, limits, phase: Phase::Start, offset: 0 };
        Self { machine, list: PhantomData }
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
    /// An API error is an event, not an `Err`: the error type borrows nothing, so `?` works in
    /// a loop that refills `buf`. After a malformed body every call returns the same error.
    pub fn decode<'a>(&mut self, buf: &'a [u8], eof: bool) -> Result<Step<'a, L::Record<'a>>, DecodeError> {
        let Step { consumed, event } = self.machine.decode(buf, eof)?;
        let event = match event {
            Event::Record((known, raw)) => Event::Record(<L::Record<'a> as Record<'a>>::build(&known, raw)),
            Event::ApiError(api) => Event::ApiError(api),
            Event::NeedMore => Event::NeedMore,
            Event::End => Event::End,
        };
        Ok(Step { consumed, event })
    }
}

/// A record before it is typed: its known fields and its bytes.
type Found<'a> = (Known<'a>, RawRecord<'a>);

/// The state machine behind every [`ListDecoder`]; one copy of the code for all kinds of list.
#[derive(Clone, Debug)]
struct Machine {
    fmt: Fmt,
    endpoint: Endpoint,
    kind: ListKind,
    limits: Limits,
    phase: Phase,
    /// Bytes consumed by earlier calls: the absolute offset of the buffer's first byte.
    offset: usize,
}

impl Machine {
    fn decode<'a>(&mut self, buf: &'a [u8], eof: bool) -> Result<Step<'a, Found<'a>>, DecodeError> {
        match self.step(buf, eof) {
            Ok((consumed, event)) => {
                self.offset += consumed;
                Ok(Step { consumed, event })
            }
            Err(Stop::Api(api)) => {
                self.phase = Phase::Done;
                Ok(Step { consumed: buf.len(), event: Event::ApiError(api) })
            }
            Err(Stop::Fail(Fail::Incomplete)) => {
                let err = DecodeError::new(Kind::UnexpectedEnd, self.offset + buf.len());
                self.phase = Phase::Failed(err);
                Err(err)
            }
            Err(Stop::Fail(Fail::Bad(kind, at))) => {
                let err = DecodeError::new(kind, self.offset + at);
                self.phase = Phase::Failed(err);
                Err(err)
            }
        }
    }

    /// The state machine; positions are relative to `buf`.
    fn step<'a>(&mut self, buf: &'a [u8], eof: bool) -> Result<(usize, Event<'a, Found<'a>>), Stop<'a>> {
        let mut pos = 0usize;
        loop {
            // A record, its separators included, may not exceed the limit: the parsers see at
            // most that much (and one byte to see it end), so a whole body and any chunking of
            // it meet the same bytes and report the same error.
            let max = self.limits.max_record_len;
            let view = &buf[..buf.len().min(pos.saturating_add(max).saturating_add(1))];
            let truncated = view.len() < buf.len();
            let view_eof = eof && !truncated;
            let result = match self.phase {
                Phase::Done => return Ok((pos, Event::End)),
                Phase::Failed(err) => {
                    let at = err.offset.saturating_sub(self.offset);
                    return Err(Stop::Fail(Fail::Bad(err.kind, at)));
                }
                Phase::Start => self.start(view, pos, view_eof).map(|next| (next, None)),
                Phase::Items { first } => self.item(view, pos, first, view_eof),
                Phase::Trailer => self.trailer(buf, pos, eof),
            };
            match result {
                Ok((next, Some(record))) => return Ok((next, Event::Record(record))),
                Ok((next, None)) => pos = next,
                Err(Stop::Fail(Fail::Incomplete)) if truncated => {
                    return Err(Stop::Fail(Fail::Bad(Kind::RecordTooLong, pos)));
                }
                Err(Stop::Fail(Fail::Incomplete)) if !eof => {
                    if buf.len() - pos > max {
                        return Err(Stop::Fail(Fail::Bad(Kind::RecordTooLong, pos)));
                    }
                    return Ok((pos, Event::NeedMore));
                }
                Err(Stop::Fail(Fail::Incomplete)) if self.phase == Phase::Trailer => {
                    // Only whitespace was left at the end of the body.
                    self.phase = Phase::Done;
                    return Ok((buf.len(), Event::End));
                }
                Err(stop) => return Err(stop),
            }
        }
    }

    /// Before the list. Ok with the position after the list's opening (the phase moves on), or
    /// an API error, or a malformed start.
    fn start<'a>(&mut self, buf: &'a [u8], pos: usize, eof: bool) -> Result<usize, Stop<'a>> {
        let pos = skip_bom(buf, pos)?;
        if skip_space(buf, pos) == buf.len() {
            if !eof {
                return Err(Stop::Fail(Fail::Incomplete));
            }
            // An empty body: an empty list.
            self.phase = Phase::Done;
            return Ok(buf.len());
        }
        let at = match self.fmt {
            Fmt::Xml => xml::skip_misc(buf, pos)?,
            Fmt::Json => skip_space(buf, pos),
            // In lines, spaces and tabs belong to the first value: only blank lines go.
            Fmt::KeyValue | Fmt::Csv => pos + buf[pos..].iter().take_while(|&&b| b == b'\r' || b == b'\n').count(),
        };
        if at == buf.len() {
            return Err(Stop::Fail(Fail::Incomplete));
        }
        // The fmt=0 error line, answered under any fmt.
        if buf[at] == b'E' {
            let (start, end, _) = line(buf, at, eof)?;
            if let Some(api) = response::error_line(buf, start, end) {
                return Err(api.map_or_else(Stop::Fail, Stop::Api));
            }
        }
        match self.fmt {
            Fmt::Json => match buf[at] {
                b'[' => {
                    self.phase = Phase::Items { first: true };
                    Ok(at + 1)
                }
                b'{' => Err(single::json(buf, at, &self.limits)?.into_stop(at)),
                _ => Err(Stop::Fail(Fail::Bad(Kind::UnexpectedShape, at))),
            },
            Fmt::Xml => {
                if buf[at] != b'<' {
                    return Err(Stop::Fail(Fail::Bad(Kind::UnexpectedShape, at)));
                }
                let tag = xml::start_tag(buf, at)?;
                match tag.name {
                    b"list" if tag.self_closing => {
                        self.phase = Phase::Trailer;
                        Ok(tag.end)
                    }
                    b"list" => {
                        self.phase = Phase::Items { first: true };
                        Ok(tag.end)
                    }
                    _ => Err(single::xml(buf, &tag, &self.limits)?.into_stop(at)),
                }
            }
            Fmt::KeyValue | Fmt::Csv => {
                let (start, end, _) = line(buf, at, eof)?;
                // A JSON or XML body where lines were asked for.
                if response::lines::starts_structured(&buf[at..end]) {
                    return Err(Stop::Fail(Fail::Bad(Kind::UnexpectedShape, at)));
                }
                if self.fmt == Fmt::Csv {
                    if let Some(api) = single::csv_error(&buf[start..end]) {
                        return Err(Stop::Api(api));
                    }
                    // A fmt=0 body: fmt=1 would read `phone = 7999` as a number.
                    if response::lines::starts_with_key(&buf[start..end]) {
                        return Err(Stop::Fail(Fail::Bad(Kind::UnexpectedShape, at)));
                    }
                }
                self.phase = Phase::Items { first: true };
                Ok(at)
            }
        }
    }

    /// Inside the list: the next record (with its separator), or the list's end.
    fn item<'a>(
        &mut self,
        buf: &'a [u8],
        pos: usize,
        first: bool,
        eof: bool,
    ) -> Result<(usize, Option<Found<'a>>), Stop<'a>> {
        let schema = self.kind.schemas().for_endpoint(self.endpoint);
        let limits = &self.limits;
        let (start, end) = match self.fmt {
            Fmt::Json => {
                let mut at = skip_space(buf, pos);
                match buf.get(at) {
                    None => return Err(Stop::Fail(Fail::Incomplete)),
                    Some(b']') => {
                        self.phase = Phase::Trailer;
                        return Ok((at + 1, None));
                    }
                    Some(b',') if !first => at = skip_space(buf, at + 1),
                    Some(_) if first => {}
                    Some(_) => return Err(Stop::Fail(Fail::Bad(Kind::UnexpectedByte, at))),
                }
                match buf.get(at) {
                    None => return Err(Stop::Fail(Fail::Incomplete)),
                    Some(b'{') => {}
                    Some(_) => return Err(Stop::Fail(Fail::Bad(Kind::UnexpectedByte, at))),
                }
                if limits.depth() < 2 {
                    return Err(Stop::Fail(Fail::Bad(Kind::DepthLimit, at)));
                }
                (at, None)
            }
            Fmt::Xml => {
                let at = xml::skip_misc(buf, pos)?;
                match (buf.get(at), buf.get(at + 1)) {
                    (Some(b'<'), Some(b'/')) => {
                        let tag_end = closing_list(buf, at)?;
                        self.phase = Phase::Trailer;
                        return Ok((tag_end, None));
                    }
                    (Some(b'<'), Some(_)) => {}
                    (Some(b'<'), None) => return Err(Stop::Fail(Fail::Incomplete)),
                    (Some(_), _) | (None, _) => return Err(Stop::Fail(Fail::Bad(Kind::UnexpectedByte, at))),
                }
                if limits.depth() < 2 {
                    return Err(Stop::Fail(Fail::Bad(Kind::DepthLimit, at)));
                }
                (at, None)
            }
            Fmt::KeyValue | Fmt::Csv => {
                if pos == buf.len() && eof {
                    self.phase = Phase::Done;
                    return Ok((pos, None));
                }
                let (start, end, next) = line(buf, pos, eof)?;
                if end - pos > limits.max_record_len {
                    return Err(Stop::Fail(Fail::Bad(Kind::RecordTooLong, pos)));
                }
                if buf[start..end].iter().all(|&b| b == b' ' || b == b'\t') {
                    return Ok((next, None));
                }
                (start, Some((end, next)))
            }
        };
        let (known, record_end, next) = match end {
            Some((end, next)) => (response::read_record(&buf[..end], start, self.fmt, &schema, limits)?.0, end, next),
            None => {
                let (known, record_end) = response::read_record(buf, start, self.fmt, &schema, limits)?;
                (known, record_end, record_end)
            }
        };
        if record_end - pos > limits.max_record_len {
            return Err(Stop::Fail(Fail::Bad(Kind::RecordTooLong, pos)));
        }
        self.phase = Phase::Items { first: false };
        let raw = RawRecord::new(&buf[start..record_end], self.fmt, self.kind, self.endpoint);
        Ok((next, Some((known, raw))))
    }

    /// After the list: whitespace (and XML comments) up to the end of the body.
    fn trailer<'a>(&mut self, buf: &'a [u8], pos: usize, eof: bool) -> Result<(usize, Option<Found<'a>>), Stop<'a>> {
        let at = skip_space(buf, pos);
        // Whitespace is consumed as it comes; only the end of input says the body is over.
        let so_far = |at: usize| match at > pos {
            true => Ok((at, None)),
            false => Err(Stop::Fail(Fail::Incomplete)),
        };
        if at == buf.len() {
            return so_far(at);
        }
        if self.fmt == Fmt::Xml && buf[at] == b'<' {
            // A comment or processing instruction may follow the list.
            match xml::skip_misc(buf, at) {
                Ok(next) if next > at => return Ok((next, None)),
                Ok(_) => {}
                Err(Fail::Incomplete) if eof => return Err(Stop::Fail(Fail::Bad(Kind::UnexpectedEnd, buf.len()))),
                Err(Fail::Incomplete) => return so_far(at),
                Err(bad) => return Err(Stop::Fail(bad)),
            }
        }
        Err(Stop::Fail(Fail::Bad(Kind::TrailingData, at)))
    }
}

/// The `</list>` at `at`: the position after it.
fn closing_list(buf: &[u8], at: usize) -> Scan<usize> {
    let rest = &buf[at..];
    let close: &[u8] = b"</list>";
    if rest.starts_with(close) {
        return Ok(at + close.len());
    }
    if close.starts_with(rest) {
        return Err(Fail::Incomplete);
    }
    bad(Kind::MismatchedTag, at)
}

/// Why the state machine stopped.
pub(crate) enum Stop<'a> {
    Api(ApiError<'a>),
    Fail(Fail),
}

impl From<Fail> for Stop<'_> {
    fn from(fail: Fail) -> Self {
        Self::Fail(fail)
    }
}

/// Single-object answers (errors, created ids, OK) shared with the whole-body decoders.
pub(crate) mod single {
    use super::Stop;
    use crate::error::{ApiError, DecodeErrorKind as Kind};
    use crate::limits::Limits;
    use crate::response::{bad, json, parse_code, xml, Fail, Member, Scan, Value};
    use crate::text::Text;

    /// The members an answer object may carry.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct Single<'a> {
        pub id: Option<Text<'a>>,
        pub result: Option<Text<'a>>,
        pub error: Option<Text<'a>>,
        pub error_code: Option<(Text<'a>, usize)>,
        /// The position after the object.
        pub end: usize,
    }

    impl<'a> Single<'a> {
        fn take(&mut self, member: Member<'a>) -> Scan<()> {
            let slot = match member.key {
                "id" => &mut self.id,
                "result" => &mut self.result,
                "error" => &mut self.error,
                "error_code" => {
                    if let Value::Scalar(text) = member.value {
                        self.error_code.get_or_insert((text, member.at));
                    }
                    return Ok(());
                }
                _ => return Ok(()),
            };
            match member.value {
                Value::Scalar(text) => {
                    slot.get_or_insert(text);
                    Ok(())
                }
                Value::Null => Ok(()),
                Value::Structure(_) => bad(Kind::NotAScalar, member.at),
            }
        }

        /// The API error this object carries, if it has an `error_code`.
        pub(crate) fn api_error(&self) -> Option<Scan<ApiError<'a>>> {
            let (code, at) = self.error_code?;
            let digits = code.as_borrowed().unwrap_or("").trim_matches(' ');
            Some(match parse_code(digits.as_bytes()) {
                Some(code) => Ok(ApiError { code, description: self.error }),
                None => bad(Kind::InvalidErrorCode, at),
            })
        }

        /// In a list context: an API error, or the wrong shape.
        pub(crate) fn into_stop(self, at: usize) -> Stop<'a> {
            match self.api_error() {
                Some(Ok(api)) => Stop::Api(api),
                Some(Err(fail)) => Stop::Fail(fail),
                None => Stop::Fail(Fail::Bad(Kind::UnexpectedShape, at)),
            }
        }
    }

    /// The JSON object at `at`.
    pub(crate) fn json<'a>(buf: &'a [u8], at: usize, limits: &Limits) -> Scan<Single<'a>> {
        let mut members = json::Members::new(at, 1);
        let mut single = Single::default();
        while let Some(member) = members.next(buf, limits)? {
            single.take(member)?;
        }
        single.end = members.pos();
        Ok(single)
    }

    /// The XML element whose start tag is `tag`.
    pub(crate) fn xml<'a>(buf: &'a [u8], tag: &xml::StartTag<'a>, limits: &Limits) -> Scan<Single<'a>> {
        let mut single = Single::default();
        if !tag.self_closing {
            // `<result>OK</result>`: text, not children.
            let (end, value) = xml::element_value(buf, tag, 1, limits)?;
            match value {
                Value::Scalar(text) => {
                    single.result = Some(text);
                    single.end = end;
                    return Ok(single);
                }
                Value::Structure(_) | Value::Null => {}
            }
        }
        let mut children = xml::Children::new(buf, tag, 1);
        while let Some(member) = children.next(buf, limits)? {
            single.take(member)?;
        }
        single.end = children.pos();
        Ok(single)
    }

    /// The fmt=1 error line `0,-N`.
    pub(crate) fn csv_error(line: &[u8]) -> Option<ApiError<'_>> {
        let digits = line.strip_prefix(b"0,-")?;
        parse_code(digits).map(|code| ApiError { code, description: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn names(body: &[u8], fmt: Fmt) -> Result<heapless::Vec<heapless::String<32>, 8>, Error<'_>> {
        let mut decoder = ContactDecoder::new(fmt, Endpoint::Phones);
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
        let bodies: [(&[u8], Fmt); 5] = [
            (b"ERROR = 3 (record not found)", Fmt::KeyValue),
            (b"0,-3", Fmt::Csv),
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
    fn streaming_byte_by_byte_matches() {
        let body = b"[{\"phone\": \"1\", \"name\": \"\\u0410\"},{\"name\": \"B\"}]  ";
        let mut decoder = ContactDecoder::new(Fmt::Json, Endpoint::Phones);
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

    #[test]
    fn truncation_is_an_error_at_eof() {
        let err = names(b"[{\"phone\": \"1\"", Fmt::Json).unwrap_err();
        assert_eq!(err, Error::Malformed(DecodeError::new(Kind::UnexpectedEnd, 14)));
        let err = names(b"[{\"phone\": \"1\"}] x", Fmt::Json).unwrap_err();
        assert_eq!(err, Error::Malformed(DecodeError::new(Kind::TrailingData, 17)));
    }
}
