//! The simulator as an HTTP/1.1 server on loopback, on [hyper]: keep-alive, `Content-Length` or
//! chunked request bodies, `Expect: 100-continue`, hundreds of connections at once. The server
//! runs on a tokio runtime of its own, on threads started by [`Server::start_with`], so callers
//! stay synchronous; the simulator (synchronous, sans-IO) sits behind a mutex that is held only
//! while a request is answered, never across an `await`.
//!
//! Why hyper: the HTTP parsing and the connection handling are a widely used, maintained
//! library's (already in the lock file, through the examples), not this crate's; it has limits
//! and timeouts for untrusted input and no known way to stall or abort the server.
//!
//! What the server answers to odd input (hyper 1.x and this module):
//!
//! - a request line or a header that does not parse: 400, and the connection is closed;
//! - a request head over 64 KiB, or over 100 header lines: 431, and the connection is closed;
//! - a head not complete within two minutes of the previous answer (or of connecting; so also
//!   a keep-alive connection idle that long): the connection is closed without an answer;
//! - HEAD: run as a GET (as PHP does); the answer has the GET's status and `Content-Length`
//!   and no body;
//! - a request body over [`MAX_BODY`]: 413. Declared by `Content-Length`, it is answered at
//!   once, without reading it, and the connection is closed after the answer (whatever size
//!   is declared, nothing of that size is allocated). Chunked, the rest of it is read and
//!   dropped (up to 64 MiB, for up to 10 s), so that the connection carries on, else it is
//!   closed after the answer;
//! - broken chunked encoding, or a body cut short: 400, and the connection is closed;
//! - a body not all sent within 10 s (declared longer than what comes): 408, and the connection
//!   is closed, so that it stops counting towards the limit of requests in flight;
//! - a client that shuts down its sending side after a request (`nc -N`) is still answered;
//! - a method other than GET, HEAD and POST: 405 with `Allow: GET, HEAD, POST`.
//!
//! A failed `accept` (such as too many open files) pauses the accept loop briefly; the server
//! carries on.
//!
//! [hyper]: https://docs.rs/hyper/1

use std::convert::Infallible;
use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener as StdListener, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard, PoisonError, TryLockError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Body as _, Bytes};
use hyper::header::{HeaderValue, ALLOW, CONNECTION, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::StatusCode;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc as tokio_mpsc, watch};

use super::{Incoming, Method, Response, Simulator};

/// The longest request body; a longer one is answered 413.
pub const MAX_BODY: usize = 1024 * 1024;
/// [`MAX_BODY`] as a body's size hint counts.
const MAX_BODY_BYTES: u64 = MAX_BODY as u64;
/// The longest request head (request line and headers); a longer one is answered 431.
const MAX_HEAD: usize = 64 * 1024;
/// How long a connection may take to send a request head, counted from the end of the previous
/// answer: so also how long a keep-alive connection may stay idle. Longer than common clients
/// keep idle connections in their pools (ureq 15 s, reqwest 90 s), so that a client does not
/// reuse a connection as the server closes it.
const HEAD_TIMEOUT: Duration = Duration::from_secs(120);
/// How much of a chunked body over [`MAX_BODY`] is read and dropped after it, and for how
/// long, so that the connection carries on after the 413; past either it is closed.
const MAX_DRAINED: u64 = 64 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(10);
/// How long a request body may take to arrive: a client that declares more than it sends
/// would otherwise stay counted in flight (and push others towards error 9) for as long as it
/// keeps the connection.
const BODY_TIME: Duration = Duration::from_secs(10);
/// The runtime's worker threads. The simulator answers one request at a time; a worker that
/// has to wait for it hands its other connections to a new thread (`block_in_place`).
const WORKERS: usize = 4;
/// How often the data file is saved when the account changed.
const SAVE_EVERY: Duration = Duration::from_secs(1);
/// How long dropping the server waits for the requests being answered (plus the delay), and
/// then for the runtime to stop.
const STOP_GRACE: Duration = Duration::from_secs(1);
/// How long the accept loop pauses after a failed `accept`.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

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
    /// Set to `true` to stop the server.
    stop: watch::Sender<bool>,
    /// The thread that runs the runtime; it ends when the server has stopped.
    thread: Option<JoinHandle<()>>,
}

/// What the connections, the saver and the handle share.
struct Shared {
    simulator: Mutex<Simulator>,
    clock: Clock,
    options: ServerOptions,
    /// Requests read and not yet answered.
    in_flight: AtomicUsize,
    /// The generation last saved; held while saving, so that saves do not overlap.
    saved: Mutex<u64>,
    /// Whether the runtime's thread has ended; signalled by `ended_changed`.
    ended: Mutex<bool>,
    ended_changed: Condvar,
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
        let listener = StdListener::bind(addr)?;
        let addr = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let generation = simulator.generation();
        let shared = Arc::new(Shared {
            simulator: Mutex::new(simulator),
            clock,
            options,
            in_flight: AtomicUsize::new(0),
            saved: Mutex::new(generation),
            ended: Mutex::new(false),
            ended_changed: Condvar::new(),
        });
        let (stop, stopped) = watch::channel(false);
        let (ready, started) = mpsc::channel();
        let thread = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("smsc-sim-server".to_owned())
                .spawn(move || run(listener, &shared, stopped, &ready))?
        };
        match started.recv() {
            Ok(Ok(())) => Ok(Self { addr, shared, stop, thread: Some(thread) }),
            Ok(Err(err)) => {
                let _ = thread.join();
                Err(err)
            }
            Err(_) => {
                let _ = thread.join();
                Err(io::Error::other("the server's thread ended as it started"))
            }
        }
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

    /// Requests being answered now: read from the connection and their answer not yet
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

    /// Serves until the process ends. (It returns only if the server's thread ends, which
    /// only a bug would cause: a failed `accept` does not stop the server.) Takes `&self`, so
    /// that a server shared with a signal handler (to [`save`](Self::save) on Ctrl-C) can
    /// wait too.
    pub fn wait(&self) {
        let mut ended = lock(&self.shared.ended);
        while !*ended {
            ended = self.shared.ended_changed.wait(ended).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The accept loop stops; each connection finishes the request it is answering and
        // closes; the runtime's thread ends.
        self.stop.send_replace(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if let Err(err) = save(&self.shared, true) {
            eprintln!("smsc serve: {err}");
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
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

/// Marks the runtime's thread as ended when dropped (also when it unwinds).
struct Ended<'a>(&'a Shared);

impl Drop for Ended<'_> {
    fn drop(&mut self) {
        *lock(&self.0.ended) = true;
        self.0.ended_changed.notify_all();
    }
}

/// The runtime's thread: builds the runtime, tells `ready` whether it could, serves until
/// `stop`, and shuts the runtime down.
fn run(listener: StdListener, shared: &Arc<Shared>, stop: watch::Receiver<bool>, ready: &mpsc::Sender<io::Result<()>>) {
    let _ended = Ended(shared);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .thread_name("smsc-sim-worker")
        .enable_io()
        .enable_time()
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(err) => {
            let _ = ready.send(Err(err));
            return;
        }
    };
    let listener = {
        let _entered = runtime.enter();
        TcpListener::from_std(listener)
    };
    let listener = match listener {
        Ok(listener) => listener,
        Err(err) => {
            let _ = ready.send(Err(err));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    runtime.block_on(serve(listener, Arc::clone(shared), stop));
    // What is left (a connection past the grace, a save in progress) is dropped or waited
    // for this long.
    runtime.shutdown_timeout(STOP_GRACE);
}

/// Accepts connections until `stop`, then waits for the open ones to finish their requests
/// and close (at most [`STOP_GRACE`] plus the delay).
async fn serve(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut http = http1::Builder::new();
    // Both limits: the buffer's is only checked while a head is incomplete, and a read can
    // take it past the limit in one go.
    http.timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(MAX_HEAD)
        .max_header_size(MAX_HEAD)
        .keep_alive(true)
        // A client that shuts down its sending side after its request is still answered.
        .half_close(true);
    if shared.options.data.is_some() {
        tokio::spawn(saver(Arc::clone(&shared)));
    }
    // Each connection holds a sender: `recv` returns `None` once all have closed.
    let (open, mut all_closed) = tokio_mpsc::channel::<()>(1);
    loop {
        let accepted = tokio::select! {
            () = stopping(&mut stop) => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                let _ = stream.set_nodelay(true);
                let connection = connection(http.clone(), stream, peer.ip(), Arc::clone(&shared), stop.clone());
                let open = open.clone();
                tokio::spawn(async move {
                    connection.await;
                    drop(open);
                });
            }
            // Too many open files, a connection reset before it was accepted...: later.
            Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
        }
    }
    drop(listener);
    drop(open);
    let grace = STOP_GRACE + Duration::from_millis(shared.options.delay_ms);
    let _ = tokio::time::timeout(grace, all_closed.recv()).await;
}

/// Serves one connection until it closes; on `stop`, finishes the request being answered and
/// closes.
async fn connection(
    http: http1::Builder,
    stream: TcpStream,
    peer: IpAddr,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let service = service_fn(move |request| answer(Arc::clone(&shared), peer, request));
    let connection = http.serve_connection(TokioIo::new(stream), service);
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        () = stopping(&mut stop) => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// Returns when the server is told to stop (or its handle is gone).
async fn stopping(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

/// Saves the data file at most once every [`SAVE_EVERY`] while the account changes; a failure
/// is printed once (until the next success), not on every attempt.
async fn saver(shared: Arc<Shared>) {
    let mut every = tokio::time::interval(SAVE_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // The first tick is at once.
    every.tick().await;
    let mut last_error: Option<String> = None;
    loop {
        every.tick().await;
        let saving = Arc::clone(&shared);
        let Ok(saved) = tokio::task::spawn_blocking(move || save(&saving, false)).await else { continue };
        match saved {
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
    /// Over [`MAX_BODY`]: 413; `close` when the rest of it was not read (the connection cannot
    /// carry another request).
    TooLarge {
        /// Whether to close the connection after the answer.
        close: bool,
    },
    /// Broken chunked encoding, or the client left before sending all of it: 400.
    Unreadable,
    /// Not all of it within [`BODY_TIME`]: 408.
    Stalled,
}

/// Reads a request body of at most [`MAX_BODY`].
async fn read_body(body: &mut hyper::body::Incoming) -> Body {
    // A declared length is the exact size hint: refused without reading a byte.
    if body.size_hint().lower() > MAX_BODY_BYTES {
        return Body::TooLarge { close: true };
    }
    let mut read = Vec::new();
    let mut too_large = false;
    let mut limited = Limited::new(&mut *body, MAX_BODY);
    let frames = async {
        while let Some(frame) = limited.frame().await {
            match frame {
                Ok(frame) => {
                    if let Some(data) = frame.data_ref() {
                        read.extend_from_slice(data);
                    }
                }
                Err(err) if err.is::<LengthLimitError>() => {
                    too_large = true;
                    return true;
                }
                Err(_) => return false,
            }
        }
        true
    };
    match tokio::time::timeout(BODY_TIME, frames).await {
        Err(_) => Body::Stalled,
        Ok(false) => Body::Unreadable,
        Ok(true) if too_large => Body::TooLarge { close: !drain(body).await },
        Ok(true) => Body::Read(read),
    }
}

/// Reads and drops the rest of a body, up to [`MAX_DRAINED`] bytes for up to [`DRAIN_TIME`]:
/// whether it was all read (and the connection can carry another request).
async fn drain(body: &mut hyper::body::Incoming) -> bool {
    let rest = async {
        let mut drained = 0u64;
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else { return false };
            if let Some(data) = frame.data_ref() {
                drained = drained.saturating_add(u64::try_from(data.len()).unwrap_or(u64::MAX));
                if drained > MAX_DRAINED {
                    return false;
                }
            }
        }
        true
    };
    tokio::time::timeout(DRAIN_TIME, rest).await.unwrap_or(false)
}

/// Answers one request. It counts as in flight from here (its head read) until its answer is
/// about to be written, so a client that reads its answer never finds it still counted.
async fn answer(
    shared: Arc<Shared>,
    peer: IpAddr,
    request: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (in_flight, count) = InFlight::enter(&shared.in_flight);
    let (head, mut body) = request.into_parts();
    let method = match head.method {
        // hyper leaves out the body of the answer to HEAD.
        hyper::Method::GET | hyper::Method::HEAD => Method::Get,
        hyper::Method::POST => Method::Post,
        _ => Method::Other,
    };
    // Origin or absolute form alike; a fragment is not part of either.
    let (path, query) = (head.uri.path(), head.uri.query());
    let body = match read_body(&mut body).await {
        Body::Read(body) => body,
        Body::TooLarge { close } => {
            drop(in_flight);
            return Ok(reply(plain(413, "the request body is over 1 MiB\n"), close));
        }
        Body::Unreadable => {
            drop(in_flight);
            return Ok(reply(plain(400, "unreadable request body\n"), true));
        }
        Body::Stalled => {
            drop(in_flight);
            return Ok(reply(plain(408, "the request body did not arrive in time\n"), true));
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
    let response = with_simulator(&shared, |simulator| {
        // The time is read under the lock, so that answers are in the order of their times.
        let now_ms = shared.clock.now_ms();
        simulator.answer(&Incoming { path, method, input: &input, now_ms, peer, in_flight: count })
    });
    if shared.options.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(shared.options.delay_ms)).await;
    }
    drop(in_flight);
    Ok(reply(response, false))
}

/// Runs `f` on the simulator. When another thread holds it (a request, or a test through
/// [`Server::simulator`]), this worker waits for it in `block_in_place`: the runtime moves its
/// other connections to another thread meanwhile, so they are still read (and counted).
fn with_simulator<T>(shared: &Shared, f: impl FnOnce(&mut Simulator) -> T) -> T {
    match shared.simulator.try_lock() {
        Ok(mut simulator) => f(&mut simulator),
        Err(TryLockError::Poisoned(poisoned)) => f(&mut poisoned.into_inner()),
        Err(TryLockError::WouldBlock) => tokio::task::block_in_place(|| f(&mut lock(&shared.simulator))),
    }
}

fn plain(status: u16, text: &str) -> Response {
    Response { status, content_type: "text/plain; charset=utf-8", body: text.as_bytes().to_vec() }
}

/// The answer, with a `Content-Length` (never chunked: the body is in memory, and a client
/// reading a raw socket should not have to decode chunks); `close` ends the connection after
/// it.
fn reply(response: Response, close: bool) -> hyper::Response<Full<Bytes>> {
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut out = hyper::Response::new(Full::new(Bytes::from(response.body)));
    *out.status_mut() = status;
    let headers = out.headers_mut();
    if let Ok(content_type) = HeaderValue::from_str(response.content_type) {
        headers.insert(CONTENT_TYPE, content_type);
    }
    if status == StatusCode::METHOD_NOT_ALLOWED {
        headers.insert(ALLOW, HeaderValue::from_static("GET, HEAD, POST"));
    }
    if close {
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    out
}
