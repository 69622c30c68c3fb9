//! `smsc demo`: a realistic session through a real HTTP client (ureq) and the codec, against
//! the simulator started in-process on a free loopback port, or (`--host`) the read-only part
//! against a real SMSC host.
//!
//! The real-host path cannot be tested here (no network, no account): it is kept thin, and it
//! shares every step with the local path except the writes.

use std::io::Write;
use std::time::Duration;

use smsc_codec::client::{
    fingerprint, host_for_attempt, Admission, BlacklistPager, ContactsPager, RateGuard, Retry, RetryPolicy,
};
use smsc_codec::{
    decode, AddBlacklistEntry, AddContact, AddGroup, Auth, BlockType, Command, CommandKind, DeleteContact, DeleteGroup,
    Endpoint, Error, Fmt, GetBlacklist, GetContacts, GetGroups, GroupType, Limits, MoveGroup, MoveMode, Record,
    Request, FORM_CONTENT_TYPE,
};

use crate::sim::http::{Clock, Server};
use crate::sim::{decode_form, Config, Simulator};
use crate::{Account, Exit};

/// An owned decoded record: `(field, unescaped value)` in body order.
type Fields = Vec<(String, String)>;

/// `smsc demo`.
#[derive(clap::Args, Debug)]
pub(crate) struct DemoArgs {
    /// A real SMSC host (smsc.ua, ...) to run the read-only part against, instead of the local
    /// simulator; needs credentials.
    #[arg(long, value_name = "HOST")]
    host: Option<String>,
    #[command(flatten)]
    credentials: crate::Credentials,
}

/// Runs the demo.
pub(crate) fn run(args: &DemoArgs, out: &mut dyn Write) -> Result<(), Exit> {
    let credentials = args.credentials.account();
    match (&args.host, credentials) {
        (Some(host), Some(credentials)) => remote(host, credentials, out).map_err(Exit::unreachable),
        (Some(_), None) => Err(Exit::usage("--host needs --login and --psw, or --apikey")),
        (None, Some(_)) => Err(Exit::usage("--login, --psw and --apikey go with --host")),
        (None, None) => local(out).map_err(Exit::unreachable),
    }
}

/// Where requests go and how they are paced.
struct Session<'o> {
    agent: ureq::Agent,
    /// `http://127.0.0.1:PORT`, or the main host name of a real SMSC (tried over https with its
    /// backups).
    target: Target,
    credentials: Account,
    clock: Clock,
    guard: RateGuard<64>,
    policy: RetryPolicy,
    out: &'o mut dyn Write,
    /// Leaves the transcript out (bulk inserts).
    quiet: bool,
    requests: usize,
}

enum Target {
    Local(String),
    Remote(String),
}

/// What one exchange gave: the body as received.
struct Exchange {
    body: Vec<u8>,
}

macro_rules! say {
    ($session:expr, $($arg:tt)*) => {{
        if !$session.quiet {
            let _ = writeln!($session.out, $($arg)*);
        }
    }};
}

impl Session<'_> {
    fn auth(&self) -> Auth<'_> {
        self.credentials.auth()
    }

    /// Waits `ms`: on the simulator's clock (at once), or for real.
    fn wait(&mut self, ms: u64) {
        if !self.clock.advance(ms) {
            std::thread::sleep(Duration::from_millis(ms));
        }
    }

    /// Sends a command through the rate guard (waiting when it says so), retrying as the
    /// retry policy says. Returns the body of the last answer.
    fn send<C: Command + Copy>(&mut self, command: C, fmt: Fmt) -> Result<Exchange, String> {
        let mut attempt = 0u8;
        loop {
            let query = Request::new(self.auth(), command).fmt(fmt).to_query_string().map_err(|e| e.to_string())?;
            let path = command.endpoint().path();
            let print = fingerprint(path, query.as_bytes());
            loop {
                match self.guard.admit(print, self.clock.now_ms()) {
                    Admission::Go => break,
                    Admission::WaitUntil(at) => {
                        let ms = at.saturating_sub(self.clock.now_ms());
                        say!(self, "  rate guard: a fourth identical request within a minute; waiting {} s", ms / 1000);
                        self.wait(ms);
                    }
                    Admission::TooManyInFlight => self.guard.finished(),
                }
            }
            let result = self.exchange(command, fmt, &query, attempt);
            self.guard.finished();
            let exchange = match result {
                Ok(exchange) => exchange,
                Err(failure) => match self.policy.on_transport_failure(attempt) {
                    Retry::After(ms) => {
                        say!(self, "  transport failure ({failure}); retrying in {} ms", ms);
                        self.wait(ms);
                        attempt += 1;
                        continue;
                    }
                    Retry::GiveUp => return Err(failure),
                },
            };
            if let Err(Error::Api(api)) =
                decode::response(command.kind().response(), &exchange.body, fmt, command.endpoint(), Limits::DEFAULT)
            {
                if let Retry::After(ms) = self.policy.on_api_error(&api, attempt) {
                    say!(self, "  answered error {}; the retry policy says wait {} s", api.code.wire(), ms / 1000);
                    self.wait(ms);
                    attempt += 1;
                    continue;
                }
            }
            return Ok(exchange);
        }
    }

    /// One HTTP exchange (GET for reads, a POST form body for writes or long queries).
    fn exchange<C: Command + Copy>(
        &mut self,
        command: C,
        fmt: Fmt,
        query: &str,
        attempt: u8,
    ) -> Result<Exchange, String> {
        let path = command.endpoint().path();
        let (base, host) = match &self.target {
            Target::Local(base) => (base.clone(), "127.0.0.1".to_owned()),
            Target::Remote(main) => {
                let host = host_for_attempt(main, attempt).to_string();
                (format!("https://{host}"), host)
            }
        };
        let reads = matches!(command.kind().response(), smsc_codec::ResponseKind::List(_));
        let post = !reads || Request::new(self.auth(), command).fmt(fmt).prefers_post(&host).unwrap_or(true);
        self.requests += 1;
        say!(
            self,
            "> {} {}{} {}",
            if post { "POST" } else { "GET " },
            host_label(&self.target, &host),
            path,
            shown(query)
        );
        let url = format!("{base}{path}");
        let response = match post {
            true => self.agent.post(&url).header("Content-Type", FORM_CONTENT_TYPE).send(query),
            false => self.agent.get(&format!("{url}?{query}")).call(),
        };
        let mut response = response.map_err(|e| e.to_string())?;
        let body = response.body_mut().read_to_vec().map_err(|e| e.to_string())?;
        Ok(Exchange { body })
    }
}

fn host_label(target: &Target, host: &str) -> String {
    match target {
        Target::Local(_) => String::new(),
        Target::Remote(_) => format!("https://{host}"),
    }
}

/// The pairs of a query as a person reads them: decoded, without credentials and `charset`.
fn shown(query: &str) -> String {
    decode_form(query.as_bytes())
        .into_iter()
        .filter(|(name, _)| !matches!(name.as_str(), "login" | "psw" | "apikey" | "charset"))
        .map(|(name, value)| match value.contains(' ') {
            true => format!("{name}=\"{value}\""),
            false => format!("{name}={value}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The body as one line for the transcript.
fn one_line(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body).replace('\n', "\\n");
    match text.chars().count() > 100 {
        true => format!("{}... ({} bytes)", text.chars().take(100).collect::<String>(), body.len()),
        false => text,
    }
}

/// A decoded list as owned records, or the API error / malformed-body message.
fn records(kind: CommandKind, body: &[u8], fmt: Fmt, endpoint: Endpoint) -> Result<Vec<Fields>, String> {
    fn own<'a, R: Record<'a>>(record: &R) -> Fields {
        record.known_fields().map(|(name, value)| (name.to_owned(), value.to_string())).collect()
    }
    fn failed(e: impl std::fmt::Display) -> String {
        e.to_string()
    }
    match kind {
        CommandKind::GetContacts => {
            decode::contacts(body, fmt, endpoint).map_err(failed)?.map(|r| r.map(|r| own(&r)).map_err(failed)).collect()
        }
        CommandKind::GetGroups => decode::groups(body, fmt, Endpoint::Phones)
            .map_err(failed)?
            .map(|r| r.map(|r| own(&r)).map_err(failed))
            .collect(),
        _ => decode::blacklist(body, fmt, endpoint)
            .map_err(failed)?
            .map(|r| r.map(|r| own(&r)).map_err(failed))
            .collect(),
    }
}

fn field<'f>(record: &'f Fields, name: &str) -> &'f str {
    record.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
}

/// What a created/OK/error answer says, in words.
fn outcome(kind: CommandKind, body: &[u8], fmt: Fmt) -> String {
    match decode::response(kind.response(), body, fmt, Endpoint::Phones, Limits::DEFAULT) {
        Ok(decode::Response::Created(created)) => format!("created, id {}", created.id),
        Ok(decode::Response::Done) => "OK".to_owned(),
        Ok(decode::Response::Contacts(list)) => format!("a list of {} contacts", list.count()),
        Ok(decode::Response::Groups(list)) => format!("a list of {} groups", list.count()),
        Ok(decode::Response::Blacklist(list)) => format!("a list of {} records", list.count()),
        Err(Error::Api(api)) => crate::decode::words(&api),
        Err(err) => format!("malformed body: {err}"),
    }
}

/// The whole session against the in-process simulator.
fn local(out: &mut dyn Write) -> Result<(), String> {
    let config = Config::default();
    let (login, password) = (config.login.clone(), config.password.clone());
    let clock = Clock::manual(0);
    let server = Server::start("127.0.0.1:0", Simulator::new(config), clock.clone())
        .map_err(|e| format!("cannot start the simulator on loopback: {e}"))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let _ = writeln!(out, "smsc demo: the codec and a real HTTP client (ureq) against a local fake SMSC");
    let _ = writeln!(out, "server:  {} (`smsc serve` runs the same simulator on its own)", server.url());
    let _ = writeln!(out, "account: login `{login}`, psw `{password}`; its clock is simulated, so waits take no time");
    let psw = crate::sim::md5_hex(&password);
    let mut s = Session {
        agent,
        target: Target::Local(server.url()),
        credentials: Account::Password { login, psw },
        clock,
        guard: RateGuard::new(),
        policy: RetryPolicy::DEFAULT,
        out,
        quiet: false,
        requests: 0,
    };
    say!(s, "(psw travels as the MD5 of the password, which the server accepts too)");
    let result = local_session(&mut s);
    say!(s, "");
    say!(s, "{} HTTP requests; every body was decoded by smsc-codec.", s.requests);
    drop(server);
    result
}

fn local_session(s: &mut Session<'_>) -> Result<(), String> {
    let json = Fmt::Json;
    say!(s, "\n1. Groups (`num` must be unique; names get a capital letter)");
    let mut groups = Vec::new();
    for (name, num) in [("клієнти", "100"), ("постачальники", "101")] {
        let add = AddGroup::new(Endpoint::Phones, name).number(num);
        let exchange = s.send(add, json)?;
        let created = decode::created(&exchange.body, json).map_err(|e| e.to_string())?;
        say!(s, "< {}  => group id {}", one_line(&exchange.body), created.id);
        groups.push(created.id.to_string());
    }
    let exchange = s.send(AddGroup::new(Endpoint::Phones, "дублікат").number("100"), json)?;
    say!(s, "< {}  => {}", one_line(&exchange.body), outcome(CommandKind::AddGroup, &exchange.body, json));
    let (clients, suppliers) = (groups[0].as_str(), groups[1].as_str());

    say!(s, "\n2. Contacts with Cyrillic names (a leading + is stripped from stored numbers)");
    let people = [
        ("+380501234567", "Іван", "Петренко", "15.03.1985", "1001", "передзвонити"),
        ("+380671234567", "Олена", "Коваленко", "02.11.1992", "1002", "оптовий клієнт"),
        ("+380931112233", "Андрій", "Шевченко", "29.02.1988", "1003", "Знижка 5% & доставка"),
    ];
    for (phone, first, last, birthday, myid, comment) in people {
        let full = format!("{first} {last}");
        let add = AddContact::phone(phone)
            .name(&full)
            .first_name(first)
            .last_name(last)
            .birthday(birthday)
            .my_id(myid)
            .comment(comment)
            .groups(clients);
        let exchange = s.send(add, json)?;
        say!(s, "< {}  => {}", one_line(&exchange.body), outcome(CommandKind::AddContact, &exchange.body, json));
    }

    say!(s, "\n3. Moving contacts between groups (move_group=1 replaces, 2 adds, 3 removes)");
    for (mode, phone, group) in [
        (MoveMode::Replace, "380671234567", suppliers),
        (MoveMode::Add, "380501234567", suppliers),
        (MoveMode::Remove, "380501234567", clients),
    ] {
        let exchange = s.send(MoveGroup::phone(mode, group, phone), json)?;
        say!(
            s,
            "< {}  => {} (fmt=3: the bare `OK` the real server sends)",
            one_line(&exchange.body),
            outcome(CommandKind::MoveGroup, &exchange.body, json)
        );
    }

    say!(s, "\n4. The same list in all four fmts");
    let mut decoded: Vec<(Fmt, Vec<Fields>)> = Vec::new();
    for fmt in [Fmt::KeyValue, Fmt::Csv, Fmt::Xml, Fmt::Json] {
        let exchange = s.send(GetContacts::new(Endpoint::Phones), fmt)?;
        let text = String::from_utf8_lossy(&exchange.body).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        let shown = if matches!(fmt, Fmt::KeyValue | Fmt::Csv) { lines.len() } else { 4 };
        say!(s, "< fmt={}: {} bytes", fmt.wire(), exchange.body.len());
        for line in lines.iter().take(shown) {
            say!(s, "    {line}");
        }
        if lines.len() > shown {
            say!(s, "    ... ({} more lines)", lines.len() - shown);
        }
        let list = records(CommandKind::GetContacts, &exchange.body, fmt, Endpoint::Phones)?;
        decoded.push((fmt, list));
    }
    let identical = decoded.windows(2).all(|pair| pair[0].1 == pair[1].1);
    let reference = decoded.last().map(|(_, list)| list.clone()).unwrap_or_default();
    say!(s, "decoded records identical in fmt 0, 1, 2 and 3: {}", if identical { "yes" } else { "NO" });
    for record in &reference {
        say!(
            s,
            "  {:<16} phone {:<13} group {:<9} id {}  birthday {}  comments {:?}",
            field(record, "name"),
            field(record, "phone"),
            field(record, "group"),
            field(record, "id"),
            field(record, "birthday"),
            field(record, "comments"),
        );
    }
    if !identical {
        return Err("the four fmts decoded to different records".to_owned());
    }
    let exchange = s.send(GetGroups::new(Endpoint::Phones), json)?;
    for group in records(CommandKind::GetGroups, &exchange.body, json, Endpoint::Phones)? {
        say!(
            s,
            "  group {} {:?}: number {}, {} contacts",
            field(&group, "id"),
            field(&group, "name"),
            field(&group, "number"),
            field(&group, "cnt")
        );
    }

    say!(s, "\n5. Paging through a larger list (after_id + cnt, with client::ContactsPager)");
    say!(s, "  adding 1,997 more contacts (one request each; the transcript skips them)...");
    let quiet_from = s.requests;
    s.quiet = true;
    for n in 0..1997u32 {
        let phone = format!("38050{:07}", 2_000_000 + n);
        let name = format!("Контакт {n}");
        let result = s.send(AddContact::phone(&phone).name(&name), json);
        if let Err(err) = result {
            s.quiet = false;
            return Err(err);
        }
    }
    s.quiet = false;
    say!(s, "  ({} requests)", s.requests - quiet_from);
    let mut pager = ContactsPager::new(1000);
    let mut total = 0;
    while let Some(request) = pager.next(GetContacts::new(Endpoint::Phones)) {
        let exchange = s.send(request, json)?;
        match decode::contacts(&exchange.body, json, Endpoint::Phones) {
            Ok(list) => {
                let mut page = 0;
                for contact in list {
                    let contact = contact.map_err(|e| e.to_string())?;
                    pager.observe(&contact).map_err(|e| e.to_string())?;
                    page += 1;
                }
                pager.end_page();
                total += page;
                say!(s, "< a page of {page} contacts ({} bytes)", exchange.body.len());
            }
            Err(Error::Api(api)) if pager.end_on(&api) => {
                say!(s, "< {}  => the list has ended", crate::decode::words(&api))
            }
            Err(err) => return Err(err.to_string()),
        }
    }
    say!(s, "read {total} contacts in pages of at most 1000");

    say!(s, "\n6. The blacklist (type 0 all messages, 1 mass mailings, 2 single messages)");
    for (phone, kind, why) in
        [("+380931112233", BlockType::Mass, "просив не надсилати розсилки"), ("380679876543", BlockType::All, "скарга")]
    {
        let exchange = s.send(AddBlacklistEntry::phone(phone).block_type(kind).comment(why), json)?;
        say!(s, "< {}  => {}", one_line(&exchange.body), outcome(CommandKind::AddBlacklistEntry, &exchange.body, json));
    }
    let mut pager = BlacklistPager::new(1000);
    while let Some(request) = pager.next(GetBlacklist::new(Endpoint::Phones)) {
        let exchange = s.send(request, Fmt::Xml)?;
        match decode::blacklist(&exchange.body, Fmt::Xml, Endpoint::Phones) {
            Ok(list) => {
                for record in list {
                    let record = record.map_err(|e| e.to_string())?;
                    pager.observe(&record).map_err(|e| e.to_string())?;
                    let own: Fields = record.known_fields().map(|(n, v)| (n.to_owned(), v.to_string())).collect();
                    say!(
                        s,
                        "  blacklist {} {} type {} {:?}",
                        field(&own, "id"),
                        field(&own, "phone"),
                        field(&own, "type"),
                        field(&own, "comment")
                    );
                }
                pager.end_page();
            }
            Err(Error::Api(api)) if pager.end_on(&api) => {}
            Err(err) => return Err(err.to_string()),
        }
    }

    say!(s, "\n7. The rate limit: a fourth identical request within a minute is error 9");
    say!(s, "  first without the rate guard, as a naive client would:");
    let same = GetGroups::new(Endpoint::Phones).group_type(GroupType::Phone);
    let query = Request::new(s.auth(), same).fmt(json).to_query_string().map_err(|e| e.to_string())?;
    for attempt in 0..5u8 {
        let exchange = s.exchange(same, json, &query, 0)?;
        let api = match decode::groups(&exchange.body, json, Endpoint::Phones) {
            Ok(list) => {
                say!(s, "<   a list of {} groups", list.count());
                continue;
            }
            Err(Error::Api(api)) => api,
            Err(err) => return Err(err.to_string()),
        };
        say!(s, "< {}  => {}", one_line(&exchange.body), crate::decode::words(&api));
        match s.policy.on_api_error(&api, attempt.saturating_sub(3)) {
            Retry::After(ms) => {
                say!(
                    s,
                    "  RetryPolicy::on_api_error says: retry after {} s; waiting on the simulator's clock",
                    ms / 1000
                );
                s.wait(ms);
            }
            Retry::GiveUp => return Err(format!("unexpected {}", crate::decode::words(&api))),
        }
    }
    say!(s, "  then through client::RateGuard: a burst of 5 identical requests, paced by the guard:");
    let probe = GetContacts::new(Endpoint::Phones).count(1);
    let mut refused = 0;
    for _ in 0..5 {
        let exchange = s.send(probe, json)?;
        say!(s, "<   {}", outcome(CommandKind::GetContacts, &exchange.body, json));
        if let Err(Error::Api(api)) = decode::contacts(&exchange.body, json, Endpoint::Phones) {
            refused += usize::from(api.code == smsc_codec::ErrorCode::RateLimited);
        }
    }
    say!(s, "  error-9 answers in the guarded burst: {refused}");

    say!(s, "\n8. Cleaning up (change and delete commands answer OK)");
    let exchange = s.send(DeleteContact::phone("380931112233"), Fmt::KeyValue)?;
    say!(
        s,
        "< {}  => {}",
        one_line(&exchange.body),
        outcome(CommandKind::DeleteContact, &exchange.body, Fmt::KeyValue)
    );
    let exchange = s.send(DeleteGroup::new(Endpoint::Phones, suppliers), Fmt::Xml)?;
    say!(s, "< {}  => {}", one_line(&exchange.body), outcome(CommandKind::DeleteGroup, &exchange.body, Fmt::Xml));
    let exchange = s.send(DeleteGroup::new(Endpoint::Phones, suppliers), Fmt::Csv)?;
    say!(
        s,
        "< {}  => {} (already deleted)",
        one_line(&exchange.body),
        outcome(CommandKind::DeleteGroup, &exchange.body, Fmt::Csv)
    );
    Ok(())
}

/// The read-only part against a real SMSC host: groups, contacts (paged), the blacklist, and
/// the contact list in all four fmts. Not exercised by the tests (no network, no account).
fn remote(host: &str, credentials: Account, out: &mut dyn Write) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let _ = writeln!(out, "smsc demo: read-only requests to https://{host} (backups www2. to www5. on failure)");
    let mut s = Session {
        agent,
        target: Target::Remote(host.to_owned()),
        credentials,
        clock: Clock::system(),
        guard: RateGuard::new(),
        policy: RetryPolicy::DEFAULT,
        out,
        quiet: false,
        requests: 0,
    };
    let json = Fmt::Json;
    say!(s, "\n1. Groups");
    let exchange = s.send(GetGroups::new(Endpoint::Phones), json)?;
    match records(CommandKind::GetGroups, &exchange.body, json, Endpoint::Phones) {
        Ok(groups) => {
            for group in groups {
                say!(
                    s,
                    "  group {} {:?}: number {}, cnt {}",
                    field(&group, "id"),
                    field(&group, "name"),
                    field(&group, "number"),
                    field(&group, "cnt")
                );
            }
        }
        Err(message) => say!(s, "< {}  => {message}", one_line(&exchange.body)),
    }
    say!(s, "\n2. Contacts, paged by 1000 with after_id (needs a server that sends int_id)");
    let mut pager = ContactsPager::new(1000);
    let mut total = 0;
    while let Some(request) = pager.next(GetContacts::new(Endpoint::Phones)) {
        let exchange = s.send(request, json)?;
        match decode::contacts(&exchange.body, json, Endpoint::Phones) {
            Ok(list) => {
                let mut page = 0;
                for contact in list {
                    let contact = contact.map_err(|e| e.to_string())?;
                    page += 1;
                    if let Err(err) = pager.observe(&contact) {
                        say!(s, "  {err}: this server does not page; stopping after the first page");
                        total += page;
                        return finish_remote(&mut s, total);
                    }
                }
                pager.end_page();
                total += page;
                say!(s, "< a page of {page} contacts");
            }
            Err(Error::Api(api)) if pager.end_on(&api) => {
                say!(s, "< {}  => the list has ended", crate::decode::words(&api))
            }
            Err(Error::Api(api)) => return Err(crate::decode::words(&api)),
            Err(err) => return Err(err.to_string()),
        }
    }
    say!(s, "read {total} contacts");
    finish_remote(&mut s, total)
}

fn finish_remote(s: &mut Session<'_>, total: usize) -> Result<(), String> {
    let json = Fmt::Json;
    say!(s, "\n3. The first contacts in all four fmts");
    let mut decoded = Vec::new();
    for fmt in [Fmt::KeyValue, Fmt::Csv, Fmt::Xml, Fmt::Json] {
        let request = GetContacts::new(Endpoint::Phones).count(5);
        let exchange = s.send(request, fmt)?;
        let list = records(CommandKind::GetContacts, &exchange.body, fmt, Endpoint::Phones);
        match &list {
            Ok(list) => say!(s, "< fmt={}: {} records", fmt.wire(), list.len()),
            Err(message) => say!(s, "< fmt={}: {message}", fmt.wire()),
        }
        decoded.push(list);
    }
    let identical = decoded.windows(2).all(|pair| pair[0] == pair[1]);
    say!(s, "decoded identically in all four fmts: {}", if identical { "yes" } else { "no (see above)" });
    say!(s, "\n4. The blacklist");
    let exchange = s.send(GetBlacklist::new(Endpoint::Phones).count(10), json)?;
    match records(CommandKind::GetBlacklist, &exchange.body, json, Endpoint::Phones) {
        Ok(list) => say!(s, "< {} records", list.len()),
        Err(message) => say!(s, "< {message}"),
    }
    say!(s, "\n{} requests; {total} contacts listed.", s.requests);
    Ok(())
}
