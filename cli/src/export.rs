//! `smsc export`: every contact, group or blacklist entry of an account, paged with the codec's
//! pager, paced by its rate guard, retried by its retry policy, saved as JSON lines or CSV. An
//! interrupted export to a file continues after the last record the file holds.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use smsc_codec::client::{Paged, Pager};
use smsc_codec::list::{Blacklist, Contacts};
use smsc_codec::{
    decode, Command, Endpoint, Error, Fmt, GetBlacklist, GetContacts, GetGroups, Limits, ListKind, Record,
};

use crate::json_line::JsonLine;
use crate::remote::Remote;
use crate::{Exit, FileFormat, Server};

/// What to export.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum What {
    /// The contacts (`get`), paged by `after_id`.
    Contacts,
    /// The groups (`get_group`), in one request.
    Groups,
    /// The blacklist (`get_black`), newest first, paged by `prev_id`.
    Blacklist,
}

/// `smsc export`.
#[derive(clap::Args, Debug)]
pub(crate) struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    what: What,
    #[command(flatten)]
    server: Server,
    /// E-mail contacts and blacklist (/sys/mails.php) instead of phones.
    #[arg(long)]
    mail: bool,
    /// Write to this file instead of standard output. A file that an interrupted export left is
    /// continued after its last complete record (contacts and blacklist; groups are rewritten).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The file format [default: csv for a FILE ending in .csv, jsonl otherwise].
    #[arg(long, value_enum)]
    format: Option<FileFormat>,
    /// Records per request, at most 1000.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u16).range(1..=1000))]
    page_size: u16,
    /// Start from the first record, overwriting FILE, instead of continuing it.
    #[arg(long, requires = "out")]
    restart: bool,
    /// No progress bar (there is none when standard error is not a terminal anyway).
    #[arg(long)]
    quiet: bool,
}

impl What {
    fn list(self) -> ListKind {
        match self {
            Self::Contacts => ListKind::Contacts,
            Self::Groups => ListKind::Groups,
            Self::Blacklist => ListKind::Blacklist,
        }
    }

    /// The field a later page continues from, for a resumable list.
    fn cursor(self) -> Option<&'static str> {
        match self {
            Self::Contacts => Some("int_id"),
            Self::Groups => None,
            Self::Blacklist => Some("id"),
        }
    }
}

/// The columns of an export: the list's fields on `endpoint` in the server's order, and the
/// contacts' `int_id`, which `after_id` pages by.
pub(crate) fn columns(list: ListKind, endpoint: Endpoint) -> Vec<&'static str> {
    let mut columns = list.field_names(endpoint).to_vec();
    if list == ListKind::Contacts {
        columns.push("int_id");
    }
    columns
}

/// Runs the export.
pub(crate) fn run(args: &ExportArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Exit> {
    let endpoint = crate::endpoint(args.mail);
    let format = args.format.unwrap_or_else(|| FileFormat::of_path(args.out.as_ref()));
    let columns = columns(args.what.list(), endpoint);
    let mut remote = Remote::new(&args.server)?;
    let (writer, resume): (Box<dyn Write + '_>, Option<Resume>) = match &args.out {
        Some(path) => {
            let resume = match (args.restart, args.what.cursor()) {
                (false, Some(cursor)) => Resume::read(path, format, &columns, cursor)?,
                _ => None,
            };
            let file = open(path, resume.as_ref())?;
            (Box::new(BufWriter::with_capacity(256 * 1024, file)), resume)
        }
        None => (Box::new(out), None),
    };
    let mut sink = Sink::new(writer, format, columns, resume.is_none());
    let bar = progress(args.quiet);
    if let Some(bar) = &bar {
        remote.show_waits_on(bar.clone());
        bar.set_position(resume.as_ref().map_or(0, |r| r.records));
    }
    let mut stats = Stats { pages: 0, bar: bar.as_ref(), remote: &remote };
    let from = resume.as_ref().map(|r| r.cursor.as_str());
    let result = match args.what {
        What::Contacts => paged::<Contacts>(&remote, args.page_size, from, endpoint, &mut sink, &mut stats),
        What::Blacklist => paged::<Blacklist>(&remote, args.page_size, from, endpoint, &mut sink, &mut stats),
        What::Groups => groups(&remote, endpoint, &mut sink, &mut stats),
    };
    let flushed = sink.flush();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
        if result.is_ok() {
            let total = resume.as_ref().map_or(0, |r| r.records) + sink.records;
            let _ = writeln!(err, "smsc: exported {total} records in {} pages", stats.pages);
        }
    }
    result.and(flushed)
}

/// Where the pages' progress goes.
struct Stats<'a> {
    pages: u64,
    bar: Option<&'a ProgressBar>,
    remote: &'a Remote,
}

impl Stats<'_> {
    fn page_done(&mut self) {
        self.pages += 1;
        if let Some(bar) = self.bar {
            let waits = self.remote.waits.load(Ordering::Relaxed);
            bar.set_prefix(format!("{} pages, {waits} waits for the rate limit", self.pages));
        }
    }

    fn record_done(&self) {
        if let Some(bar) = self.bar {
            bar.inc(1);
        }
    }
}

/// A spinner on standard error with the records so far, when it is a terminal.
fn progress(quiet: bool) -> Option<ProgressBar> {
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} {human_pos} records · {prefix} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}

/// A list an export pages through, and continues after an earlier export's last record.
trait Resumable: Paged {
    /// The first request: the whole list, or what follows the record `from`.
    fn first<'a>(endpoint: Endpoint, from: Option<&'a str>) -> Self::Request<'a>;
}

impl Resumable for Contacts {
    fn first<'a>(endpoint: Endpoint, from: Option<&'a str>) -> GetContacts<'a> {
        let request = GetContacts::new(endpoint);
        from.map_or(request, |id| request.after_id(id))
    }
}

impl Resumable for Blacklist {
    fn first<'a>(endpoint: Endpoint, from: Option<&'a str>) -> GetBlacklist<'a> {
        let request = GetBlacklist::new(endpoint);
        from.map_or(request, |id| request.prev_id(id))
    }
}

/// Pages through a list until the pager says it ended.
fn paged<L: Resumable>(
    remote: &Remote,
    page_size: u16,
    from: Option<&str>,
    endpoint: Endpoint,
    sink: &mut Sink<'_>,
    stats: &mut Stats<'_>,
) -> Result<(), Exit>
where
    for<'a> L::Request<'a>: Command,
{
    let mut pager = Pager::<L>::new(page_size);
    while let Some(request) = pager.next(L::first(endpoint, from)) {
        let body = remote.send(request, Fmt::Json)?;
        match decode::list::<L>(&body, Fmt::Json, endpoint, Limits::DEFAULT) {
            Ok(records) => {
                for record in records {
                    let record = record.map_err(|err| malformed(&err))?;
                    pager.observe(&record).map_err(|err| Exit::api(format!("cannot page: {err}")))?;
                    sink.write(&record)?;
                    stats.record_done();
                }
            }
            Err(Error::Api(api)) if pager.end_on(&api) => break,
            Err(Error::Api(api)) => {
                return Err(Exit::api(format!("the server answered {}", crate::decode::words(&api))))
            }
            Err(Error::Malformed(err)) => return Err(malformed(&err)),
        }
        pager.end_page();
        sink.flush()?;
        stats.page_done();
    }
    Ok(())
}

/// The groups: one request (the server does not page them).
fn groups(remote: &Remote, endpoint: Endpoint, sink: &mut Sink<'_>, stats: &mut Stats<'_>) -> Result<(), Exit> {
    let body = remote.send(GetGroups::new(endpoint), Fmt::Json)?;
    match decode::groups(&body, Fmt::Json, endpoint) {
        Ok(records) => {
            for record in records {
                sink.write(&record.map_err(|err| malformed(&err))?)?;
                stats.record_done();
            }
        }
        // No groups: an empty export.
        Err(Error::Api(api)) if api.code == smsc_codec::ErrorCode::NotFound => {}
        Err(Error::Api(api)) => return Err(Exit::api(format!("the server answered {}", crate::decode::words(&api)))),
        Err(Error::Malformed(err)) => return Err(malformed(&err)),
    }
    stats.page_done();
    sink.flush()
}

fn malformed(err: &smsc_codec::DecodeError) -> Exit {
    Exit::usage(format!("the server's answer is malformed: {} at byte {}", err.kind, err.offset))
}

/// Opens the output: truncated to what `resume` keeps, or created anew.
fn open(path: &Path, resume: Option<&Resume>) -> Result<File, Exit> {
    let failed = |err: io::Error| Exit::unreachable(format!("{}: {err}", path.display()));
    match resume {
        Some(resume) => {
            let mut file = OpenOptions::new().write(true).open(path).map_err(failed)?;
            // Drops a record cut short by the interruption.
            file.set_len(resume.keep).map_err(failed)?;
            io::Seek::seek(&mut file, io::SeekFrom::End(0)).map_err(failed)?;
            Ok(file)
        }
        None => File::create(path).map_err(failed),
    }
}

/// Where an earlier export stopped.
#[derive(Debug)]
struct Resume {
    /// The bytes of the file to keep: the header and every complete record.
    keep: u64,
    /// The cursor of the last complete record.
    cursor: String,
    /// Records already in the file.
    records: u64,
}

impl Resume {
    /// Reads an earlier export: `None` when there is none (no file, or an empty one).
    fn read(path: &Path, format: FileFormat, columns: &[&str], cursor: &str) -> Result<Option<Self>, Exit> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(Exit::unreachable(format!("{}: {err}", path.display()))),
        };
        let not_ours = |why: String| {
            Exit::usage(format!(
                "{} is not an export to continue ({why}); give --restart to overwrite it",
                path.display()
            ))
        };
        let found = match format {
            FileFormat::Jsonl => Self::jsonl(&bytes, cursor).map_err(not_ours)?,
            FileFormat::Csv => Self::csv(&bytes, columns, cursor).map_err(not_ours)?,
        };
        Ok(found)
    }

    fn jsonl(bytes: &[u8], cursor: &str) -> Result<Option<Self>, String> {
        // A line without its newline was cut short.
        let keep = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1);
        let mut last = None;
        let mut records = 0;
        for (number, line) in bytes[..keep].split(|&b| b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let value: serde_json::Value =
                serde_json::from_slice(line).map_err(|err| format!("line {}: {err}", number + 1))?;
            let id = value.get(cursor).and_then(serde_json::Value::as_str).filter(|id| is_id(id));
            last = Some(id.ok_or_else(|| format!("line {} has no `{cursor}`", number + 1))?.to_owned());
            records += 1;
        }
        Ok(last.map(|cursor| Self { keep: keep as u64, cursor, records }))
    }

    fn csv(bytes: &[u8], columns: &[&str], cursor: &str) -> Result<Option<Self>, String> {
        if bytes.is_empty() {
            return Ok(None);
        }
        let at = columns.iter().position(|c| *c == cursor).ok_or("no cursor column")?;
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes);
        let mut record = csv::ByteRecord::new();
        let header = rewritten(&csv::ByteRecord::from(columns.to_vec())).unwrap_or_default();
        // Cut short before the header's end: nothing to keep.
        if bytes.len() < header.len() && header.starts_with(bytes) {
            return Ok(None);
        }
        // The header, byte for byte as the writer writes it; then the reader skips it.
        if !bytes.starts_with(&header) || !reader.read_byte_record(&mut record).map_err(|e| e.to_string())? {
            return Err(format!("its header is not {}", columns.join(",")));
        }
        let mut keep = reader.position().byte();
        let (mut last, mut records) = (None, 0);
        loop {
            let start = reader.position().byte();
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                // A record cut short inside quotes or with fewer fields: only the last may be.
                Err(_) => break,
            }
            let end = reader.position().byte();
            let span = &bytes[usize::try_from(start).unwrap_or(0)..usize::try_from(end).unwrap_or(0)];
            // Complete only if it is exactly what the writer writes: a cut inside a quoted field
            // that happens to end on a newline reads as a record too.
            if record.len() != columns.len() || rewritten(&record).as_deref() != Some(span) {
                break;
            }
            let id = std::str::from_utf8(&record[at]).ok().filter(|id| is_id(id));
            last = Some(id.ok_or_else(|| format!("record {} has no `{cursor}`", records + 1))?.to_owned());
            keep = end;
            records += 1;
        }
        Ok(last.map(|cursor| Self { keep, cursor, records }))
    }
}

fn is_id(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// A record as the CSV writer writes it.
fn rewritten(record: &csv::ByteRecord) -> Option<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_byte_record(record).ok()?;
    writer.into_inner().ok()
}

/// JSON lines or CSV, over a file or standard output.
struct Sink<'o> {
    out: Output<'o>,
    columns: Vec<&'static str>,
    records: u64,
}

enum Output<'o> {
    Jsonl(Box<dyn Write + 'o>),
    Csv(Box<csv::Writer<Box<dyn Write + 'o>>>),
}

impl<'o> Sink<'o> {
    fn new(out: Box<dyn Write + 'o>, format: FileFormat, columns: Vec<&'static str>, header: bool) -> Self {
        let out = match format {
            FileFormat::Jsonl => Output::Jsonl(out),
            FileFormat::Csv => Output::Csv(Box::new(csv::WriterBuilder::new().has_headers(false).from_writer(out))),
        };
        let mut sink = Self { out, columns, records: 0 };
        if header {
            if let Output::Csv(writer) = &mut sink.out {
                // An error here shows again at the first flush.
                let _ = writer.write_record(&sink.columns);
            }
        }
        sink
    }

    fn write<'a, R: Record<'a>>(&mut self, record: &R) -> Result<(), Exit> {
        let values = self.columns.iter().enumerate().map(|(i, &column)| match column {
            "int_id" => record.raw().get("int_id").map(|v| v.to_string()),
            _ => record.field(i).map(|v| v.to_string()),
        });
        let written = match &mut self.out {
            Output::Jsonl(out) => {
                let mut line = JsonLine::default();
                for (column, value) in self.columns.iter().zip(values) {
                    if let Some(value) = value {
                        line.field(column, &value);
                    }
                }
                out.write_all(line.finish().as_bytes())
            }
            Output::Csv(writer) => {
                let row: Vec<String> = values.map(Option::unwrap_or_default).collect();
                writer.write_record(&row).map_err(io::Error::from)
            }
        };
        self.records += 1;
        written.map_err(|err| Exit::unreachable(format!("cannot write: {err}")))
    }

    fn flush(&mut self) -> Result<(), Exit> {
        match &mut self.out {
            Output::Jsonl(out) => out.flush(),
            Output::Csv(writer) => writer.flush(),
        }
        .map_err(|err| Exit::unreachable(format!("cannot write: {err}")))
    }
}
