//! `smsc serve`: the simulator as an HTTP server on 127.0.0.1, for users' own integration
//! tests.

use std::io::Write;

use crate::sim::http::{Clock, Server};
use crate::sim::{md5_hex, Config, OkStyle, Simulator};

/// Starts the server and serves until the process ends; `Err` is a usage error.
pub(crate) fn run(options: &[(&str, &str)], flags: &[&str], out: &mut dyn Write) -> Result<Result<(), String>, String> {
    let mut config = Config::default();
    let mut port: u16 = 0;
    for &(option, value) in options {
        match option {
            "--port" => port = value.parse().map_err(|_| format!("--port must be 0 to 65535, not `{value}`"))?,
            "--login" => value.clone_into(&mut config.login),
            "--psw" => value.clone_into(&mut config.password),
            "--apikey" => config.apikey = Some(value.to_owned()),
            other => {
                return Err(format!(
                    "unknown option `{other}` (allowed: --port --login --psw --apikey --ok-json --no-rate-limit)"
                ))
            }
        }
    }
    for &flag in flags {
        match flag {
            "--ok-json" => config.ok_style = OkStyle::Documented,
            "--no-rate-limit" => config.rate_limit = false,
            other => return Err(format!("unknown flag `{other}`")),
        }
    }
    if config.login.is_empty() || config.password.is_empty() {
        return Err("--login and --psw cannot be empty".to_owned());
    }
    let banner = banner(&config);
    let server = match Server::start(("127.0.0.1", port), Simulator::new(config), Clock::system()) {
        Ok(server) => server,
        Err(err) => return Ok(Err(format!("cannot listen on 127.0.0.1:{port}: {err}"))),
    };
    let url = server.url();
    let written = writeln!(out, "{}", banner.replace("{url}", &url)).and_then(|()| out.flush());
    if let Err(err) = written {
        return Ok(Err(format!("cannot write: {err}")));
    }
    server.wait();
    Ok(Ok(()))
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
