//! End to end: the simulator (`smsc_codec_cli::sim`) served on 127.0.0.1 at an OS-assigned
//! port, a real HTTP client (ureq), and the codec building every request and decoding every
//! answer. Every command in every fmt on both endpoints, GET and POST; paging over 2,500
//! contacts; the rate guard keeping a burst under the limit. The simulator's clock is manual,
//! so the rate limit is deterministic.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use smsc_codec::client::{fingerprint, Admission, BlacklistPager, ContactsPager, RateGuard, Retry, RetryPolicy};
use smsc_codec::{
    decode, AddBlacklistEntry, AddContact, AddGroup, Auth, BlockType, ChangeContact, ChangeGroup, Command,
    DeleteBlacklistEntry, DeleteContact, DeleteGroup, Endpoint, Error, ErrorCode, Fmt, GetBlacklist, GetContacts,
    GetGroups, Limits, ListKind, MoveGroup, MoveMode, Request, ResponseKind, FORM_CONTENT_TYPE,
};
use smsc_codec_cli::sim::http::{Clock, Server};
use smsc_codec_cli::sim::{md5_hex, Config, Method, OkStyle, Simulator};
use smsc_codec_tests::drive::{self, End};
use smsc_codec_tests::owned::{get, Fields};

const FMTS: [Fmt; 4] = [Fmt::KeyValue, Fmt::Csv, Fmt::Xml, Fmt::Json];

fn start(config: Config) -> Server {
    Server::start("127.0.0.1:0", Simulator::new(config), Clock::manual(0)).expect("loopback server")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// A client of one server: credentials, transport and the GET/POST choice.
struct Client {
    agent: ureq::Agent,
    base: String,
    login: String,
    psw: String,
    post: bool,
    fmt: Fmt,
}

impl Client {
    fn new(server: &Server) -> Self {
        let config = Config::default();
        Self {
            agent: agent(),
            base: server.url(),
            login: config.login,
            psw: config.password,
            post: false,
            fmt: Fmt::Json,
        }
    }

    /// Sends a command; returns (status, content type, body).
    fn raw<C: Command + Copy>(&self, command: C) -> (u16, String, Vec<u8>) {
        let request = Request::new(Auth::password(&self.login, &self.psw), command).fmt(self.fmt);
        let query = request.to_query_string().expect("a valid request");
        self.raw_query(request.path(), &query, self.post)
    }

    fn raw_query(&self, path: &str, query: &str, post: bool) -> (u16, String, Vec<u8>) {
        let url = format!("{}{path}", self.base);
        let response = match post {
            true => self.agent.post(&url).header("Content-Type", FORM_CONTENT_TYPE).send(query),
            false => self.agent.get(&format!("{url}?{query}")).call(),
        };
        let mut response = response.expect("HTTP exchange");
        let status = response.status().as_u16();
        let content_type =
            response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let body = response.body_mut().read_to_vec().expect("body");
        (status, content_type, body)
    }

    fn body<C: Command + Copy>(&self, command: C) -> Vec<u8> {
        let (status, content_type, body) = self.raw(command);
        assert_eq!(status, 200, "API answers are HTTP 200");
        let expected = if self.fmt == Fmt::Json { "application/json" } else { "text/" };
        assert!(content_type.starts_with(expected), "{content_type} for fmt {}", self.fmt.wire());
        body
    }

    fn created<C: Command + Copy>(&self, command: C) -> String {
        let body = self.body(command);
        match decode::created(&body, self.fmt) {
            Ok(created) => created.id.to_string(),
            Err(err) => panic!("fmt {}: expected an id, got {err:?} in {}", self.fmt.wire(), show(&body)),
        }
    }

    fn ok<C: Command + Copy>(&self, command: C) {
        let body = self.body(command);
        if let Err(err) = decode::done(&body, self.fmt) {
            panic!("fmt {}: expected OK, got {err:?} in {}", self.fmt.wire(), show(&body));
        }
    }

    /// The API error code of an answer that must be one.
    fn error<C: Command + Copy>(&self, command: C) -> u16 {
        let body = self.body(command);
        match decode::response(command.kind().response(), &body, self.fmt, command.endpoint(), Limits::DEFAULT) {
            Err(Error::Api(api)) => api.code.wire(),
            other => {
                panic!("fmt {}: expected an API error, got {:?} in {}", self.fmt.wire(), other.is_ok(), show(&body))
            }
        }
    }

    fn list<C: Command + Copy>(&self, command: C) -> Vec<Fields> {
        let body = self.body(command);
        let ResponseKind::List(kind) = command.kind().response() else { panic!("not a list command") };
        let decoded = drive::whole_kind(kind, &body, self.fmt, command.endpoint(), Limits::default());
        assert_eq!(decoded.end, End::Done, "fmt {}: {}", self.fmt.wire(), show(&body));
        decoded.records
    }
}

fn show(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

fn value<'f>(record: &'f Fields, name: &str) -> &'f str {
    get(record, name).unwrap_or_else(|| panic!("no `{name}` in {record:?}"))
}

/// Every command, on one endpoint, in one fmt, by GET or POST: what it answers and what it
/// does to the data.
fn walk(endpoint: Endpoint, fmt: Fmt, post: bool) {
    let server = start(Config::default());
    let mut c = Client::new(&server);
    c.fmt = fmt;
    c.post = post;
    let mails = endpoint == Endpoint::Mails;
    let (addr, other) = if mails { ("mail", "mail_other") } else { ("phone", "phone_other") };
    let first = if mails { "ivan.petrenko@example.com" } else { "+380501234567" };
    let first_stored = if mails { "ivan.petrenko@example.com" } else { "380501234567" };
    let second = if mails { "olena@example.ua" } else { "380671234567" };
    let renamed = if mails { "ivan@example.com" } else { "380509999999" };
    let contact = |phone| match endpoint {
        Endpoint::Phones => AddContact::phone(phone),
        Endpoint::Mails => AddContact::mail(phone),
    };
    let what = format!("{endpoint:?} fmt {} {}", fmt.wire(), if post { "POST" } else { "GET" });

    // Groups: create, a duplicate num (5), list (capitalised), change.
    let clients = c.created(AddGroup::new(endpoint, "клієнти").number("100"));
    let partners = c.created(AddGroup::new(endpoint, "Партнери & <друзі>").number("101"));
    assert_eq!(c.error(AddGroup::new(endpoint, "ще").number("100")), 5, "{what}");
    // A name of only a space (which the codec refuses to build) is error 5 on the server.
    let query = format!("add_group=1&login=test&psw=test-password&fmt={}&name=+", fmt.wire());
    let (_, _, body) = c.raw_query(endpoint.path(), &query, post);
    let code = decode::created(&body, fmt).err().and_then(|e| e.api().map(|a| a.code.wire()));
    assert_eq!(code, Some(5), "{what}: a name of only a space");
    let groups = c.list(GetGroups::new(endpoint));
    assert_eq!(groups.len(), 2, "{what}");
    assert_eq!(value(&groups[0], "id"), clients);
    assert_eq!(value(&groups[0], "name"), "Клієнти", "{what}");
    assert_eq!(value(&groups[0], "number"), "100");
    assert_eq!(value(&groups[1], "name"), "Партнери & <друзі>");
    c.ok(ChangeGroup::new(endpoint, &partners, "партнери").number("102"));
    assert_eq!(c.error(ChangeGroup::new(endpoint, &partners, "x").number("100")), 5, "{what}");
    assert_eq!(c.error(ChangeGroup::new(endpoint, "999999", "x")), 3, "{what}");

    // Contacts: create with Cyrillic text, list (every field), change.
    let id = c.created(contact(first).name("Іван \"Ваня\"").groups(&clients).my_id("1001").birthday("15.03.1985"));
    let other_value = if mails { "o@work.example.com" } else { "+380931234567" };
    c.created(contact(second).name("Олена").last_name("Коваленко").other_phones(other_value));
    assert_eq!(c.error(contact(first)), 5, "{what}: the same number again");
    let list = c.list(GetContacts::new(endpoint));
    assert_eq!(list.len(), 2, "{what}");
    assert_eq!(value(&list[0], addr), first_stored, "{what}: a leading + is stripped");
    assert_eq!(value(&list[0], "name"), "Іван \"Ваня\"");
    assert_eq!(value(&list[0], "group"), clients);
    assert_eq!(value(&list[0], "id"), "1001", "{what}: `id` is myid");
    assert_eq!(value(&list[0], "birthday"), "15.03.1985");
    assert_eq!(value(&list[1], "group"), "0", "{what}: no group");
    assert_eq!(value(&list[1], other), other_value, "{what}: kept as sent");
    assert_ne!(id, "1001");
    let change = match endpoint {
        Endpoint::Phones => ChangeContact::phone(first_stored).new_phones(renamed),
        Endpoint::Mails => ChangeContact::mail(first_stored).new_phones(renamed),
    };
    c.ok(change.comment("передзвонити").tags("vip"));
    let one = c.list(GetContacts::new(endpoint).phone(renamed));
    assert_eq!(one.len(), 1, "{what}");
    assert_eq!((value(&one[0], "comments"), value(&one[0], "tags")), ("передзвонити", "vip"));

    // move_group 1 (replace), 2 (add), 3 (remove), and the grp filter.
    let moved = |mode| match endpoint {
        Endpoint::Phones => MoveGroup::phone(mode, &partners, second),
        Endpoint::Mails => MoveGroup::mail(mode, &partners, second),
    };
    c.ok(moved(MoveMode::Replace));
    assert_eq!(value(&c.list(GetContacts::new(endpoint).phone(second))[0], "group"), partners);
    let add_clients = match endpoint {
        Endpoint::Phones => MoveGroup::phone(MoveMode::Add, &clients, second),
        Endpoint::Mails => MoveGroup::mail(MoveMode::Add, &clients, second),
    };
    c.ok(add_clients);
    if fmt != Fmt::Csv {
        // Several groups in one value; fmt=1 cannot carry them unambiguously (see the report).
        let groups = c.list(GetContacts::new(endpoint).phone(second));
        assert_eq!(value(&groups[0], "group"), format!("{partners},{clients}"), "{what}");
    }
    c.ok(moved(MoveMode::Remove));
    assert_eq!(value(&c.list(GetContacts::new(endpoint).phone(second))[0], "group"), clients);
    assert_eq!(c.list(GetContacts::new(endpoint).groups(&clients)).len(), 2, "{what}");
    assert_eq!(c.error(GetContacts::new(endpoint).groups(&partners)), 3, "{what}: an empty list is error 3");
    let groups = c.list(GetGroups::new(endpoint));
    assert_eq!((value(&groups[0], "cnt"), value(&groups[1], "cnt")), ("2", "0"), "{what}");

    // The blacklist: types, newest first, delete.
    let black = |phone| match endpoint {
        Endpoint::Phones => AddBlacklistEntry::phone(phone),
        Endpoint::Mails => AddBlacklistEntry::mail(phone),
    };
    let b1 = c.created(black(first).block_type(BlockType::Mass).comment("Скарга & <спам>"));
    let b2 = c.created(black(second));
    let records = c.list(GetBlacklist::new(endpoint));
    assert_eq!(records.len(), 2, "{what}");
    assert_eq!(value(&records[0], "id"), b2, "{what}: newest first");
    assert_eq!(value(&records[1], "id"), b1);
    assert_eq!(value(&records[1], if mails { "email" } else { "phone" }), first_stored);
    assert_eq!(value(&records[1], "type"), "1");
    assert_eq!(value(&records[1], "comment"), "Скарга & <спам>");
    assert_eq!(value(&records[0], "type"), "0");
    let del_black = match endpoint {
        Endpoint::Phones => DeleteBlacklistEntry::phone(second),
        Endpoint::Mails => DeleteBlacklistEntry::mail(second),
    };
    c.ok(del_black);
    assert_eq!(c.error(del_black), 3, "{what}");
    assert_eq!(c.list(GetBlacklist::new(endpoint)).len(), 1);

    // Deletions, then the empty lists.
    let del = |phone| match endpoint {
        Endpoint::Phones => DeleteContact::phone(phone),
        Endpoint::Mails => DeleteContact::mail(phone),
    };
    c.ok(del(renamed));
    c.ok(del(second));
    assert_eq!(c.error(del(second)), 3, "{what}");
    assert_eq!(c.error(GetContacts::new(endpoint)), 3, "{what}");
    c.ok(DeleteGroup::new(endpoint, &clients));
    c.ok(DeleteGroup::new(endpoint, &partners));
    assert_eq!(c.error(DeleteGroup::new(endpoint, &partners)), 3, "{what}");
    assert_eq!(c.error(GetGroups::new(endpoint)), 3, "{what}");

    // Wrong credentials (2) and parameters the server refuses (1).
    let wrong = Client { psw: "wrong".to_owned(), ..Client::new(&server) };
    let wrong = Client { fmt, post, ..wrong };
    assert_eq!(wrong.error(GetGroups::new(endpoint)), 2, "{what}");
    let path = endpoint.path();
    let query = format!("get=1&login=test&psw=test-password&fmt={}&cnt=5000", fmt.wire());
    let (_, _, body) = c.raw_query(path, &query, post);
    let code = decode::contacts(&body, fmt, endpoint).err().and_then(|e| e.api().map(|a| a.code.wire()));
    assert_eq!(code, Some(1), "{what}: cnt over 1000 is error 1");
    let query = format!("login=test&psw=test-password&fmt={}", fmt.wire());
    let (_, _, body) = c.raw_query(path, &query, post);
    assert!(matches!(decode::done(&body, fmt), Err(Error::Api(api)) if api.code == ErrorCode::Parameters), "{what}");
}

#[test]
fn every_command_in_every_fmt_on_both_endpoints_by_get_and_post() {
    for endpoint in [Endpoint::Phones, Endpoint::Mails] {
        for fmt in FMTS {
            for post in [false, true] {
                walk(endpoint, fmt, post);
            }
        }
    }
}

#[test]
fn fmt3_ok_is_bare_by_default_and_documented_when_asked() {
    let server = start(Config::default());
    let c = Client::new(&server);
    let id = c.created(AddGroup::new(Endpoint::Phones, "a"));
    assert_eq!(c.body(ChangeGroup::new(Endpoint::Phones, &id, "b")), b"OK");
    server.simulator().set_ok_style(OkStyle::Documented);
    assert_eq!(c.body(ChangeGroup::new(Endpoint::Phones, &id, "c")), b"{\n\"result\": \"OK\"\n}");
    let (_, content_type, _) = c.raw(ChangeGroup::new(Endpoint::Phones, &id, "d"));
    assert_eq!(content_type, "application/json");
}

/// Values that every fmt must carry: quotes, `&`, `<`, Cyrillic, emoji, an empty field (no
/// commas: a fmt=1 line with commas in free text is ambiguous by design).
#[test]
fn lists_decode_to_the_same_records_in_all_four_fmts() {
    let server = start(Config::default());
    let c = Client::new(&server);
    let group = c.created(AddGroup::new(Endpoint::Phones, "Група \"Київ\" <центр>").number("7"));
    c.created(AddGroup::new(Endpoint::Phones, "без номера"));
    let names = ["ТОВ \"Ромашка\"", "Знижка 5% & <доставка>", "emoji 😀 ok", "Ї ї Є є Ґ ґ"];
    for (i, name) in names.iter().enumerate() {
        let phone = format!("+38050000000{i}");
        let myid = format!("{}", 500 + i);
        c.created(AddContact::phone(&phone).name(name).groups(&group).comment(name).my_id(&myid).tags("a;b"));
        c.created(AddBlacklistEntry::phone(&phone).comment(name).block_type(BlockType::Single));
    }
    let mut per_fmt = Vec::new();
    for fmt in FMTS {
        let c = Client { fmt, ..Client::new(&server) };
        let mut groups = c.list(GetGroups::new(Endpoint::Phones));
        // A group without a number: an empty field in fmt 0/1, no field in fmt 2/3 (PROTOCOL 5.3).
        for group in &mut groups {
            group.retain(|(name, value)| !(name == "number" && value.is_empty()));
        }
        per_fmt.push((c.list(GetContacts::new(Endpoint::Phones)), groups, c.list(GetBlacklist::new(Endpoint::Phones))));
    }
    for (fmt, lists) in FMTS.iter().zip(&per_fmt).skip(1) {
        assert_eq!(lists, &per_fmt[0], "fmt {} differs from fmt 0", fmt.wire());
    }
    let (contacts, groups, black) = &per_fmt[3];
    assert_eq!(contacts.len(), 4);
    assert_eq!(value(&contacts[2], "name"), "emoji 😀 ok");
    assert_eq!(groups.len(), 2);
    assert_eq!(get(&groups[1], "number"), None, "no number");
    assert_eq!(get(&per_fmt[0].1[0], "number"), Some("7"));
    assert_eq!(black.len(), 4);
}

#[test]
fn the_server_writes_the_real_json_layout_and_types() {
    let server = start(Config::default());
    let c = Client::new(&server);
    let group = c.created(AddGroup::new(Endpoint::Phones, "g").number("100"));
    c.created(AddContact::phone("79990000001").name("n").groups(&group));
    let body = show(&c.body(GetContacts::new(Endpoint::Phones)));
    assert!(body.starts_with("[{\n\"phone\": \"79990000001\",\n\"name\": \"n\",\n\"group\": \"5922\",\n"), "{body}");
    assert!(body.ends_with("\"int_id\": \"123456\"\n}]"), "{body}");
    let body = show(&c.body(GetGroups::new(Endpoint::Phones)));
    assert_eq!(body, "[{\n\"id\": 5922,\n\"name\": \"G\",\n\"number\": 100,\n\"cnt\": \"1\"\n}]");
    let body = show(&c.body(GetContacts::new(Endpoint::Phones).groups("1")));
    assert_eq!(body, "{\n\"error\": \"record not found\",\n\"error_code\": 3\n}");
}

#[test]
fn paging_over_2500_contacts_in_pages_of_1000() {
    let server = start(Config { rate_limit: false, ..Config::default() });
    let c = Client { post: true, ..Client::new(&server) };
    for n in 0..2500u32 {
        let phone = format!("7900{n:07}");
        c.created(AddContact::phone(&phone).name("Контакт"));
    }
    for fmt in [Fmt::Json, Fmt::Xml, Fmt::KeyValue] {
        let c = Client { fmt, post: false, ..Client::new(&server) };
        let mut pager = ContactsPager::new(1000);
        let (mut pages, mut phones) = (Vec::new(), Vec::new());
        while let Some(request) = pager.next(GetContacts::new(Endpoint::Phones)) {
            let body = c.body(request);
            let contacts = decode::contacts(&body, fmt, Endpoint::Phones).expect("a page");
            let mut page = 0;
            for contact in contacts {
                let contact = contact.expect("a contact");
                pager.observe(&contact).expect("int_id");
                phones.push(contact.phone.expect("phone").to_string());
                page += 1;
            }
            pager.end_page();
            pages.push(page);
            assert!(pages.len() <= 4, "runaway paging");
        }
        assert_eq!(pages, [1000, 1000, 500], "fmt {}", fmt.wire());
        let expected: Vec<String> = (0..2500u32).map(|n| format!("7900{n:07}")).collect();
        assert_eq!(phones, expected, "fmt {}: every contact once, in order", fmt.wire());
    }
    // A full last page is followed by error 3, which ends the list too.
    let c = Client::new(&server);
    let mut pager = ContactsPager::new(500);
    let mut requests = 0;
    while let Some(request) = pager.next(GetContacts::new(Endpoint::Phones)) {
        requests += 1;
        let body = c.body(request);
        match decode::contacts(&body, Fmt::Json, Endpoint::Phones) {
            Ok(list) => {
                for contact in list {
                    pager.observe(&contact.expect("contact")).expect("int_id");
                }
                pager.end_page();
            }
            Err(Error::Api(api)) => assert!(pager.end_on(&api)),
            Err(err) => panic!("{err}"),
        }
    }
    assert_eq!(requests, 6);
}

#[test]
fn blacklist_pages_with_prev_id() {
    let server = start(Config::default());
    let c = Client::new(&server);
    for n in 0..25u32 {
        c.created(AddBlacklistEntry::phone(&format!("7911{n:07}")));
    }
    let mut pager = BlacklistPager::new(10);
    let mut ids = Vec::new();
    while let Some(request) = pager.next(GetBlacklist::new(Endpoint::Phones)) {
        let body = c.body(request);
        for record in decode::blacklist(&body, Fmt::Json, Endpoint::Phones).expect("a page") {
            let record = record.expect("record");
            pager.observe(&record).expect("id");
            ids.push(record.id.and_then(|id| id.to_u64()).expect("id"));
        }
        pager.end_page();
    }
    let expected: Vec<u64> = (301..326).rev().collect();
    assert_eq!(ids, expected);
}

#[test]
fn the_rate_guard_keeps_a_burst_under_the_limit() {
    let server = start(Config::default());
    let c = Client::new(&server);
    let clock = server.clock().clone();
    let group = c.created(AddGroup::new(Endpoint::Phones, "g"));
    c.created(AddContact::phone("79990000001").groups(&group));
    // A naive burst: the fourth identical request within a minute is error 9.
    let naive = GetGroups::new(Endpoint::Phones);
    assert_eq!(c.list(naive).len(), 1);
    assert_eq!(c.list(naive).len(), 1);
    assert_eq!(c.list(naive).len(), 1);
    assert_eq!(c.error(naive), 9);
    clock.advance(59_999);
    assert_eq!(c.error(naive), 9, "still within the minute");
    clock.advance(1);
    assert_eq!(c.list(naive).len(), 1, "a minute after the first");
    // The retry policy says how long to back off after error 9.
    let limited = smsc_codec::ApiError { code: ErrorCode::RateLimited, description: None };
    assert_eq!(RetryPolicy::DEFAULT.on_api_error(&limited, 0), Retry::After(60_000));

    // Guarded: 40 requests, 4 distinct queries repeated 10 times each, paced by the guard.
    let mut guard = RateGuard::<16>::new();
    let (mut refused, mut waits) = (0, 0);
    let commands = [
        GetContacts::new(Endpoint::Phones),
        GetContacts::new(Endpoint::Phones).count(1),
        GetContacts::new(Endpoint::Phones).groups(&group),
        GetContacts::new(Endpoint::Phones).phone("79990000001"),
    ];
    for round in 0..10 {
        for command in commands {
            let request = Request::new(Auth::password(&c.login, &c.psw), command);
            let query = request.to_query_string().expect("query");
            let print = fingerprint(request.path(), query.as_bytes());
            loop {
                match guard.admit(print, clock.now_ms()) {
                    Admission::Go => break,
                    Admission::WaitUntil(at) => {
                        waits += 1;
                        clock.advance(at - clock.now_ms());
                    }
                    Admission::TooManyInFlight => panic!("sequential requests"),
                }
            }
            let (_, _, body) = c.raw_query(request.path(), &query, round % 2 == 0);
            guard.finished();
            match decode::contacts(&body, Fmt::Json, Endpoint::Phones) {
                Ok(list) => assert_eq!(list.count(), 1),
                Err(Error::Api(api)) if api.code == ErrorCode::RateLimited => refused += 1,
                Err(err) => panic!("{err}"),
            }
        }
    }
    assert_eq!(refused, 0, "no error 9 behind the guard");
    assert!(waits >= 3, "the guard had to wait ({waits})");
}

#[test]
fn requests_from_other_clients_use_standard_form_decoding() {
    let server = start(Config::default());
    let c = Client::new(&server);
    let md5 = md5_hex("test-password");
    assert_eq!(md5.len(), 32);
    // `+` for a space, lower-case escapes, parameters in any order, the MD5 of the password.
    let query = format!("name=Ivan+Petrenko&phone=%2b380501112233&psw={md5}&login=test&add=1&fmt=3&cmt=a%2bb%26c");
    let (_, _, body) = c.raw_query("/sys/phones.php", &query, true);
    assert!(decode::created(&body, Fmt::Json).is_ok(), "{}", show(&body));
    // An API key instead of login and password; no fmt: the server's default fmt=0.
    let (_, _, body) = c.raw_query("/sys/phones.php", "get=1&apikey=test-api-key", false);
    let decoded = drive::whole_kind(ListKind::Contacts, &body, Fmt::KeyValue, Endpoint::Phones, Limits::default());
    assert_eq!(decoded.end, End::Done, "{}", show(&body));
    let contact = &decoded.records[0];
    assert_eq!((value(contact, "name"), value(contact, "phone")), ("Ivan Petrenko", "380501112233"));
    assert_eq!(value(contact, "comments"), "a+b&c");
    // A POST with parameters in the URL and the body.
    let url = format!("{}/sys/phones.php?login=test&psw=test-password", server.url());
    let mut response =
        c.agent.post(&url).header("Content-Type", FORM_CONTENT_TYPE).send("get_group=1&fmt=1").expect("exchange");
    assert_eq!(response.body_mut().read_to_vec().expect("body"), b"0,-3");
    // Wrong credentials in each form.
    for auth in ["login=test&psw=nope", "login=other&psw=test-password", "apikey=nope", "login=test", ""] {
        let (_, _, body) = c.raw_query("/sys/mails.php", &format!("get=1&fmt=1&{auth}"), false);
        assert_eq!(body, b"0,-2", "{auth}");
    }
}

#[test]
fn http_edges_and_untrusted_bytes() {
    let server = start(Config::default());
    let c = Client::new(&server);
    let (status, _, _) = c.raw_query("/sys/send.php", "x=1", false);
    assert_eq!(status, 404);
    let exchange = |request: &[u8]| -> String {
        let mut stream = TcpStream::connect(server.addr()).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        stream.write_all(request).expect("write");
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        show(&answer)
    };
    assert!(exchange(b"PUT /sys/phones.php HTTP/1.1\r\nConnection: close\r\n\r\n").starts_with("HTTP/1.1 405"));
    assert!(exchange(b"garbage\r\n\r\n").starts_with("HTTP/1.1 400"));
    // A declared body over 1 MiB is answered 413 at once, unread, and the connection closed.
    let oversized = b"POST /sys/phones.php HTTP/1.1\r\nContent-Length: 99999999\r\nConnection: close\r\n\r\n";
    assert!(exchange(oversized).starts_with("HTTP/1.1 413"));
    let oversized = b"POST /sys/phones.php HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n";
    assert!(exchange(oversized).starts_with("HTTP/1.1 413"));
    // A head of up to 64 KiB is read: a long path is only an unknown one. A longer head is 431.
    let huge_head = format!("GET /{} HTTP/1.1\r\nConnection: close\r\n\r\n", "a".repeat(20_000));
    assert!(exchange(huge_head.as_bytes()).starts_with("HTTP/1.1 404"));
    let huge_head = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(70_000));
    assert!(exchange(huge_head.as_bytes()).starts_with("HTTP/1.1 431"));
    // Two requests on one connection (keep-alive), the second closing it.
    let both = exchange(
        b"GET /sys/phones.php?get=1&fmt=1&login=test&psw=test-password HTTP/1.1\r\n\r\n\
          POST /sys/phones.php HTTP/1.1\r\nContent-Length: 39\r\nConnection: close\r\n\r\nget_group=1&fmt=1&login=test&psw=test-p",
    );
    assert_eq!(both.matches("HTTP/1.1 200 OK").count(), 2, "{both}");
    assert!(both.ends_with("0,-2"), "{both}");

    // The sans-IO simulator on random bytes: never a panic, always an answer. No IP block, or
    // after ten failed logins every answer would be error 4 and the commands left untried.
    let mut sim = Simulator::new(Config { block_after_failures: 0, ..Config::default() });
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let words: [&[u8]; 24] = [
        b"add=1",
        b"add_group=1",
        b"chg=1",
        b"chg_group=1",
        b"move_group=2",
        b"del=1",
        b"del_group=1",
        b"get=1",
        b"get_group=1",
        b"add_black=1",
        b"del_black=1",
        b"get_black=1",
        b"login=test",
        b"psw=test-password",
        b"phone=%2B7",
        b"mail=a@b",
        b"grp=5922",
        b"name=%D0",
        b"cnt=99999999999999999999",
        b"after_id=1",
        b"fmt=",
        b"%",
        b"&&==",
        b"type=2",
    ];
    for i in 0..3000u64 {
        let mut input = Vec::new();
        for _ in 0..(next() % 8) {
            match next() % 3 {
                0 => input.extend_from_slice(&(next() as u32).to_le_bytes()),
                _ => input.extend_from_slice(words[(next() % 24) as usize]),
            }
            input.push(b'&');
        }
        input.extend_from_slice(format!("fmt={}", i % 5).as_bytes());
        let path = if i % 2 == 0 { "/sys/phones.php" } else { "/sys/mails.php" };
        let response = sim.handle(path, Method::Post, &input, i);
        assert_eq!(response.status, 200);
    }
}

#[test]
fn smsc_demo_runs_end_to_end() {
    let args = vec!["demo".to_owned()];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = smsc_codec_cli::run(&args, &mut &b""[..], &mut out, &mut err);
    let out = show(&out);
    assert_eq!(code, 0, "{out}\n{}", show(&err));
    assert!(out.contains("decoded records identical in fmt 0, 1, 2 and 3: yes"), "{out}");
    assert!(out.contains("read 2000 contacts in pages of at most 1000"), "{out}");
    assert!(out.contains("error-9 answers in the guarded burst: 0"), "{out}");
    assert!(out.contains("error 9 (duplicate request, wait a minute)"), "{out}");
    for bad in [&["demo", "--host", "smsc.ua"][..], &["demo", "--login", "x", "--psw", "y"], &["serve", "--port", "x"]]
    {
        let args: Vec<String> = bad.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(smsc_codec_cli::run(&args, &mut &b""[..], &mut Vec::new(), &mut Vec::new()), 2, "{bad:?}");
    }
}
