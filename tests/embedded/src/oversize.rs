//! The buffer's limit: the largest record a [`BUF`]-byte buffer holds in each fmt, and what a
//! larger one does. The decoder gets `max_record_len = BUF - 1`, so a record that cannot fit is
//! the decoder's own clean `RecordTooLong` error rather than a full buffer that waits forever.
//! Line fmts (0, 1) then resynchronise at the next line with a fresh decoder; JSON and XML
//! stop cleanly (the decoder is finished and keeps reporting the same error).

use smsc_codec::list::Contacts;
use smsc_codec::{ContactsDecoder, DecodeError, DecodeErrorKind, Endpoint, Event, Fmt, Limits, Record};

use crate::report::check;
use crate::stream::{feed, Ended, Sink, Stats, BUF};

/// The body scratch space (static, not stack).
pub const BODY: usize = 2048;

const LIMITS: Limits = Limits { max_record_len: BUF - 1, ..Limits::DEFAULT };

/// A three-contact body in `fmt` whose middle contact has a name of `n` bytes.
fn body(out: &mut [u8], fmt: Fmt, n: usize) -> usize {
    struct W<'b> {
        out: &'b mut [u8],
        len: usize,
    }
    impl W<'_> {
        fn put(&mut self, bytes: &[u8]) {
            self.out[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        }
        fn name(&mut self, n: usize) {
            self.out[self.len..self.len + n].fill(b'x');
            self.len += n;
        }
    }
    let mut w = W { out, len: 0 };
    let phones: [&[u8]; 3] = [b"79990000001", b"79990000002", b"79990000003"];
    match fmt {
        Fmt::Json => w.put(b"["),
        Fmt::Xml => w.put(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<list>\n"),
        _ => {}
    }
    for (i, phone) in phones.iter().enumerate() {
        let last = i == phones.len() - 1;
        match fmt {
            Fmt::KeyValue => w.put(b"phone = "),
            Fmt::Csv => {}
            Fmt::Xml => w.put(b"<contact><phone>"),
            Fmt::Json => w.put(b"{\"phone\": \""),
        }
        w.put(phone);
        w.put(match fmt {
            Fmt::KeyValue => b", name = ",
            Fmt::Csv => b",",
            Fmt::Xml => b"</phone><name>",
            Fmt::Json => b"\", \"name\": \"",
        });
        match i {
            1 => w.name(n),
            _ => w.put(b"A"),
        }
        w.put(match (fmt, last) {
            (Fmt::KeyValue, _) => b", group = 5922\n",
            (Fmt::Csv, _) => b",5922,,,,,,,,\n",
            (Fmt::Xml, _) => b"</name><group>5922</group></contact>\n",
            (Fmt::Json, false) => b"\", \"group\": 5922},\n",
            (Fmt::Json, true) => b"\", \"group\": 5922}",
        });
    }
    match fmt {
        Fmt::Json => w.put(b"]"),
        Fmt::Xml => w.put(b"</list>\n"),
        _ => {}
    }
    w.len
}

/// Which phones came through (bit i for 7999000000i+1), the longest record, the error.
#[derive(Default)]
struct Seen {
    phones: u8,
    longest: usize,
    error: Option<DecodeError>,
}

impl Sink<Contacts> for Seen {
    fn event<'a>(&mut self, event: &Event<'a, smsc_codec::Contact<'a>>) -> bool {
        if let Event::Record(contact) = event {
            let phone = contact.phone.and_then(|p| p.to_u64()).unwrap_or(0);
            if (79_990_000_001..=79_990_000_003).contains(&phone) {
                self.phones |= 1 << (phone - 79_990_000_001);
            }
            self.longest = self.longest.max(contact.raw().bytes().len());
        }
        true
    }

    fn error(&mut self, error: DecodeError) {
        self.error.get_or_insert(error);
    }
}

/// The outcome for one fmt, for the report.
#[derive(Clone, Copy, Default)]
pub struct Limit {
    /// The largest record (bytes) that decoded through the buffer.
    pub largest: usize,
    /// The error the next size up gave.
    pub error: Option<DecodeError>,
    /// Whether the record after the oversized one still decoded (line fmts).
    pub resynced: bool,
}

fn run_one(scratch: &mut [u8], fmt: Fmt, n: usize, chunks: &[usize]) -> (Ended, usize, Seen, ContactsDecoder) {
    let len = body(scratch, fmt, n);
    let fresh = || ContactsDecoder::with_limits(fmt, Endpoint::Phones, LIMITS);
    let mut decoder = fresh();
    let mut seen = Seen::default();
    let mut stats = Stats::default();
    let line = matches!(fmt, Fmt::KeyValue | Fmt::Csv);
    let (ended, resyncs) = feed(&mut decoder, fresh, &scratch[..len], chunks, line, &mut seen, &mut stats);
    (ended, resyncs, seen, decoder)
}

#[inline(never)]
pub fn run(scratch: &mut [u8; BODY], fmt: Fmt) -> Limit {
    let chunks: &[usize] = &[7, 13, 5, 64];
    let line = matches!(fmt, Fmt::KeyValue | Fmt::Csv);
    let mut limit = Limit::default();
    // The largest name that still decodes, searched upwards from well inside the buffer.
    let mut fits = None;
    for n in (BUF - 96)..=BUF {
        let (ended, resyncs, seen, _) = run_one(scratch, fmt, n, chunks);
        if ended == Ended::Finished && resyncs == 0 && seen.phones == 0b111 {
            fits = Some(n);
            limit.largest = seen.longest;
        } else {
            break;
        }
    }
    let Some(n) = fits else {
        check!(false, "{fmt:?}: no record near {BUF} bytes decoded");
        return limit;
    };
    // One byte more, and a record three buffers long: a clean error, then resync or stop.
    for over in [n + 1, 3 * BUF] {
        let (ended, resyncs, seen, mut decoder) = run_one(scratch, fmt, over, chunks);
        let too_long = seen.error.is_some_and(|e| e.kind == DecodeErrorKind::RecordTooLong);
        if over == n + 1 {
            limit.error = seen.error;
        }
        if line {
            // Records 1 and 3 decoded, record 2 reported and skipped.
            let resynced = ended == Ended::Finished && resyncs == 1 && seen.phones == 0b101;
            limit.resynced |= resynced;
            check!(
                too_long && resynced,
                "{fmt:?}: a {over}-byte name: ended {ended:?}, {resyncs} resyncs, phones {:03b}, error {:?}",
                seen.phones,
                seen.error
            );
        } else {
            let sticky = match ended {
                Ended::Error(err) => decoder.is_finished() && matches!(decoder.decode(b"", true), Err(e) if e == err),
                _ => false,
            };
            check!(
                too_long && sticky && seen.phones == 0b001,
                "{fmt:?}: a {over}-byte name: ended {ended:?}, phones {:03b}, error {:?}",
                seen.phones,
                seen.error
            );
        }
    }
    limit
}
