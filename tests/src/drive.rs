//! Decoding lists into owned records: whole-body ([`whole`]) and streaming ([`stream`],
//! [`stream_with`]), so that the two can be compared with each other and with generated data.

use smsc_codec::decode;
use smsc_codec::list::{Blacklist, Contacts, Groups, List};
use smsc_codec::{DecodeError, Endpoint, Error, Event, Fmt, Limits, ListDecoder, ListKind, Step};

use crate::owned::{self, Fields};

/// How a decoding ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// The list ended normally.
    Done,
    /// An API error with this code.
    Api(u16),
    /// A malformed body.
    Malformed(DecodeError),
    /// Streaming: the caller's buffer is full and the decoder still needs more bytes.
    BufferFull,
    /// Streaming: the decoder asked for more bytes after being told the body was complete.
    NeedMoreAtEof,
    /// [`one_buffer`] without `eof`: the decoder asked for more bytes.
    NeedMore,
    /// The decoder kept producing records without consuming input (a hang).
    NoProgress,
}

impl From<Error<'_>> for End {
    fn from(err: Error<'_>) -> Self {
        match err {
            Error::Api(api) => End::Api(api.code.wire()),
            Error::Malformed(err) => End::Malformed(err),
        }
    }
}

/// The records decoded before the end, and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// Every record, as owned fields (each value checked by [`owned::text`]).
    pub records: Vec<Fields>,
    /// How decoding ended.
    pub end: End,
}

/// A list type whose records this crate can read field by field.
pub trait Listed: List + Sized {
    /// Reads a record (see [`owned::record`]).
    fn fields(record: &Self::Record<'_>) -> Fields;
}

impl Listed for Contacts {
    fn fields(record: &Self::Record<'_>) -> Fields {
        owned::record(record)
    }
}
impl Listed for Groups {
    fn fields(record: &Self::Record<'_>) -> Fields {
        owned::record(record)
    }
}
impl Listed for Blacklist {
    fn fields(record: &Self::Record<'_>) -> Fields {
        owned::record(record)
    }
}

/// Decodes a whole body with [`decode::list`].
pub fn whole<L: Listed>(body: &[u8], fmt: Fmt, endpoint: Endpoint, limits: Limits) -> Decoded {
    let mut records = Vec::new();
    let records_iter = match decode::list::<L>(body, fmt, endpoint, limits) {
        Ok(iter) => iter,
        Err(err) => return Decoded { records, end: err.into() },
    };
    for record in records_iter {
        match record {
            Ok(record) => records.push(L::fields(&record)),
            Err(err) => return Decoded { records, end: End::Malformed(err) },
        }
        if records.len() > body.len() + 1 {
            return Decoded { records, end: End::NoProgress };
        }
    }
    Decoded { records, end: End::Done }
}

/// [`whole`] for a list kind chosen at run time.
pub fn whole_kind(kind: ListKind, body: &[u8], fmt: Fmt, endpoint: Endpoint, limits: Limits) -> Decoded {
    match kind {
        ListKind::Contacts => whole::<Contacts>(body, fmt, endpoint, limits),
        ListKind::Groups => whole::<Groups>(body, fmt, endpoint, limits),
        ListKind::Blacklist => whole::<Blacklist>(body, fmt, endpoint, limits),
    }
}

/// Streams `body` through `decoder` the way a caller with a fixed buffer does: append the next
/// chunk (`next_chunk()` bytes, at most what fits), decode until "need more", drop the consumed
/// bytes by moving the rest to the front (compaction), repeat. Calls `on_record` for each
/// record and returns how many there were. Allocates nothing itself.
///
/// Also checks that [`ListDecoder::offset`] always equals the bytes consumed so far, and that
/// [`ListDecoder::is_finished`] turns true exactly at the end, an API error or an error.
pub fn stream_with<L: List>(
    mut decoder: ListDecoder<L>,
    body: &[u8],
    buf: &mut [u8],
    mut next_chunk: impl FnMut() -> usize,
    mut on_record: impl FnMut(&L::Record<'_>),
) -> Result<usize, End> {
    let (mut filled, mut fed, mut consumed_total, mut count) = (0usize, 0usize, 0usize, 0usize);
    loop {
        let take = next_chunk().max(1).min(buf.len() - filled).min(body.len() - fed);
        buf[filled..filled + take].copy_from_slice(&body[fed..fed + take]);
        filled += take;
        fed += take;
        let eof = fed == body.len();
        loop {
            let (consumed, need_more) = {
                let Step { consumed, event } = match decoder.decode(&buf[..filled], eof) {
                    Ok(step) => step,
                    Err(err) => {
                        assert!(decoder.is_finished(), "is_finished() after an error");
                        return Err(End::Malformed(err));
                    }
                };
                // Finished exactly when the list ended or an API error was reported.
                let ended = matches!(event, Event::End | Event::ApiError(_));
                assert_eq!(decoder.is_finished(), ended, "is_finished() (the list ended: {ended})");
                assert!(consumed <= filled, "consumed more than the buffer holds");
                let need_more = match event {
                    Event::Record(record) => {
                        on_record(&record);
                        count += 1;
                        if count > body.len() + 1 {
                            return Err(End::NoProgress);
                        }
                        false
                    }
                    Event::ApiError(api) => return Err(End::Api(api.code.wire())),
                    Event::NeedMore => true,
                    Event::End => {
                        consumed_total += consumed;
                        assert_eq!(decoder.offset(), consumed_total, "offset() after End");
                        return Ok(count);
                    }
                };
                (consumed, need_more)
            };
            buf.copy_within(consumed..filled, 0);
            filled -= consumed;
            consumed_total += consumed;
            assert_eq!(decoder.offset(), consumed_total, "offset() vs bytes consumed");
            if need_more {
                if eof {
                    return Err(End::NeedMoreAtEof);
                }
                if filled == buf.len() {
                    return Err(End::BufferFull);
                }
                break;
            }
        }
    }
}

/// Streams `body` with a buffer of `cap` bytes and chunk sizes taken in turn from `chunks`
/// (never empty), collecting owned records.
pub fn stream<L: Listed>(
    body: &[u8],
    fmt: Fmt,
    endpoint: Endpoint,
    limits: Limits,
    cap: usize,
    chunks: &[usize],
) -> Decoded {
    let mut buf = vec![0u8; cap];
    let mut records = Vec::new();
    let mut next = 0;
    let result = stream_with(
        ListDecoder::<L>::with_limits(fmt, endpoint, limits),
        body,
        &mut buf,
        || {
            let size = chunks[next % chunks.len()];
            next += 1;
            size
        },
        |record| records.push(L::fields(record)),
    );
    Decoded {
        records,
        end: match result {
            Ok(_) => End::Done,
            Err(end) => end,
        },
    }
}

/// [`stream`] for a list kind chosen at run time.
pub fn stream_kind(kind: ListKind, body: &[u8], fmt: Fmt, endpoint: Endpoint, cap: usize, chunks: &[usize]) -> Decoded {
    stream_kind_with(kind, body, fmt, endpoint, Limits::DEFAULT, cap, chunks)
}

/// [`stream_kind`] with other limits.
pub fn stream_kind_with(
    kind: ListKind,
    body: &[u8],
    fmt: Fmt,
    endpoint: Endpoint,
    limits: Limits,
    cap: usize,
    chunks: &[usize],
) -> Decoded {
    match kind {
        ListKind::Contacts => stream::<Contacts>(body, fmt, endpoint, limits, cap, chunks),
        ListKind::Groups => stream::<Groups>(body, fmt, endpoint, limits, cap, chunks),
        ListKind::Blacklist => stream::<Blacklist>(body, fmt, endpoint, limits, cap, chunks),
    }
}

/// The length of the longest record's raw bytes in a whole body (0 when none decode).
pub fn longest_record(kind: ListKind, body: &[u8], fmt: Fmt, endpoint: Endpoint) -> usize {
    fn longest<L: List>(body: &[u8], fmt: Fmt, endpoint: Endpoint) -> usize {
        use smsc_codec::Record;
        decode::list::<L>(body, fmt, endpoint, Limits::DEFAULT)
            .map(|records| records.filter_map(Result::ok).map(|r| r.raw().bytes().len()).max().unwrap_or(0))
            .unwrap_or(0)
    }
    match kind {
        ListKind::Contacts => longest::<Contacts>(body, fmt, endpoint),
        ListKind::Groups => longest::<Groups>(body, fmt, endpoint),
        ListKind::Blacklist => longest::<Blacklist>(body, fmt, endpoint),
    }
}

/// The raw bytes of every record of a whole body that decode (up to the first error).
pub fn raw_records(kind: ListKind, body: &[u8], fmt: Fmt, endpoint: Endpoint) -> Vec<Vec<u8>> {
    fn raws<L: List>(body: &[u8], fmt: Fmt, endpoint: Endpoint) -> Vec<Vec<u8>> {
        use smsc_codec::Record;
        decode::list::<L>(body, fmt, endpoint, Limits::DEFAULT)
            .map(|records| records.map_while(Result::ok).map(|r| r.raw().bytes().to_vec()).collect())
            .unwrap_or_default()
    }
    match kind {
        ListKind::Contacts => raws::<Contacts>(body, fmt, endpoint),
        ListKind::Groups => raws::<Groups>(body, fmt, endpoint),
        ListKind::Blacklist => raws::<Blacklist>(body, fmt, endpoint),
    }
}

/// Decodes one buffer (no refill) with the streaming decoder, telling it `eof`: every record
/// (owned fields and raw bytes) until it asks for more bytes ([`End::NeedMore`]), ends, or fails.
pub fn one_buffer(
    kind: ListKind,
    buf: &[u8],
    fmt: Fmt,
    endpoint: Endpoint,
    eof: bool,
) -> (Vec<(Fields, Vec<u8>)>, End) {
    fn run<L: Listed>(buf: &[u8], fmt: Fmt, endpoint: Endpoint, eof: bool) -> (Vec<(Fields, Vec<u8>)>, End) {
        use smsc_codec::Record;
        let mut decoder = ListDecoder::<L>::new(fmt, endpoint);
        let mut records = Vec::new();
        let mut pos = 0;
        loop {
            match decoder.decode(&buf[pos..], eof) {
                Err(err) => return (records, End::Malformed(err)),
                Ok(Step { consumed, event }) => {
                    pos += consumed;
                    match event {
                        Event::Record(record) => {
                            records.push((L::fields(&record), record.raw().bytes().to_vec()));
                            if records.len() > buf.len() + 1 {
                                return (records, End::NoProgress);
                            }
                        }
                        Event::ApiError(api) => return (records, End::Api(api.code.wire())),
                        Event::NeedMore => return (records, End::NeedMore),
                        Event::End => return (records, End::Done),
                    }
                }
            }
        }
    }
    match kind {
        ListKind::Contacts => run::<Contacts>(buf, fmt, endpoint, eof),
        ListKind::Groups => run::<Groups>(buf, fmt, endpoint, eof),
        ListKind::Blacklist => run::<Blacklist>(buf, fmt, endpoint, eof),
    }
}
