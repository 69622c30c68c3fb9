//! A local fake SMSC: an in-memory contacts service for `/sys/phones.php` and `/sys/mails.php`
//! with the semantics of `spec/PROTOCOL.md`, sans-IO.
//!
//! [`Simulator::answer`] takes a request ([`Incoming`]: path, method, query or form body, the
//! time, the client's IP address and how many requests are in flight) and returns the status,
//! content type and body the real server would send; [`Simulator::handle`] is the same for a
//! lone request from 127.0.0.1. It never reads a clock: the caller passes `now_ms`, so the rate
//! limits (error 9) and the IP block (error 4) are deterministic in tests. [`http::Server`]
//! puts it behind a loopback HTTP/1.1 server. The account can be loaded from and saved to a JSON
//! file ([`Simulator::load`], [`Simulator::save`]).
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

mod data;
pub mod http;
mod params;
mod render;
mod store;

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use md5::{Digest, Md5};
use smsc_codec::{Endpoint, ErrorCode, Fmt};

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
    /// Whether the server answers error 9 at all: for a fourth identical request within a
    /// minute, and for too many requests at once (`max_concurrent`).
    pub rate_limit: bool,
    /// Requests in flight, the new one included, from which an authorised request is refused
    /// with error 9 (PROTOCOL 3: "fifteen or more concurrent requests under one login"); 0
    /// never refuses. The count comes with the request ([`Incoming::in_flight`]).
    pub max_concurrent: u16,
    /// Failed authorisations (error 2) from one IP address within `failure_window_ms` after
    /// which that address is blocked (error 4) for `block_ms`; 0 never blocks. The real
    /// server's rule is not documented: this one is chosen.
    pub block_after_failures: u16,
    /// The window in which failed authorisations are counted, in milliseconds.
    pub failure_window_ms: u64,
    /// How long a blocked address stays blocked, in milliseconds of the simulator's clock.
    pub block_ms: u64,
}

impl Default for Config {
    /// Login `test`, password `test-password`, API key `test-api-key`, bare `OK`, rate limit on,
    /// 15 concurrent requests refused, an IP address blocked for 10 minutes after 10 failed
    /// authorisations within 60 s.
    fn default() -> Self {
        Self {
            login: "test".to_owned(),
            password: "test-password".to_owned(),
            apikey: Some("test-api-key".to_owned()),
            ok_style: OkStyle::Bare,
            rate_limit: true,
            max_concurrent: 15,
            block_after_failures: 10,
            failure_window_ms: 60_000,
            block_ms: 600_000,
        }
    }
}

/// One request, with what the HTTP layer knows about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Incoming<'a> {
    /// The path, without the query (`/sys/phones.php`).
    pub path: &'a str,
    /// The method.
    pub method: Method,
    /// The query string of a GET (without `?`), or the form body of a POST (with the URL's
    /// parameters before it: PHP reads both).
    pub input: &'a [u8],
    /// The simulator's clock, in milliseconds.
    pub now_ms: u64,
    /// The client's IP address: error 4 blocks by address.
    pub peer: IpAddr,
    /// Requests the server is answering at this moment, this one included (0 counts as 1).
    pub in_flight: u16,
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
/// Distinct requests (and IP addresses) remembered for the rate limit (and the IP block)
/// before stale ones are pruned, so that an untrusted client cannot grow them without bound.
const MAX_REMEMBERED: usize = 65_536;

/// The in-memory SMSC contacts service.
#[derive(Debug)]
pub struct Simulator {
    config: Config,
    store: Store,
    /// Accepted sends per request fingerprint, oldest first.
    recent: HashMap<u64, Vec<u64>>,
    /// Failed authorisations per IP address within the window, oldest first.
    failures: HashMap<IpAddr, Vec<u64>>,
    /// Blocked IP addresses, to the time the block ends.
    blocked: HashMap<IpAddr, u64>,
    /// Commands that changed the account so far.
    generation: u64,
}

/// A numbered API error (PROTOCOL 4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApiCode {
    Parameters,
    Auth,
    NotFound,
    IpBlocked,
    Failed,
    /// Error 9 for a fourth identical request within a minute.
    RateLimited,
    /// Error 9 for fifteen or more requests at once.
    TooManyConcurrent,
}

impl ApiCode {
    /// The error's number, as the codec numbers its `ErrorCode`s.
    pub(crate) fn code(self) -> u16 {
        let code = match self {
            Self::Parameters => ErrorCode::Parameters,
            Self::Auth => ErrorCode::Auth,
            Self::NotFound => ErrorCode::NotFound,
            Self::IpBlocked => ErrorCode::IpBlocked,
            Self::Failed => ErrorCode::Failed,
            Self::RateLimited | Self::TooManyConcurrent => ErrorCode::RateLimited,
        };
        code.wire()
    }

    /// The short English description the real server sends (PROTOCOL 4.1). Error 4's is not
    /// recorded: the codec's wording is chosen. Concurrent requests' error 9 takes the
    /// parenthesis of the documentation ("too many concurrent requests").
    pub(crate) const fn description(self) -> &'static str {
        match self {
            Self::Parameters => "parameters error",
            Self::Auth => "authorise error",
            Self::NotFound => "record not found",
            Self::IpBlocked => "IP address temporarily blocked",
            Self::Failed => "save error",
            Self::RateLimited => "duplicate request, wait a minute",
            Self::TooManyConcurrent => "too many concurrent requests",
        }
    }
}

impl Simulator {
    /// An empty account.
    pub fn new(config: Config) -> Self {
        Self::with_store(config, Store::default())
    }

    fn with_store(config: Config, store: Store) -> Self {
        Self { config, store, recent: HashMap::new(), failures: HashMap::new(), blocked: HashMap::new(), generation: 0 }
    }

    /// The account saved by [`save`](Self::save) in `path` (contacts on both endpoints, groups,
    /// blacklists, the next ids), with `config`. A missing file is an empty account; an empty
    /// file too. A file that is not the documented JSON (cli/README.md, "The data file"), or
    /// that contradicts itself (two contacts with one number, a contact in a group that does
    /// not exist...), is an error of kind `InvalidData` naming the file and, for JSON errors,
    /// the line and column.
    pub fn load(config: Config, path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Self::new(config)),
            Err(err) => return Err(io::Error::new(err.kind(), format!("cannot read {}: {err}", path.display()))),
        };
        let store = Store::from_json(&bytes)
            .map_err(|message| io::Error::new(io::ErrorKind::InvalidData, format!("{}: {message}", path.display())))?;
        Ok(Self::with_store(config, store))
    }

    /// Saves the account to `path` as JSON, atomically: a temporary file in the same
    /// directory, then renamed over `path`, so that a reader (or a crash) never sees half a
    /// file.
    pub fn save(&self, path: impl AsRef<Path>) -> io::Result<()> {
        data::write_atomic(path.as_ref(), &self.store.to_json()?)
    }

    /// The account as the JSON of the data file.
    pub(crate) fn to_json(&self) -> io::Result<Vec<u8>> {
        self.store.to_json()
    }

    /// How many commands have changed the account so far (those answered with an id or `OK`):
    /// a server saves its data file only when this moved.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Switches how `OK` looks under fmt=3.
    pub fn set_ok_style(&mut self, style: OkStyle) {
        self.config.ok_style = style;
    }

    /// Answers one request from 127.0.0.1 with nothing else in flight. `input` is the query
    /// string of a GET (without `?`) or the form body of a POST; `now_ms` is the simulator's
    /// clock. Never panics, whatever the input.
    pub fn handle(&mut self, path: &str, method: Method, input: &[u8], now_ms: u64) -> Response {
        self.answer(&Incoming { path, method, input, now_ms, peer: IpAddr::V4(Ipv4Addr::LOCALHOST), in_flight: 1 })
    }

    /// Answers one request. The checks, in order: the path (404) and the method (405); a
    /// blocked IP address (error 4, whatever the request); the credentials (error 2, counted
    /// towards blocking the address); too many requests in flight, then a fourth identical
    /// request within a minute (error 9); the command's parameters (error 1, or 5); then the
    /// command. Never panics, whatever the input.
    pub fn answer(&mut self, request: &Incoming<'_>) -> Response {
        let endpoint = match request.path {
            "/sys/phones.php" => Endpoint::Phones,
            "/sys/mails.php" => Endpoint::Mails,
            _ => return plain(404, "not found\n"),
        };
        if request.method == Method::Other {
            return plain(405, "method not allowed\n");
        }
        let pairs = decode_form(request.input);
        let parsed = Parsed::new(&pairs);
        let answer = self.decide(request, endpoint, &pairs, &parsed);
        if matches!(answer, Answer::Created { .. } | Answer::Done) {
            self.generation += 1;
        }
        render::response(&answer, parsed.fmt, endpoint, self.config.ok_style)
    }

    fn decide(
        &mut self,
        request: &Incoming<'_>,
        endpoint: Endpoint,
        pairs: &[(String, String)],
        parsed: &Parsed<'_>,
    ) -> Answer {
        let now_ms = request.now_ms;
        if self.is_blocked(request.peer, now_ms) {
            return Answer::Error(ApiCode::IpBlocked);
        }
        if !self.authorised(parsed) {
            self.failed_authorisation(request.peer, now_ms);
            return Answer::Error(ApiCode::Auth);
        }
        if self.config.rate_limit && self.config.max_concurrent > 0 && request.in_flight >= self.config.max_concurrent {
            return Answer::Error(ApiCode::TooManyConcurrent);
        }
        if self.config.rate_limit && !self.admit(request.path, pairs, now_ms) {
            return Answer::Error(ApiCode::RateLimited);
        }
        match parsed.command(endpoint) {
            Ok(command) => self.store.execute(&command, endpoint),
            Err(code) => Answer::Error(code),
        }
    }

    /// Whether `peer` is blocked at `now_ms`; a block that has run out is forgotten.
    fn is_blocked(&mut self, peer: IpAddr, now_ms: u64) -> bool {
        match self.blocked.get(&peer) {
            Some(&until) if now_ms < until => true,
            Some(_) => {
                self.blocked.remove(&peer);
                false
            }
            None => false,
        }
    }

    /// Counts a failed authorisation from `peer`; the `block_after_failures`-th within the
    /// window blocks the address (this answer is still error 2, the next ones are error 4).
    fn failed_authorisation(&mut self, peer: IpAddr, now_ms: u64) {
        let threshold = usize::from(self.config.block_after_failures);
        if threshold == 0 {
            return;
        }
        let window = self.config.failure_window_ms;
        if self.failures.len() >= MAX_REMEMBERED {
            self.failures.retain(|_, times| times.iter().any(|&t| now_ms.saturating_sub(t) < window));
        }
        if self.blocked.len() >= MAX_REMEMBERED {
            self.blocked.retain(|_, &mut until| now_ms < until);
        }
        let times = self.failures.entry(peer).or_default();
        times.retain(|&t| now_ms.saturating_sub(t) < window);
        times.push(now_ms);
        if times.len() >= threshold {
            self.failures.remove(&peer);
            self.blocked.insert(peer, now_ms.saturating_add(self.config.block_ms));
        }
    }

    fn authorised(&self, parsed: &Parsed<'_>) -> bool {
        if let (Some(key), Some(expected)) = (parsed.get("apikey"), &self.config.apikey) {
            return !key.is_empty() && key == expected;
        }
        let (Some(login), Some(psw)) = (parsed.get("login"), parsed.get("psw")) else {
            return false;
        };
        login == self.config.login
            && (psw == self.config.password || psw.eq_ignore_ascii_case(&md5_hex(&self.config.password)))
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
///
/// ```
/// assert_eq!(smsc_codec_cli::sim::md5_hex("test-password"), "dfb450efddbb5387197c84460623675b");
/// ```
pub fn md5_hex(password: &str) -> String {
    Md5::digest(password.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn plain(status: u16, text: &str) -> Response {
    Response { status, content_type: "text/plain; charset=utf-8", body: text.as_bytes().to_vec() }
}

/// The `fmt` of a request: the server's default 0 when absent or not 0 to 3.
fn fmt_of(value: Option<&str>) -> Fmt {
    value.and_then(|v| v.trim().parse::<u8>().ok()).and_then(Fmt::from_wire).unwrap_or(Fmt::KeyValue)
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use super::{md5_hex, Config, Incoming, Method, Simulator};

    #[test]
    fn md5_rfc_1321_vectors() {
        assert_eq!(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
    }

    #[test]
    fn only_changes_move_the_generation() {
        let mut sim = Simulator::new(Config::default());
        let auth = "login=test&psw=test-password&fmt=1";
        let mut send = |query: String, now_ms| {
            let input = format!("{query}&{auth}");
            let request = Incoming {
                path: "/sys/phones.php",
                method: Method::Get,
                input: input.as_bytes(),
                now_ms,
                peer: IpAddr::V4(Ipv4Addr::LOCALHOST),
                in_flight: 1,
            };
            String::from_utf8_lossy(&sim.answer(&request).body).into_owned()
        };
        assert_eq!(send("get=1".to_owned(), 0), "0,-3");
        assert_eq!(send("add=1&phone=1".to_owned(), 1), "123456");
        assert_eq!(send("add=1&phone=1".to_owned(), 2), "0,-5");
        assert_eq!(send("del=1&phone=1".to_owned(), 3), "OK");
        assert_eq!(sim.generation(), 2);
    }
}
