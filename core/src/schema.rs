//! The fields of each list record, per endpoint, with the shape each value can take.

use crate::Endpoint;

/// What a raw value can look like; used only to tell apart the readings of an ambiguous line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Anything.
    Free,
    /// Decimal digits, or empty.
    Digits,
    /// Decimal digits, at least one.
    Id,
    /// A blacklist type: `0`, `1` or `2`.
    BlockType,
    /// Group ids: digits separated by commas, or empty.
    IdList,
    /// `dd.mm.yyyy`, or empty.
    Date,
    /// Phone numbers with any separator.
    PhoneList,
    /// E-mail addresses separated by commas, semicolons or spaces.
    MailList,
}

/// The fields of a record on one endpoint, in the order the server writes them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Schema {
    pub names: &'static [&'static str],
    pub shapes: &'static [Shape],
}

impl Schema {
    /// The most fields any record has (a contact).
    pub(crate) const MAX_FIELDS: usize = 11;

    pub(crate) const fn len(&self) -> usize {
        self.names.len()
    }

    pub(crate) fn shape(&self, index: usize) -> Shape {
        self.shapes.get(index).copied().unwrap_or(Shape::Free)
    }

    pub(crate) fn index_of(&self, key: &[u8]) -> Option<usize> {
        self.names.iter().position(|name| name.as_bytes() == key)
    }
}

/// A record's schema on both endpoints.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Schemas {
    phones: Schema,
    mails: Schema,
}

impl Schemas {
    pub(crate) const fn for_endpoint(&self, endpoint: Endpoint) -> Schema {
        match endpoint {
            Endpoint::Phones => self.phones,
            Endpoint::Mails => self.mails,
        }
    }
}

use Shape::*;

const CONTACT_SHAPES: [Shape; 11] = [PhoneList, Free, IdList, Free, Free, Free, Date, Free, Free, Free, PhoneList];
const MAIL_CONTACT_SHAPES: [Shape; 11] = [MailList, Free, IdList, Free, Free, Free, Date, Free, Free, Free, MailList];

pub(crate) const CONTACTS: Schemas = Schemas {
    phones: Schema {
        names: &[
            "phone",
            "name",
            "group",
            "first_name",
            "last_name",
            "middle_name",
            "birthday",
            "id",
            "comments",
            "tags",
            "phone_other",
        ],
        shapes: &CONTACT_SHAPES,
    },
    mails: Schema {
        names: &[
            "mail",
            "name",
            "group",
            "first_name",
            "last_name",
            "middle_name",
            "birthday",
            "id",
            "comments",
            "tags",
            "mail_other",
        ],
        shapes: &MAIL_CONTACT_SHAPES,
    },
};

const GROUP: Schema = Schema { names: &["id", "name", "number", "cnt"], shapes: &[Digits, Free, Digits, Digits] };

pub(crate) const GROUPS: Schemas = Schemas { phones: GROUP, mails: GROUP };

pub(crate) const BLACKLIST: Schemas = Schemas {
    phones: Schema { names: &["id", "phone", "type", "comment"], shapes: &[Id, PhoneList, BlockType, Free] },
    mails: Schema { names: &["id", "email", "type", "comment"], shapes: &[Id, MailList, BlockType, Free] },
};
