//! `smsc serve` as users' integration tests meet it: the simulator on its hyper server.
//! Load from 300 keep-alive connections at once behind the rate guard (nothing lost, no error
//! 9); the limit of concurrent requests (error 9 from the fifteenth); the IP block after failed
//! logins (error 4); what the server does with chunked bodies, HEAD, garbage, oversized heads
//! and bodies (a declared terabyte among them), and with bursts of new connections; the data
//! file (`--data`). Raw sockets where the bytes on the wire matter.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use smsc_codec::client::{fingerprint, Admission, ContactsPager, RateGuard};
use smsc_codec::{decode, AddContact, Auth, Command, Endpoint, Error, ErrorCode, Fmt, GetContacts, Request};
use smsc_codec_cli::sim::http::{Clock, Server, ServerOptions};
use smsc_codec_cli::sim::{Config, Incoming, Method, Simulator};

const AUTH: &str = "login=test&psw=test-password";

fn auth() -> Auth<'static> {
    Auth::password("test", "test-password")
}

/// An answer read off a raw socket.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 connection, kept alive: requests written by hand, answers read by their
/// `Content-Length` (the server never chunks them).
struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    fn open(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
        stream.set_write_timeout(Some(Duration::from_secs(20))).expect("timeout");
        stream.set_nodelay(true).expect("nodelay");
        Self { reader: BufReader::new(stream) }
    }

    fn send(&mut self, raw: &[u8]) {
        self.reader.get_mut().write_all(raw).expect("write");
    }

    /// Reads one answer; `head_only` for the answer to HEAD (a length, no body).
    fn answer(&mut self, head_only: bool) -> Answer {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).expect("an answer");
            assert!(read > 0, "the connection closed before an answer; so far: {head:?}");
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("status in {head:?}"));
        let mut answer = Answer { status, head, body: Vec::new() };
        assert_eq!(answer.header("transfer-encoding"), None, "never chunked: {}", answer.head);
        if !head_only {
            let length: usize = answer.header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
            answer.body = vec![0; length];
            self.reader.read_exact(&mut answer.body).expect("the body");
        }
        answer
    }

    fn get(&mut self, target: &str) -> Answer {
        self.send(format!("GET {target} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes());
        self.answer(false)
    }

    fn post(&mut self, path: &str, form: &str) -> Answer {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            form.len()
        );
        self.send(head.as_bytes());
        self.send(form.as_bytes());
        self.answer(false)
    }

    /// Reads until the server closes the connection.
    fn rest(&mut self) -> String {
        let mut rest = Vec::new();
        let _ = self.reader.read_to_end(&mut rest);
        String::from_utf8_lossy(&rest).into_owned()
    }
}

/// The API error code of a body, if it is one.
fn api_code(body: &[u8], fmt: Fmt) -> Option<u16> {
    match decode::created(body, fmt) {
        Err(Error::Api(api)) => Some(api.code.wire()),
        _ => None,
    }
}

/// The codec's rate guard shared by every client thread, as one client process with many
/// connections would share it: fewer than fifteen requests in flight, at most three identical
/// ones a minute.
struct SharedGuard {
    guard: Mutex<RateGuard<4096>>,
    freed: Condvar,
    start: Instant,
}

impl SharedGuard {
    fn new() -> Self {
        Self { guard: Mutex::new(RateGuard::new()), freed: Condvar::new(), start: Instant::now() }
    }

    /// Sends `command` on `conn` (POST for changes, GET for lists) when the guard lets it go.
    fn send<C: Command + Copy>(&self, conn: &mut Conn, command: C) -> Answer {
        let request = Request::new(auth(), command).fmt(Fmt::Json);
        let query = request.to_query_string().expect("a valid request");
        let print = fingerprint(request.path(), query.as_bytes());
        {
            let mut guard = self.guard.lock().expect("guard");
            loop {
                let now_ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
                match guard.admit(print, now_ms) {
                    Admission::Go => break,
                    Admission::TooManyInFlight => guard = self.freed.wait(guard).expect("guard"),
                    Admission::WaitUntil(_) => panic!("distinct requests never wait for the minute"),
                }
            }
        }
        let answer = match command.kind().response() {
            smsc_codec::ResponseKind::List(_) => conn.get(&format!("{}?{query}", request.path())),
            _ => conn.post(request.path(), &query),
        };
        self.guard.lock().expect("guard").finished();
        self.freed.notify_one();
        answer
    }
}

const CLIENTS: usize = 300;
const ADDS: usize = 8;
const LISTS: usize = 2;

#[test]
fn three_hundred_keep_alive_connections_lose_nothing_behind_the_rate_guard() {
    let started = Instant::now();
    let server = Server::start("127.0.0.1:0", Simulator::new(Config::default()), Clock::system()).expect("server");
    let addr = server.addr();
    let guard = Arc::new(SharedGuard::new());
    let opened = Arc::new(Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (guard, opened) = (Arc::clone(&guard), Arc::clone(&opened));
            thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let mut conn = Conn::open(addr);
                    // Every connection is open before the first request: 300 at once.
                    opened.wait();
                    let mut ids = Vec::new();
                    for i in 0..ADDS {
                        let phone = format!("38050{client:03}{i:04}");
                        let name = format!("Клієнт {client}-{i}");
                        let answer = guard.send(&mut conn, AddContact::phone(&phone).name(&name));
                        assert_eq!(answer.status, 200);
                        match decode::created(&answer.body, Fmt::Json) {
                            Ok(created) => ids.push(created.id.to_string()),
                            Err(err) => panic!("client {client}, add {i}: {err:?} in {}", answer.text()),
                        }
                    }
                    for i in 0..LISTS {
                        let phone = format!("38050{client:03}{i:04}");
                        let answer = guard.send(&mut conn, GetContacts::new(Endpoint::Phones).phone(&phone));
                        let listed: Vec<String> = decode::contacts(&answer.body, Fmt::Json, Endpoint::Phones)
                            .unwrap_or_else(|err| panic!("client {client}, list {i}: {err:?} in {}", answer.text()))
                            .map(|contact| contact.expect("a contact").phone.expect("phone").to_string())
                            .collect();
                        assert_eq!(listed, [phone]);
                    }
                    ids
                })
                .expect("a client thread")
        })
        .collect();
    let mut ids: Vec<String> = clients.into_iter().flat_map(|client| client.join().expect("a client")).collect();
    let exchanged = started.elapsed();
    assert_eq!(ids.len(), CLIENTS * ADDS, "every add answered with an id");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), CLIENTS * ADDS, "distinct ids");

    // Every contact is there, once: paged through by 1000.
    let mut conn = Conn::open(addr);
    let mut pager = ContactsPager::new(1000);
    let mut phones = Vec::new();
    while let Some(command) = pager.next(GetContacts::new(Endpoint::Phones)) {
        let answer = guard.send(&mut conn, command);
        match decode::contacts(&answer.body, Fmt::Json, Endpoint::Phones) {
            Ok(contacts) => {
                for contact in contacts {
                    let contact = contact.expect("a contact");
                    pager.observe(&contact).expect("int_id");
                    phones.push(contact.phone.expect("phone").to_string());
                }
                pager.end_page();
            }
            Err(Error::Api(api)) => assert!(pager.end_on(&api), "{api:?}"),
            Err(err) => panic!("{err}"),
        }
        assert!(phones.len() <= CLIENTS * ADDS, "runaway paging");
    }
    phones.sort();
    let mut expected: Vec<String> =
        (0..CLIENTS).flat_map(|c| (0..ADDS).map(move |i| format!("38050{c:03}{i:04}"))).collect();
    expected.sort();
    assert_eq!(phones, expected);
    eprintln!("{} requests from {CLIENTS} connections in {exchanged:?}", CLIENTS * (ADDS + LISTS),);
    assert!(started.elapsed() < Duration::from_secs(25), "took {:?}", started.elapsed());
}

/// Sends 20 adds at once on 20 connections; each thread's answer: `None` for an id, else the
/// API error's code and body.
fn twenty_at_once(addr: SocketAddr, first_phone: u32) -> Vec<thread::JoinHandle<Option<(u16, String)>>> {
    let ready = Arc::new(Barrier::new(20));
    (0..20)
        .map(|n| {
            let ready = Arc::clone(&ready);
            thread::spawn(move || {
                let mut conn = Conn::open(addr);
                ready.wait();
                let phone = first_phone + n;
                let answer = conn.post("/sys/phones.php", &format!("add=1&phone=380{phone:09}&fmt=3&{AUTH}"));
                api_code(&answer.body, Fmt::Json).map(|code| (code, answer.text()))
            })
        })
        .collect()
}

/// (answered with an id, refused with error 9).
fn tally(requests: Vec<thread::JoinHandle<Option<(u16, String)>>>) -> (usize, usize) {
    let codes: Vec<Option<(u16, String)>> = requests.into_iter().map(|r| r.join().expect("a request")).collect();
    let created = codes.iter().filter(|code| code.is_none()).count();
    let refused = codes.iter().flatten().filter(|(code, body)| {
        assert_eq!(body, "{\n\"error\": \"too many concurrent requests\",\n\"error_code\": 9\n}");
        *code == 9
    });
    let refused = refused.count();
    assert_eq!(created + refused, 20, "{codes:?}");
    (created, refused)
}

#[test]
fn fifteen_or_more_requests_at_once_are_error_9() {
    let options = ServerOptions { delay_ms: 1000, ..ServerOptions::default() };
    let server = Server::start_with("127.0.0.1:0", Simulator::new(Config::default()), Clock::manual(0), options)
        .expect("server");
    let addr = server.addr();
    // Exactly: while the simulator is held, the twenty requests are all taken and counted (1 to
    // 20 in the order they came); then the first fourteen are answered and the other six, each
    // of which came with fourteen or more others in flight, refused.
    let held = server.simulator();
    let requests = twenty_at_once(addr, 0);
    let waited = Instant::now();
    while server.in_flight() < 20 {
        assert!(waited.elapsed() < Duration::from_secs(10), "in flight: {}", server.in_flight());
        thread::sleep(Duration::from_millis(5));
    }
    drop(held);
    assert_eq!(tally(requests), (14, 6));
    assert_eq!(server.in_flight(), 0);
    // Observed: with the delay, twenty requests sent at once overlap, and those that come while
    // fourteen are in flight are refused. (How many depends on when each arrives; never more
    // than six, as the first fourteen to come are answered.)
    let (created, refused) = tally(twenty_at_once(addr, 100));
    assert!(created >= 14 && refused >= 1, "{created} answered, {refused} refused");
    // Alone again, a request is answered.
    let answer = Conn::open(addr).post("/sys/phones.php", &format!("add=1&phone=380509999999&fmt=3&{AUTH}"));
    assert_eq!(api_code(&answer.body, Fmt::Json), None, "{}", answer.text());
    assert_eq!(server.simulator().generation(), 14 + created as u64 + 1);
}

fn incoming(input: &str, peer: IpAddr, in_flight: u16, now_ms: u64) -> Incoming<'_> {
    Incoming { path: "/sys/phones.php", method: Method::Get, input: input.as_bytes(), now_ms, peer, in_flight }
}

const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

#[test]
fn the_concurrency_limit_is_exact_and_can_be_switched_off() {
    let query = format!("get_group=1&fmt=1&{AUTH}");
    let mut sim = Simulator::new(Config::default());
    let answer = |sim: &mut Simulator, in_flight, now_ms| {
        String::from_utf8_lossy(&sim.answer(&incoming(&query, LOCAL, in_flight, now_ms)).body).into_owned()
    };
    // The rate limit on identical requests is out of the way: a minute between them.
    assert_eq!(answer(&mut sim, 14, 0), "0,-3", "fourteen in flight: answered (an empty list)");
    assert_eq!(answer(&mut sim, 15, 60_000), "0,-9", "fifteen: refused");
    assert_eq!(answer(&mut sim, 0, 120_000), "0,-3", "0 counts as this request alone");
    let mut sim = Simulator::new(Config { max_concurrent: 0, ..Config::default() });
    assert_eq!(answer(&mut sim, 100, 0), "0,-3", "max_concurrent 0: no limit");
    let mut sim = Simulator::new(Config { rate_limit: false, ..Config::default() });
    assert_eq!(answer(&mut sim, 100, 0), "0,-3", "rate_limit off: no error 9 at all");
    // Wrong credentials are error 2 before the limit is looked at.
    let wrong = "get_group=1&fmt=1&login=test&psw=wrong";
    let mut sim = Simulator::new(Config::default());
    assert_eq!(sim.answer(&incoming(wrong, LOCAL, 100, 0)).body, b"0,-2");
}

#[test]
fn ten_failed_logins_block_the_ip_for_ten_minutes() {
    let server = Server::start("127.0.0.1:0", Simulator::new(Config::default()), Clock::manual(0)).expect("server");
    let mut conn = Conn::open(server.addr());
    let list = |fmt: u8, psw: &str| format!("/sys/phones.php?get_group=1&fmt={fmt}&login=test&psw={psw}");
    for attempt in 0..10 {
        server.clock().advance(5_000);
        assert_eq!(conn.get(&list(1, "wrong")).body, b"0,-2", "failure {attempt}");
    }
    // Ten failures within 60 s from 127.0.0.1: now even the right password is error 4.
    let blocked = conn.get(&list(3, "test-password"));
    assert_eq!(blocked.text(), "{\n\"error\": \"IP address temporarily blocked\",\n\"error_code\": 4\n}");
    let code = decode::created(&blocked.body, Fmt::Json).err().and_then(|e| e.api().map(|a| a.code));
    assert_eq!(code, Some(ErrorCode::IpBlocked));
    assert_eq!(conn.get(&list(0, "test-password")).text(), "ERROR = 4 (IP address temporarily blocked)");
    // Another address is not blocked (sans-IO: the socket's address is always 127.0.0.1 here).
    let other = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7));
    let query = format!("get_group=1&fmt=1&{AUTH}");
    let now = server.clock().now_ms();
    assert_eq!(server.simulator().answer(&incoming(&query, other, 1, now)).body, b"0,-3");
    // Ten minutes after the block began, the address is let in again.
    server.clock().advance(600_000 - 1);
    assert_eq!(conn.get(&list(1, "test-password")).body, b"0,-4", "a millisecond early");
    server.clock().advance(1);
    assert_eq!(conn.get(&list(1, "test-password")).body, b"0,-3");
    // Failures spread over more than the window do not block.
    let mut sim = Simulator::new(Config::default());
    let wrong = "get_group=1&fmt=1&login=test&psw=wrong";
    for i in 0..30 {
        assert_eq!(sim.answer(&incoming(wrong, LOCAL, 1, i * 6_700)).body, b"0,-2", "failure {i}");
    }
    // Nor when blocking is off.
    let mut sim = Simulator::new(Config { block_after_failures: 0, ..Config::default() });
    for i in 0..30 {
        assert_eq!(sim.answer(&incoming(wrong, LOCAL, 1, i)).body, b"0,-2");
    }
}

#[test]
fn chunked_bodies_head_garbage_and_oversized_bodies() {
    let server = Server::start("127.0.0.1:0", Simulator::new(Config::default()), Clock::manual(0)).expect("server");
    let addr = server.addr();

    // A chunked body, with the credentials in the URL, then a second request on the connection.
    let mut conn = Conn::open(addr);
    let form = "add_group=1&fmt=1&name=chunked";
    let (a, b) = form.split_at(11);
    conn.send(
        format!(
            "POST /sys/phones.php?{AUTH} HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
            a.len(),
            b.len()
        )
        .as_bytes(),
    );
    assert_eq!(conn.answer(false).text(), "5922");
    // Each list differs (`t`): the fourth identical one within a minute would be error 9.
    let groups = |t: u8| format!("/sys/phones.php?get_group=1&fmt=1&{AUTH}&t={t}");
    assert_eq!(conn.get(&groups(1)).text(), "5922,Chunked,,0\n");

    // HEAD: the GET's status and length, no body (the next answer starts right after the head).
    conn.send(format!("HEAD {} HTTP/1.1\r\nHost: t\r\n\r\n", groups(2)).as_bytes());
    let head = conn.answer(true);
    assert_eq!((head.status, head.header("content-length")), (200, Some("16")), "{}", head.head);
    assert_eq!(conn.get("/sys/phones.php?get_group=1&fmt=1").text(), "0,-2");

    // `Expect: 100-continue`: the interim answer, then the answer.
    let body = format!("get_group=1&fmt=1&{AUTH}&x=1");
    conn.send(
        format!(
            "POST /sys/phones.php HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    conn.send(body.as_bytes());
    assert_eq!(conn.answer(false).status, 100);
    assert_eq!(conn.answer(false).text(), "5922,Chunked,,0\n");

    // A chunked body over 1 MiB: 413, and the connection is still in step afterwards.
    let chunk = "a".repeat(64 * 1024);
    conn.send(b"POST /sys/phones.php HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
    for _ in 0..20 {
        conn.send(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes());
    }
    conn.send(b"0\r\n\r\n");
    assert_eq!(conn.answer(false).status, 413);
    assert_eq!(conn.get(&groups(3)).text(), "5922,Chunked,,0\n");

    // A declared body over 1 MiB: 413 without reading it.
    let mut conn = Conn::open(addr);
    conn.send(b"POST /sys/phones.php HTTP/1.1\r\nHost: t\r\nContent-Length: 1048577\r\nConnection: close\r\n\r\n");
    assert_eq!(conn.answer(false).status, 413);
    drop(conn);
    // A declared terabyte: 413 too, and the server lives on (see also the test below).
    let mut conn = Conn::open(addr);
    conn.send(b"POST /sys/phones.php HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000000000\r\n\r\nabc");
    assert_eq!(conn.answer(true).status, 413);
    drop(conn);
    assert_eq!(Conn::open(addr).get(&groups(4)).text(), "5922,Chunked,,0\n");

    // Broken chunked encoding: 400.
    let mut conn = Conn::open(addr);
    conn.send(
        b"POST /sys/phones.php HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n",
    );
    assert_eq!(conn.answer(false).status, 400);
    // A request line that is not one: 400, and the connection is closed.
    let mut conn = Conn::open(addr);
    conn.send(b"garbage\r\n\r\n");
    assert!(conn.rest().starts_with("HTTP/1.1 400"));
    // A header without a colon: 400.
    let mut conn = Conn::open(addr);
    conn.send(b"GET /sys/phones.php HTTP/1.1\r\nno colon here\r\n\r\n");
    assert!(conn.rest().starts_with("HTTP/1.1 400"));
    // A head over 64 KiB: 431, and the connection is closed; just under it is answered.
    let mut conn = Conn::open(addr);
    conn.send(format!("GET {} HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\n\r\n", groups(5), "a".repeat(70_000)).as_bytes());
    assert!(conn.rest().starts_with("HTTP/1.1 431"));
    let mut conn = Conn::open(addr);
    conn.send(format!("GET {} HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\n\r\n", groups(6), "a".repeat(60_000)).as_bytes());
    assert_eq!(conn.answer(false).text(), "5922,Chunked,,0\n");
    // A client that shuts down its sending side after its request is answered; a body cut
    // short by it is 400.
    let mut conn = Conn::open(addr);
    conn.send(format!("GET {} HTTP/1.1\r\nHost: t\r\n\r\n", groups(7)).as_bytes());
    conn.reader.get_ref().shutdown(std::net::Shutdown::Write).expect("shutdown");
    assert_eq!(conn.answer(false).text(), "5922,Chunked,,0\n");
    let mut conn = Conn::open(addr);
    conn.send(b"POST /sys/phones.php HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
    conn.reader.get_ref().shutdown(std::net::Shutdown::Write).expect("shutdown");
    assert_eq!(conn.answer(false).status, 400);
    // Other methods: 405 with `Allow`.
    let mut conn = Conn::open(addr);
    conn.send(b"DELETE /sys/phones.php HTTP/1.1\r\nHost: t\r\n\r\n");
    let refused = conn.answer(false);
    assert_eq!((refused.status, refused.header("allow")), (405, Some("GET, HEAD, POST")));
}

/// A directory under the system's temporary one, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("smsc-serve-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        Self(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn phones_listed(sim: &mut Simulator) -> String {
    let query = format!("get=1&fmt=1&{AUTH}");
    String::from_utf8_lossy(&sim.handle("/sys/phones.php", Method::Get, query.as_bytes(), 0).body).into_owned()
}

#[test]
fn the_data_file_seeds_the_account_and_keeps_what_changed() {
    let dir = TempDir::new("data");
    let path = dir.path("account.json");
    let seed = r#"{
  "groups": [{"id": 10, "name": "Клієнти", "number": 100}],
  "contacts": {"phones": [{"int_id": 7, "phone": "380501112233", "name": "Олена", "group": [10]}]},
  "blacklist": {"mails": [{"email": "spam@example.com", "comment": "no"}]}
}"#;
    std::fs::write(&path, seed).expect("seed");
    let simulator = Simulator::load(Config::default(), &path).expect("the seed loads");
    let options = ServerOptions { data: Some(path.clone()), delay_ms: 0 };
    let server = Server::start_with("127.0.0.1:0", simulator, Clock::manual(0), options).expect("server");
    let mut conn = Conn::open(server.addr());
    let listed = conn.get(&format!("/sys/phones.php?get=1&fmt=1&{AUTH}")).text();
    assert_eq!(listed, "380501112233,Олена,10,,,,,,,,\n");
    assert_eq!(conn.get(&format!("/sys/mails.php?get_black=1&fmt=1&{AUTH}")).text(), "301,spam@example.com,0,no\n");
    let added = conn.post("/sys/phones.php", &format!("add=1&fmt=1&phone=380501112234&name=Ivan&grp=10&{AUTH}"));
    assert_eq!(added.text(), "123456", "a new account's first id: larger than the seed's");
    server.save().expect("saved");
    let mut reloaded = Simulator::load(Config::default(), &path).expect("reloads");
    assert_eq!(phones_listed(&mut reloaded), "380501112233,Олена,10,,,,,,,,\n380501112234,Ivan,10,,,,,,,,\n");
    let saved = std::fs::read_to_string(&path).expect("the file");
    assert!(saved.contains("\"next_ids\": {\n    \"contact\": 123457,"), "{saved}");

    // Without `save`: written within about a second of the change.
    let deleted = conn.post("/sys/phones.php", &format!("del=1&fmt=1&phone=380501112233&{AUTH}"));
    assert_eq!(deleted.text(), "OK");
    let waited = Instant::now();
    while std::fs::read_to_string(&path).expect("the file").contains("Олена") {
        assert!(waited.elapsed() < Duration::from_secs(5), "not saved after {:?}", waited.elapsed());
        thread::sleep(Duration::from_millis(50));
    }
    // And on drop, a last time; no temporary file is left behind.
    assert_eq!(conn.post("/sys/phones.php", &format!("add=1&fmt=1&phone=1&{AUTH}")).text(), "123457");
    drop(conn);
    drop(server);
    let mut reloaded = Simulator::load(Config::default(), &path).expect("reloads");
    assert_eq!(phones_listed(&mut reloaded), "380501112234,Ivan,10,,,,,,,,\n1,,0,,,,,,,,\n");
    let files: Vec<_> = std::fs::read_dir(&dir.0).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(files, ["account.json"]);

    // A missing file is an empty account.
    let mut empty = Simulator::load(Config::default(), dir.path("missing.json")).expect("no file");
    assert_eq!(phones_listed(&mut empty), "0,-3");
}

#[test]
fn a_malformed_data_file_is_an_error_naming_the_file_and_the_place() {
    let dir = TempDir::new("malformed");
    let path = dir.path("broken.json");
    std::fs::write(&path, "{\n  \"contacts\": {\"phones\": [\n    {\"phone\": 380501112233}\n  ]}\n}\n")
        .expect("write");
    let err = Simulator::load(Config::default(), &path).expect_err("a number where text belongs");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    let message = err.to_string();
    assert!(message.starts_with(&path.display().to_string()), "{message}");
    assert!(message.contains("line 3 column"), "{message}");
    std::fs::write(&path, r#"{"contacts": {"phones": [{"phone": "1"}, {"phone": "+1"}]}}"#).expect("write");
    let message = Simulator::load(Config::default(), &path).expect_err("one number, two contacts").to_string();
    assert!(message.contains("`1` belongs to two contacts"), "{message}");
    // A directory where the file should be: the error names it too.
    let message = Simulator::load(Config::default(), &dir.0).expect_err("a directory").to_string();
    assert!(message.contains(&dir.0.display().to_string()), "{message}");
}

#[test]
fn fifty_thousand_contacts_round_trip_through_the_data_file() {
    const CONTACTS: usize = 50_000;
    let dir = TempDir::new("fifty-thousand");
    let seed = dir.path("seed.json");
    let mut json = String::from("{\"groups\": [{\"id\": 1, \"name\": \"Усі\"}], \"contacts\": {\"phones\": [\n");
    for n in 0..CONTACTS {
        let comma = if n + 1 < CONTACTS { "," } else { "" };
        json.push_str(&format!(
            "{{\"phone\": \"38050{n:07}\", \"name\": \"Контакт \\\"{n}\\\", №{n}\", \"group\": [1], \"comments\": \"a,b\\nc\"}}{comma}\n"
        ));
    }
    json.push_str("]}}\n");
    std::fs::write(&seed, json).expect("seed");

    let started = Instant::now();
    let mut sim = Simulator::load(Config { rate_limit: false, ..Config::default() }, &seed).expect("loads");
    let loaded = started.elapsed();
    let saved_path = dir.path("saved.json");
    let started = Instant::now();
    sim.save(&saved_path).expect("saves");
    let saved = started.elapsed();
    eprintln!("50,000 contacts: loaded in {loaded:?}, saved in {saved:?}");

    let again = Simulator::load(Config::default(), &saved_path).expect("reloads");
    let resaved = dir.path("resaved.json");
    again.save(&resaved).expect("saves again");
    let first = std::fs::read(&saved_path).expect("saved");
    assert!(first == std::fs::read(&resaved).expect("resaved"), "a second round trip changes nothing");

    // The last contact, as the server lists it.
    let query = format!("get=1&fmt=1&phone=380500049999&{AUTH}");
    let body = sim.handle("/sys/phones.php", Method::Get, query.as_bytes(), 0).body;
    assert_eq!(String::from_utf8_lossy(&body), "380500049999,Контакт \"49999\", №49999,1,,,,,,a,b\nc,,\n");
    let query = format!("get=1&fmt=3&cnt=1000&after_id=173454&{AUTH}");
    let body = sim.handle("/sys/phones.php", Method::Get, query.as_bytes(), 0).body;
    assert_eq!(decode::contacts(&body, Fmt::Json, Endpoint::Phones).expect("a page").count(), 1);
    assert!(saved < Duration::from_secs(5), "saving took {saved:?}");
}

#[test]
fn bursts_of_new_keep_alive_connections_are_all_answered() {
    // A connection pool can lose a wake-up in a burst of new connections (the server's former
    // HTTP library did). Each round: 40 connections opened at once, each sending a request and
    // staying open (so no connection's end frees anything), all answered soon.
    // Forty at once are over the limit of concurrent requests: the limit is off here.
    let config = Config { max_concurrent: 0, ..Config::default() };
    let server = Server::start("127.0.0.1:0", Simulator::new(config), Clock::manual(0)).expect("server");
    let addr = server.addr();
    let mut open = Vec::new();
    for round in 0..5 {
        let ready = Arc::new(Barrier::new(40));
        let clients: Vec<_> = (0..40)
            .map(|n| {
                let ready = Arc::clone(&ready);
                thread::spawn(move || {
                    ready.wait();
                    let started = Instant::now();
                    let mut conn = Conn::open(addr);
                    let answer = conn.get(&format!("/sys/phones.php?get_group=1&fmt=1&{AUTH}&round={round}&n={n}"));
                    assert_eq!(answer.text(), "0,-3");
                    (started.elapsed(), conn)
                })
            })
            .collect();
        for client in clients {
            let (took, conn) = client.join().expect("a client");
            assert!(took < Duration::from_secs(3), "round {round}: answered after {took:?}");
            open.push(conn);
        }
    }
}

#[test]
fn a_declared_terabyte_body_is_413_and_the_server_serves_on() {
    let server = Server::start("127.0.0.1:0", Simulator::new(Config::default()), Clock::manual(0)).expect("server");
    let addr = server.addr();
    let groups = |t: u32| format!("/sys/phones.php?get_group=1&fmt=1&{AUTH}&t={t}");
    // A keep-alive connection, open throughout.
    let mut kept = Conn::open(addr);
    assert_eq!(kept.get(&groups(0)).text(), "0,-3");
    // Ten at once, each declaring a terabyte and sending a little of it: each is answered 413
    // at once and its connection closed (the body is never read; a process that allocated the
    // declared size would abort). With `Expect: 100-continue`, no interim answer comes first.
    let terabytes: Vec<_> = (0..10)
        .map(|n| {
            thread::spawn(move || {
                let mut conn = Conn::open(addr);
                let expect = if n % 2 == 0 { "Expect: 100-continue\r\n" } else { "" };
                conn.send(
                    format!(
                        "POST /sys/phones.php HTTP/1.1\r\nHost: t\r\n{expect}Content-Length: 1000000000000\r\n\r\nadd=1&phone=1"
                    )
                    .as_bytes(),
                );
                let refused = conn.answer(false);
                assert_eq!(refused.status, 413, "{}", refused.head);
                assert_eq!(refused.header("connection"), Some("close"), "{}", refused.head);
                assert_eq!(refused.text(), "the request body is over 1 MiB\n");
                assert_eq!(conn.rest(), "", "closed after the answer");
            })
        })
        .collect();
    for terabyte in terabytes {
        terabyte.join().expect("a terabyte");
    }
    // The server serves on: the kept connection, a new one, and nothing is left in flight.
    assert_eq!(kept.get(&groups(1)).text(), "0,-3");
    assert_eq!(Conn::open(addr).get(&groups(2)).text(), "0,-3");
    assert_eq!(server.in_flight(), 0);
    assert_eq!(server.simulator().generation(), 0, "nothing was added");
}

/// A client that declares a body and sends less of it is answered 408 after ten seconds and
/// stops counting as in flight: fifteen such clients cannot hold the account at error 9.
#[test]
fn a_body_that_never_arrives_is_408_and_leaves_the_in_flight_count() {
    let server = Server::start("127.0.0.1:0", Simulator::new(Config::default()), Clock::manual(0)).expect("server");
    let addr = server.addr();
    let stalled: Vec<Conn> = (0..15)
        .map(|_| {
            let mut conn = Conn::open(addr);
            conn.send(b"POST /sys/phones.php HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nadd=1");
            conn
        })
        .collect();
    let started = Instant::now();
    while server.in_flight() < 15 {
        assert!(started.elapsed() < Duration::from_secs(5), "the stalled requests never counted");
        thread::sleep(Duration::from_millis(5));
    }
    for mut conn in stalled {
        let answer = conn.answer(false);
        assert_eq!(answer.status, 408, "{}", answer.head);
        assert_eq!(answer.header("connection"), Some("close"), "{}", answer.head);
    }
    assert!(started.elapsed() >= Duration::from_secs(9), "answered before the body's time was up");
    assert_eq!(server.in_flight(), 0);
    let groups = format!("/sys/phones.php?get_group=1&fmt=1&{AUTH}");
    assert_eq!(Conn::open(addr).get(&groups).text(), "0,-3");
}
