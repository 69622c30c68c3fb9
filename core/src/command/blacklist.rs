//! Blacklist commands: `add_black`, `del_black`, `get_black`.

use super::{emit, setters, Command, CommandKind};
use crate::error::BuildError;
use crate::query::Decimal;
use crate::Endpoint;

/// What a blacklist entry blocks (`type`).
///
/// ```
/// use smsc_codec::{AddBlacklistEntry, Auth, BlockType, Request};
///
/// let query = Request::new(Auth::api_key("k"), AddBlacklistEntry::phone("79991112233").block_type(BlockType::Single)).to_heapless::<256>()?;
/// assert_eq!(query, "add_black=1&apikey=k&fmt=3&charset=utf-8&phone=79991112233&type=2");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockType {
    /// 0: all messages.
    All,
    /// 1: mass mailings.
    Mass,
    /// 2: single messages.
    Single,
}

impl BlockType {
    /// The wire value.
    pub const fn wire(self) -> &'static str {
        match self {
            Self::All => "0",
            Self::Mass => "1",
            Self::Single => "2",
        }
    }

    /// The block type for a wire value.
    ///
    /// ```
    /// use smsc_codec::BlockType;
    ///
    /// assert_eq!(BlockType::from_wire("2"), Some(BlockType::Single));
    /// assert_eq!(BlockType::Mass.wire(), "1");
    /// ```
    pub fn from_wire(value: &str) -> Option<Self> {
        [Self::All, Self::Mass, Self::Single].into_iter().find(|t| t.wire() == value)
    }
}

/// `add_black=1`: blacklist a number (or address). Answered with the new id.
///
/// ```
/// use smsc_codec::{AddBlacklistEntry, Auth, Request};
///
/// let query = Request::new(Auth::api_key("k"), AddBlacklistEntry::mail("spam@example.com").comment("скарга")).to_heapless::<256>()?;
/// assert_eq!(query, "add_black=1&apikey=k&fmt=3&charset=utf-8&mail=spam%40example.com&cmt=%D1%81%D0%BA%D0%B0%D1%80%D0%B3%D0%B0");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddBlacklistEntry<'a> {
    endpoint: Endpoint,
    phone: &'a str,
    block: Option<BlockType>,
    cmt: Option<&'a str>,
}

impl<'a> AddBlacklistEntry<'a> {
    /// Blacklist one phone number.
    pub const fn phone(phone: &'a str) -> Self {
        Self { endpoint: Endpoint::Phones, phone, block: None, cmt: None }
    }

    /// Blacklist one e-mail address (mails.php).
    pub const fn mail(mail: &'a str) -> Self {
        Self { endpoint: Endpoint::Mails, phone: mail, block: None, cmt: None }
    }

    /// `type`: what to block.
    #[must_use]
    pub const fn block_type(mut self, block: BlockType) -> Self {
        self.block = Some(block);
        self
    }

    setters! {
        /// `cmt`: a comment.
        comment => cmt;
    }
}

impl Command for AddBlacklistEntry<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::AddBlacklistEntry
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        f("phone", self.phone)?;
        emit(&[("type", self.block.map(BlockType::wire)), ("cmt", self.cmt)], f)
    }
}

/// `del_black=1`: remove a number (or address) from the blacklist. Answered with `OK`.
///
/// ```
/// use smsc_codec::{Auth, DeleteBlacklistEntry, Request};
///
/// let query = Request::new(Auth::api_key("k"), DeleteBlacklistEntry::phone("79991112233")).to_heapless::<256>()?;
/// assert_eq!(query, "del_black=1&apikey=k&fmt=3&charset=utf-8&phone=79991112233");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeleteBlacklistEntry<'a> {
    endpoint: Endpoint,
    phone: &'a str,
}

impl<'a> DeleteBlacklistEntry<'a> {
    /// One phone number.
    pub const fn phone(phone: &'a str) -> Self {
        Self { endpoint: Endpoint::Phones, phone }
    }

    /// One e-mail address (mails.php).
    pub const fn mail(mail: &'a str) -> Self {
        Self { endpoint: Endpoint::Mails, phone: mail }
    }
}

impl Command for DeleteBlacklistEntry<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::DeleteBlacklistEntry
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        f("phone", self.phone)
    }
}

/// `get_black=1`: list the blacklist, newest first, a page at a time.
///
/// ```
/// use smsc_codec::{Auth, Endpoint, GetBlacklist, Request};
///
/// let query = Request::new(Auth::api_key("k"), GetBlacklist::new(Endpoint::Phones).prev_id("31").count(100)).to_heapless::<256>()?;
/// assert_eq!(query, "get_black=1&apikey=k&fmt=3&charset=utf-8&prev_id=31&cnt=100");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GetBlacklist<'a> {
    endpoint: Endpoint,
    prev_id: Option<&'a str>,
    cnt: Option<u16>,
}

impl<'a> GetBlacklist<'a> {
    /// The whole blacklist of the endpoint.
    pub const fn new(endpoint: Endpoint) -> Self {
        Self { endpoint, prev_id: None, cnt: None }
    }

    setters! {
        /// `prev_id`: the records added before this blacklist id.
        prev_id => prev_id;
    }

    /// `cnt`: at most this many records (at most [`MAX_PAGE`](crate::client::MAX_PAGE), checked).
    #[must_use]
    pub const fn count(mut self, count: u16) -> Self {
        self.cnt = Some(count);
        self
    }
}

impl Command for GetBlacklist<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::GetBlacklist
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        emit(&[("prev_id", self.prev_id)], f)?;
        match self.cnt {
            Some(cnt) => f("cnt", Decimal::new(cnt.into()).as_str()),
            None => Ok(()),
        }
    }
}
