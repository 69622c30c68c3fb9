//! The server's side of the four fmts: every answer written the way the real server writes
//! it (PROTOCOL.md sections 4 and 5), independently of the codec's decoders.

use std::fmt::Write;

use smsc_codec::{Endpoint, Fmt, ListKind};

use super::{ApiCode, OkStyle, Response};

/// A scalar as the server types it in JSON.
#[derive(Clone, Debug)]
pub(crate) enum Scalar {
    /// A JSON string.
    Str(String),
    /// A JSON number (decimal digits).
    Num(String),
}

impl Scalar {
    fn text(&self) -> &str {
        match self {
            Self::Str(s) | Self::Num(s) => s,
        }
    }
}

/// One record: the documented fields in order (`None`: the server leaves the field out, or
/// empty in the positional fmts), then fields a newer server adds (left out of fmt 1, whose
/// fields are positional).
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub fields: Vec<(&'static str, Option<Scalar>)>,
    pub extra: Vec<(&'static str, Scalar)>,
}

impl Row {
    pub fn new(fields: Vec<(&'static str, Option<Scalar>)>) -> Self {
        Self { fields, extra: Vec::new() }
    }

    /// The present fields for the self-describing fmts (0, 2, 3).
    fn named(&self) -> impl Iterator<Item = (&'static str, &Scalar)> {
        self.fields
            .iter()
            .filter_map(|(n, v)| v.as_ref().map(|v| (*n, v)))
            .chain(self.extra.iter().map(|(n, v)| (*n, v)))
    }
}

/// What a command answers.
#[derive(Clone, Debug)]
pub(crate) enum Answer {
    /// A new record's id; `root` is the fmt=2 element (`phone` or `group`).
    Created { id: u64, root: &'static str },
    /// `OK`.
    Done,
    /// A non-empty list.
    List { kind: ListKind, rows: Vec<Row> },
    /// An API error.
    Error(ApiCode),
}

const fn element(kind: ListKind) -> &'static str {
    match kind {
        ListKind::Contacts => "contact",
        ListKind::Groups => "group",
        ListKind::Blacklist => "record",
    }
}

fn content_type(fmt: Fmt) -> &'static str {
    match fmt {
        Fmt::Json => "application/json",
        Fmt::Xml => "text/xml; charset=utf-8",
        Fmt::KeyValue | Fmt::Csv => "text/plain; charset=utf-8",
    }
}

/// The HTTP answer (always status 200: API errors are in the body).
pub(crate) fn response(answer: &Answer, fmt: Fmt, _endpoint: Endpoint, ok: OkStyle) -> Response {
    Response { status: 200, content_type: content_type(fmt), body: body(answer, fmt, ok).into_bytes() }
}

fn body(answer: &Answer, fmt: Fmt, ok: OkStyle) -> String {
    let mut out = String::new();
    match (answer, fmt) {
        (Answer::Error(code), Fmt::KeyValue) => {
            let _ = write!(out, "ERROR = {} ({})", code.code(), code.description());
        }
        (Answer::Error(code), Fmt::Csv) => {
            let _ = write!(out, "0,-{}", code.code());
        }
        (Answer::Error(code), Fmt::Xml) => {
            let _ = write!(
                out,
                "<result>\n<error>{}</error>\n<error_code>{}</error_code>\n</result>",
                code.description(),
                code.code()
            );
        }
        (Answer::Error(code), Fmt::Json) => {
            let _ = write!(out, "{{\n\"error\": \"{}\",\n\"error_code\": {}\n}}", code.description(), code.code());
        }
        (Answer::Created { id, .. }, Fmt::KeyValue) => {
            let _ = write!(out, "ID = {id}");
        }
        (Answer::Created { id, .. }, Fmt::Csv) => {
            let _ = write!(out, "{id}");
        }
        (Answer::Created { id, root }, Fmt::Xml) => {
            let _ = write!(out, "<{root}>\n<id>{id}</id>\n</{root}>");
        }
        (Answer::Created { id, .. }, Fmt::Json) => {
            let _ = write!(out, "{{\n\"id\": {id}\n}}");
        }
        (Answer::Done, Fmt::KeyValue | Fmt::Csv) => out.push_str("OK"),
        (Answer::Done, Fmt::Xml) => out.push_str("<result>OK</result>"),
        (Answer::Done, Fmt::Json) => match ok {
            OkStyle::Bare => out.push_str("OK"),
            OkStyle::Documented => out.push_str("{\n\"result\": \"OK\"\n}"),
        },
        (Answer::List { rows, .. }, Fmt::KeyValue) => {
            for row in rows {
                let line: Vec<String> = row
                    .fields
                    .iter()
                    .map(|(name, value)| format!("{name} = {}", value.as_ref().map_or("", Scalar::text)))
                    .chain(row.extra.iter().map(|(name, value)| format!("{name} = {}", value.text())))
                    .collect();
                out.push_str(&line.join(", "));
                out.push('\n');
            }
        }
        (Answer::List { rows, .. }, Fmt::Csv) => {
            for row in rows {
                let line: Vec<&str> =
                    row.fields.iter().map(|(_, value)| value.as_ref().map_or("", Scalar::text)).collect();
                out.push_str(&line.join(","));
                out.push('\n');
            }
        }
        (Answer::List { kind, rows }, Fmt::Xml) => {
            let element = element(*kind);
            out.push_str("<list>\n");
            for row in rows {
                let _ = writeln!(out, "<{element}>");
                for (name, value) in row.named() {
                    let _ = writeln!(out, "<{name}>{}</{name}>", xml_escape(value.text()));
                }
                let _ = writeln!(out, "</{element}>");
            }
            out.push_str("</list>");
        }
        (Answer::List { rows, .. }, Fmt::Json) => {
            // PROTOCOL 5.1: a newline after `[{` and `{`, one pair a line, `},\n{` between.
            out.push('[');
            for (i, row) in rows.iter().enumerate() {
                out.push_str(if i == 0 { "{\n" } else { "},\n{\n" });
                let pairs: Vec<String> = row
                    .named()
                    .map(|(name, value)| match value {
                        Scalar::Str(s) => format!("\"{name}\": \"{}\"", json_escape(s)),
                        Scalar::Num(n) => format!("\"{name}\": {n}"),
                    })
                    .collect();
                out.push_str(&pairs.join(",\n"));
                out.push('\n');
            }
            out.push_str("}]");
        }
    }
    out
}

/// Text content: the predefined entities for `&`, `<`, `>`; control characters that XML 1.0
/// cannot carry are left out.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() && (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// A JSON string's content: `\"`, `\\`, the named escapes, `\u00XX` for other controls;
/// everything else raw UTF-8, as the real server writes Cyrillic.
fn json_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}
