//! Requests written into a fixed stack buffer and compared byte for byte with the expected query.

use smsc_codec::{
    AddBlacklistEntry, AddContact, AddGroup, Auth, BlockType, BuildErrorKind, ChangeGroup, Command, DeleteContact,
    Endpoint, Fmt, GetBlacklist, GetContacts, GetGroups, GroupType, MoveGroup, MoveMode, Request,
};

use crate::report::check;

/// The query buffer: on the stack, as a modem driver would have it.
const QUERY_BUF: usize = 256;

fn expect_query<C: Command>(name: &str, request: Request<'_, C>, expected: &str) {
    let mut buf = [0u8; QUERY_BUF];
    match request.write_query(&mut buf) {
        Ok(len) => {
            let got = &buf[..len];
            check!(
                got == expected.as_bytes(),
                "request {name}: wrote {:?}, expected {expected:?}",
                core::str::from_utf8(got).unwrap_or("<non UTF-8>")
            );
            // A buffer one byte short is an error that names the size needed.
            let short = request.write_query(&mut buf[..len - 1]);
            check!(
                matches!(short, Err(e) if e.kind == BuildErrorKind::BufferTooSmall && e.needed == len),
                "request {name}: a short buffer gave {short:?}"
            );
        }
        Err(err) => {
            check!(false, "request {name}: {err:?}");
        }
    }
}

#[inline(never)]
pub fn run() {
    let password = Auth::password("login", "password");

    expect_query(
        "add",
        Request::new(password, AddContact::phone("+79999999999").name("Іван").groups("321").birthday("01.02.1990")),
        "add=1&login=login&psw=password&fmt=3&charset=utf-8\
         &phone=%2B79999999999&name=%D0%86%D0%B2%D0%B0%D0%BD&grp=321&bd=01.02.1990",
    );
    expect_query(
        "get (fmt=0)",
        Request::new(Auth::password("l", "p"), GetContacts::new(Endpoint::Phones).after_id("1200").count(1000))
            .fmt(Fmt::KeyValue),
        "get=1&login=l&psw=p&fmt=0&charset=utf-8&after_id=1200&cnt=1000",
    );
    expect_query(
        "get_group (fmt=1)",
        Request::new(Auth::api_key("k3y"), GetGroups::new(Endpoint::Mails).group_type(GroupType::Mail)).fmt(Fmt::Csv),
        "get_group=1&apikey=k3y&fmt=1&charset=utf-8&type=1",
    );
    expect_query(
        "get_black (fmt=2)",
        Request::new(password, GetBlacklist::new(Endpoint::Phones).count(50)).fmt(Fmt::Xml),
        "get_black=1&login=login&psw=password&fmt=2&charset=utf-8&cnt=50",
    );
    expect_query(
        "add_group",
        Request::new(password, AddGroup::new(Endpoint::Phones, "Група \"Київ\" <центр>")),
        "add_group=1&login=login&psw=password&fmt=3&charset=utf-8\
         &name=%D0%93%D1%80%D1%83%D0%BF%D0%B0%20%22%D0%9A%D0%B8%D1%97%D0%B2%22%20%3C%D1%86%D0%B5%D0%BD%D1%82%D1%80%3E",
    );
    expect_query(
        "chg_group",
        Request::new(password, ChangeGroup::new(Endpoint::Phones, "5922", "VIP")),
        "chg_group=1&login=login&psw=password&fmt=3&charset=utf-8&grp=5922&name=VIP",
    );
    expect_query(
        "move_group",
        Request::new(Auth::password("l", "p"), MoveGroup::phone(MoveMode::Add, "5922", "+79991112233")),
        "move_group=2&login=l&psw=p&fmt=3&charset=utf-8&grp=5922&phone=%2B79991112233",
    );
    expect_query(
        "del (mails)",
        Request::new(password, DeleteContact::mail("ivan.petrenko@example.com")),
        "del=1&login=login&psw=password&fmt=3&charset=utf-8&mail=ivan.petrenko%40example.com",
    );
    expect_query(
        "add_black (mails, md5)",
        Request::new(
            Auth::md5("login", "5f4dcc3b5aa765d61d8327deb882cf99"),
            AddBlacklistEntry::mail("spam@example.com").block_type(BlockType::Mass).comment("спам & реклама"),
        )
        .fmt(Fmt::Xml),
        "add_black=1&login=login&psw=5f4dcc3b5aa765d61d8327deb882cf99&fmt=2&charset=utf-8\
         &mail=spam%40example.com&type=1\
         &cmt=%D1%81%D0%BF%D0%B0%D0%BC%20%26%20%D1%80%D0%B5%D0%BA%D0%BB%D0%B0%D0%BC%D0%B0",
    );

    // Values the server would reject are refused before anything is written.
    let mut buf = [0u8; QUERY_BUF];
    let too_many = Request::new(password, GetContacts::new(Endpoint::Phones).count(1001));
    let result = too_many.write_query(&mut buf);
    check!(matches!(result, Err(e) if e.kind == BuildErrorKind::CountTooLarge), "request get cnt=1001: {result:?}");
    let bad_date = Request::new(password, AddContact::phone("79990000000").birthday("1990-02-01"));
    let result = bad_date.write_query(&mut buf);
    check!(
        matches!(result, Err(e) if e.kind != BuildErrorKind::BufferTooSmall && e.param == "bd"),
        "request add bd=1990-02-01: {result:?}"
    );
}
