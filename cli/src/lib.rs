//! The `smsc` command, as a library: [`run`] takes the arguments, standard input and the two
//! output streams, and returns the exit code. Arguments are parsed by clap; `smsc --help` and
//! `smsc SUBCOMMAND --help` describe every option.
//!
//! The contract (stable, scripts depend on it):
//!
//! - `smsc decode COMMAND [--fmt N] [--mail]` reads a body on standard input and prints one
//!   JSON object per line: a record per line for lists (every value a JSON string of the
//!   unescaped text, absent fields not printed), `{"id":"..."}` for created, `{"result":"OK"}`,
//!   or `{"error_code":"N","error":"..."}` for an API error; exit 0. A malformed body: a
//!   message naming what and where on standard error, exit 2. A list is decoded as it is read,
//!   through the streaming decoder: each record is printed once its bytes are in, and memory
//!   stays at one record (at most 64 KiB) whatever the body's size.
//! - `smsc query COMMAND [--fmt N] [--mail] [--login L --psw P | --apikey K] [NAME=VALUE ...]`
//!   prints `<path>?<query>`; a missing, unknown or invalid parameter: a message on standard
//!   error, exit 2.
//! - `smsc call`, `smsc export` and `smsc import` talk to a server (a real SMSC host or
//!   `smsc serve`): an API error there is exit 1, an unreachable server exit 3.
//! - `smsc serve` runs the simulator ([`sim`]) as an HTTP server on 127.0.0.1; `smsc demo`
//!   walks a session through ureq and the codec; `smsc completions SHELL` prints a completion
//!   script.
//! - Any subcommand: an argument that is not valid UTF-8 is a message naming it, exit 2; every
//!   message on standard error starts with `smsc: `.
//!
//! Exit codes: [`EXIT_OK`], [`EXIT_API`], [`EXIT_ERROR`], [`EXIT_UNREACHABLE`].

mod call;
mod decode;
mod demo;
mod export;
mod import;
mod json_line;
mod query;
mod remote;
mod serve;
pub mod sim;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use smsc_codec::{CommandKind, Endpoint, Fmt};

/// Exit code for success (and, for `decode` and `query`, a decoded API error).
pub const EXIT_OK: u8 = 0;
/// Exit code of `call`, `export` and `import` when the server answered an API error, or when
/// some lines of an import failed.
pub const EXIT_API: u8 = 1;
/// Exit code for a usage error, a refused parameter or a body that cannot be decoded.
pub const EXIT_ERROR: u8 = 2;
/// Exit code when the server cannot be reached (after the retries), or a file cannot be read
/// or written.
pub const EXIT_UNREACHABLE: u8 = 3;

const EXIT_CODES: &str = "Exit codes:
  0  success (for decode and query, a decoded API error is success too: it is printed)
  1  call, export, import: the server answered an API error, or import lines failed
  2  usage error, refused parameter, or a body that cannot be decoded
  3  the server cannot be reached after the retries, or a file cannot be read or written";

/// A failure: its message (printed after `smsc: `) and exit code.
#[derive(Debug)]
pub(crate) struct Exit {
    pub code: u8,
    pub message: String,
}

impl Exit {
    /// A usage error or a refused value: exit 2.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self { code: EXIT_ERROR, message: message.into() }
    }

    /// An API error answered by the server: exit 1.
    pub(crate) fn api(message: impl Into<String>) -> Self {
        Self { code: EXIT_API, message: message.into() }
    }

    /// The server or a file cannot be reached: exit 3.
    pub(crate) fn unreachable(message: impl Into<String>) -> Self {
        Self { code: EXIT_UNREACHABLE, message: message.into() }
    }
}

/// Build SMSC contacts API requests, decode answers, talk to a server, or run a local fake one.
#[derive(Parser, Debug)]
#[command(name = "smsc", version, after_help = EXIT_CODES, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Subcommands,
}

#[derive(Subcommand, Debug)]
enum Subcommands {
    /// Decode a response body read from standard input into JSON lines.
    #[command(after_help = EXIT_CODES)]
    Decode(DecodeArgs),
    /// Print the path and query string of a request.
    #[command(after_help = EXIT_CODES)]
    Query(QueryArgs),
    /// Send one request to a server and print the decoded answer as JSON lines.
    #[command(after_help = EXIT_CODES)]
    Call(call::CallArgs),
    /// Page through all contacts, groups or the blacklist of an account and save them.
    #[command(after_help = EXIT_CODES)]
    Export(export::ExportArgs),
    /// Add or change contacts from a JSON-lines or CSV file (as `export` writes it).
    #[command(after_help = EXIT_CODES)]
    Import(import::ImportArgs),
    /// Run a local fake SMSC (the simulator) as an HTTP server on 127.0.0.1.
    Serve(serve::ServeArgs),
    /// Walk a session through a real HTTP client and the codec, against the simulator.
    Demo(demo::DemoArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The command of a request, by its wire name.
pub(crate) fn command_kind(name: &str) -> Result<CommandKind, String> {
    CommandKind::from_wire(name).ok_or_else(|| {
        let names: Vec<&str> = CommandKind::ALL.iter().map(|kind| kind.wire()).collect();
        format!("unknown COMMAND `{name}` (one of: {})", names.join(" "))
    })
}

fn fmt_value(value: &str) -> Result<Fmt, String> {
    value.parse().ok().and_then(Fmt::from_wire).ok_or_else(|| format!("--fmt must be 0, 1, 2 or 3, not `{value}`"))
}

const COMMAND_HELP: &str = "The command: add chg del get move_group add_group chg_group del_group get_group \
                            add_black del_black get_black";

/// What a request is: its command, fmt and endpoint.
#[derive(Args, Debug, Clone)]
pub(crate) struct RequestShape {
    #[arg(value_name = "COMMAND", value_parser = command_kind, help = COMMAND_HELP)]
    pub command: CommandKind,
    /// The response format: 0 (key = value), 1 (CSV), 2 (XML), 3 (JSON).
    #[arg(long, value_name = "N", default_value = "3", value_parser = fmt_value)]
    pub fmt: Fmt,
    /// Use /sys/mails.php (e-mail contacts) instead of /sys/phones.php.
    #[arg(long)]
    pub mail: bool,
}

impl RequestShape {
    pub(crate) fn endpoint(&self) -> Endpoint {
        endpoint(self.mail)
    }
}

pub(crate) fn endpoint(mail: bool) -> Endpoint {
    match mail {
        true => Endpoint::Mails,
        false => Endpoint::Phones,
    }
}

#[derive(Args, Debug)]
struct DecodeArgs {
    #[command(flatten)]
    shape: RequestShape,
}

/// The account's credentials: a login with its password (or the password's MD5), or an API
/// key. The environment keeps them out of the process list.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct Credentials {
    /// The account's login.
    #[arg(long, env = "SMSC_LOGIN", requires = "psw", conflicts_with = "apikey")]
    pub login: Option<String>,
    /// The password, or its lower-case hex MD5.
    #[arg(long, env = "SMSC_PSW", requires = "login", conflicts_with = "apikey", hide_env_values = true)]
    pub psw: Option<String>,
    /// An API key, instead of --login and --psw.
    #[arg(long, env = "SMSC_APIKEY", hide_env_values = true)]
    pub apikey: Option<String>,
}

impl Credentials {
    /// The account the options name, or `None` when none were given.
    pub(crate) fn account(&self) -> Option<Account> {
        match (&self.login, &self.psw, &self.apikey) {
            (_, _, Some(key)) => Some(Account::ApiKey(key.clone())),
            (Some(login), Some(psw), None) => Some(Account::Password { login: login.clone(), psw: psw.clone() }),
            _ => None,
        }
    }
}

/// Credentials known to be complete: what a session sends with every request.
#[derive(Debug, Clone)]
pub(crate) enum Account {
    /// A login and its password (or the password's MD5).
    Password { login: String, psw: String },
    /// An API key.
    ApiKey(String),
}

impl Account {
    /// The codec's `Auth`, borrowing these credentials.
    pub(crate) fn auth(&self) -> smsc_codec::Auth<'_> {
        match self {
            Self::Password { login, psw } => smsc_codec::Auth::password(login, psw),
            Self::ApiKey(key) => smsc_codec::Auth::api_key(key),
        }
    }
}

#[derive(Args, Debug)]
struct QueryArgs {
    #[command(flatten)]
    shape: RequestShape,
    #[command(flatten)]
    credentials: Credentials,
    /// Parameters, by their wire names: phone=79991112233 name=Ivan ...
    #[arg(value_name = "NAME=VALUE")]
    pairs: Vec<String>,
}

/// Where `call`, `export` and `import` send requests, and as whom.
#[derive(Args, Debug, Clone)]
pub(crate) struct Server {
    /// The SMSC host (smsc.ua, smsc.ru, smsc.kz, smscentre.com: HTTPS, with the backups www2.
    /// to www5. on failure), or a URL used as it is, such as http://127.0.0.1:8025 for
    /// `smsc serve`.
    #[arg(long, value_name = "HOST")]
    pub host: String,
    #[command(flatten)]
    pub credentials: Credentials,
}

/// The output formats of `export` and input formats of `import`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileFormat {
    /// One JSON object per line, every value a string.
    Jsonl,
    /// A header row with the field names, then one row per record (RFC 4180 quoting).
    Csv,
}

impl FileFormat {
    /// The format a file name says (`.csv`), JSON lines otherwise.
    pub(crate) fn of_path(path: Option<&PathBuf>) -> Self {
        match path.and_then(|p| p.extension()).is_some_and(|ext| ext.eq_ignore_ascii_case("csv")) {
            true => Self::Csv,
            false => Self::Jsonl,
        }
    }
}

/// Runs `smsc` with `args` (without the program name) and returns the exit code. `decode` reads
/// its body from `stdin` as it goes: a list through the streaming decoder, so memory stays flat
/// whatever its size.
pub fn run(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let argv = std::iter::once(OsString::from("smsc")).chain(args.iter().map(OsString::from));
    let cli = match Cli::command().try_get_matches_from(argv).and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(error) => return clap_error(&error, out, err),
    };
    let result = match cli.command {
        Subcommands::Decode(args) => decode::run(&args.shape, stdin, out),
        Subcommands::Query(args) => query::run(&args.shape, &args.credentials, &args.pairs, out),
        Subcommands::Call(args) => call::run(&args, out),
        Subcommands::Export(args) => export::run(&args, out, err),
        Subcommands::Import(args) => import::run(&args, out, err),
        Subcommands::Serve(args) => serve::run(&args, out),
        Subcommands::Demo(args) => demo::run(&args, out),
        Subcommands::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "smsc", out);
            Ok(())
        }
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(exit) => {
            let _ = writeln!(err, "smsc: {}", exit.message);
            exit.code
        }
    }
}

/// `--help` and `--version` go to standard output with exit 0; a usage error to standard error
/// with exit 2, in clap's words after `smsc: `.
fn clap_error(error: &clap::Error, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    use clap::error::ErrorKind;
    let text = error.render().to_string();
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = write!(out, "{text}");
            EXIT_OK
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(err, "smsc: no subcommand\n\n{text}");
            EXIT_ERROR
        }
        _ => {
            let _ = write!(err, "smsc: {}", text.strip_prefix("error: ").unwrap_or(&text));
            EXIT_ERROR
        }
    }
}
