//! `smsc decode`.

use std::io::Write;

use smsc_codec::decode::{self, Response};
use smsc_codec::{DecodeError, Error, Limits, Record};

use crate::json_line::JsonLine;
use crate::Common;

/// Decodes `body` and prints it; `Err` is the message for standard error.
pub(crate) fn run(common: &Common<'_>, body: &[u8], out: &mut dyn Write) -> Result<(), String> {
    let answer = match decode::response(common.command.response(), body, common.fmt, common.endpoint, Limits::DEFAULT) {
        Ok(answer) => answer,
        Err(Error::Api(api)) => {
            let mut line = JsonLine::default();
            line.field("error_code", &api.code.wire());
            if let Some(description) = api.description {
                line.field("error", &description);
            }
            return write(out, line);
        }
        Err(Error::Malformed(err)) => return Err(malformed(err)),
    };
    match answer {
        Response::Created(created) => {
            let mut line = JsonLine::default();
            line.field("id", &created.id);
            write(out, line)
        }
        Response::Done => {
            let mut line = JsonLine::default();
            line.field("result", &"OK");
            write(out, line)
        }
        Response::Contacts(records) => records_out(records, out),
        Response::Groups(records) => records_out(records, out),
        Response::Blacklist(records) => records_out(records, out),
    }
}

fn records_out<'a, R: Record<'a>>(
    records: impl Iterator<Item = Result<R, DecodeError>>,
    out: &mut dyn Write,
) -> Result<(), String> {
    for record in records {
        let record = record.map_err(malformed)?;
        let mut line = JsonLine::default();
        for (name, value) in record.known_fields() {
            line.field(name, &value);
        }
        write(out, line)?;
    }
    Ok(())
}

fn write(out: &mut dyn Write, line: JsonLine) -> Result<(), String> {
    out.write_all(line.finish().as_bytes()).map_err(|e| format!("cannot write: {e}"))
}

fn malformed(err: DecodeError) -> String {
    format!("malformed body: {} at byte {}", err.kind, err.offset)
}
