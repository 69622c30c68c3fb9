//! `smsc serve`: the simulator as an HTTP server on 127.0.0.1, for users' own integration
//! tests.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use crate::sim::http::{Clock, Server, ServerOptions};
use crate::sim::{md5_hex, Config, OkStyle, Simulator};
use crate::Exit;

/// `smsc serve`.
#[derive(clap::Args, Debug)]
pub(crate) struct ServeArgs {
    /// The port on 127.0.0.1; 0 takes a free one (printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The account's login.
    #[arg(long, default_value = "test")]
    login: String,
    /// The account's password (`psw` may also carry its MD5).
    #[arg(long, default_value = "test-password")]
    psw: String,
    /// An API key accepted instead of the login and password.
    #[arg(long, default_value = "test-api-key")]
    apikey: String,
    /// Answer change and delete commands under fmt=3 with the documented {"result": "OK"}
    /// instead of the bare `OK` the real server sends.
    #[arg(long)]
    ok_json: bool,
    /// Never answer error 9 (neither for identical requests nor for too many at once).
    #[arg(long)]
    no_rate_limit: bool,
    /// Never block an IP address (error 4) after repeated failed logins.
    #[arg(long)]
    no_ip_block: bool,
    /// Load the account from this JSON file at start (a missing file is an empty account) and
    /// save it there after changes and on exit.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// Hold every request this many milliseconds before answering, as a busy server does:
    /// makes the limit of concurrent requests observable.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    delay: u64,
}

/// Starts the server and serves until the process ends.
pub(crate) fn run(args: &ServeArgs, out: &mut dyn Write) -> Result<(), Exit> {
    if args.login.is_empty() || args.psw.is_empty() {
        return Err(Exit::usage("--login and --psw cannot be empty"));
    }
    let config = Config {
        login: args.login.clone(),
        password: args.psw.clone(),
        apikey: Some(args.apikey.clone()).filter(|key| !key.is_empty()),
        ok_style: if args.ok_json { OkStyle::Documented } else { OkStyle::Bare },
        rate_limit: !args.no_rate_limit,
        block_after_failures: if args.no_ip_block { 0 } else { Config::default().block_after_failures },
        ..Config::default()
    };
    let banner = banner(&config, args.data.as_ref());
    let simulator = match &args.data {
        Some(path) => Simulator::load(config, path).map_err(|err| Exit::usage(err.to_string()))?,
        None => Simulator::new(config),
    };
    let options = ServerOptions { data: args.data.clone(), delay_ms: args.delay };
    let server = match Server::start_with(("127.0.0.1", args.port), simulator, Clock::system(), options) {
        Ok(server) => Arc::new(server),
        Err(err) => return Err(Exit::unreachable(format!("cannot listen on 127.0.0.1:{}: {err}", args.port))),
    };
    if args.data.is_some() {
        // Ctrl-C or SIGTERM: save what changed since the last save, then end.
        let saver = Arc::clone(&server);
        let installed = ctrlc::set_handler(move || {
            let code = match saver.save() {
                Ok(()) => 0,
                Err(err) => {
                    eprintln!("smsc: cannot save the account: {err}");
                    3
                }
            };
            std::process::exit(code);
        });
        installed.map_err(|err| Exit::unreachable(format!("cannot handle Ctrl-C: {err}")))?;
    }
    let url = server.url();
    writeln!(out, "{}", banner.replace("{url}", &url))
        .and_then(|()| out.flush())
        .map_err(|err| Exit::unreachable(format!("cannot write: {err}")))?;
    server.wait();
    Ok(())
}
fn banner(config: &Config, data: Option<&PathBuf>) -> String {
    let mut text = String::new();
    match data {
        Some(path) => text.push_str(&format!(
            "smsc serve: a local fake SMSC contacts API (the account is in {}, saved after changes and on exit)\n",
            path.display()
        )),
        None => text.push_str("smsc serve: a local fake SMSC contacts API (in memory; everything is lost on exit)\n"),
    }
    text.push_str("  phones:  {url}/sys/phones.php\n");
    text.push_str("  mails:   {url}/sys/mails.php\n");
    text.push_str(&format!("  login:   {}\n", config.login));
    text.push_str(&format!("  psw:     {}   (or its MD5: {})\n", config.password, md5_hex(&config.password)));
    if let Some(key) = &config.apikey {
        text.push_str(&format!("  apikey:  {key}\n"));
    }
    text.push_str(match config.ok_style {
        OkStyle::Bare => "  OK:      fmt=3 answers a bare `OK`, as the real server (--ok-json: {\"result\": \"OK\"})\n",
        OkStyle::Documented => "  OK:      fmt=3 answers {\"result\": \"OK\"}\n",
    });
    text.push_str(match config.rate_limit {
        true => {
            "  limit:   a 4th identical request within 60 s, or a 15th at once, is error 9 (--no-rate-limit: off)\n"
        }
        false => "  limit:   off\n",
    });
    match config.block_after_failures {
        0 => text.push_str("  block:   off\n"),
        n => text.push_str(&format!(
            "  block:   {n} failed logins from one IP within {} s block it for {} s: error 4 (--no-ip-block: off)\n",
            config.failure_window_ms / 1000,
            config.block_ms / 1000
        )),
    }
    text.push_str(&format!(
        "  try:     curl '{{url}}/sys/phones.php?get_group=1&login={}&psw={}&fmt=3'\n",
        config.login, config.password
    ));
    text.push_str("Stop it with Ctrl-C.");
    text
}
