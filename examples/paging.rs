//! Paging through every contact: the pager (`after_id` from each contact's `int_id`, `cnt`,
//! error 3 as the end), the rate guard (three identical requests a minute, fewer than fifteen at
//! once) and the retry policy (which errors, how long to wait, which backup host), over ureq,
//! each page streamed through the std reader adapter.
//!
//! ```sh
//! # `smsc serve`, seeded with 1,200 contacts first, in pages of 500:
//! cargo run -p smsc-codec-examples --example paging -- http://127.0.0.1:8025 --seed 1200 --page 500
//! SMSC_LOGIN=L SMSC_PSW=P cargo run -p smsc-codec-examples --example paging -- https://smsc.ua
//! ```

use std::error::Error;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use smsc_codec::client::{fingerprint, host_for_attempt, Admission, ContactsPager, RateGuard, Retry, RetryPolicy};
use smsc_codec::read::{IoReader, ReadError};
use smsc_codec::{decode, AddContact, Auth, Command, Endpoint, Fmt, GetContacts, Request, FORM_CONTENT_TYPE};

/// What the server said about one attempt at a request.
enum Outcome {
    /// The answer was read.
    Done,
    /// Try again after this long (on the next host).
    Retry(u64),
}

/// A request written out: what is sent, so that what it borrowed (the pager) is free again.
struct Written {
    path: &'static str,
    query: String,
    post: bool,
}

impl Written {
    fn new<C: Command>(request: &Request<'_, C>, host: &str) -> Result<Self, smsc_codec::BuildError> {
        Ok(Self { path: request.path(), query: request.to_query_string()?, post: request.prefers_post(host)? })
    }
}

/// Sends requests politely: through the rate guard, on the host for each attempt.
struct Client {
    agent: ureq::Agent,
    scheme: String,
    host: String,
    /// Whether `host` is a name with `www2.` to `www5.` backups (not an address or localhost).
    has_backups: bool,
    guard: RateGuard<32>,
    policy: RetryPolicy,
    started: Instant,
}

impl Client {
    fn new(base: &str) -> Result<Self, Box<dyn Error>> {
        let (scheme, host) = base.split_once("://").ok_or("the URL needs a scheme: https://smsc.ua")?;
        let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
        let has_backups = name != "localhost" && name.parse::<IpAddr>().is_err();
        let config = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30))).build();
        Ok(Self {
            agent: config.into(),
            scheme: scheme.to_owned(),
            host: host.to_owned(),
            has_backups,
            guard: RateGuard::new(),
            policy: RetryPolicy::DEFAULT,
            started: Instant::now(),
        })
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// Sends `request` until its answer is read by `read` or the policy gives up. `read` gets the
    /// body and says whether it was the answer or an API error worth a retry.
    fn call<C: Command>(
        &mut self,
        request: &Request<'_, C>,
        read: impl FnMut(&mut ureq::Body, &RetryPolicy, u8) -> Result<Outcome, Box<dyn Error>>,
    ) -> Result<(), Box<dyn Error>> {
        let written = Written::new(request, &self.host)?;
        self.send(&written, read)
    }

    /// [`call`](Self::call) for a request written already.
    fn send(
        &mut self,
        request: &Written,
        mut read: impl FnMut(&mut ureq::Body, &RetryPolicy, u8) -> Result<Outcome, Box<dyn Error>>,
    ) -> Result<(), Box<dyn Error>> {
        let Written { path, query, post } = request;
        let identity = fingerprint(path, query.as_bytes());
        for attempt in 0u8.. {
            // Three identical requests a minute: wait for the guard rather than get error 9.
            loop {
                match self.guard.admit(identity, self.now_ms()) {
                    Admission::Go => break,
                    Admission::WaitUntil(at) => std::thread::sleep(Duration::from_millis(at - self.now_ms().min(at))),
                    Admission::TooManyInFlight => return Err("too many requests in flight".into()),
                }
            }
            let host = match self.has_backups {
                true => host_for_attempt(&self.host, attempt).to_string(),
                false => self.host.clone(),
            };
            let url = format!("{}://{host}{path}", self.scheme);
            let sent = match post {
                true => self.agent.post(&url).header("Content-Type", FORM_CONTENT_TYPE).send(query.as_str()),
                false => self.agent.get(&format!("{url}?{query}")).call(),
            };
            let outcome = match sent {
                Ok(mut response) => read(response.body_mut(), &self.policy, attempt),
                // No connection, a timeout, a 5xx: back off and try the next host.
                Err(err) => match self.policy.on_transport_failure(attempt) {
                    Retry::After(ms) => {
                        eprintln!("{host}: {err}; retrying in {ms} ms");
                        Ok(Outcome::Retry(ms))
                    }
                    Retry::GiveUp => Err(err.into()),
                },
            };
            self.guard.finished();
            match outcome? {
                Outcome::Done => return Ok(()),
                Outcome::Retry(ms) => std::thread::sleep(Duration::from_millis(ms)),
            }
        }
        unreachable!("the retry policy gives up after at most 255 attempts")
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let base = args.next().ok_or("usage: paging URL [--seed N] [--page N]")?;
    let (mut seed, mut page) = (0u32, 1000u16);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or("a flag needs a value")?;
        match flag.as_str() {
            "--seed" => seed = value.parse()?,
            "--page" => page = value.parse()?,
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    let login = std::env::var("SMSC_LOGIN").unwrap_or_else(|_| "test".to_owned());
    let psw = std::env::var("SMSC_PSW").unwrap_or_else(|_| "test-password".to_owned());
    let auth = Auth::password(&login, &psw);
    let mut client = Client::new(&base)?;

    // Seeding: contacts that exist already (error 5) are fine.
    for i in 0..seed {
        let (phone, name) = (format!("7900{i:07}"), format!("Контакт {i}"));
        let request = Request::new(auth, AddContact::phone(&phone).name(&name)).fmt(Fmt::Json);
        client.call(&request, |body, policy, attempt| {
            let body = body.read_to_vec()?;
            match decode::created(&body, Fmt::Json) {
                Ok(_) => Ok(Outcome::Done),
                Err(smsc_codec::Error::Api(api)) => match policy.on_api_error(&api, attempt) {
                    Retry::After(ms) => Ok(Outcome::Retry(ms)),
                    Retry::GiveUp if api.code.wire() == 5 => Ok(Outcome::Done),
                    Retry::GiveUp => Err(format!("adding {phone}: {api}").into()),
                },
                Err(err) => Err(format!("adding {phone}: {err}").into()),
            }
        })?;
    }

    // Every contact, a page at a time, in a 64 KiB buffer whatever the page size.
    let mut pager = ContactsPager::new(page);
    let mut buf = vec![0u8; 64 * 1024];
    let (mut total, mut pages) = (0usize, 0usize);
    while let Some(get) = pager.next(GetContacts::new(Endpoint::Phones)) {
        // The request borrows the pager (its `after_id`): written out, it frees it for the page.
        let request = Written::new(&Request::new(auth, get).fmt(Fmt::Json), &client.host)?;
        client.send(&request, |body, policy, attempt| {
            let mut reader = IoReader::contacts(body.as_reader(), &mut buf, Fmt::Json, Endpoint::Phones);
            loop {
                match reader.next() {
                    Ok(Some(contact)) => {
                        pager.observe(&contact)?;
                        total += 1;
                    }
                    Ok(None) => {
                        pager.end_page();
                        pages += 1;
                        return Ok(Outcome::Done);
                    }
                    // An API error comes instead of the page, never in it.
                    Err(ReadError::Api(_)) => {
                        let api = reader.api_error().ok_or("an API error without its answer")?;
                        if pager.end_on(&api) {
                            return Ok(Outcome::Done); // error 3: the list ended
                        }
                        return match policy.on_api_error(&api, attempt) {
                            Retry::After(ms) => Ok(Outcome::Retry(ms)),
                            Retry::GiveUp => Err(format!("listing contacts: {api}").into()),
                        };
                    }
                    Err(err) => return Err(err.into()),
                }
            }
        })?;
    }
    println!("{total} contacts in {pages} pages of up to {page}");
    if (total as u64) < u64::from(seed) {
        return Err(format!("seeded {seed} contacts but listed {total}").into());
    }
    Ok(())
}
