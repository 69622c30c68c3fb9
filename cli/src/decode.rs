//! `smsc decode`.

use std::io::{Read, Write};

use smsc_codec::decode::{self, Response};
use smsc_codec::list::{Blacklist, Contacts, Groups, List};
use smsc_codec::read::{IoReader, ReadError};
use smsc_codec::{DecodeError, Error, Limits, ListDecoder, ListKind, Record, ResponseKind};

use crate::json_line::JsonLine;
use crate::Common;

/// Decodes the body read from `stdin` and prints it; `Err` is the message for standard error.
/// A list streams record by record (a buffer of one record at most); a single answer is read
/// whole.
pub(crate) fn run(common: &Common<'_>, stdin: &mut dyn Read, out: &mut dyn Write) -> Result<(), String> {
    let (fmt, endpoint) = (common.fmt, common.endpoint);
    match common.command.response() {
        ResponseKind::List(ListKind::Contacts) => stream::<Contacts>(ListDecoder::new(fmt, endpoint), stdin, out),
        ResponseKind::List(ListKind::Groups) => stream::<Groups>(ListDecoder::new(fmt, endpoint), stdin, out),
        ResponseKind::List(ListKind::Blacklist) => stream::<Blacklist>(ListDecoder::new(fmt, endpoint), stdin, out),
        kind => {
            let mut body = Vec::new();
            stdin.read_to_end(&mut body).map_err(|e| format!("cannot read standard input: {e}"))?;
            single(kind, &body, common, out)
        }
    }
}

/// A list, record by record, as its bytes arrive.
fn stream<L: List>(decoder: ListDecoder<L>, stdin: &mut dyn Read, out: &mut dyn Write) -> Result<(), String> {
    // One byte more than the longest record the limits admit: every such record fits.
    let mut buf = vec![0u8; Limits::DEFAULT.max_record_len + 1];
    let mut reader = IoReader::with_decoder(stdin, &mut buf, decoder);
    // The error leaves the loop first: a generic record may have drop glue, which would keep
    // the reader borrowed through the whole `match`.
    let end = loop {
        match reader.next() {
            Ok(Some(record)) => write(out, known_fields(&record))?,
            Ok(None) => return Ok(()),
            Err(err) => break err,
        }
    };
    match end {
        ReadError::Api(_) => {
            let api = reader.api_error().ok_or("an API error without its body")?;
            write(out, api_error(&api))
        }
        ReadError::Malformed(err) => Err(malformed(err)),
        ReadError::Io(err) => Err(format!("cannot read standard input: {err}")),
    }
}

/// `created` or `done`.
fn single(kind: ResponseKind, body: &[u8], common: &Common<'_>, out: &mut dyn Write) -> Result<(), String> {
    let answer = match decode::response(kind, body, common.fmt, common.endpoint, Limits::DEFAULT) {
        Ok(answer) => answer,
        Err(Error::Api(api)) => return write(out, api_error(&api)),
        Err(Error::Malformed(err)) => return Err(malformed(err)),
    };
    let mut line = JsonLine::default();
    match answer {
        Response::Created(created) => line.field("id", &created.id),
        Response::Done => line.field("result", &"OK"),
        // A list is streamed above.
        Response::Contacts(_) | Response::Groups(_) | Response::Blacklist(_) => return Ok(()),
    }
    write(out, line)
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

fn write(out: &mut dyn Write, line: JsonLine) -> Result<(), String> {
    out.write_all(line.finish().as_bytes()).map_err(|e| format!("cannot write: {e}"))
}

fn malformed(err: DecodeError) -> String {
    format!("malformed body: {} at byte {}", err.kind, err.offset)
}
