//! Contact commands: `add`, `chg`, `del`, `get`.

use super::{emit, setters, Command, CommandKind};
use crate::error::BuildError;
use crate::query::Decimal;
use crate::Endpoint;

/// The optional fields shared by `add` and `chg`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct ContactFields<'a> {
    name: Option<&'a str>,
    grp: Option<&'a str>,
    lnm: Option<&'a str>,
    fnm: Option<&'a str>,
    mnm: Option<&'a str>,
    bd: Option<&'a str>,
    myid: Option<&'a str>,
    cmt: Option<&'a str>,
    tags: Option<&'a str>,
    pho: Option<&'a str>,
}

impl<'a> ContactFields<'a> {
    const EMPTY: Self = Self {
        name: None,
        grp: None,
        lnm: None,
        fnm: None,
        mnm: None,
        bd: None,
        myid: None,
        cmt: None,
        tags: None,
        pho: None,
    };

    fn pairs(&self) -> [(&'static str, Option<&'a str>); 10] {
        [
            ("name", self.name),
            ("grp", self.grp),
            ("lnm", self.lnm),
            ("fnm", self.fnm),
            ("mnm", self.mnm),
            ("bd", self.bd),
            ("myid", self.myid),
            ("cmt", self.cmt),
            ("tags", self.tags),
            ("pho", self.pho),
        ]
    }
}

/// Generates the contact-field setters on a type with a `fields: ContactFields` member.
macro_rules! contact_setters {
    () => {
        /// `name`: the contact's name.
        #[must_use]
        pub const fn name(mut self, value: &'a str) -> Self {
            self.fields.name = Some(value);
            self
        }
        /// `grp`: group ids, comma-separated (numeric, checked).
        #[must_use]
        pub const fn groups(mut self, value: &'a str) -> Self {
            self.fields.grp = Some(value);
            self
        }
        /// `lnm`: last name.
        #[must_use]
        pub const fn last_name(mut self, value: &'a str) -> Self {
            self.fields.lnm = Some(value);
            self
        }
        /// `fnm`: first name.
        #[must_use]
        pub const fn first_name(mut self, value: &'a str) -> Self {
            self.fields.fnm = Some(value);
            self
        }
        /// `mnm`: middle name.
        #[must_use]
        pub const fn middle_name(mut self, value: &'a str) -> Self {
            self.fields.mnm = Some(value);
            self
        }
        /// `bd`: birthday, `dd.mm.yyyy` (checked).
        #[must_use]
        pub const fn birthday(mut self, value: &'a str) -> Self {
            self.fields.bd = Some(value);
            self
        }
        /// `myid`: the client's own id for the contact; `get` lists it as `id`.
        #[must_use]
        pub const fn my_id(mut self, value: &'a str) -> Self {
            self.fields.myid = Some(value);
            self
        }
        /// `cmt`: comments.
        #[must_use]
        pub const fn comment(mut self, value: &'a str) -> Self {
            self.fields.cmt = Some(value);
            self
        }
        /// `tags`: tags.
        #[must_use]
        pub const fn tags(mut self, value: &'a str) -> Self {
            self.fields.tags = Some(value);
            self
        }
        /// `pho`: other numbers (or addresses), never messaged; listed as `phone_other`.
        #[must_use]
        pub const fn other_phones(mut self, value: &'a str) -> Self {
            self.fields.pho = Some(value);
            self
        }
    };
}

/// `add=1`: create a contact. Answered with the new id.
///
/// ```
/// use smsc_codec::{AddContact, Auth, Request};
///
/// let add = AddContact::mail("ivan@example.com").name("Іван").birthday("01.02.1990");
/// let query = Request::new(Auth::api_key("k"), add).to_heapless::<256>()?;
/// assert!(query.ends_with("&mail=ivan%40example.com&name=%D0%86%D0%B2%D0%B0%D0%BD&bd=01.02.1990"));
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddContact<'a> {
    endpoint: Endpoint,
    phone: &'a str,
    fields: ContactFields<'a>,
}

impl<'a> AddContact<'a> {
    /// A phone contact: `phone` is one or more numbers, any separator. A leading `+` switches
    /// off the server's number correction and is sent as `%2B`.
    pub const fn phone(phone: &'a str) -> Self {
        Self { endpoint: Endpoint::Phones, phone, fields: ContactFields::EMPTY }
    }

    /// An e-mail contact (mails.php): `mail` is one or more addresses.
    pub const fn mail(mail: &'a str) -> Self {
        Self { endpoint: Endpoint::Mails, phone: mail, fields: ContactFields::EMPTY }
    }

    contact_setters!();
}

impl Command for AddContact<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::AddContact
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        f("phone", self.phone)?;
        emit(&self.fields.pairs(), f)
    }
}

/// `chg=1`: change the contact identified by its number (or address). Answered with `OK`.
///
/// ```
/// use smsc_codec::{Auth, ChangeContact, Request};
///
/// let query = Request::new(Auth::api_key("k"), ChangeContact::phone("79991112233").new_phones("79991112234").comment("VIP")).to_heapless::<256>()?;
/// assert_eq!(query, "chg=1&apikey=k&fmt=3&charset=utf-8&phone=79991112233&new_phone=79991112234&cmt=VIP");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeContact<'a> {
    endpoint: Endpoint,
    phone: &'a str,
    new_phone: Option<&'a str>,
    fields: ContactFields<'a>,
}

impl<'a> ChangeContact<'a> {
    /// The phone contact with this number.
    pub const fn phone(phone: &'a str) -> Self {
        Self { endpoint: Endpoint::Phones, phone, new_phone: None, fields: ContactFields::EMPTY }
    }

    /// The e-mail contact with this address (mails.php).
    pub const fn mail(mail: &'a str) -> Self {
        Self { endpoint: Endpoint::Mails, phone: mail, new_phone: None, fields: ContactFields::EMPTY }
    }

    setters! {
        /// `new_phone` (`new_mail` on mails.php): the new list of numbers (or addresses).
        new_phones => new_phone;
    }

    contact_setters!();
}

impl Command for ChangeContact<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::ChangeContact
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        f("phone", self.phone)?;
        emit(&[("new_phone", self.new_phone)], f)?;
        emit(&self.fields.pairs(), f)
    }
}

/// `del=1`: delete the contact with this number (or address). Answered with `OK`.
///
/// ```
/// use smsc_codec::{Auth, DeleteContact, Request};
///
/// let query = Request::new(Auth::api_key("k"), DeleteContact::mail("a@example.com")).to_heapless::<256>()?;
/// assert_eq!(query, "del=1&apikey=k&fmt=3&charset=utf-8&mail=a%40example.com");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeleteContact<'a> {
    endpoint: Endpoint,
    phone: &'a str,
}

impl<'a> DeleteContact<'a> {
    /// The phone contact with this number.
    pub const fn phone(phone: &'a str) -> Self {
        Self { endpoint: Endpoint::Phones, phone }
    }

    /// The e-mail contact with this address (mails.php).
    pub const fn mail(mail: &'a str) -> Self {
        Self { endpoint: Endpoint::Mails, phone: mail }
    }
}

impl Command for DeleteContact<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::DeleteContact
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

/// `get=1`: list contacts, optionally filtered, a page at a time.
///
/// ```
/// use smsc_codec::{Auth, Endpoint, GetContacts, Request};
///
/// let page = GetContacts::new(Endpoint::Phones).after_id("1200").count(1000);
/// let query = Request::new(Auth::password("l", "p"), page).to_heapless::<128>()?;
/// assert_eq!(query, "get=1&login=l&psw=p&fmt=3&charset=utf-8&after_id=1200&cnt=1000");
/// # Ok::<(), smsc_codec::BuildError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GetContacts<'a> {
    endpoint: Endpoint,
    grp: Option<&'a str>,
    phone: Option<&'a str>,
    fio: Option<&'a str>,
    search: Option<&'a str>,
    after_id: Option<&'a str>,
    cnt: Option<u16>,
}

impl<'a> GetContacts<'a> {
    /// Every contact of the endpoint.
    pub const fn new(endpoint: Endpoint) -> Self {
        Self { endpoint, grp: None, phone: None, fio: None, search: None, after_id: None, cnt: None }
    }

    setters! {
        /// `grp`: only contacts in these groups.
        groups => grp;
        /// `phone` (`mail` on mails.php): only the contact with this number (or address).
        phone => phone;
        /// `fio`: filter on any part of the full name.
        full_name => fio;
        /// `search`: filter on name and/or number.
        search => search;
        /// `after_id`: the page after this internal contact id.
        after_id => after_id;
    }

    /// `cnt`: at most this many contacts (at most [`MAX_PAGE`](crate::client::MAX_PAGE), checked).
    #[must_use]
    pub const fn count(mut self, count: u16) -> Self {
        self.cnt = Some(count);
        self
    }
}

impl Command for GetContacts<'_> {
    fn kind(&self) -> CommandKind {
        CommandKind::GetContacts
    }

    fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    fn for_each_param(
        &self,
        f: &mut dyn FnMut(&'static str, &str) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        emit(
            &[
                ("grp", self.grp),
                ("phone", self.phone),
                ("fio", self.fio),
                ("search", self.search),
                ("after_id", self.after_id),
            ],
            f,
        )?;
        match self.cnt {
            Some(cnt) => f("cnt", Decimal::new(cnt.into()).as_str()),
            None => Ok(()),
        }
    }
}
