//! Group commands: `add_group`, `chg_group`, `move_group`, `del_group`, `get_group`.

use super::{emit, setters, Command, CommandKind};
use crate::error::BuildError;
use crate::Endpoint;

/// The `type` of a group.
///
/// ```
/// use smsc_codec::{Auth, Endpoint, GetGroups, GroupType, Request};
///
/// let query = Request::new(Auth::api_key("k"), GetGroups::new(Endpoint::Mails).group_type(GroupType::Mail)).to_heapless::<256>()?;
/// assert_eq!(query, "get_group=1&apikey=k&fmt=3&charset=utf-8&type=1");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupType {
    /// 0: a phone group.
    Phone,
    /// 1: an e-mail group.
    Mail,
}

impl GroupType {
    /// The wire value.
    pub const fn wire(self) -> &'static str {
        match self {
            Self::Phone => "0",
            Self::Mail => "1",
        }
    }

    /// The type for a wire value.
    ///
    /// ```
    /// use smsc_codec::GroupType;
    ///
    /// assert_eq!(GroupType::from_wire("1"), Some(GroupType::Mail));
    /// assert_eq!(GroupType::Mail.wire(), "1");
    /// ```
    pub fn from_wire(value: &str) -> Option<Self> {
        [Self::Phone, Self::Mail].into_iter().find(|t| t.wire() == value)
    }
}

/// `add_group=1`: create a group. Answered with the new id.
///
/// ```
/// use smsc_codec::{AddGroup, Auth, Endpoint, Request};
///
/// let query = Request::new(Auth::api_key("k"), AddGroup::new(Endpoint::Phones, "Друзі").number("100")).to_heapless::<256>()?;
/// assert_eq!(query, "add_group=1&apikey=k&fmt=3&charset=utf-8&name=%D0%94%D1%80%D1%83%D0%B7%D1%96&num=100");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddGroup<'a> {
    endpoint: Endpoint,
    name: &'a str,
    num: Option<&'a str>,
    group_type: Option<GroupType>,
}

impl<'a> AddGroup<'a> {
    /// A group named `name` on `endpoint`.
    pub const fn new(endpoint: Endpoint, name: &'a str) -> Self {
        Self { endpoint, name, num: None, group_type: None }
    }

    setters! {
        /// `num`: the group's number for mailings, unique (numeric, checked).
        number => num;
    }

    /// `type`: a phone or e-mail group.
    #[must_use]
    pub const fn group_type(mut self, group_type: GroupType) -> Self {
        self.group_type = Some(group_type);
        self
    }
}

impl Command for AddGroup<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::AddGroup
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        f("name", self.name)?;
        emit(&[("num", self.num), ("type", self.group_type.map(GroupType::wire))], f)
    }
}

/// `chg_group=1`: rename a group or change its number. Answered with `OK`.
///
/// ```
/// use smsc_codec::{Auth, ChangeGroup, Endpoint, Request};
///
/// let query = Request::new(Auth::api_key("k"), ChangeGroup::new(Endpoint::Phones, "5922", "VIP")).to_heapless::<256>()?;
/// assert_eq!(query, "chg_group=1&apikey=k&fmt=3&charset=utf-8&grp=5922&name=VIP");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeGroup<'a> {
    endpoint: Endpoint,
    grp: &'a str,
    name: &'a str,
    num: Option<&'a str>,
}

impl<'a> ChangeGroup<'a> {
    /// The group with id `group` (`grp`) gets the name `name`.
    pub const fn new(endpoint: Endpoint, group: &'a str, name: &'a str) -> Self {
        Self { endpoint, grp: group, name, num: None }
    }

    setters! {
        /// `num`: the new number for mailings.
        number => num;
    }
}

impl Command for ChangeGroup<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::ChangeGroup
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        f("grp", self.grp)?;
        f("name", self.name)?;
        emit(&[("num", self.num)], f)
    }
}

/// What `move_group` does.
///
/// ```
/// use smsc_codec::{Auth, MoveGroup, MoveMode, Request};
///
/// let query = Request::new(Auth::api_key("k"), MoveGroup::phone(MoveMode::Remove, "5922", "79991112233")).to_heapless::<256>()?;
/// assert_eq!(query, "move_group=3&apikey=k&fmt=3&charset=utf-8&grp=5922&phone=79991112233");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MoveMode {
    /// `move_group=1`: the group replaces all of the contact's groups.
    Replace,
    /// `move_group=2`: the contact joins the group too.
    Add,
    /// `move_group=3`: the contact leaves the group.
    Remove,
}

impl MoveMode {
    /// The flag value.
    pub const fn wire(self) -> &'static str {
        match self {
            Self::Replace => "1",
            Self::Add => "2",
            Self::Remove => "3",
        }
    }

    /// The mode for a flag value.
    pub fn from_wire(value: &str) -> Option<Self> {
        [Self::Replace, Self::Add, Self::Remove].into_iter().find(|mode| mode.wire() == value)
    }
}

/// `move_group=1|2|3`: change a contact's groups. Answered with `OK`.
///
/// ```
/// use smsc_codec::{Auth, MoveGroup, MoveMode, Request};
///
/// let add_to = MoveGroup::phone(MoveMode::Add, "5922", "+79991112233");
/// let query = Request::new(Auth::password("l", "p"), add_to).to_heapless::<128>()?;
/// assert_eq!(query, "move_group=2&login=l&psw=p&fmt=3&charset=utf-8&grp=5922&phone=%2B79991112233");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MoveGroup<'a> {
    endpoint: Endpoint,
    mode: MoveMode,
    grp: &'a str,
    phone: &'a str,
}

impl<'a> MoveGroup<'a> {
    /// For the phone contact with number `phone` and the group with id `group` (`grp`).
    pub const fn phone(mode: MoveMode, group: &'a str, phone: &'a str) -> Self {
        Self { endpoint: Endpoint::Phones, mode, grp: group, phone }
    }

    /// For the e-mail contact with address `mail` and the group with id `group` (mails.php).
    pub const fn mail(mode: MoveMode, group: &'a str, mail: &'a str) -> Self {
        Self { endpoint: Endpoint::Mails, mode, grp: group, phone: mail }
    }
}

impl Command for MoveGroup<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::MoveGroup
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn flag(&self) -> &'static str {
        self.mode.wire()
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        f("grp", self.grp)?;
        f("phone", self.phone)
    }
}

/// `del_group=1`: delete a group. Answered with `OK`.
///
/// ```
/// use smsc_codec::{Auth, DeleteGroup, Endpoint, Request};
///
/// let query = Request::new(Auth::api_key("k"), DeleteGroup::new(Endpoint::Phones, "5922")).to_heapless::<256>()?;
/// assert_eq!(query, "del_group=1&apikey=k&fmt=3&charset=utf-8&grp=5922");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeleteGroup<'a> {
    endpoint: Endpoint,
    grp: &'a str,
}

impl<'a> DeleteGroup<'a> {
    /// The group with id `group` (`grp`).
    pub const fn new(endpoint: Endpoint, group: &'a str) -> Self {
        Self { endpoint, grp: group }
    }
}

impl Command for DeleteGroup<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::DeleteGroup
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        f("grp", self.grp)
    }
}

/// `get_group=1`: list groups.
///
/// ```
/// use smsc_codec::{Auth, Endpoint, GetGroups, Request};
///
/// let query = Request::new(Auth::api_key("k"), GetGroups::new(Endpoint::Phones)).to_heapless::<256>()?;
/// assert_eq!(query, "get_group=1&apikey=k&fmt=3&charset=utf-8");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GetGroups {
    endpoint: Endpoint,
    group_type: Option<GroupType>,
}

impl GetGroups {
    /// Every group of the endpoint.
    pub const fn new(endpoint: Endpoint) -> Self {
        Self { endpoint, group_type: None }
    }

    /// `type`: only phone or only e-mail groups.
    #[must_use]
    pub const fn group_type(mut self, group_type: GroupType) -> Self {
        self.group_type = Some(group_type);
        self
    }
}

impl Command for GetGroups {
    fn kind(&self) -> CommandKind {
        CommandKind::GetGroups
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        emit(&[("type", self.group_type.map(GroupType::wire))], f)
    }
}
