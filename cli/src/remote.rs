//! Requests to a server for `call`, `export` and `import`: the codec's rate guard, retry policy
//! and backup hosts around ureq. One `Remote` may be shared by several threads (`import
//! --jobs`): the guard sits behind a mutex, and a thread that would exceed the concurrency limit
//! waits for another to finish.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;
use smsc_codec::client::{fingerprint, host_for_attempt, Admission, RateGuard, Retry, RetryPolicy};
use smsc_codec::{decode, Command, Error, Fmt, Limits, Request, FORM_CONTENT_TYPE};

use crate::{Account, Exit, Server};

/// The largest answer read: 1000 contacts of maximal size fit many times over.
const MAX_BODY: u64 = 64 * 1024 * 1024;
/// Distinct requests the rate guard remembers.
const REMEMBERED: usize = 256;

/// A connection to one account on one server.
pub(crate) struct Remote {
    agent: ureq::Agent,
    /// A URL used as it is (`http://127.0.0.1:8025`), or the main host of a real SMSC.
    target: Target,
    account: Account,
    guard: Mutex<RateGuard<REMEMBERED>>,
    /// Signalled when a request finishes, for threads waiting on the concurrency limit.
    finished: Condvar,
    policy: RetryPolicy,
    start: Instant,
    /// Where waits are shown (a progress bar on a terminal), if anywhere.
    progress: Option<ProgressBar>,
    /// Requests sent, retries included.
    pub requests: AtomicU64,
    /// Waits for the rate limit (the guard or an error 9).
    pub waits: AtomicU64,
}

enum Target {
    Url(String),
    Host(String),
}

impl Remote {
    /// A connection as `server` says; no credentials is a usage error.
    pub(crate) fn new(server: &Server) -> Result<Self, Exit> {
        let account = server.credentials.account().ok_or_else(|| {
            Exit::usage("give --login and --psw, or --apikey (or SMSC_LOGIN and SMSC_PSW, or SMSC_APIKEY)")
        })?;
        let host = server.host.trim();
        let target = match host.contains("://") {
            true => Target::Url(host.trim_end_matches('/').to_owned()),
            false if !host.is_empty() && !host.contains('/') => Target::Host(host.to_owned()),
            false => return Err(Exit::usage(format!("--host must be a host name or a URL, not `{host}`"))),
        };
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Ok(Self {
            agent,
            target,
            account,
            guard: Mutex::new(RateGuard::new()),
            finished: Condvar::new(),
            policy: RetryPolicy::DEFAULT,
            start: Instant::now(),
            progress: None,
            requests: AtomicU64::new(0),
            waits: AtomicU64::new(0),
        })
    }

    /// Shows waits on `bar`.
    pub(crate) fn show_waits_on(&mut self, bar: ProgressBar) {
        self.progress = Some(bar);
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Sends `command` and returns the body of the answer: through the rate guard (waiting when
    /// it says so), retried as the retry policy says on a transport failure, error 4 or error 9,
    /// on the backup hosts of a real SMSC. An API error the policy gives up on is returned as
    /// its body, for the caller to decode; a refused parameter is a usage error.
    pub(crate) fn send<C: Command + Copy>(&self, command: C, fmt: Fmt) -> Result<Vec<u8>, Exit> {
        let request = Request::new(self.account.auth(), command).fmt(fmt);
        let query = request.to_query_string().map_err(|err| Exit::usage(err.to_string()))?;
        let path = command.endpoint().path();
        let print = fingerprint(path, query.as_bytes());
        let mut attempt = 0u8;
        loop {
            self.admit(print);
            let result = self.exchange(&request, path, &query, attempt);
            self.guard.lock().unwrap_or_else(PoisonError::into_inner).finished();
            self.finished.notify_one();
            let body = match result {
                Ok(body) => body,
                Err(failure) => match self.policy.on_transport_failure(attempt) {
                    Retry::After(ms) => {
                        self.wait(ms, &format!("{failure}; retrying"));
                        attempt = attempt.saturating_add(1);
                        continue;
                    }
                    Retry::GiveUp => return Err(Exit::unreachable(failure)),
                },
            };
            if let Some(retry) = self.retry_after(command, &body, fmt, attempt) {
                self.waits.fetch_add(1, Ordering::Relaxed);
                self.wait(retry, "the server asked to wait");
                attempt = attempt.saturating_add(1);
                continue;
            }
            return Ok(body);
        }
    }

    /// How long to wait before sending again, when the body is an error the policy retries.
    fn retry_after<C: Command>(&self, command: C, body: &[u8], fmt: Fmt, attempt: u8) -> Option<u64> {
        match decode::response(command.kind().response(), body, fmt, command.endpoint(), Limits::DEFAULT) {
            Err(Error::Api(api)) => match self.policy.on_api_error(&api, attempt) {
                Retry::After(ms) => Some(ms),
                Retry::GiveUp => None,
            },
            _ => None,
        }
    }

    /// Waits until the rate guard lets `print` go, and records it as sent.
    fn admit(&self, print: u64) {
        let mut guard = self.guard.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            match guard.admit(print, self.now_ms()) {
                Admission::Go => return,
                Admission::WaitUntil(at) => {
                    drop(guard);
                    self.waits.fetch_add(1, Ordering::Relaxed);
                    let ms = at.saturating_sub(self.now_ms());
                    self.wait(ms, "a fourth identical request within a minute");
                    guard = self.guard.lock().unwrap_or_else(PoisonError::into_inner);
                }
                Admission::TooManyInFlight => {
                    guard = self.finished.wait(guard).unwrap_or_else(PoisonError::into_inner);
                }
            }
        }
    }

    fn wait(&self, ms: u64, why: &str) {
        if let Some(bar) = &self.progress {
            bar.set_message(format!("waiting {} s: {why}", ms.div_ceil(1000)));
        }
        std::thread::sleep(Duration::from_millis(ms));
        if let Some(bar) = &self.progress {
            bar.set_message("");
        }
    }

    /// One HTTP exchange: GET, or a POST form body when the URL would be too long.
    fn exchange<C: Command>(
        &self,
        request: &Request<'_, C>,
        path: &str,
        query: &str,
        attempt: u8,
    ) -> Result<Vec<u8>, String> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let (base, host) = match &self.target {
            Target::Url(url) => (url.clone(), url.split("://").nth(1).unwrap_or(url).to_owned()),
            Target::Host(main) => {
                let host = host_for_attempt(main, attempt).to_string();
                (format!("https://{host}"), host)
            }
        };
        let url = format!("{base}{path}");
        let response = match request.prefers_post(&host).unwrap_or(true) {
            true => self.agent.post(&url).header("Content-Type", FORM_CONTENT_TYPE).send(query),
            false => self.agent.get(&format!("{url}?{query}")).call(),
        };
        let mut response = response.map_err(|e| format!("{url}: {e}"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("{url}: HTTP {status}"));
        }
        response.body_mut().with_config().limit(MAX_BODY).read_to_vec().map_err(|e| format!("{url}: {e}"))
    }
}
