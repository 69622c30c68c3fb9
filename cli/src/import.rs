//! `smsc import contacts`: adds (or, when the number is taken, changes) each contact of a JSON
//! lines or CSV file as `smsc export` writes it, paced by the codec's rate guard. A bad line is
//! reported and skipped; it never stops the import.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use smsc_codec::{decode, CommandKind, Endpoint, Error, ErrorCode, Fmt, ListKind, Params, Request};

use crate::export::columns;
use crate::json_line::JsonLine;
use crate::remote::Remote;
use crate::{Exit, FileFormat, Server};

/// What can be imported.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Importable {
    /// Contacts: `add`, or `chg` when the number already belongs to a contact.
    Contacts,
}

/// `smsc import`.
#[derive(clap::Args, Debug)]
pub(crate) struct ImportArgs {
    /// What to import.
    #[arg(value_enum)]
    what: Importable,
    #[command(flatten)]
    server: Server,
    /// E-mail contacts (/sys/mails.php) instead of phones.
    #[arg(long)]
    mail: bool,
    /// The file, as `smsc export` writes it: JSON lines, or CSV with a header row.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The file format [default: csv for a FILE ending in .csv, jsonl otherwise].
    #[arg(long, value_enum)]
    format: Option<FileFormat>,
    /// Requests in flight at once (the server refuses a fifteenth).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=14))]
    jobs: u16,
    /// Leave out the group ids (`group`): group ids belong to one account, so they only mean
    /// something when importing back into the account they were exported from.
    #[arg(long)]
    no_groups: bool,
    /// No progress bar (there is none when standard error is not a terminal anyway).
    #[arg(long)]
    quiet: bool,
}

/// A contact read from one line of the file: its parameters by wire name.
#[derive(Debug)]
struct Row {
    /// The line (JSON lines) or record (CSV, after the header) it came from, from 1.
    line: u64,
    params: Result<Vec<(&'static str, String)>, String>,
}

/// What became of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Added,
    Changed,
    Failed(String),
}

/// Runs the import.
pub(crate) fn run(args: &ImportArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Exit> {
    let endpoint = crate::endpoint(args.mail);
    let format = args.format.unwrap_or_else(|| FileFormat::of_path(Some(&args.file)));
    let bytes = std::fs::read(&args.file).map_err(|e| Exit::unreachable(format!("{}: {e}", args.file.display())))?;
    let rows = match format {
        FileFormat::Jsonl => jsonl_rows(&bytes, endpoint, args.no_groups),
        FileFormat::Csv => csv_rows(&bytes, endpoint, args.no_groups)?,
    };
    let remote = Remote::new(&args.server)?;
    let bar = progress(args.quiet, rows.len());
    let outcomes: Vec<Mutex<Option<Outcome>>> = rows.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    // A transport failure after the retries stops the import: the server is gone.
    let gone: Mutex<Option<Exit>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..args.jobs {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(row) = rows.get(index) else { return };
                if lock(&gone).is_some() {
                    return;
                }
                let outcome = match &row.params {
                    Ok(params) => match import(&remote, params, endpoint) {
                        Ok(outcome) => outcome,
                        Err(exit) => {
                            lock(&gone).get_or_insert(exit);
                            return;
                        }
                    },
                    Err(why) => Outcome::Failed(why.clone()),
                };
                *lock(&outcomes[index]) = Some(outcome);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
            });
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let (mut added, mut changed, mut failed) = (0u64, 0u64, 0u64);
    let written = (|| -> io::Result<()> {
        for (row, outcome) in rows.iter().zip(outcomes) {
            match outcome.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
                Some(Outcome::Added) => added += 1,
                Some(Outcome::Changed) => changed += 1,
                Some(Outcome::Failed(why)) => {
                    failed += 1;
                    let mut line = JsonLine::default();
                    line.field("line", &row.line);
                    line.field("error", &why);
                    out.write_all(line.finish().as_bytes())?;
                }
                None => {}
            }
        }
        writeln!(err, "smsc: {} records: {added} added, {changed} changed, {failed} failed", rows.len())
    })();
    written.map_err(|e| Exit::unreachable(format!("cannot write: {e}")))?;
    if let Some(exit) = gone.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
        return Err(exit);
    }
    match failed {
        0 => Ok(()),
        n => Err(Exit::api(format!("{n} records failed (one JSON line each on standard output)"))),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn progress(quiet: bool, total: usize) -> Option<ProgressBar> {
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{bar:40} {human_pos}/{human_len} records {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(250));
    Some(bar)
}

/// `add`; when the server says the number is taken (error 5), `chg` with the same values.
/// `Err` only when the server cannot be reached.
fn import(remote: &Remote, values: &[(&'static str, String)], endpoint: Endpoint) -> Result<Outcome, Exit> {
    let params = |kind| {
        let mut params = Params::new(kind, endpoint);
        for (name, value) in values {
            params.set(name, value).map_err(|err| format!("`{name}` {}", err.kind.message()))?;
        }
        // A missing number is this line's failure, found before anything is sent.
        Request::without_auth(params).validate().map_err(|err| format!("`{}` {}", err.param, err.kind.message()))?;
        Ok::<_, String>(params)
    };
    let add = match params(CommandKind::AddContact) {
        Ok(add) => add,
        Err(why) => return Ok(Outcome::Failed(why)),
    };
    let body = remote.send(add, Fmt::Json)?;
    match decode::created(&body, Fmt::Json) {
        Ok(_) => return Ok(Outcome::Added),
        Err(Error::Api(api)) if api.code == ErrorCode::Failed => {}
        Err(Error::Api(api)) => return Ok(Outcome::Failed(format!("add: {}", crate::decode::words(&api)))),
        Err(Error::Malformed(e)) => return Ok(Outcome::Failed(format!("add: malformed answer at byte {}", e.offset))),
    }
    let change = match params(CommandKind::ChangeContact) {
        Ok(change) => change,
        Err(why) => return Ok(Outcome::Failed(why)),
    };
    let body = remote.send(change, Fmt::Json)?;
    Ok(match decode::done(&body, Fmt::Json) {
        Ok(()) => Outcome::Changed,
        Err(Error::Api(api)) => {
            Outcome::Failed(format!("the number is taken, and chg: {}", crate::decode::words(&api)))
        }
        Err(Error::Malformed(e)) => Outcome::Failed(format!("chg: malformed answer at byte {}", e.offset)),
    })
}

/// The request parameter of an exported field, on `endpoint`; `Ok(None)` for a field that is
/// not sent (`int_id`, the server's own).
fn param_of(field: &str, endpoint: Endpoint) -> Result<Option<&'static str>, String> {
    let phone = match endpoint {
        Endpoint::Phones => "phone",
        Endpoint::Mails => "mail",
    };
    Ok(Some(match field {
        "int_id" => return Ok(None),
        "name" => "name",
        "group" => "grp",
        "first_name" => "fnm",
        "last_name" => "lnm",
        "middle_name" => "mnm",
        "birthday" => "bd",
        "id" => "myid",
        "comments" => "cmt",
        "tags" => "tags",
        "phone_other" if endpoint == Endpoint::Phones => "pho",
        "mail_other" if endpoint == Endpoint::Mails => "pho",
        field if field == phone => phone,
        other => {
            return Err(format!(
                "unknown field `{other}` (the fields: {})",
                columns(ListKind::Contacts, endpoint).join(" ")
            ))
        }
    }))
}

/// The parameters of one record's `(field, value)` pairs: empty values and, with `no_groups`
/// (or when it says "no group", `0`), the groups left out.
fn row_params<'v>(
    fields: impl Iterator<Item = (&'v str, &'v str)>,
    endpoint: Endpoint,
    no_groups: bool,
) -> Result<Vec<(&'static str, String)>, String> {
    let mut params = Vec::new();
    for (field, value) in fields {
        let Some(param) = param_of(field, endpoint)? else { continue };
        if value.is_empty() || (param == "grp" && (no_groups || value == "0")) {
            continue;
        }
        params.push((param, value.to_owned()));
    }
    Ok(params)
}

fn jsonl_rows(bytes: &[u8], endpoint: Endpoint, no_groups: bool) -> Vec<Row> {
    let mut rows = Vec::new();
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line_number = index as u64 + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let params = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(line)
            .map_err(|e| format!("not a JSON object: {e}"))
            .and_then(|object| {
                let mut fields = Vec::new();
                for (name, value) in &object {
                    let text = match value {
                        serde_json::Value::String(text) => text.clone(),
                        serde_json::Value::Number(number) => number.to_string(),
                        serde_json::Value::Null => continue,
                        _ => return Err(format!("`{name}` is not a string")),
                    };
                    fields.push((name.as_str(), text));
                }
                row_params(fields.iter().map(|(n, v)| (*n, v.as_str())), endpoint, no_groups)
            });
        rows.push(Row { line: line_number, params });
    }
    rows
}

/// CSV rows; a header naming an unknown field is a usage error before any request.
fn csv_rows(bytes: &[u8], endpoint: Endpoint, no_groups: bool) -> Result<Vec<Row>, Exit> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader.headers().map_err(|e| Exit::usage(format!("the CSV header: {e}")))?.clone();
    for field in &header {
        param_of(field, endpoint).map_err(|why| Exit::usage(format!("the CSV header: {why}")))?;
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let params = match record {
            Ok(record) if record.len() != header.len() => {
                Err(format!("{} fields where the header has {}", record.len(), header.len()))
            }
            Ok(record) => row_params(header.iter().zip(record.iter()), endpoint, no_groups),
            Err(e) => Err(format!("not CSV: {e}")),
        };
        rows.push(Row { line: index as u64 + 1, params });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_fields_map_to_the_parameters_that_write_them() {
        let fields = [("phone", "+79991112233"), ("group", "0"), ("id", "m1"), ("int_id", "7"), ("birthday", "")];
        let params = row_params(fields.into_iter(), Endpoint::Phones, false).unwrap();
        assert_eq!(params, [("phone", "+79991112233".to_owned()), ("myid", "m1".to_owned())]);
        let fields = [("mail", "a@b.c"), ("mail_other", "d@e.f"), ("group", "5,6")];
        let params = row_params(fields.into_iter(), Endpoint::Mails, false).unwrap();
        assert_eq!(params, [("mail", "a@b.c".to_owned()), ("pho", "d@e.f".to_owned()), ("grp", "5,6".to_owned())]);
        assert!(row_params([("group", "5")].into_iter(), Endpoint::Phones, true).unwrap().is_empty());
        assert!(row_params([("mail", "a@b.c")].into_iter(), Endpoint::Phones, false).is_err());
    }

    #[test]
    fn a_bad_line_is_its_own_failure() {
        let rows =
            jsonl_rows(b"{\"phone\":\"1\"}\nnot json\n\n{\"phone\":[1]}\n{\"bogus\":\"x\"}", Endpoint::Phones, false);
        let lines: Vec<(u64, bool)> = rows.iter().map(|r| (r.line, r.params.is_ok())).collect();
        assert_eq!(lines, [(1, true), (2, false), (4, false), (5, false)]);
    }
}
