//! The simulator as an HTTP/1.1 server on loopback, on the `tiny_http` library: it reads the
//! requests (keep-alive, `Content-Length` or chunked bodies, `Expect: 100-continue`) on a
//! thread per connection; a pool of worker threads, grown on demand, answers them through the
//! simulator behind a mutex. No async runtime: the simulator is synchronous.
//!
//! What the library does with odd input, as of 0.12 (its source, `src/client.rs` and
//! `src/request.rs`): a request line that is not `METHOD TARGET HTTP/x.y`, or a header line
//! without a colon, is answered 400 and the connection closed; a head that is not ASCII closes
//! the connection without an answer; HEAD is answered without the body (here HEAD is run as a
//! GET, as PHP does); lines must end with CRLF. It has no limit on the size of a request head
//! and no read timeout.
//!
//! Its pool of connection threads can lose a wake-up when connections arrive in a burst: a new
//! connection is queued for a thread that is already taken, and waits until some thread
//! finishes a connection (with keep-alive clients, possibly never). A "kicker" thread works
//! around it by opening and closing a connection to the server every few milliseconds while
//! requests come (rarely when idle): the thread that takes such a connection is done with it
//! at once and then takes the oldest queued one.

use std::fmt;
use std::io::{self, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{Incoming, Method, Response, Simulator};

/// The longest request body; a longer one is answered 413.
pub const MAX_BODY: usize = 1024 * 1024;
/// The longest body declared by `Content-Length` that is answered 413 in the normal way. The
/// library reads the rest of an unread body before the next request, into a buffer of the
/// declared size allocated at once (tiny-http issue #290): a declared terabyte would abort the
/// process. Past this size the connection is answered 413 and then abandoned instead (its
/// thread and socket stay until the process ends).
const MAX_DRAINED: usize = 128 * 1024 * 1024;
/// Workers kept waiting for requests; more are started while all are busy.
const MIN_WORKERS: usize = 4;
/// The most workers: past them requests wait for one to be free.
const MAX_WORKERS: usize = 1024;
/// How long a worker beyond [`MIN_WORKERS`] waits idle before it ends.
const IDLE_WORKER: Duration = Duration::from_secs(10);
/// How often the data file is saved when the account changed.
const SAVE_EVERY: Duration = Duration::from_secs(1);
/// How long dropping the server waits for the requests being answered.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// How often the kicker connects while requests come ([`ACTIVE`]), and when idle.
const KICK_ACTIVE: Duration = Duration::from_millis(20);
const KICK_IDLE: Duration = Duration::from_secs(1);
/// The server counts as active this long after a request was taken.
const ACTIVE: Duration = Duration::from_secs(2);

/// The simulator's clock: wall time since the server started, or a manual clock that only
/// moves when told (deterministic tests, a demo that "waits" a minute at once).
#[derive(Clone, Debug)]
pub enum Clock {
    /// Milliseconds since this instant.
    System(Instant),
    /// Milliseconds as set.
    Manual(Arc<AtomicU64>),
}

impl Clock {
    /// Wall time, from now.
    pub fn system() -> Self {
        Self::System(Instant::now())
    }

    /// A manual clock at `start_ms`.
    pub fn manual(start_ms: u64) -> Self {
        Self::Manual(Arc::new(AtomicU64::new(start_ms)))
    }

    /// The time in milliseconds.
    pub fn now_ms(&self) -> u64 {
        match self {
            Self::System(start) => u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX),
            Self::Manual(now) => now.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock forward by `ms`; a system clock cannot be moved (returns `false`).
    pub fn advance(&self, ms: u64) -> bool {
        match self {
            Self::System(_) => false,
            Self::Manual(now) => {
                now.fetch_add(ms, Ordering::SeqCst);
                true
            }
        }
    }
}

/// What a server does besides answering.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerOptions {
    /// The data file: saved (atomically) at most once a second after the account changed, by
    /// [`Server::save`], and when the server is dropped. Load the simulator from it first
    /// ([`Simulator::load`]).
    pub data: Option<PathBuf>,
    /// Milliseconds every request is held before its answer is written, counted as in flight
    /// meanwhile: with it, concurrent requests overlap and the limit on them (error 9) can be
    /// seen and tested. The simulator itself answers in microseconds.
    pub delay_ms: u64,
}

/// A running simulator server; dropping it stops it (and saves the data file, if any).
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    /// The saver (with a data file) and the kicker.
    background: Vec<JoinHandle<()>>,
}

/// What the workers, the saver and the handle share.
struct Shared {
    http: tiny_http::Server,
    simulator: Mutex<Simulator>,
    clock: Clock,
    options: ServerOptions,
    /// Requests taken by a worker and not yet answered.
    in_flight: AtomicUsize,
    pool: Mutex<Pool>,
    /// Signalled when a worker ends and when the listener fails.
    pool_changed: Condvar,
    stop: AtomicBool,
    /// The library's accept loop ended (it stops at the first failed `accept`).
    failed: AtomicBool,
    /// The generation last saved; held while saving, so that saves do not overlap.
    saved: Mutex<u64>,
    /// When the last request was taken, in milliseconds since `started`.
    last_request_ms: AtomicU64,
    started: Instant,
    /// Set to stop the background threads (saver, kicker).
    background_stop: Mutex<bool>,
    background_wake: Condvar,
}

#[derive(Default)]
struct Pool {
    live: usize,
    idle: usize,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server").field("addr", &self.addr).field("options", &self.shared.options).finish()
    }
}

impl Server {
    /// Binds `addr` (use port 0 for a free port) and serves `simulator` on it.
    pub fn start(addr: impl ToSocketAddrs, simulator: Simulator, clock: Clock) -> io::Result<Self> {
        Self::start_with(addr, simulator, clock, ServerOptions::default())
    }

    /// [`start`](Self::start) with options: a data file to save to, a processing delay.
    pub fn start_with(
        addr: impl ToSocketAddrs,
        simulator: Simulator,
        clock: Clock,
        options: ServerOptions,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let http = tiny_http::Server::from_listener(listener, None).map_err(|err| io::Error::other(err.to_string()))?;
        let generation = simulator.generation();
        let shared = Arc::new(Shared {
            http,
            simulator: Mutex::new(simulator),
            clock,
            options,
            in_flight: AtomicUsize::new(0),
            pool: Mutex::new(Pool::default()),
            pool_changed: Condvar::new(),
            stop: AtomicBool::new(false),
            failed: AtomicBool::new(false),
            saved: Mutex::new(generation),
            last_request_ms: AtomicU64::new(0),
            started: Instant::now(),
            background_stop: Mutex::new(false),
            background_wake: Condvar::new(),
        });
        // From here a failure drops `server`, which stops what was started.
        let mut server = Self { addr, shared, background: Vec::new() };
        for _ in 0..MIN_WORKERS {
            spawn_worker(&server.shared)?;
        }
        let shared = Arc::clone(&server.shared);
        let kick =
            std::thread::Builder::new().name("smsc-sim-kicker".to_owned()).spawn(move || kicker(&shared, addr))?;
        server.background.push(kick);
        if server.shared.options.data.is_some() {
            let shared = Arc::clone(&server.shared);
            let save = std::thread::Builder::new().name("smsc-sim-saver".to_owned()).spawn(move || saver(&shared))?;
            server.background.push(save);
        }
        Ok(server)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The simulator, to inspect or reconfigure between requests. Requests wait while the
    /// guard is held; do not hold it while calling [`save`](Self::save).
    pub fn simulator(&self) -> MutexGuard<'_, Simulator> {
        lock(&self.shared.simulator)
    }

    /// The clock the server answers by.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// Requests being answered now: taken from the connection and their answer not yet
    /// written (what the limit of concurrent requests counts).
    pub fn in_flight(&self) -> usize {
        self.shared.in_flight.load(Ordering::SeqCst)
    }

    /// The options it was started with.
    pub fn options(&self) -> &ServerOptions {
        &self.shared.options
    }

    /// Saves the data file now, changed or not; without one, does nothing.
    pub fn save(&self) -> io::Result<()> {
        save(&self.shared, true)
    }

    /// Serves until the process ends, or until the listener fails (the library stops
    /// accepting connections after a failed `accept`, such as too many open files). Takes
    /// `&self`, so that a server shared with a signal handler (to [`save`](Self::save) on
    /// Ctrl-C) can wait too.
    pub fn wait(&self) {
        let mut pool = lock(&self.shared.pool);
        while !self.shared.failed.load(Ordering::SeqCst) {
            pool = self.shared.pool_changed.wait(pool).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let shared = &self.shared;
        shared.stop.store(true, Ordering::SeqCst);
        // Wake every idle worker: each `unblock` ends one wait for a request.
        let live = lock(&shared.pool).live;
        for _ in 0..live {
            shared.http.unblock();
        }
        let deadline = Instant::now() + STOP_GRACE + Duration::from_millis(shared.options.delay_ms);
        let mut pool = lock(&shared.pool);
        while pool.live > 0 && Instant::now() < deadline {
            // Again now and then, for a worker started while stopping.
            shared.http.unblock();
            pool = match shared.pool_changed.wait_timeout(pool, Duration::from_millis(50)) {
                Ok((pool, _)) => pool,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        drop(pool);
        // Requests read but not taken: answered rather than left waiting. The queue also holds
        // the wake-ups no worker took, which read as "nothing": hence a bounded loop.
        for _ in 0..live + MAX_WORKERS {
            match shared.http.try_recv() {
                Ok(Some(request)) => respond(request, plain(503, "the server is stopping\n")),
                Ok(None) => {}
                Err(_) => break,
            }
        }
        *lock(&shared.background_stop) = true;
        shared.background_wake.notify_all();
        for thread in self.background.drain(..) {
            let _ = thread.join();
        }
        if let Err(err) = save(shared, true) {
            eprintln!("smsc serve: {err}");
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Saves the data file (if any): always when `force`, else only when the account changed since
/// the last save. The account is serialised under the simulator's lock, written outside it.
fn save(shared: &Shared, force: bool) -> io::Result<()> {
    let Some(path) = &shared.options.data else { return Ok(()) };
    let mut saved = lock(&shared.saved);
    let (json, generation) = {
        let simulator = lock(&shared.simulator);
        if !force && simulator.generation() == *saved {
            return Ok(());
        }
        (simulator.to_json()?, simulator.generation())
    };
    super::data::write_atomic(path, &json)?;
    *saved = generation;
    Ok(())
}

/// Saves the data file at most once every [`SAVE_EVERY`] while the account changes; a failure
/// is printed once (until the next success), not on every attempt.
fn saver(shared: &Shared) {
    let mut last_error: Option<String> = None;
    while !pause(shared, SAVE_EVERY) {
        match save(shared, false) {
            Ok(()) => last_error = None,
            Err(err) => {
                let message = err.to_string();
                if last_error.as_deref() != Some(&message) {
                    eprintln!("smsc serve: {message}");
                }
                last_error = Some(message);
            }
        }
    }
}

/// Waits `period`, or less when the server stops; whether it stops.
fn pause(shared: &Shared, period: Duration) -> bool {
    let stop = lock(&shared.background_stop);
    match shared.background_wake.wait_timeout_while(stop, period, |stop| !*stop) {
        Ok((stop, _)) => *stop,
        Err(poisoned) => *poisoned.into_inner().0,
    }
}

/// Opens and closes a connection to the server every [`KICK_ACTIVE`] while requests come,
/// every [`KICK_IDLE`] otherwise, so that a connection the library's pool lost track of is
/// taken soon (see the module's documentation).
fn kicker(shared: &Shared, addr: SocketAddr) {
    let target = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), addr.port()),
        _ => addr,
    };
    let mut last_kick = Instant::now();
    while !pause(shared, KICK_ACTIVE) {
        let now_ms = millis(shared.started.elapsed());
        let active = now_ms.saturating_sub(shared.last_request_ms.load(Ordering::Relaxed)) < millis(ACTIVE);
        if active || last_kick.elapsed() >= KICK_IDLE {
            // Closed at once: the library reads its end and ends the connection.
            let _ = std::net::TcpStream::connect_timeout(&target, Duration::from_secs(1));
            last_kick = Instant::now();
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Starts a worker; counted as live and idle from now.
fn spawn_worker(shared: &Arc<Shared>) -> io::Result<()> {
    {
        let mut pool = lock(&shared.pool);
        pool.live += 1;
        pool.idle += 1;
    }
    let worker = Arc::clone(shared);
    let spawned = std::thread::Builder::new().name("smsc-sim-worker".to_owned()).spawn(move || work(&worker));
    if let Err(err) = spawned {
        let mut pool = lock(&shared.pool);
        pool.live -= 1;
        pool.idle -= 1;
        return Err(err);
    }
    Ok(())
}

/// A worker: takes requests from the library's queue and answers them. When it takes the last
/// idle slot it starts another worker, so that a request never waits for a busy one (up to
/// [`MAX_WORKERS`]); workers beyond [`MIN_WORKERS`] end after [`IDLE_WORKER`] without work.
fn work(shared: &Arc<Shared>) {
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        match shared.http.recv_timeout(IDLE_WORKER) {
            Ok(Some(request)) => {
                shared.last_request_ms.store(millis(shared.started.elapsed()), Ordering::Relaxed);
                let more = {
                    let mut pool = lock(&shared.pool);
                    pool.idle -= 1;
                    pool.idle == 0 && pool.live < MAX_WORKERS
                };
                if more && !shared.stop.load(Ordering::SeqCst) {
                    // Without a thread to spare, this worker still serves; requests queue.
                    let _ = spawn_worker(shared);
                }
                serve(shared, request);
                lock(&shared.pool).idle += 1;
            }
            // A timeout, or `unblock` from `Drop`.
            Ok(None) => {
                if shared.stop.load(Ordering::SeqCst) {
                    break;
                }
                if lock(&shared.pool).live > MIN_WORKERS {
                    break;
                }
            }
            Err(_) => {
                shared.failed.store(true, Ordering::SeqCst);
                break;
            }
        }
    }
    {
        let mut pool = lock(&shared.pool);
        pool.live -= 1;
        pool.idle -= 1;
    }
    shared.pool_changed.notify_all();
}

/// Counts a request as in flight until dropped.
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    /// Counts one more; returns the guard and the count, this request included.
    fn enter(counter: &'a AtomicUsize) -> (Self, u16) {
        let count = counter.fetch_add(1, Ordering::SeqCst) + 1;
        (Self(counter), u16::try_from(count).unwrap_or(u16::MAX))
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A request's body, as far as it was read.
enum Body {
    /// The whole body (empty for none).
    Read(Vec<u8>),
    /// Over [`MAX_BODY`]: 413.
    TooLarge,
    /// Declared over [`MAX_DRAINED`]: 413, then the connection is abandoned.
    Huge,
    /// Broken chunked encoding, or the client left before sending all of it: 400.
    Unreadable,
}

fn read_body(request: &mut tiny_http::Request) -> Body {
    let declared = request.body_length();
    match declared {
        Some(length) if length > MAX_DRAINED => return Body::Huge,
        // Answered without reading: the library reads (and drops) what the client still sends.
        Some(length) if length > MAX_BODY => return Body::TooLarge,
        _ => {}
    }
    let mut body = Vec::new();
    let limit = u64::try_from(MAX_BODY).unwrap_or(u64::MAX) + 1;
    if request.as_reader().take(limit).read_to_end(&mut body).is_err() {
        return Body::Unreadable;
    }
    if body.len() > MAX_BODY {
        // A chunked body: read the rest (up to a bound) so that the connection stays usable.
        let bound = u64::try_from(MAX_DRAINED).unwrap_or(u64::MAX);
        let _ = io::copy(&mut request.as_reader().take(bound), &mut io::sink());
        return Body::TooLarge;
    }
    match declared {
        Some(length) if body.len() < length => Body::Unreadable,
        _ => Body::Read(body),
    }
}

/// Answers one request. It counts as in flight from here until its answer is about to be
/// written (so a client that reads its answer never finds it still counted).
fn serve(shared: &Shared, mut request: tiny_http::Request) {
    let (in_flight, count) = InFlight::enter(&shared.in_flight);
    let method = match request.method() {
        // The library leaves out the body of the answer to HEAD.
        tiny_http::Method::Get | tiny_http::Method::Head => Method::Get,
        tiny_http::Method::Post => Method::Post,
        _ => Method::Other,
    };
    let peer = request.remote_addr().map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), SocketAddr::ip);
    let target = request.url().to_owned();
    let (path, query) = split_target(&target);
    let body = match read_body(&mut request) {
        Body::Read(body) => body,
        Body::TooLarge => {
            drop(in_flight);
            return respond(request, plain(413, "the request body is over 1 MiB\n"));
        }
        Body::Huge => {
            drop(in_flight);
            // Not dropped: dropping would read the declared rest into one buffer (see
            // MAX_DRAINED). The status line and headers are written; the connection stays open
            // and unused until the client closes it.
            let connection = request.upgrade("none", tiny_http::Response::empty(413));
            std::mem::forget(connection);
            return;
        }
        Body::Unreadable => {
            drop(in_flight);
            return respond(request, plain(400, "unreadable request body\n"));
        }
    };
    let input = match (method, query) {
        (Method::Post, Some(query)) if !query.is_empty() => {
            // Parameters in the URL of a POST count too (PHP's `$_REQUEST`).
            let mut input = query.as_bytes().to_vec();
            input.push(b'&');
            input.extend_from_slice(&body);
            input
        }
        (Method::Post, _) => body,
        (_, query) => query.unwrap_or("").as_bytes().to_vec(),
    };
    let response = {
        // The time is read under the lock, so that answers are in the order of their times.
        let mut simulator = lock(&shared.simulator);
        let now_ms = shared.clock.now_ms();
        simulator.answer(&Incoming { path, method, input: &input, now_ms, peer, in_flight: count })
    };
    if shared.options.delay_ms > 0 {
        std::thread::sleep(Duration::from_millis(shared.options.delay_ms));
    }
    drop(in_flight);
    respond(request, response);
}

fn plain(status: u16, text: &str) -> Response {
    Response { status, content_type: "text/plain; charset=utf-8", body: text.as_bytes().to_vec() }
}

/// Writes the answer with a `Content-Length` (never chunked: the body is in memory, and a
/// client reading a raw socket should not have to decode chunks). Errors mean the client left.
fn respond(request: tiny_http::Request, response: Response) {
    let status = response.status;
    let mut out =
        tiny_http::Response::from_data(response.body).with_status_code(status).with_chunked_threshold(usize::MAX);
    if let Ok(header) = tiny_http::Header::from_bytes("Content-Type", response.content_type) {
        out.add_header(header);
    }
    if status == 405 {
        if let Ok(header) = tiny_http::Header::from_bytes("Allow", "GET, HEAD, POST") {
            out.add_header(header);
        }
    }
    let _ = request.respond(out);
}

/// The path and the query of a request target (origin or absolute form).
fn split_target(target: &str) -> (&str, Option<&str>) {
    let target = match target.find("://") {
        Some(scheme) => {
            let rest = &target[scheme + 3..];
            rest.find('/').map_or("/", |at| &rest[at..])
        }
        None => target,
    };
    let target = target.split('#').next().unwrap_or("");
    match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    }
}

#[cfg(test)]
mod tests {
    use super::split_target;

    #[test]
    fn targets() {
        assert_eq!(split_target("/sys/phones.php?a=1"), ("/sys/phones.php", Some("a=1")));
        assert_eq!(split_target("http://h:1/sys/mails.php"), ("/sys/mails.php", None));
        assert_eq!(split_target("http://h"), ("/", None));
        assert_eq!(split_target("/p?a#frag"), ("/p", Some("a")));
    }
}
