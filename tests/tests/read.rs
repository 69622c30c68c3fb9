//! The reader adapters (`smsc_codec::read`): every list fixture through `IoReader`,
//! `EmbeddedReader` and `AsyncReader`, from sources that give one byte at a time, random sizes,
//! interruptions, pending polls and failures, must give exactly the records and the end of the
//! whole-body decoder.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use smsc_codec::list::{Blacklist, Contacts, Groups};
use smsc_codec::read::{AsyncReader, EmbeddedReader, IoReader, ReadError};
use smsc_codec::{DecodeErrorKind, Endpoint, ErrorCode, Fmt, Limits, ListDecoder, ListKind, ResponseKind};
use smsc_codec_tests::drive::{self, Decoded, End, Listed};
use smsc_codec_tests::fixtures::{self, Fixture};

/// How a [`Source`] hands out the body.
#[derive(Clone, Copy, Debug)]
enum Pace {
    /// One byte a read.
    OneByte,
    /// 1 to 97 bytes a read, from this seed.
    Random(u64),
    /// As much as fits.
    Whole,
}

/// A body as a socket gives it: in pieces, with an `Interrupted` (or a pending poll) before
/// every third read, and, when asked, one failure at a byte offset.
struct Source<'a> {
    body: &'a [u8],
    pos: usize,
    pace: Pace,
    reads: u64,
    fail_at: Option<usize>,
}

#[derive(Debug, PartialEq)]
enum Hiccup {
    /// Retry at once (`Interrupted`).
    Interrupted,
    /// A real failure.
    Failed,
}

impl<'a> Source<'a> {
    fn new(body: &'a [u8], pace: Pace) -> Self {
        Self { body, pos: 0, pace, reads: 0, fail_at: None }
    }

    fn failing_at(mut self, at: usize) -> Self {
        self.fail_at = Some(at);
        self
    }

    /// The next read: a hiccup, or bytes copied into `buf`.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Hiccup> {
        self.reads += 1;
        if self.reads.is_multiple_of(3) {
            return Err(Hiccup::Interrupted);
        }
        if self.fail_at.is_some_and(|at| self.pos >= at) {
            self.fail_at = None;
            return Err(Hiccup::Failed);
        }
        let want = match self.pace {
            Pace::OneByte => 1,
            Pace::Random(seed) => {
                let mut x = seed ^ self.reads.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                x ^= x >> 29;
                x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
                (x >> 32) as usize % 97 + 1
            }
            Pace::Whole => usize::MAX,
        };
        let end = self.fail_at.unwrap_or(usize::MAX).min(self.body.len());
        let n = want.min(buf.len()).min(end - self.pos);
        buf[..n].copy_from_slice(&self.body[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl std::io::Read for Source<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.read(buf).map_err(|hiccup| match hiccup {
            Hiccup::Interrupted => std::io::ErrorKind::Interrupted.into(),
            Hiccup::Failed => std::io::Error::other("connection reset"),
        })
    }
}

impl embedded_io::ErrorType for Source<'_> {
    type Error = embedded_io::ErrorKind;
}

impl embedded_io::Read for Source<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        Source::read(self, buf).map_err(|hiccup| match hiccup {
            Hiccup::Interrupted => embedded_io::ErrorKind::Interrupted,
            Hiccup::Failed => embedded_io::ErrorKind::ConnectionReset,
        })
    }
}

impl embedded_io_async::Read for Source<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        // Every read is pending once first, as a socket waiting for data is.
        PendingOnce(false).await;
        embedded_io::Read::read(self, buf)
    }
}

struct PendingOnce(bool);

impl Future for PendingOnce {
    type Output = ();

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Polls `future` to its end (every pending future here is ready on the next poll).
fn block_on<T>(future: impl Future<Output = T>) -> T {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..10_000_000 {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
    }
    panic!("the future never finished");
}

fn end_of<E: std::fmt::Debug>(err: ReadError<E>) -> End {
    match err {
        ReadError::Api(code) => End::Api(code.wire()),
        ReadError::Malformed(err) => End::Malformed(err),
        ReadError::Io(err) => panic!("unexpected read error {err:?}"),
    }
}

/// Which adapter reads.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Adapter {
    Io,
    Embedded,
    Async,
}

/// Reads a list through `adapter`, with `buf` as its buffer, retrying after each `Io` error
/// (the source fails once): the records and how it ended, and how many `Io` errors it saw.
fn read<L: Listed>(adapter: Adapter, decoder: ListDecoder<L>, source: Source<'_>, buf: &mut [u8]) -> (Decoded, usize) {
    let mut records = Vec::new();
    let mut failures = 0;
    macro_rules! drain {
        ($reader:expr) => {{
            let mut reader = $reader;
            loop {
                match reader.next() {
                    Ok(Some(record)) => records.push(L::fields(&record)),
                    Ok(None) => break End::Done,
                    Err(ReadError::Io(_)) => failures += 1,
                    Err(err) => break end_of(err),
                }
                assert!(failures < 3, "a failed read is not retried by the next call");
            }
        }};
    }
    let end = match adapter {
        Adapter::Io => drain!(IoReader::with_decoder(source, buf, decoder)),
        Adapter::Embedded => drain!(EmbeddedReader::with_decoder(source, buf, decoder)),
        Adapter::Async => block_on(async {
            let mut reader = AsyncReader::with_decoder(source, buf, decoder);
            loop {
                match reader.next().await {
                    Ok(Some(record)) => records.push(L::fields(&record)),
                    Ok(None) => break End::Done,
                    Err(ReadError::Io(_)) => failures += 1,
                    Err(err) => break end_of(err),
                }
                assert!(failures < 3, "a failed read is not retried by the next call");
            }
        }),
    };
    (Decoded { records, end }, failures)
}

fn read_kind(kind: ListKind, adapter: Adapter, f: &Fixture, source: Source<'_>, buf: &mut [u8]) -> (Decoded, usize) {
    match kind {
        ListKind::Contacts => read::<Contacts>(adapter, ListDecoder::new(f.fmt, f.endpoint), source, buf),
        ListKind::Groups => read::<Groups>(adapter, ListDecoder::new(f.fmt, f.endpoint), source, buf),
        ListKind::Blacklist => read::<Blacklist>(adapter, ListDecoder::new(f.fmt, f.endpoint), source, buf),
    }
}

fn list_fixtures() -> Vec<(ListKind, Fixture)> {
    let fixtures: Vec<_> = fixtures::load_all()
        .into_iter()
        .filter_map(|f| match f.command.response() {
            ResponseKind::List(kind) => Some((kind, f)),
            _ => None,
        })
        .collect();
    assert!(fixtures.len() > 50, "the fixtures were found");
    fixtures
}

/// Every list fixture, every adapter, every pace: the whole-body answer, records and end. With a
/// buffer that holds the body every end matches (errors at the same offset); with a buffer of
/// about two records a complete list still matches.
#[test]
fn every_adapter_reads_every_fixture_as_the_whole_body_decoder() {
    let mut compared = 0;
    for (kind, fixture) in list_fixtures() {
        let whole = drive::whole_kind(kind, &fixture.body, fixture.fmt, fixture.endpoint, Limits::DEFAULT);
        let longest = drive::longest_record(kind, &fixture.body, fixture.fmt, fixture.endpoint);
        for adapter in [Adapter::Io, Adapter::Embedded, Adapter::Async] {
            for pace in [Pace::OneByte, Pace::Random(fixture.body.len() as u64), Pace::Whole] {
                let mut roomy = vec![0u8; fixture.body.len() + 1];
                let (got, _) = read_kind(kind, adapter, &fixture, Source::new(&fixture.body, pace), &mut roomy);
                assert_eq!(got, whole, "{} {adapter:?} {pace:?}", fixture.name());
                if whole.end == End::Done {
                    let mut tight = vec![0u8; 2 * longest + 64];
                    let (got, _) = read_kind(kind, adapter, &fixture, Source::new(&fixture.body, pace), &mut tight);
                    assert_eq!(got, whole, "{} {adapter:?} {pace:?}, buffer of {}", fixture.name(), tight.len());
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 150);
}

/// A read that fails surfaces as `ReadError::Io`, loses nothing, and the next call goes on
/// from where the source is: the records are the same as without the failure.
#[test]
fn a_failed_read_surfaces_and_the_next_call_goes_on() {
    let mut failed_somewhere = 0;
    for (kind, fixture) in list_fixtures().into_iter().filter(|(_, f)| f.body.len() > 40) {
        let whole = drive::whole_kind(kind, &fixture.body, fixture.fmt, fixture.endpoint, Limits::DEFAULT);
        for adapter in [Adapter::Io, Adapter::Embedded, Adapter::Async] {
            for at in [1, fixture.body.len() / 2, fixture.body.len() - 1] {
                let mut buf = vec![0u8; fixture.body.len() + 1];
                let source = Source::new(&fixture.body, Pace::Random(at as u64)).failing_at(at);
                let (got, failures) = read_kind(kind, adapter, &fixture, source, &mut buf);
                assert_eq!(got, whole, "{} {adapter:?} failing at {at}", fixture.name());
                failed_somewhere += failures;
            }
        }
    }
    assert!(failed_somewhere > 100, "the failures were seen: {failed_somewhere}");
}

#[test]
fn an_api_error_is_its_code_and_its_description_stays_readable() {
    let body = br#"{"error": "duplicate request, wait a minute", "error_code": 9}"#;
    let mut buf = [0u8; 128];
    let mut reader = IoReader::contacts(&body[..], &mut buf, Fmt::Json, Endpoint::Phones);
    let err = reader.next().unwrap_err();
    assert!(matches!(err, ReadError::Api(ErrorCode::RateLimited)), "{err:?}");
    assert!(!err.is_not_found());
    let api = reader.api_error().unwrap();
    assert_eq!(api.code, ErrorCode::RateLimited);
    assert_eq!(api.description.unwrap(), "duplicate request, wait a minute");
    assert!(format!("{err}").contains('9'));

    let mut reader = EmbeddedReader::blacklist(&b"0,-3"[..], &mut buf, Fmt::Csv, Endpoint::Phones);
    assert!(reader.next().unwrap_err().is_not_found());
    assert_eq!(reader.api_error().unwrap().description, None);
}

/// A record longer than the buffer is `RecordTooLong`, at its offset, and stays so.
#[test]
fn a_record_longer_than_the_buffer_is_record_too_long() {
    let name = "Я".repeat(100);
    let body = format!("phone = 1, name = a\nphone = 2, name = {name}\n");
    let mut buf = [0u8; 64];
    let mut reader = IoReader::contacts(body.as_bytes(), &mut buf, Fmt::KeyValue, Endpoint::Phones);
    assert_eq!(reader.next().unwrap().unwrap().name.unwrap(), "a");
    for _ in 0..2 {
        match reader.next() {
            Err(ReadError::Malformed(err)) => {
                assert_eq!((err.kind, err.offset), (DecodeErrorKind::RecordTooLong, "phone = 1, name = a\n".len()))
            }
            other => panic!("{:?}", other.map(|r| r.map(|c| c.raw.as_str().to_owned()))),
        }
    }
}

/// Other limits go in through `with_decoder`; `offset` follows the body; `into_inner` gives the
/// source back.
#[test]
fn limits_offset_and_the_source_back() {
    let body = b"[{\"phone\": \"1\", \"name\": \"abcdef\"}, {\"phone\": \"2\"}]";
    let mut buf = [0u8; 128];
    let strict = Limits { max_value_len: 3, ..Limits::DEFAULT };
    let decoder = ListDecoder::<Contacts>::with_limits(Fmt::Json, Endpoint::Phones, strict);
    let mut reader = IoReader::with_decoder(&body[..], &mut buf, decoder);
    assert!(matches!(reader.next(), Err(ReadError::Malformed(e)) if e.kind == DecodeErrorKind::ValueTooLong));

    let mut reader = IoReader::contacts(&body[..], &mut buf, Fmt::Json, Endpoint::Phones);
    assert_eq!(reader.offset(), 0);
    reader.next().unwrap().unwrap();
    assert_eq!(reader.offset(), body.iter().position(|&b| b == b'}').unwrap() + 1);
    while reader.next().unwrap().is_some() {}
    assert_eq!(reader.offset(), body.len());
    assert!(reader.into_inner().is_empty(), "the source was read to its end");
}
