//! A local fake SMSC: an in-memory contacts service for `/sys/phones.php` and `/sys/mails.php`
//! with the semantics of `spec/PROTOCOL.md`, sans-IO.
//!
//! [`Simulator::handle`] takes a request's path, method and query (or form body) with the time,
//! and returns the status, content type and body the real server would send. It never reads a
//! clock: the caller passes `now_ms`, so the rate limit (error 9) is deterministic in tests.
//! [`http::Server`] puts it behind a loopback HTTP/1.1 server.
//!
//! ```
//! use smsc_codec_cli::sim::{Config, Method, Simulator};
//!
//! let mut sim = Simulator::new(Config::default());
//! let add = b"add_group=1&login=test&psw=test-password&fmt=3&charset=utf-8&name=%D0%BA%D0%BB%D1%96%D1%94%D0%BD%D1%82%D0%B8";
//! let created = sim.handle("/sys/phones.php", Method::Post, add, 0);
//! assert_eq!(created.status, 200);
//! assert_eq!(created.body, b"{\n\"id\": 5922\n}");
//! let list = sim.handle("/sys/phones.php", Method::Get, b"get_group=1&login=test&psw=test-password&fmt=1", 1);
//! assert_eq!(String::from_utf8(list.body).unwrap(), "5922,\u{41a}\u{43b}\u{456}\u{454}\u{43d}\u{442}\u{438},,0\n");
//! ```

pub mod http;
mod md5;
mod params;
mod render;
mod store;

use std::collections::HashMap;

use smsc_codec::{Endpoint, Fmt};

pub use params::decode_form;
use params::Parsed;
use render::Answer;
use store::Store;

/// The HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET: the parameters are the query string.
    Get,
    /// POST: the parameters are an `application/x-www-form-urlencoded` body.
    Post,
    /// Anything else (refused with 405).
    Other,
}

/// How a change or delete command answers `OK` under fmt=3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum OkStyle {
    /// The bare two bytes `OK`, as the real server has been recorded answering (PROTOCOL 4.3).
    #[default]
    Bare,
    /// The documented `{"result": "OK"}`.
    Documented,
}

/// The simulated account and behaviour switches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The account's login.
    pub login: String,
    /// The account's password; `psw` may also carry its lower-case hex MD5.
    pub password: String,
    /// An API key accepted instead of `login` + `psw`; `None` accepts none.
    pub apikey: Option<String>,
    /// How `OK` looks under fmt=3.
    pub ok_style: OkStyle,
    /// Whether a fourth identical request within a minute answers error 9.
    pub rate_limit: bool,
}

impl Default for Config {
    /// Login `test`, password `test-password`, API key `test-api-key`, bare `OK`, rate limit on.
    fn default() -> Self {
        Self {
            login: "test".to_owned(),
            password: "test-password".to_owned(),
            apikey: Some("test-api-key".to_owned()),
            ok_style: OkStyle::Bare,
            rate_limit: true,
        }
    }
}

/// An HTTP answer: status, `Content-Type` and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status: 200 for every API answer (errors included), 404 for an unknown path,
    /// 405 for a method other than GET and POST.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

/// The server's window for identical requests, in milliseconds.
pub const IDENTICAL_WINDOW_MS: u64 = 60_000;
/// Identical requests accepted within the window; the next one is error 9.
pub const MAX_IDENTICAL: usize = 3;
/// Distinct requests remembered for the rate limit before old ones are pruned.
const MAX_REMEMBERED: usize = 65_536;

/// The in-memory SMSC contacts service.
#[derive(Debug)]
pub struct Simulator {
    config: Config,
    store: Store,
    /// Accepted sends per request fingerprint, oldest first.
    recent: HashMap<u64, Vec<u64>>,
}

/// A numbered API error (PROTOCOL 4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApiCode {
    Parameters = 1,
    Auth = 2,
    NotFound = 3,
    Failed = 5,
    RateLimited = 9,
}

impl ApiCode {
    /// The short English description the real server sends.
    pub(crate) const fn description(self) -> &'static str {
        match self {
            Self::Parameters => "parameters error",
            Self::Auth => "authorise error",
            Self::NotFound => "record not found",
            Self::Failed => "save error",
            Self::RateLimited => "duplicate request, wait a minute",
        }
    }
}

impl Simulator {
    /// An empty account.
    pub fn new(config: Config) -> Self {
        Self { config, store: Store::default(), recent: HashMap::new() }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Switches how `OK` looks under fmt=3.
    pub fn set_ok_style(&mut self, style: OkStyle) {
        self.config.ok_style = style;
    }

    /// Answers one request. `input` is the query string of a GET (without `?`) or the form body
    /// of a POST; `now_ms` is the simulator's clock. Never panics, whatever the input.
    pub fn handle(&mut self, path: &str, method: Method, input: &[u8], now_ms: u64) -> Response {
        let endpoint = match path {
            "/sys/phones.php" => Endpoint::Phones,
            "/sys/mails.php" => Endpoint::Mails,
            _ => return plain(404, "not found\n"),
        };
        if method == Method::Other {
            return plain(405, "method not allowed\n");
        }
        let pairs = decode_form(input);
        let parsed = Parsed::new(&pairs);
        let fmt = parsed.fmt;
        if !self.authorised(&parsed) {
            return render::response(&Answer::Error(ApiCode::Auth), fmt, endpoint, self.config.ok_style);
        }
        if self.config.rate_limit && !self.admit(path, &pairs, now_ms) {
            return render::response(&Answer::Error(ApiCode::RateLimited), fmt, endpoint, self.config.ok_style);
        }
        let answer = match parsed.command(endpoint) {
            Ok(command) => self.store.execute(&command, endpoint),
            Err(code) => Answer::Error(code),
        };
        render::response(&answer, fmt, endpoint, self.config.ok_style)
    }

    fn authorised(&self, parsed: &Parsed<'_>) -> bool {
        if let (Some(key), Some(expected)) = (parsed.get("apikey"), &self.config.apikey) {
            return !key.is_empty() && key == expected;
        }
        let (Some(login), Some(psw)) = (parsed.get("login"), parsed.get("psw")) else {
            return false;
        };
        login == self.config.login
            && (psw == self.config.password || psw.eq_ignore_ascii_case(&md5::hex(self.config.password.as_bytes())))
    }

    /// The rate limit: a request identical (same path, same decoded pairs in any order) to
    /// three accepted within the last minute is refused. Refused requests do not count.
    fn admit(&mut self, path: &str, pairs: &[(String, String)], now_ms: u64) -> bool {
        let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
        sorted.sort();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for &b in bytes.iter().chain(&[0xff]) {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        feed(path.as_bytes());
        for (name, value) in sorted {
            feed(name.as_bytes());
            feed(value.as_bytes());
        }
        if self.recent.len() >= MAX_REMEMBERED {
            self.recent.retain(|_, sends| sends.iter().any(|&t| now_ms.saturating_sub(t) < IDENTICAL_WINDOW_MS));
        }
        let sends = self.recent.entry(hash).or_default();
        sends.retain(|&t| now_ms.saturating_sub(t) < IDENTICAL_WINDOW_MS);
        if sends.len() >= MAX_IDENTICAL {
            return false;
        }
        sends.push(now_ms);
        true
    }
}

/// The lower-case hex MD5 of a password: what `psw` may carry instead of the password.
pub fn md5_hex(password: &str) -> String {
    md5::hex(password.as_bytes())
}

fn plain(status: u16, text: &str) -> Response {
    Response { status, content_type: "text/plain; charset=utf-8", body: text.as_bytes().to_vec() }
}

/// The `fmt` of a request: the server's default 0 when absent or not 0 to 3.
fn fmt_of(value: Option<&str>) -> Fmt {
    value.and_then(|v| v.trim().parse::<u8>().ok()).and_then(Fmt::from_wire).unwrap_or(Fmt::KeyValue)
}
