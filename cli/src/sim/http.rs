//! The simulator as an HTTP/1.1 server on loopback: a small hand-written request reader
//! (`Content-Length` bodies, keep-alive), one thread per connection, the simulator behind a
//! mutex. No async runtime, no dependency.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{Method, Response, Simulator};

/// The longest request line plus headers.
const MAX_HEAD: u64 = 16 * 1024;
/// The longest body.
const MAX_BODY: usize = 1024 * 1024;
/// Connections served at once; more are answered 503.
const MAX_CONNECTIONS: usize = 64;
/// How long a connection may sit idle or stall.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

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

/// A running simulator server; dropping it stops accepting connections.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    simulator: Arc<Mutex<Simulator>>,
    clock: Clock,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `addr` (use port 0 for a free port) and serves `simulator` on it.
    pub fn start(addr: impl ToSocketAddrs, simulator: Simulator, clock: Clock) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let simulator = Arc::new(Mutex::new(simulator));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (simulator, clock, stop) = (Arc::clone(&simulator), clock.clone(), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("smsc-sim-accept".to_owned())
                .spawn(move || accept_loop(&listener, &simulator, &clock, &stop))?
        };
        Ok(Self { addr, simulator, clock, stop, accept: Some(accept) })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The simulator, to inspect or reconfigure between requests.
    pub fn simulator(&self) -> MutexGuard<'_, Simulator> {
        lock(&self.simulator)
    }

    /// The clock the server answers by.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

fn lock(simulator: &Mutex<Simulator>) -> MutexGuard<'_, Simulator> {
    simulator.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn accept_loop(listener: &TcpListener, simulator: &Arc<Mutex<Simulator>>, clock: &Clock, stop: &AtomicBool) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(mut stream) = stream else { continue };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let _ = write_response(&mut stream, &status_only(503, "busy\n"), false);
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let (simulator, clock, done) = (Arc::clone(simulator), clock.clone(), Arc::clone(&active));
        let spawned = std::thread::Builder::new().name("smsc-sim-conn".to_owned()).spawn(move || {
            let _ = serve_connection(stream, &simulator, &clock);
            done.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn status_only(status: u16, text: &str) -> Response {
    Response { status, content_type: "text/plain; charset=utf-8", body: text.as_bytes().to_vec() }
}

/// One parsed request.
struct Request {
    method: Method,
    target: String,
    body: Vec<u8>,
    keep_alive: bool,
}

/// Why a connection stops without a normal answer.
enum Refusal {
    /// The peer closed or stalled: nothing to answer.
    Gone,
    /// A broken request: answer this status and close.
    Status(u16, &'static str),
}

fn serve_connection(stream: TcpStream, simulator: &Mutex<Simulator>, clock: &Clock) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_nodelay(true)?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader, &mut writer) {
            Ok(request) => request,
            Err(Refusal::Gone) => return Ok(()),
            Err(Refusal::Status(status, text)) => {
                return write_response(&mut writer, &status_only(status, text), false)
            }
        };
        let (path, query) = split_target(&request.target);
        let input = match (request.method, query) {
            (Method::Post, Some(query)) if !query.is_empty() => {
                // Parameters in the URL of a POST count too (PHP's `$_REQUEST`).
                let mut input = query.as_bytes().to_vec();
                input.push(b'&');
                input.extend_from_slice(&request.body);
                input
            }
            (Method::Post, _) => request.body,
            (_, query) => query.unwrap_or("").as_bytes().to_vec(),
        };
        let response = lock(simulator).handle(path, request.method, &input, clock.now_ms());
        write_response(&mut writer, &response, request.keep_alive)?;
        if !request.keep_alive {
            return Ok(());
        }
    }
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

fn read_request(reader: &mut BufReader<TcpStream>, writer: &mut TcpStream) -> Result<Request, Refusal> {
    let mut head = Vec::new();
    let mut limited = reader.by_ref().take(MAX_HEAD);
    // Request line and headers, up to the empty line; a stray empty line before the request
    // line is allowed (RFC 9112 2.2).
    let mut lines: Vec<String> = Vec::new();
    loop {
        head.clear();
        match limited.read_until(b'\n', &mut head) {
            Ok(0) if lines.is_empty() => return Err(Refusal::Gone),
            Ok(0) => return Err(Refusal::Status(400, "incomplete request\n")),
            Ok(_) => {}
            Err(_) => return Err(Refusal::Gone),
        }
        if !head.ends_with(b"\n") {
            return Err(Refusal::Status(431, "request head too large\n"));
        }
        let line = String::from_utf8_lossy(&head).trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            if lines.is_empty() {
                continue;
            }
            break;
        }
        lines.push(line);
    }
    let mut parts = lines[0].split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Status(400, "bad request line\n"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(Refusal::Status(505, "HTTP/1.x only\n"));
    }
    let method = match method {
        "GET" => Method::Get,
        "POST" => Method::Post,
        _ => Method::Other,
    };
    let mut keep_alive = version == "HTTP/1.1";
    let mut content_length: Option<usize> = None;
    let mut expect_continue = false;
    for line in &lines[1..] {
        let Some((name, value)) = line.split_once(':') else {
            return Err(Refusal::Status(400, "bad header\n"));
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                let length = value.parse::<usize>().map_err(|_| Refusal::Status(400, "bad content-length\n"))?;
                if content_length.is_some_and(|known| known != length) {
                    return Err(Refusal::Status(400, "conflicting content-length\n"));
                }
                content_length = Some(length);
            }
            "transfer-encoding" => return Err(Refusal::Status(501, "send a content-length body\n")),
            "connection" if value.eq_ignore_ascii_case("close") => keep_alive = false,
            "connection" if value.eq_ignore_ascii_case("keep-alive") => keep_alive = true,
            "expect" if value.eq_ignore_ascii_case("100-continue") => expect_continue = true,
            _ => {}
        }
    }
    let length = content_length.unwrap_or(0);
    if length > MAX_BODY {
        return Err(Refusal::Status(413, "body too large\n"));
    }
    if expect_continue && length > 0 {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").map_err(|_| Refusal::Gone)?;
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).map_err(|_| Refusal::Gone)?;
    Ok(Request { method, target: target.to_owned(), body, keep_alive })
}

fn write_response(stream: &mut TcpStream, response: &Response, keep_alive: bool) -> io::Result<()> {
    let reason = match response.status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };
    let mut out = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: {}\r\n",
        response.status,
        response.content_type,
        response.body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    )
    .into_bytes();
    if response.status == 405 {
        out.extend_from_slice(b"Allow: GET, POST\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&response.body);
    stream.write_all(&out)?;
    stream.flush()
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
