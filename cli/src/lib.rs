//! The `smsc` command, as a library: [`run`] takes the arguments, standard input and the two
//! output streams, and returns the exit code.
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
//! - Any subcommand: an argument that is not valid UTF-8 is a message naming it, exit 2.
//! - `smsc query COMMAND [--fmt N] [--mail] [--login L --psw P | --apikey K] [NAME=VALUE ...]`
//!   prints `<path>?<query>`; a missing, unknown or invalid parameter: a message on standard
//!   error, exit 2.
//! - `smsc serve [--port P] [--login L] [--psw P] [--apikey K] [--ok-json] [--no-rate-limit]`
//!   runs the simulator ([`sim`]) as an HTTP server on 127.0.0.1 and prints its address and
//!   credentials.
//! - `smsc demo [--host H (--login L --psw P | --apikey K)]` walks a session through ureq and
//!   the codec against the simulator started in-process (or, with `--host`, the read-only part
//!   against a real SMSC host).

mod decode;
mod demo;
mod json_line;
mod query;
mod serve;
pub mod sim;

use std::io::{Read, Write};

use smsc_codec::{CommandKind, Endpoint, Fmt};

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for a usage error, a refused parameter or a body that cannot be decoded.
pub const EXIT_ERROR: u8 = 2;

const USAGE: &str = "usage:
  smsc decode COMMAND [--fmt N] [--mail]            decode a response body from standard input
  smsc query COMMAND [--fmt N] [--mail] [--login L --psw P | --apikey K] [NAME=VALUE ...]
  smsc serve [--port P] [--login L] [--psw P] [--apikey K] [--ok-json] [--no-rate-limit]
                                                    run a local fake SMSC on 127.0.0.1
  smsc demo [--host H (--login L --psw P | --apikey K)]
                                                    a session through HTTP and the codec
COMMAND: add add_group chg chg_group move_group del del_group get get_group add_black del_black get_black";

/// Runs `smsc` with `args` (without the program name) and returns the exit code. `decode` reads
/// its body from `stdin` as it goes: a list through the streaming decoder, so memory stays flat
/// whatever its size.
pub fn run(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let result = match args.first().map(String::as_str) {
        Some("decode") => Common::parse(&args[1..]).and_then(|common| {
            common.no_extra(&["--fmt", "--mail"])?;
            Ok(decode::run(&common, stdin, out))
        }),
        Some("query") => Common::parse(&args[1..]).and_then(|common| query::run(&common, out)),
        Some("serve") => options(&args[1..], &["--ok-json", "--no-rate-limit"])
            .and_then(|(opts, flags)| serve::run(&opts, &flags, out)),
        Some("demo") => options(&args[1..], &[]).and_then(|(opts, _)| demo::run(&opts, out)),
        Some("--help" | "-h" | "help") => {
            let _ = writeln!(out, "{USAGE}");
            return EXIT_OK;
        }
        Some(other) => Err(format!("unknown subcommand `{other}`")),
        None => Err("no subcommand".to_owned()),
    };
    match result {
        Ok(Ok(())) => EXIT_OK,
        Ok(Err(message)) => {
            let _ = writeln!(err, "smsc: {message}");
            EXIT_ERROR
        }
        Err(message) => {
            let _ = writeln!(err, "smsc: {message}\n{USAGE}");
            EXIT_ERROR
        }
    }
}

/// `(--name, value)` options, then the flags given.
type Options<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>);

/// `--name value` options and the value-less `flags` of `serve` and `demo`.
fn options<'a>(args: &'a [String], flags: &[&str]) -> Result<Options<'a>, String> {
    let (mut options, mut set) = (Vec::new(), Vec::new());
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            flag if flags.contains(&flag) => set.push(flag),
            option if option.starts_with("--") => {
                let value = iter.next().ok_or_else(|| format!("{option} needs a value"))?;
                options.push((option, value.as_str()));
            }
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok((options, set))
}

/// What `decode` and `query` share: the command, `--fmt`, `--mail`, and the rest.
pub(crate) struct Common<'a> {
    pub command: CommandKind,
    pub fmt: Fmt,
    pub endpoint: Endpoint,
    /// Options other than `--fmt` and `--mail`, with their values, in order.
    pub options: Vec<(&'a str, &'a str)>,
    /// `NAME=VALUE` arguments.
    pub pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Common<'a> {
    fn parse(args: &'a [String]) -> Result<Self, String> {
        let (name, rest) = args.split_first().ok_or("no COMMAND")?;
        let command = CommandKind::from_wire(name).ok_or_else(|| format!("unknown COMMAND `{name}`"))?;
        let mut common =
            Common { command, fmt: Fmt::Json, endpoint: Endpoint::Phones, options: Vec::new(), pairs: Vec::new() };
        let mut iter = rest.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "--mail" => common.endpoint = Endpoint::Mails,
                "--fmt" => {
                    let value = iter.next().ok_or("--fmt needs a value")?;
                    common.fmt = value
                        .parse()
                        .ok()
                        .and_then(Fmt::from_wire)
                        .ok_or_else(|| format!("--fmt must be 0, 1, 2 or 3, not `{value}`"))?;
                }
                option if option.starts_with("--") => {
                    let value = iter.next().ok_or_else(|| format!("{option} needs a value"))?;
                    common.options.push((option, value));
                }
                pair => {
                    let (name, value) =
                        pair.split_once('=').ok_or_else(|| format!("expected NAME=VALUE, not `{pair}`"))?;
                    common.pairs.push((name, value));
                }
            }
        }
        Ok(common)
    }

    fn no_extra(&self, allowed: &[&str]) -> Result<(), String> {
        if let Some((option, _)) = self.options.first() {
            return Err(format!("unknown option `{option}` (allowed: {})", allowed.join(" ")));
        }
        if let Some((name, _)) = self.pairs.first() {
            return Err(format!("unexpected argument `{name}=...`"));
        }
        Ok(())
    }
}
