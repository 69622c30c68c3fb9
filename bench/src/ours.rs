//! smsc-codec's side of every benchmark: decode, then read every field as a user would.
//!
//! "Reading a field" means getting its unescaped value as a `&str` and looking at it: the
//! borrowed slice of the body when the value holds no escape ([`Text::as_borrowed`]), otherwise
//! the value unescaped into a reused stack buffer ([`Text::unescape_into`]). That is exactly what
//! a `Cow<str>` field of the alternatives holds after deserialisation, so both sides end with the
//! same `&str` for every field, and both fold it into the same [`checksum`].

use smsc_codec::list::List;
use smsc_codec::{
    decode, AddContact, Auth, BlacklistDecoder, ContactsDecoder, Endpoint, Event, Fmt, GroupsDecoder, ListDecoder,
    ListKind, Record, Request, Text,
};

/// Folds one field value into a running checksum: its length and its first byte. Every
/// benchmark of every side returns the sum over all fields of all records, so the optimiser
/// cannot drop the work, and the tests can check that the sides read the same values.
#[inline]
pub fn checksum(value: &[u8]) -> u64 {
    (value.len() as u64) * 31 + u64::from(value.first().copied().unwrap_or(0))
}

/// The scratch buffer a user keeps for unescaping: on the stack, reused for every field.
pub type Scratch = [u8; 1024];

/// Reads one field the way a user would: the borrowed `&str`, or the value unescaped into
/// `scratch` when it holds escapes. Absent fields count nothing.
#[inline]
pub fn read(field: Option<Text<'_>>, scratch: &mut Scratch) -> u64 {
    let Some(text) = field else { return 0 };
    match text.as_borrowed() {
        Some(value) => checksum(value.as_bytes()),
        None => checksum(text.unescape_into(scratch).expect("a field fits the scratch buffer").as_bytes()),
    }
}

/// The most fields a record has: a contact's eleven.
pub const MAX_FIELDS: usize = 11;

const _: () = {
    assert!(ListKind::Contacts.field_names(Endpoint::Phones).len() <= MAX_FIELDS);
    assert!(ListKind::Groups.field_names(Endpoint::Phones).len() <= MAX_FIELDS);
    assert!(ListKind::Blacklist.field_names(Endpoint::Phones).len() <= MAX_FIELDS);
};

/// Reads every field of a record by position ([`Record::field`], in the order of
/// [`ListKind::field_names`]): the field order is written only in the codec.
///
/// The loop over the positions is written out (indices `0..MAX_FIELDS`, each below the record's
/// field count) rather than `for i in 0..count`: the codec's `field` indexes an array of all the
/// record's fields, which folds to a plain field access for a constant index; with a loop counter
/// whole-body decoding measured 10-20 % slower in every fmt (quick bin, A/B on the same codec).
#[inline]
pub fn read_record<'a, R: Record<'a>>(record: &R, scratch: &mut Scratch) -> u64 {
    // The same count on both endpoints.
    let count = R::KIND.field_names(Endpoint::Phones).len();
    macro_rules! positions {
        ($($i:literal)*) => { 0 $(+ if $i < count { read(record.field($i), scratch) } else { 0 })* };
    }
    positions!(0 1 2 3 4 5 6 7 8 9 10)
}

/// Whole-body decode of a contact list, every field of every record read.
pub fn contacts(body: &[u8], fmt: Fmt) -> u64 {
    let mut scratch = [0u8; 1024];
    let mut sum = 0;
    for contact in decode::contacts(body, fmt, Endpoint::Phones).expect("a list") {
        sum += read_record(&contact.expect("a record"), &mut scratch);
    }
    sum
}

/// Whole-body decode of a group list, every field read.
pub fn groups(body: &[u8], fmt: Fmt) -> u64 {
    let mut scratch = [0u8; 1024];
    let mut sum = 0;
    for group in decode::groups(body, fmt, Endpoint::Phones).expect("a list") {
        sum += read_record(&group.expect("a record"), &mut scratch);
    }
    sum
}

/// Whole-body decode of a blacklist, every field read.
pub fn blacklist(body: &[u8], fmt: Fmt) -> u64 {
    let mut scratch = [0u8; 1024];
    let mut sum = 0;
    for record in decode::blacklist(body, fmt, Endpoint::Phones).expect("a list") {
        sum += read_record(&record.expect("a record"), &mut scratch);
    }
    sum
}

/// Streams `body` through a buffer of `N` bytes, the way a caller reading a socket does: fill
/// the free part of the buffer, decode records until "need more", move the unconsumed tail to
/// the front, read again. `read_record` reads every field of each record.
pub fn stream<const N: usize, L: List>(
    body: &[u8],
    mut decoder: ListDecoder<L>,
    mut read_record: impl FnMut(&L::Record<'_>) -> u64,
) -> u64 {
    let mut buf = [0u8; N];
    let (mut filled, mut fed, mut sum) = (0, 0, 0);
    loop {
        let take = (body.len() - fed).min(N - filled);
        buf[filled..filled + take].copy_from_slice(&body[fed..fed + take]);
        (filled, fed) = (filled + take, fed + take);
        let eof = fed == body.len();
        let mut start = 0;
        loop {
            let step = decoder.decode(&buf[start..filled], eof).expect("a well-formed list");
            start += step.consumed;
            match step.event {
                Event::Record(record) => sum += read_record(&record),
                Event::NeedMore => break,
                Event::End | Event::ApiError(_) => return sum,
            }
        }
        assert!(start > 0 || filled < N, "a record larger than the {N}-byte buffer");
        buf.copy_within(start..filled, 0);
        filled -= start;
    }
}

/// Streaming decode of a contact list through a 512-byte buffer, every field read.
pub fn contacts_stream_512(body: &[u8], fmt: Fmt) -> u64 {
    let mut scratch = [0u8; 1024];
    stream::<512, _>(body, ContactsDecoder::new(fmt, Endpoint::Phones), |c| read_record(c, &mut scratch))
}

/// [`contacts_stream_512`] through the std reader adapter (`read::IoReader` over the body as a
/// `Read`), which keeps each record as places in the buffer and checks its UTF-8 again.
pub fn contacts_reader_512(body: &[u8], fmt: Fmt) -> u64 {
    let mut scratch = [0u8; 1024];
    let mut buf = [0u8; 512];
    let mut reader = smsc_codec::read::IoReader::contacts(body, &mut buf, fmt, Endpoint::Phones);
    let mut sum = 0;
    while let Some(contact) = reader.next().expect("a well-formed list") {
        sum += read_record(&contact, &mut scratch);
    }
    sum
}

/// Streaming decode of a group list through a 512-byte buffer, every field read.
pub fn groups_stream_512(body: &[u8], fmt: Fmt) -> u64 {
    let mut scratch = [0u8; 1024];
    stream::<512, _>(body, GroupsDecoder::new(fmt, Endpoint::Phones), |g| read_record(g, &mut scratch))
}

/// Streaming decode of a blacklist through a 512-byte buffer, every field read.
pub fn blacklist_stream_512(body: &[u8], fmt: Fmt) -> u64 {
    let mut scratch = [0u8; 1024];
    stream::<512, _>(body, BlacklistDecoder::new(fmt, Endpoint::Phones), |b| read_record(b, &mut scratch))
}

/// The `add` command with every field set: the values of the query benchmark.
#[derive(Clone, Copy, Debug)]
pub struct AddValues {
    /// `login`.
    pub login: &'static str,
    /// `psw`.
    pub psw: &'static str,
    /// `phone`.
    pub phone: &'static str,
    /// `name`.
    pub name: &'static str,
    /// `grp`.
    pub groups: &'static str,
    /// `lnm`.
    pub last_name: &'static str,
    /// `fnm`.
    pub first_name: &'static str,
    /// `mnm`.
    pub middle_name: &'static str,
    /// `bd`.
    pub birthday: &'static str,
    /// `myid`.
    pub my_id: &'static str,
    /// `cmt`.
    pub comment: &'static str,
    /// `tags`.
    pub tags: &'static str,
    /// `pho`.
    pub other_phones: &'static str,
}

/// Realistic values: Cyrillic names, a comment with punctuation, a `+` that must travel as `%2B`.
pub const ADD: AddValues = AddValues {
    login: "shop_ua",
    psw: "s3cr3t p@ss",
    phone: "+380501234567",
    name: "Іван Петренко",
    groups: "5922,6011",
    last_name: "Петренко",
    first_name: "Іван",
    middle_name: "Олександрович",
    birthday: "15.03.1985",
    my_id: "1001",
    comment: "Сказав \"так\" & <терміново>, передзвонити",
    tags: "vip;опт",
    other_phones: "+380671112233,380931234567",
};

/// Builds the `add` request with every field and writes its query into `buf`: its length.
pub fn query(v: &AddValues, buf: &mut [u8]) -> usize {
    let add = AddContact::phone(v.phone)
        .name(v.name)
        .groups(v.groups)
        .last_name(v.last_name)
        .first_name(v.first_name)
        .middle_name(v.middle_name)
        .birthday(v.birthday)
        .my_id(v.my_id)
        .comment(v.comment)
        .tags(v.tags)
        .other_phones(v.other_phones);
    Request::new(Auth::password(v.login, v.psw), add).fmt(Fmt::Json).write_query(buf).expect("a valid request")
}
