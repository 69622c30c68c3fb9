//! `smsc decode`.

use std::io::{Read, Write};

use smsc_codec::decode::{self, Response};
use smsc_codec::list::{Blacklist, Contacts, Groups, List};
use smsc_codec::read::{IoReader, ReadError};
use smsc_codec::{DecodeError, Error, Limits, ListDecoder, ListKind, Record, ResponseKind};

use crate::json_line::JsonLine;
use crate::{Exit, RequestShape};

/// What a decoded body was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Printed {
    /// Records, an id or `OK`.
    Answer,
    /// An API error (printed as `{"error_code":...}`), in words: `error 3 (record not found)`.
    ApiError(String),
}

/// `smsc decode`: an API error is a JSON line and success.
pub(crate) fn run(shape: &RequestShape, stdin: &mut dyn Read, out: &mut dyn Write) -> Result<(), Exit> {
    print(shape, stdin, out).map(|_| ()).map_err(Exit::usage)
}

/// Decodes the body read from `stdin` and prints it as JSON lines; `Err` is the message for
/// standard error. A list streams record by record (a buffer of one record at most); a single
/// answer is read whole.
pub(crate) fn print(shape: &RequestShape, stdin: &mut dyn Read, out: &mut dyn Write) -> Result<Printed, String> {
    let (fmt, endpoint) = (shape.fmt, shape.endpoint());
    match shape.command.response() {
        ResponseKind::List(ListKind::Contacts) => stream::<Contacts>(ListDecoder::new(fmt, endpoint), stdin, out),
        ResponseKind::List(ListKind::Groups) => stream::<Groups>(ListDecoder::new(fmt, endpoint), stdin, out),
        ResponseKind::List(ListKind::Blacklist) => stream::<Blacklist>(ListDecoder::new(fmt, endpoint), stdin, out),
        kind => {
            let mut body = Vec::new();
            stdin.read_to_end(&mut body).map_err(|e| format!("cannot read standard input: {e}"))?;
            single(kind, &body, shape, out)
        }
    }
}

/// A list, record by record, as its bytes arrive.
fn stream<L: List>(decoder: ListDecoder<L>, stdin: &mut dyn Read, out: &mut dyn Write) -> Result<Printed, String> {
    // One byte more than the longest record the limits admit: every such record fits.
    let mut buf = vec![0u8; Limits::DEFAULT.max_record_len + 1];
    let mut reader = IoReader::with_decoder(stdin, &mut buf, decoder);
    // The error leaves the loop first: a generic record may have drop glue, which would keep
    // the reader borrowed through the whole `match`.
    let end = loop {
        match reader.next() {
            Ok(Some(record)) => write(out, known_fields(&record))?,
            Ok(None) => return Ok(Printed::Answer),
            Err(err) => break err,
        }
    };
    match end {
        ReadError::Api(_) => {
            let api = reader.api_error().ok_or("an API error without its body")?;
            write(out, api_error(&api)).map(|()| Printed::ApiError(words(&api)))
        }
        ReadError::Malformed(err) => Err(malformed(err)),
        ReadError::Io(err) => Err(format!("cannot read standard input: {err}")),
    }
}

/// `created` or `done`.
fn single(kind: ResponseKind, body: &[u8], shape: &RequestShape, out: &mut dyn Write) -> Result<Printed, String> {
    let answer = match decode::response(kind, body, shape.fmt, shape.endpoint(), Limits::DEFAULT) {
        Ok(answer) => answer,
        Err(Error::Api(api)) => return write(out, api_error(&api)).map(|()| Printed::ApiError(words(&api))),
        Err(Error::Malformed(err)) => return Err(malformed(err)),
    };
    let mut line = JsonLine::default();
    match answer {
        Response::Created(created) => line.field("id", &created.id),
        Response::Done => line.field("result", &"OK"),
        // A list is streamed above.
        Response::Contacts(_) | Response::Groups(_) | Response::Blacklist(_) => return Ok(Printed::Answer),
    }
    write(out, line).map(|()| Printed::Answer)
}

fn known_fields<'a, R: Record<'a>>(record: &R) -> JsonLine {
    let mut line = JsonLine::default();
    for (name, value) in record.known_fields() {
        line.field(name, &value);
    }
    line
}

fn api_error(api: &smsc_codec::ApiError<'_>) -> JsonLine {
    let mut line = JsonLine::default();
    line.field("error_code", &api.code.wire());
    if let Some(description) = api.description {
        line.field("error", &description);
    }
    line
}

/// An API error as a person reads it: `error 3 (record not found)`.
pub(crate) fn words(api: &smsc_codec::ApiError<'_>) -> String {
    match &api.description {
        Some(text) => format!("error {} ({text})", api.code.wire()),
        None => format!("error {}", api.code.wire()),
    }
}

fn write(out: &mut dyn Write, line: JsonLine) -> Result<(), String> {
    out.write_all(line.finish().as_bytes()).map_err(|e| format!("cannot write: {e}"))
}

fn malformed(err: DecodeError) -> String {
    format!("malformed body: {} at byte {}", err.kind, err.offset)
}
