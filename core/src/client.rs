//! What every real integration writes by hand, sans-IO: paging through lists, keeping under the
//! server's rate limits, and deciding whether and when to retry (and on which host). The caller
//! supplies the time and does the I/O.
//!
//! The server's limits are constants of one type: counts are `u16` ([`MAX_PAGE`],
//! [`MAX_IDENTICAL`], [`MAX_CONCURRENT`]) and times are `u64` milliseconds
//! ([`IDENTICAL_WINDOW_MS`], like every time the caller passes in).

use core::fmt;
use core::marker::PhantomData;

use crate::error::{ApiError, ErrorCode};
use crate::list::{self, List};
use crate::query::Decimal;
use crate::record::{BlacklistEntry, Contact};
use crate::{GetBlacklist, GetContacts};

/// The most records one list request may ask for.
///
/// ```
/// use smsc_codec::client::MAX_PAGE;
/// use smsc_codec::{Auth, BuildErrorKind, Endpoint, GetContacts, Request};
///
/// let page = |n| Request::new(Auth::api_key("k"), GetContacts::new(Endpoint::Phones).count(n)).validate();
/// assert!(page(MAX_PAGE).is_ok());
/// assert_eq!(page(MAX_PAGE + 1).unwrap_err().kind, BuildErrorKind::CountTooLarge);
/// ```
pub const MAX_PAGE: u16 = 1000;

/// Why a pager cannot go on.
///
/// ```
/// use smsc_codec::client::{ContactsPager, PagingError};
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// // A server that sends no `int_id` cannot be paged by `after_id`.
/// let page = br#"[{"phone": "79991112233"}]"#;
/// let contact = decode::contacts(page, Fmt::Json, Endpoint::Phones).unwrap().next().unwrap().unwrap();
/// assert_eq!(ContactsPager::new(100).observe(&contact), Err(PagingError::NoInternalId));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PagingError {
    /// A contact without a numeric `int_id`: `after_id` needs the server's internal id, which
    /// only servers that send `int_id` give.
    NoInternalId,
    /// A blacklist record without a numeric `id`.
    NoId,
}

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NoInternalId => "contact has no numeric int_id to page after",
            Self::NoId => "blacklist record has no numeric id to page before",
        })
    }
}

impl core::error::Error for PagingError {}

/// A list that can be paged: how its records say where the next page starts, and how its
/// request is told. Implemented for [`list::Contacts`] and [`list::Blacklist`]. Sealed.
///
/// ```
/// use smsc_codec::client::{Paged, PagingError};
/// use smsc_codec::list::Blacklist;
/// use smsc_codec::{decode, Endpoint, Fmt};
///
/// let entry = decode::blacklist(b"7,79991112233,0,spam\n", Fmt::Csv, Endpoint::Phones).unwrap().next().unwrap().unwrap();
/// assert_eq!(<Blacklist as Paged>::cursor(&entry), Ok(7));
/// # let _: Result<u64, PagingError> = Ok(7);
/// ```
pub trait Paged: List + private::Sealed {
    /// The list request.
    type Request<'a>: Copy;

    /// The id the next page continues from.
    fn cursor(record: &Self::Record<'_>) -> Result<u64, PagingError>;

    /// `request` asking for `count` records, continuing from `from` when given.
    fn continue_from<'a>(request: Self::Request<'a>, from: Option<&'a str>, count: u16) -> Self::Request<'a>;
}

mod private {
    pub trait Sealed {}
    impl Sealed for crate::list::Contacts {}
    impl Sealed for crate::list::Blacklist {}
}

impl Paged for list::Contacts {
    type Request<'a> = GetContacts<'a>;

    /// A contact's `int_id`: `after_id` needs the server's internal id.
    fn cursor(contact: &Contact<'_>) -> Result<u64, PagingError> {
        contact.raw.get("int_id").and_then(|id| id.to_u64()).ok_or(PagingError::NoInternalId)
    }

    fn continue_from<'a>(request: GetContacts<'a>, from: Option<&'a str>, count: u16) -> GetContacts<'a> {
        let request = request.count(count);
        match from {
            Some(id) => request.after_id(id),
            None => request,
        }
    }
}

impl Paged for list::Blacklist {
    type Request<'a> = GetBlacklist<'a>;

    /// A blacklist record's `id`: the next page holds the records added before it.
    fn cursor(record: &BlacklistEntry<'_>) -> Result<u64, PagingError> {
        record.id.and_then(|id| id.to_u64()).ok_or(PagingError::NoId)
    }

    fn continue_from<'a>(request: GetBlacklist<'a>, from: Option<&'a str>, count: u16) -> GetBlacklist<'a> {
        let request = request.count(count);
        match from {
            Some(id) => request.prev_id(id),
            None => request,
        }
    }
}

/// Pages through a list: feed it every record of a page with [`observe`](Self::observe), then
/// [`end_page`](Self::end_page); ask [`next`](Self::next) for the following request. Error 3
/// (what the server answers for an empty page) ends the list: see [`end_on`](Self::end_on).
///
/// ```
/// use smsc_codec::client::ContactsPager;
/// use smsc_codec::{decode, Auth, Endpoint, Fmt, GetContacts, Request};
///
/// let mut pager = ContactsPager::new(2);
/// let first = pager.next(GetContacts::new(Endpoint::Phones)).unwrap();
/// assert_eq!(Request::new(Auth::api_key("k"), first).to_heapless::<96>()?, "get=1&apikey=k&fmt=3&charset=utf-8&cnt=2");
///
/// let page = br#"[{"phone": "1", "int_id": "41"}, {"phone": "2", "int_id": "57"}]"#;
/// for contact in decode::contacts(page, Fmt::Json, Endpoint::Phones).unwrap() {
///     pager.observe(&contact.unwrap()).unwrap();
/// }
/// pager.end_page();
/// let second = pager.next(GetContacts::new(Endpoint::Phones)).unwrap();
/// assert!(Request::new(Auth::api_key("k"), second).to_heapless::<96>()?.ends_with("&after_id=57&cnt=2"));
///
/// // The next page is empty: the server says error 3, which ends the list.
/// let err = decode::contacts(b"ERROR = 3 (record not found)", Fmt::Json, Endpoint::Phones).unwrap_err();
/// assert!(pager.end_on(err.api().unwrap()));
/// assert!(pager.next(GetContacts::new(Endpoint::Phones)).is_none());
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pager<L: Paged> {
    page_size: u16,
    /// Where the next page starts, kept here so that the next request can borrow it.
    from: Option<Decimal>,
    in_page: u16,
    finished: bool,
    list: PhantomData<fn() -> L>,
}

/// Pages through contacts with `after_id` (from each contact's `int_id`) and `cnt`.
///
/// ```
/// use smsc_codec::client::ContactsPager;
/// use smsc_codec::{Auth, Endpoint, GetContacts, Request};
///
/// let pager = ContactsPager::new(500);
/// let first = pager.next(GetContacts::new(Endpoint::Phones).groups("5922")).unwrap();
/// assert!(Request::new(Auth::api_key("k"), first).to_heapless::<96>()?.ends_with("&grp=5922&cnt=500"));
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
pub type ContactsPager = Pager<list::Contacts>;
/// Pages through the blacklist with `prev_id` and `cnt`.
///
/// ```
/// use smsc_codec::client::BlacklistPager;
/// use smsc_codec::{decode, Auth, Endpoint, Fmt, GetBlacklist, Request};
///
/// let mut pager = BlacklistPager::new(2);
/// for entry in decode::blacklist(b"9,1,0,\n8,2,0,\n", Fmt::Csv, Endpoint::Phones).unwrap() {
///     pager.observe(&entry.unwrap()).unwrap();
/// }
/// pager.end_page();
/// let next = pager.next(GetBlacklist::new(Endpoint::Phones)).unwrap();
/// assert!(Request::new(Auth::api_key("k"), next).to_heapless::<96>()?.ends_with("&prev_id=8&cnt=2"));
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
pub type BlacklistPager = Pager<list::Blacklist>;

impl<L: Paged> Pager<L> {
    /// A pager asking for `page_size` records a request. Like any value, the size is checked
    /// when a request is written: above [`MAX_PAGE`] it fails there with
    /// [`CountTooLarge`](crate::BuildErrorKind::CountTooLarge), as `count(5000)` does.
    pub const fn new(page_size: u16) -> Self {
        Self { page_size, from: None, in_page: 0, finished: false, list: PhantomData }
    }

    /// Notes a record of the current page: the next page starts after it.
    pub fn observe(&mut self, record: &L::Record<'_>) -> Result<(), PagingError> {
        self.from = Some(Decimal::new(L::cursor(record)?));
        self.in_page += 1;
        Ok(())
    }

    /// The page is fully read. A page shorter than the page size was the last; a full page may
    /// be followed by an empty one (error 3).
    pub fn end_page(&mut self) {
        if self.in_page < self.page_size {
            self.finished = true;
        }
        self.in_page = 0;
    }

    /// An API error answered instead of a page: error 3 ends the list (returns `true`); any
    /// other error is the caller's to handle (see [`RetryPolicy`]).
    pub fn end_on(&mut self, error: &ApiError<'_>) -> bool {
        if error.code == ErrorCode::NotFound {
            self.finished = true;
        }
        self.finished
    }

    /// Whether the list has been read to its end.
    pub const fn is_finished(&self) -> bool {
        self.finished
    }

    /// The next request: `request` (with its filters) asking for a page after the last record
    /// read, or `None` once the list ended.
    pub fn next<'a>(&'a self, request: L::Request<'a>) -> Option<L::Request<'a>> {
        match self.finished {
            true => None,
            false => Some(L::continue_from(request, self.from.as_ref().map(Decimal::as_str), self.page_size)),
        }
    }
}

/// A request's identity for the rate limit: FNV-1a over its path and query. Identical requests
/// have the same fingerprint.
///
/// ```
/// use smsc_codec::client::fingerprint;
///
/// let a = fingerprint("/sys/phones.php", b"get=1&apikey=k&fmt=3&charset=utf-8");
/// assert_eq!(a, fingerprint("/sys/phones.php", b"get=1&apikey=k&fmt=3&charset=utf-8"));
/// assert_ne!(a, fingerprint("/sys/mails.php", b"get=1&apikey=k&fmt=3&charset=utf-8"));
/// ```
pub fn fingerprint(path: &str, query: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in path.as_bytes().iter().chain(b"?").chain(query) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The server's window for identical requests, in milliseconds.
///
/// ```
/// use smsc_codec::client::{fingerprint, Admission, RateGuard, IDENTICAL_WINDOW_MS, MAX_IDENTICAL};
///
/// let mut guard = RateGuard::<4>::new();
/// let same = fingerprint("/sys/phones.php", b"get_group=1");
/// for _ in 0..MAX_IDENTICAL {
///     assert_eq!(guard.admit(same, 5), Admission::Go);
///     guard.finished();
/// }
/// assert_eq!(guard.admit(same, 6), Admission::WaitUntil(5 + IDENTICAL_WINDOW_MS));
/// ```
pub const IDENTICAL_WINDOW_MS: u64 = 60_000;
/// Identical requests the server accepts within the window.
///
/// ```
/// use smsc_codec::client::{fingerprint, Admission, RateGuard, MAX_IDENTICAL};
///
/// let mut guard = RateGuard::<4>::new();
/// let same = fingerprint("/sys/phones.php", b"get_group=1");
/// let sent = (0..10).take_while(|_| guard.admit(same, 0) == Admission::Go).count();
/// assert_eq!(sent, usize::from(MAX_IDENTICAL));
/// ```
pub const MAX_IDENTICAL: u16 = 3;
/// Concurrent requests under one login the server accepts (15 or more are refused).
///
/// ```
/// use smsc_codec::client::{fingerprint, Admission, RateGuard, MAX_CONCURRENT};
///
/// let mut guard = RateGuard::<16>::new();
/// for i in 0..MAX_CONCURRENT {
///     assert_eq!(guard.admit(fingerprint("/sys/phones.php", &[i as u8]), 0), Admission::Go);
/// }
/// assert_eq!(guard.admit(fingerprint("/sys/phones.php", b"one more"), 0), Admission::TooManyInFlight);
/// guard.finished();
/// assert_eq!(guard.in_flight(), MAX_CONCURRENT - 1);
/// ```
pub const MAX_CONCURRENT: u16 = 14;

/// [`MAX_IDENTICAL`] as an array length.
const IDENTICAL: usize = MAX_IDENTICAL as usize;

/// What the rate guard says about a request.
///
/// ```
/// use smsc_codec::client::{fingerprint, Admission, RateGuard};
///
/// let mut guard = RateGuard::<8>::new();
/// let request = fingerprint("/sys/phones.php", b"get=1");
/// let now_ms = 0;
/// match guard.admit(request, now_ms) {
///     Admission::Go => { /* send it, then call guard.finished() */ }
///     Admission::WaitUntil(at_ms) => { /* sleep until at_ms, then ask again */ }
///     Admission::TooManyInFlight => { /* wait for a request in flight to finish */ }
/// }
/// # assert_eq!(guard.in_flight(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Admission {
    /// Send it now.
    Go,
    /// Three identical requests went within the last minute: send it at this time (ms).
    WaitUntil(u64),
    /// Too many requests are in flight: wait for one to finish.
    TooManyInFlight,
}

/// Keeps a client under the documented limits: at most three identical requests a minute and
/// fewer than fifteen at once. Fixed capacity: it remembers the sends of the last `N` distinct
/// requests (older ones are forgotten first, which can only make it more permissive for
/// requests repeated after `N` others).
///
/// ```
/// use smsc_codec::client::{fingerprint, Admission, RateGuard};
///
/// let mut guard = RateGuard::<16>::new();
/// let same = fingerprint("/sys/phones.php", b"get=1&apikey=k&fmt=3&charset=utf-8");
/// for t in [0, 10, 20] {
///     assert_eq!(guard.admit(same, t), Admission::Go);
///     guard.finished();
/// }
/// assert_eq!(guard.admit(same, 30), Admission::WaitUntil(60_000));
/// assert_eq!(guard.admit(same, 60_000), Admission::Go);
/// ```
#[derive(Clone, Debug)]
pub struct RateGuard<const N: usize> {
    /// Per request: its fingerprint and the times of its last sends, oldest first.
    recent: heapless::Vec<(u64, [Option<u64>; IDENTICAL]), N>,
    in_flight: u16,
}

impl<const N: usize> Default for RateGuard<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> RateGuard<N> {
    /// A guard with nothing sent.
    pub const fn new() -> Self {
        Self { recent: heapless::Vec::new(), in_flight: 0 }
    }

    /// Requests started and not yet [`finished`](Self::finished).
    pub const fn in_flight(&self) -> u16 {
        self.in_flight
    }

    /// Whether the request with this fingerprint may go at `now_ms`, without recording it.
    pub fn check(&self, request: u64, now_ms: u64) -> Admission {
        if self.in_flight >= MAX_CONCURRENT {
            return Admission::TooManyInFlight;
        }
        let Some((_, sends)) = self.recent.iter().find(|(fp, _)| *fp == request) else {
            return Admission::Go;
        };
        match sends[0] {
            Some(oldest) if sends.iter().all(Option::is_some) && now_ms < oldest + IDENTICAL_WINDOW_MS => {
                Admission::WaitUntil(oldest + IDENTICAL_WINDOW_MS)
            }
            _ => Admission::Go,
        }
    }

    /// Like [`check`](Self::check), and when the answer is [`Admission::Go`] records the send
    /// (the caller sends it now and calls [`finished`](Self::finished) when it completes).
    pub fn admit(&mut self, request: u64, now_ms: u64) -> Admission {
        let admission = self.check(request, now_ms);
        if admission == Admission::Go {
            self.record(request, now_ms);
            self.in_flight += 1;
        }
        admission
    }

    /// A request admitted earlier has completed (answered or failed).
    pub fn finished(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    fn record(&mut self, request: u64, now_ms: u64) {
        let index = match self.recent.iter().position(|(fp, _)| *fp == request) {
            Some(index) => index,
            None => {
                if self.recent.is_full() {
                    // Forget the request sent least recently.
                    let stalest = (0..self.recent.len())
                        .min_by_key(|&i| self.recent[i].1.iter().flatten().max().copied().unwrap_or(0))
                        .unwrap_or(0);
                    self.recent.swap_remove(stalest);
                }
                let _ = self.recent.push((request, [None; IDENTICAL]));
                self.recent.len() - 1
            }
        };
        let sends = &mut self.recent[index].1;
        // Oldest first: drop the oldest, append this one.
        sends.rotate_left(1);
        sends[IDENTICAL - 1] = Some(now_ms);
    }
}

/// What to do after a failed attempt.
///
/// ```
/// use smsc_codec::client::{Retry, RetryPolicy};
///
/// let policy = RetryPolicy::DEFAULT;
/// let waits: Vec<Retry> = (0..6).map(|attempt| policy.on_transport_failure(attempt)).collect();
/// assert_eq!(waits[..3], [Retry::After(1_000), Retry::After(2_000), Retry::After(4_000)]);
/// assert_eq!(waits[5], Retry::GiveUp);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Retry {
    /// Do not retry: the same request cannot succeed (bad parameters, credentials...).
    GiveUp,
    /// Retry after this many milliseconds.
    After(u64),
}

/// When to retry, per API error or transport failure, with exponential backoff, and which host
/// to try.
///
/// ```
/// use smsc_codec::client::{Retry, RetryPolicy};
/// use smsc_codec::{ApiError, ErrorCode};
///
/// let policy = RetryPolicy::DEFAULT;
/// let blocked = ApiError { code: ErrorCode::IpBlocked, description: None };
/// assert_eq!(policy.on_api_error(&blocked, 0), Retry::After(1_000));
/// assert_eq!(policy.on_api_error(&blocked, 2), Retry::After(4_000));
/// let auth = ApiError { code: ErrorCode::Auth, description: None };
/// assert_eq!(policy.on_api_error(&auth, 0), Retry::GiveUp);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    /// Attempts after the first; past them every decision is [`Retry::GiveUp`].
    pub max_retries: u8,
    /// The first backoff, doubled on each retry.
    pub base_delay_ms: u64,
    /// The longest backoff.
    pub max_delay_ms: u64,
}

impl RetryPolicy {
    /// 4 retries, from 1 s up to 60 s.
    pub const DEFAULT: RetryPolicy = RetryPolicy { max_retries: 4, base_delay_ms: 1_000, max_delay_ms: 60_000 };

    fn backoff(&self, attempt: u8) -> u64 {
        let factor = 1u64.checked_shl(u32::from(attempt)).unwrap_or(u64::MAX);
        self.base_delay_ms.saturating_mul(factor).min(self.max_delay_ms)
    }

    /// After the API error `error` on retry number `attempt` (0 for the first failure): error 4
    /// (IP blocked for a while) backs off exponentially; error 9 (rate limit) waits out the
    /// server's one-minute window, or the backoff when that is longer; every other error gives
    /// up.
    pub fn on_api_error(&self, error: &ApiError<'_>, attempt: u8) -> Retry {
        if attempt >= self.max_retries {
            return Retry::GiveUp;
        }
        match error.code {
            ErrorCode::IpBlocked => Retry::After(self.backoff(attempt)),
            ErrorCode::RateLimited => Retry::After(self.backoff(attempt).max(IDENTICAL_WINDOW_MS)),
            _ => Retry::GiveUp,
        }
    }

    /// After a transport failure (no connection, a timeout) on retry number `attempt`: back off
    /// and try the host [`host_for_attempt`] gives.
    pub fn on_transport_failure(&self, attempt: u8) -> Retry {
        match attempt >= self.max_retries {
            true => Retry::GiveUp,
            false => Retry::After(self.backoff(attempt)),
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A host name: the main host or its `wwwN.` backup.
///
/// ```
/// use smsc_codec::client::host_for_attempt;
///
/// let host = host_for_attempt("smsc.kz", 2);
/// assert_eq!(format!("https://{host}/sys/phones.php"), "https://www3.smsc.kz/sys/phones.php");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Host<'a> {
    main: &'a str,
    /// 1 for the main host, 2 to 5 for `www2.` to `www5.`.
    number: u8,
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number {
            1 => f.write_str(self.main),
            n => write!(f, "www{n}.{}", self.main),
        }
    }
}

/// The host for attempt number `attempt` (0 for the first try), as the official libraries fall
/// back: `main`, then `www2.main` to `www5.main`, then `main` again.
///
/// ```
/// use smsc_codec::client::host_for_attempt;
///
/// let hosts: Vec<String> = (0..6).map(|attempt| host_for_attempt("smsc.ua", attempt).to_string()).collect();
/// assert_eq!(hosts, ["smsc.ua", "www2.smsc.ua", "www3.smsc.ua", "www4.smsc.ua", "www5.smsc.ua", "smsc.ua"]);
/// ```
pub fn host_for_attempt(main: &str, attempt: u8) -> Host<'_> {
    Host { main, number: attempt % 5 + 1 }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "json")]
    use crate::{decode, Auth, Endpoint, Fmt, Request};

    #[test]
    fn rate_guard_limits_identical_requests_and_concurrency() {
        let mut guard = RateGuard::<4>::new();
        let a = fingerprint("/sys/phones.php", b"a");
        let b = fingerprint("/sys/phones.php", b"b");
        assert_ne!(a, b);
        for t in [0, 1, 2] {
            assert_eq!(guard.admit(a, t), Admission::Go);
        }
        assert_eq!(guard.admit(a, 3), Admission::WaitUntil(60_000));
        assert_eq!(guard.admit(b, 3), Admission::Go);
        assert_eq!(guard.admit(a, 60_000), Admission::Go);
        // The window slides: the sends at 1 and 2 still count.
        assert_eq!(guard.admit(a, 60_000), Admission::WaitUntil(60_001));
        assert_eq!(guard.admit(a, 60_001), Admission::Go);
        for _ in guard.in_flight()..MAX_CONCURRENT {
            assert_eq!(guard.admit(fingerprint("/", &guard.in_flight().to_le_bytes()), 70_000), Admission::Go);
        }
        assert_eq!(guard.admit(b, 70_000), Admission::TooManyInFlight);
        guard.finished();
        assert_eq!(guard.admit(b, 70_000), Admission::Go);
    }

    #[test]
    #[cfg(feature = "json")]
    fn blacklist_pager_pages_before_the_last_id() {
        let mut pager = BlacklistPager::new(2);
        let body = br#"[{"id": 30, "phone": "1"}, {"id": 12, "phone": "2"}]"#;
        for record in decode::blacklist(body, Fmt::Json, Endpoint::Phones).unwrap() {
            pager.observe(&record.unwrap()).unwrap();
        }
        pager.end_page();
        let next = pager.next(GetBlacklist::new(Endpoint::Phones)).unwrap();
        let query = Request::new(Auth::api_key("k"), next).to_heapless::<96>().unwrap();
        assert!(query.ends_with("&prev_id=12&cnt=2"), "{query}");
        // A short page ends the list.
        let body = br#"[{"id": 5, "phone": "3"}]"#;
        for record in decode::blacklist(body, Fmt::Json, Endpoint::Phones).unwrap() {
            pager.observe(&record.unwrap()).unwrap();
        }
        pager.end_page();
        assert!(pager.is_finished());
    }

    #[test]
    #[cfg(feature = "json")]
    fn contact_without_int_id_cannot_be_paged() {
        let mut pager = ContactsPager::new(10);
        let body = br#"[{"phone": "1"}]"#;
        let contact = decode::contacts(body, Fmt::Json, Endpoint::Phones).unwrap().next().unwrap().unwrap();
        assert_eq!(pager.observe(&contact), Err(PagingError::NoInternalId));
    }

    #[test]
    fn retry_policy() {
        let policy = RetryPolicy::DEFAULT;
        let limited = ApiError { code: ErrorCode::RateLimited, description: None };
        assert_eq!(policy.on_api_error(&limited, 0), Retry::After(60_000));
        assert_eq!(policy.on_api_error(&limited, 4), Retry::GiveUp);
        let params = ApiError { code: ErrorCode::Parameters, description: None };
        assert_eq!(policy.on_api_error(&params, 0), Retry::GiveUp);
        let huge = RetryPolicy { max_retries: 200, ..policy };
        assert_eq!(huge.on_transport_failure(100), Retry::After(60_000));
        let mut buf = heapless::String::<32>::new();
        core::fmt::write(&mut buf, format_args!("{}", host_for_attempt("smsc.kz", 1))).unwrap();
        assert_eq!(buf, "www2.smsc.kz");
    }
}
