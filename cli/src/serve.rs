//! `smsc serve`: the simulator as an HTTP server on 127.0.0.1, for users' own integration
//! tests.

use std::io::Write;

use crate::sim::http::{Clock, Server};
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
    /// Never answer error 9 for identical requests.
    #[arg(long)]
    no_rate_limit: bool,
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
    };
    let banner = banner(&config);
    let server = match Server::start(("127.0.0.1", args.port), Simulator::new(config), Clock::system()) {
        Ok(server) => server,
        Err(err) => return Err(Exit::unreachable(format!("cannot listen on 127.0.0.1:{}: {err}", args.port))),
    };
    let url = server.url();
    writeln!(out, "{}", banner.replace("{url}", &url))
        .and_then(|()| out.flush())
        .map_err(|err| Exit::unreachable(format!("cannot write: {err}")))?;
    server.wait();
    Ok(())
}
fn banner(config: &Config) -> String {
    let mut text = String::new();
    text.push_str("smsc serve: a local fake SMSC contacts API (in memory; everything is lost on exit)\n");
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
        true => "  limit:   a 4th identical request within 60 s is error 9 (--no-rate-limit turns it off)\n",
        false => "  limit:   off\n",
    });
    text.push_str(&format!(
        "  try:     curl '{{url}}/sys/phones.php?get_group=1&login={}&psw={}&fmt=3'\n",
        config.login, config.password
    ));
    text.push_str("Stop it with Ctrl-C.");
    text
}
