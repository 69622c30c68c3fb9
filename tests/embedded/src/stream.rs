//! The streaming decoder fed the way a modem's HTTP stack delivers a body: uneven chunks into a
//! small fixed buffer, the consumed bytes dropped after every step.

use smsc_codec::list::List;
use smsc_codec::{DecodeError, Event, ListDecoder, Record, Step};

use crate::stack;

/// The receive buffer. The largest fixture record (a contact in XML on mails.php) is about
/// 450 bytes, so 256 would not hold the fixtures; 512 does.
pub const BUF: usize = 512;

/// Chunk sizes, cycled: byte by byte, small uneven pieces, larger uneven pieces, and "as much
/// as fits" (a DMA transfer that fills the buffer).
pub const PATTERNS: [&[usize]; 4] =
    [&[1], &[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7], &[17, 64, 2, 200, 33, 128, 1], &[usize::MAX]];

/// What the caller of [`feed`] does with each event. `false` stops the feed.
pub trait Sink<L: List> {
    fn event<'a>(&mut self, event: &Event<'a, L::Record<'a>>) -> bool;
    fn error(&mut self, error: DecodeError);
}

/// How a feed ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// `Event::End` or `Event::ApiError`, or the sink stopped.
    Finished,
    /// The decoder failed.
    Error(DecodeError),
    /// The buffer is full and the decoder wants more: the record does not fit.
    BufferFull,
    /// The body ended and the decoder still wanted more (a decoder bug: at eof it must decide).
    NeedMoreAtEof,
}

/// Observations across feeds.
#[derive(Clone, Copy, Default)]
pub struct Stats {
    /// The deepest stack at a call of `ListDecoder::decode`: the harness' share.
    pub call_depth: usize,
    /// The longest record decoded (its raw bytes).
    pub max_record: usize,
    /// Records decoded.
    pub records: usize,
}

/// The decoder call, kept out of line so that the stack depth measured at its call site is the
/// harness' and everything below it is the codec's.
#[inline(never)]
fn decode<'a, L: List>(
    decoder: &mut ListDecoder<L>,
    buf: &'a [u8],
    eof: bool,
    stats: &mut Stats,
) -> Result<Step<'a, L::Record<'a>>, DecodeError> {
    stats.call_depth = stats.call_depth.max(stack::depth());
    decoder.decode(buf, eof)
}

/// Feeds `body` to `decoder` through a [`BUF`]-byte buffer in chunks of the sizes in `chunks`
/// (cycled). With `resync`, a `RecordTooLong` (only meaningful for the line fmts 0 and 1) drops
/// the bytes up to the next line end and carries on with a fresh decoder; the number of
/// resynchronisations is returned with the end.
/// Out of line: its frame (with the buffer) is the same in every caller.
#[inline(never)]
pub fn feed<L: List, S: Sink<L>>(
    decoder: &mut ListDecoder<L>,
    fresh: impl Fn() -> ListDecoder<L>,
    body: &[u8],
    chunks: &[usize],
    resync: bool,
    sink: &mut S,
    stats: &mut Stats,
) -> (Ended, usize) {
    let mut buf = [0u8; BUF];
    let (mut filled, mut fed, mut turn, mut resyncs) = (0usize, 0usize, 0usize, 0usize);
    // While resynchronising: bytes are dropped until a line end has gone by.
    let mut skipping = false;
    loop {
        let want = chunks[turn % chunks.len()];
        turn += 1;
        let n = want.min(body.len() - fed).min(BUF - filled);
        buf[filled..filled + n].copy_from_slice(&body[fed..fed + n]);
        filled += n;
        fed += n;
        let eof = fed == body.len();
        if skipping {
            match buf[..filled].iter().position(|&b| b == b'\n') {
                Some(nl) => {
                    buf.copy_within(nl + 1..filled, 0);
                    filled -= nl + 1;
                    skipping = false;
                    *decoder = fresh();
                }
                None => {
                    filled = 0;
                    if eof {
                        return (Ended::Finished, resyncs);
                    }
                    continue;
                }
            }
        }
        loop {
            let (consumed, more, need_more, finished) = match decode(decoder, &buf[..filled], eof, stats) {
                Ok(Step { consumed, event }) => {
                    if let Event::Record(record) = &event {
                        stats.records += 1;
                        stats.max_record = stats.max_record.max(record.raw().bytes().len());
                    }
                    let more = sink.event(&event);
                    let need_more = matches!(event, Event::NeedMore);
                    let finished = matches!(event, Event::End | Event::ApiError(_));
                    (consumed, more, need_more, finished)
                }
                Err(err) if resync && err.kind == smsc_codec::DecodeErrorKind::RecordTooLong => {
                    sink.error(err);
                    resyncs += 1;
                    skipping = true;
                    break;
                }
                Err(err) => {
                    sink.error(err);
                    return (Ended::Error(err), resyncs);
                }
            };
            buf.copy_within(consumed..filled, 0);
            filled -= consumed;
            if finished || !more {
                return (Ended::Finished, resyncs);
            }
            if need_more {
                if eof {
                    return (Ended::NeedMoreAtEof, resyncs);
                }
                if filled == BUF {
                    return (Ended::BufferFull, resyncs);
                }
                break;
            }
        }
        if skipping && eof {
            return (Ended::Finished, resyncs);
        }
    }
}
