//! What the fuzz targets share: decoding a body every way there is, and the checks on what
//! decodes.

pub mod mutate;
pub mod oracle;

use smsc_codec::decode::{self, Response};
use smsc_codec::{
    ContactsDecoder, DecodeError, Endpoint, Event, Fmt, Limits, ListKind, Record, ResponseKind, Step, Text,
};

/// Every field must unescape the same way through every reader of `Text`.
pub fn check_text(text: Text<'_>) {
    let shown = text.to_string();
    assert_eq!(text.unescaped_len(), shown.len());
    assert_eq!(text.chars().count(), shown.chars().count());
    assert!(text == *shown.as_str());
    let mut buf = vec![0u8; shown.len()];
    assert_eq!(text.unescape_into(&mut buf), Ok(shown.as_str()));
    if !shown.is_empty() {
        let mut short = vec![0u8; shown.len() - 1];
        assert!(text.unescape_into(&mut short).is_err());
    }
}

fn check_records<'a, R: Record<'a>>(records: impl Iterator<Item = Result<R, DecodeError>>, body_len: usize) {
    for record in records {
        let Ok(record) = record else {
            return;
        };
        for (_, value) in record.known_fields() {
            check_text(value);
        }
        for field in record.raw().fields() {
            check_text(field.value);
        }
        assert!(record.raw().bytes().len() <= body_len);
    }
}

/// The distinct answers a body can be decoded as: the three lists, created and done. (The
/// twelve commands share these five; decoding the same body as two commands with the same
/// answer repeats the same work.)
const ANSWERS: [ResponseKind; 5] = [
    ResponseKind::List(ListKind::Contacts),
    ResponseKind::List(ListKind::Groups),
    ResponseKind::List(ListKind::Blacklist),
    ResponseKind::Created,
    ResponseKind::Done,
];

/// The answer and endpoint a selector byte picks: `selector % 5` the answer, the next bit the
/// endpoint. `seed-corpora.sh` writes the same byte before each fixture.
pub fn answer_of(selector: u8) -> (ResponseKind, Endpoint) {
    let endpoint = match (selector / 5) % 2 {
        0 => Endpoint::Phones,
        _ => Endpoint::Mails,
    };
    (ANSWERS[usize::from(selector % 5)], endpoint)
}

/// Decodes the body after the first byte as the answer that byte picks ([`answer_of`]): no
/// panic, every field that decodes unescapes consistently, and a single answer decodes the same
/// through its own function (`decode::created`, `decode::done`). One decode per input (two for
/// a single answer, which is short), so the fuzzer spends its time on new bodies, not on the
/// same body nine more times.
pub fn decode_selected(input: &[u8], fmt: Fmt) {
    let Some((&selector, body)) = input.split_first() else {
        return;
    };
    let (kind, endpoint) = answer_of(selector);
    let response = decode::response(kind, body, fmt, endpoint, Limits::DEFAULT);
    // The single answers' own functions say what `response` says.
    match (kind, &response) {
        (ResponseKind::Created, Ok(Response::Created(created))) => {
            assert_eq!(decode::created(body, fmt).map(|c| c.id).ok(), Some(created.id));
        }
        (ResponseKind::Done, Ok(_)) => assert!(decode::done(body, fmt).is_ok()),
        (ResponseKind::Created, Err(err)) => {
            assert_eq!(decode::created(body, fmt).map(|_| ()).map_err(|e| e.to_string()), Err(err.to_string()));
        }
        (ResponseKind::Done, Err(err)) => {
            assert_eq!(decode::done(body, fmt).map_err(|e| e.to_string()), Err(err.to_string()));
        }
        _ => {}
    }
    let Ok(answer) = response else {
        return;
    };
    match answer {
        Response::Contacts(records) => check_records(records, body.len()),
        Response::Groups(records) => check_records(records, body.len()),
        Response::Blacklist(records) => check_records(records, body.len()),
        Response::Created(created) => check_text(created.id),
        Response::Done => {}
    }
}

/// What one decoding of a contact list produced: each record's bytes and known fields, then
/// the error or API error that ended it, if any.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub records: Vec<(Vec<u8>, Vec<(&'static str, String)>)>,
    pub end: Option<String>,
}

fn row(contact: &smsc_codec::Contact<'_>) -> (Vec<u8>, Vec<(&'static str, String)>) {
    (contact.raw.bytes().to_vec(), contact.known_fields().map(|(n, v)| (n, v.to_string())).collect())
}

/// The whole-body decoding of a contact list.
pub fn whole(body: &[u8], fmt: Fmt) -> Outcome {
    let mut outcome = Outcome { records: Vec::new(), end: None };
    match decode::contacts(body, fmt, Endpoint::Phones) {
        Err(err) => outcome.end = Some(err.to_string()),
        Ok(records) => {
            for record in records {
                match record {
                    Ok(contact) => outcome.records.push(row(&contact)),
                    Err(err) => outcome.end = Some(smsc_codec::Error::Malformed(err).to_string()),
                }
            }
        }
    }
    outcome
}

/// The streaming decoding of a contact list, fed in chunks of the given sizes (cycled), through
/// a buffer the caller compacts.
pub fn streamed(body: &[u8], fmt: Fmt, chunks: &[usize]) -> Outcome {
    let mut outcome = Outcome { records: Vec::new(), end: None };
    let mut decoder = ContactsDecoder::new(fmt, Endpoint::Phones);
    let mut buf = Vec::new();
    let mut fed = 0;
    let mut turn = 0;
    loop {
        let take = chunks.get(turn % chunks.len().max(1)).copied().unwrap_or(1).max(1).min(body.len() - fed);
        turn += 1;
        buf.extend_from_slice(&body[fed..fed + take]);
        fed += take;
        let eof = fed == body.len();
        loop {
            match decoder.decode(&buf, eof) {
                Ok(Step { consumed, event }) => {
                    let stop = match event {
                        Event::Record(contact) => {
                            outcome.records.push(row(&contact));
                            false
                        }
                        Event::ApiError(api) => {
                            outcome.end = Some(smsc_codec::Error::Api(api).to_string());
                            return outcome;
                        }
                        Event::End => return outcome,
                        Event::NeedMore => {
                            assert!(!eof, "need more at the end of the body");
                            true
                        }
                    };
                    buf.drain(..consumed);
                    if stop {
                        break;
                    }
                }
                Err(err) => {
                    outcome.end = Some(smsc_codec::Error::Malformed(err).to_string());
                    return outcome;
                }
            }
        }
    }
}

/// A `Read` that hands out the body in chunks of the given sizes (cycled).
struct Chunked<'a> {
    body: &'a [u8],
    chunks: &'a [usize],
    turn: usize,
}

impl std::io::Read for Chunked<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let size = self.chunks.get(self.turn % self.chunks.len().max(1)).copied().unwrap_or(1).max(1);
        self.turn += 1;
        let take = size.min(out.len()).min(self.body.len());
        out[..take].copy_from_slice(&self.body[..take]);
        self.body = &self.body[take..];
        Ok(take)
    }
}

/// The decoding of a contact list through `read::IoReader` over a source that hands it out in
/// chunks of the given sizes (cycled), with a buffer a byte larger than the body: what the reader
/// adapters add to the streaming decoder (their buffer handling, the records kept as places
/// across a refill) must change nothing.
pub fn read_through(body: &[u8], fmt: Fmt, chunks: &[usize]) -> Outcome {
    let mut outcome = Outcome { records: Vec::new(), end: None };
    // One byte more than the body: room to read the end of it.
    let mut buf = vec![0u8; body.len() + 1];
    let source = Chunked { body, chunks, turn: 0 };
    let mut reader = smsc_codec::read::IoReader::contacts(source, &mut buf, fmt, Endpoint::Phones);
    loop {
        match reader.next() {
            Ok(Some(contact)) => outcome.records.push(row(&contact)),
            Ok(None) => return outcome,
            Err(smsc_codec::read::ReadError::Malformed(err)) => {
                outcome.end = Some(smsc_codec::Error::Malformed(err).to_string());
                return outcome;
            }
            Err(smsc_codec::read::ReadError::Api(_)) => {
                let api = reader.api_error().expect("the API error's description");
                outcome.end = Some(smsc_codec::Error::Api(api).to_string());
                return outcome;
            }
            Err(smsc_codec::read::ReadError::Io(err)) => panic!("a slice cannot fail: {err}"),
        }
    }
}

/// The fmt a selector byte stands for.
pub fn fmt_of(selector: u8) -> Fmt {
    Fmt::from_wire(selector % 4).unwrap_or(Fmt::Json)
}
