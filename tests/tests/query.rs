//! Building requests: the documented examples, percent-encoding that no value can escape,
//! refusals (typed API and `smsc query`), exact buffer sizes, secrets kept out of `Debug`, and
//! every command on both endpoints.

use smsc_codec::{
    AddBlacklistEntry, AddContact, AddGroup, Auth, BlockType, BuildError, BuildErrorKind, ChangeContact, ChangeGroup,
    Command, CommandKind, DeleteBlacklistEntry, DeleteContact, DeleteGroup, Endpoint, Fmt, GetBlacklist, GetContacts,
    GetGroups, GroupType, MoveGroup, MoveMode, Params, Request, FORM_CONTENT_TYPE,
};

/// Runs `smsc` as a library: (exit code, stdout, stderr).
fn cli(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = smsc_codec_cli::run(&args, &mut &b""[..], &mut out, &mut err);
    (code, String::from_utf8(out).expect("UTF-8 stdout"), String::from_utf8(err).expect("UTF-8 stderr"))
}

/// `<path>?<query>` of a request, written into a stack buffer.
fn path_and_query<C: Command>(request: &Request<'_, C>) -> String {
    let mut buf = [0u8; 4096];
    let len = request.write_path_and_query(&mut buf).expect("builds");
    std::str::from_utf8(&buf[..len]).expect("ASCII").to_owned()
}

/// The pairs of a query, decoded as a server would, after checking that it is strictly
/// form-encoded (the decoder would pass a bad escape through).
fn pairs(query: &str) -> Vec<(String, String)> {
    assert!(smsc_codec_tests::strictly_form_encoded(query.as_bytes()), "not strictly form-encoded: {query}");
    form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

fn owned_pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
}

/// The documented examples (contacts-api.uk.txt, "Приклади"), and what the codec sends for
/// each: the same pairs with `fmt` and `charset=utf-8` after the credentials.
const SPEC_EXAMPLES: &[(&str, &[&str], &str, &str)] = &[
    (
        "add",
        &["phone=79999999999", "name=Contact", "grp=321"],
        "https://smsc.ua/sys/phones.php?add=1&login=alex&psw=123&phone=79999999999&name=Contact&grp=321",
        "/sys/phones.php?add=1&login=alex&psw=123&fmt=3&charset=utf-8&phone=79999999999&name=Contact&grp=321",
    ),
    (
        "add_group",
        &["name=Group"],
        "https://smsc.ua/sys/phones.php?add_group=1&login=alex&psw=123&name=Group",
        "/sys/phones.php?add_group=1&login=alex&psw=123&fmt=3&charset=utf-8&name=Group",
    ),
    (
        "chg",
        &["phone=79999999999", "name=Contact1"],
        "https://smsc.ua/sys/phones.php?chg=1&login=alex&psw=123&phone=79999999999&name=Contact1",
        "/sys/phones.php?chg=1&login=alex&psw=123&fmt=3&charset=utf-8&phone=79999999999&name=Contact1",
    ),
    (
        "chg_group",
        &["grp=321", "name=Group1"],
        "https://smsc.ua/sys/phones.php?chg_group=1&login=alex&psw=123&grp=321&name=Group1",
        "/sys/phones.php?chg_group=1&login=alex&psw=123&fmt=3&charset=utf-8&grp=321&name=Group1",
    ),
    (
        "del",
        &["phone=79999999999"],
        "https://smsc.ua/sys/phones.php?del=1&login=alex&psw=123&phone=79999999999",
        "/sys/phones.php?del=1&login=alex&psw=123&fmt=3&charset=utf-8&phone=79999999999",
    ),
    (
        "del_group",
        &["grp=321"],
        "https://smsc.ua/sys/phones.php?del_group=1&login=alex&psw=123&grp=321",
        "/sys/phones.php?del_group=1&login=alex&psw=123&fmt=3&charset=utf-8&grp=321",
    ),
    (
        "get",
        &["grp=321"],
        "https://smsc.ua/sys/phones.php?get=1&login=alex&psw=123&grp=321",
        "/sys/phones.php?get=1&login=alex&psw=123&fmt=3&charset=utf-8&grp=321",
    ),
    (
        "get",
        &["phone=79999999999"],
        "https://smsc.ua/sys/phones.php?get=1&login=alex&psw=123&phone=79999999999",
        "/sys/phones.php?get=1&login=alex&psw=123&fmt=3&charset=utf-8&phone=79999999999",
    ),
    (
        "get_group",
        &[],
        "https://smsc.ua/sys/phones.php?get_group=1&login=alex&psw=123",
        "/sys/phones.php?get_group=1&login=alex&psw=123&fmt=3&charset=utf-8",
    ),
    (
        "add_black",
        &["phone=79999999999", "type=1"],
        "https://smsc.ua/sys/phones.php?add_black=1&login=alex&psw=123&phone=79999999999&type=1",
        "/sys/phones.php?add_black=1&login=alex&psw=123&fmt=3&charset=utf-8&phone=79999999999&type=1",
    ),
    (
        "del_black",
        &["phone=79999999999"],
        "https://smsc.ua/sys/phones.php?del_black=1&login=alex&psw=123&phone=79999999999",
        "/sys/phones.php?del_black=1&login=alex&psw=123&fmt=3&charset=utf-8&phone=79999999999",
    ),
];

#[test]
fn spec_examples_via_the_cli() {
    for &(command, params, documented, expected) in SPEC_EXAMPLES {
        // The expectation is the documented URL with only `fmt` and `charset` added.
        let documented = documented.strip_prefix("https://smsc.ua").expect("host");
        assert_eq!(expected.replacen("&fmt=3&charset=utf-8", "", 1), documented, "table row for {command}");
        let mut args = vec!["query", command, "--login", "alex", "--psw", "123"];
        args.extend_from_slice(params);
        let (code, out, err) = cli(&args);
        assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
        assert_eq!(out, format!("{expected}\n"), "{args:?}");
    }
}

#[test]
fn spec_examples_via_typed_commands() {
    let auth = Auth::password("alex", "123");
    let p = Endpoint::Phones;
    let built = [
        path_and_query(&Request::new(auth, AddContact::phone("79999999999").name("Contact").groups("321"))),
        path_and_query(&Request::new(auth, AddGroup::new(p, "Group"))),
        path_and_query(&Request::new(auth, ChangeContact::phone("79999999999").name("Contact1"))),
        path_and_query(&Request::new(auth, ChangeGroup::new(p, "321", "Group1"))),
        path_and_query(&Request::new(auth, DeleteContact::phone("79999999999"))),
        path_and_query(&Request::new(auth, DeleteGroup::new(p, "321"))),
        path_and_query(&Request::new(auth, GetContacts::new(p).groups("321"))),
        path_and_query(&Request::new(auth, GetContacts::new(p).phone("79999999999"))),
        path_and_query(&Request::new(auth, GetGroups::new(p))),
        path_and_query(&Request::new(auth, AddBlacklistEntry::phone("79999999999").block_type(BlockType::Mass))),
        path_and_query(&Request::new(auth, DeleteBlacklistEntry::phone("79999999999"))),
    ];
    assert_eq!(built.len(), SPEC_EXAMPLES.len());
    for (built, &(command, _, _, expected)) in built.iter().zip(SPEC_EXAMPLES) {
        assert_eq!(built, expected, "{command}");
    }
}

/// The three `move_group` modes of the documentation, typed and through the CLI.
#[test]
fn move_group_modes() {
    for (mode, flag) in [(MoveMode::Replace, "1"), (MoveMode::Add, "2"), (MoveMode::Remove, "3")] {
        let expected = format!(
            "/sys/phones.php?move_group={flag}&login=alex&psw=123&fmt=3&charset=utf-8&grp=321&phone=79999999999"
        );
        let typed =
            path_and_query(&Request::new(Auth::password("alex", "123"), MoveGroup::phone(mode, "321", "79999999999")));
        assert_eq!(typed, expected);
        assert_eq!(mode.wire(), flag);
        assert_eq!(MoveMode::from_wire(flag), Some(mode));
        let mode_arg = format!("mode={flag}");
        let (code, out, _) =
            cli(&["query", "move_group", "--login", "alex", "--psw", "123", &mode_arg, "grp=321", "phone=79999999999"]);
        assert_eq!((code, out), (0, format!("{expected}\n")));
    }
    // Without `mode`, move_group replaces (mode 1).
    let (code, out, _) = cli(&["query", "move_group", "grp=1", "phone=2"]);
    assert_eq!((code, out.as_str()), (0, "/sys/phones.php?move_group=1&fmt=3&charset=utf-8&grp=1&phone=2\n"));
    assert_eq!(MoveMode::from_wire("4"), None);
    assert_eq!(MoveMode::from_wire(""), None);
}

/// Values that look like syntax travel as data: each decodes back to itself and no pair is
/// added or changed.
#[test]
fn values_cannot_add_or_change_parameters() {
    let table: &[(&str, &str)] = &[
        ("&psw=x", "%26psw%3Dx"),
        ("a&login=evil&psw=y", "a%26login%3Devil%26psw%3Dy"),
        ("=", "%3D"),
        ("+", "%2B"),
        ("+380501234567", "%2B380501234567"),
        ("%", "%25"),
        ("%26", "%2526"),
        ("a b", "a%20b"),
        ("Іван", "%D0%86%D0%B2%D0%B0%D0%BD"),
        ("line1\nline2\r\n", "line1%0Aline2%0D%0A"),
        ("#frag?q=1", "%23frag%3Fq%3D1"),
        ("\u{1F600}", "%F0%9F%98%80"),
        ("a-b.c_d~e", "a-b.c_d~e"),
        ("\"'<>;/\\", "%22%27%3C%3E%3B%2F%5C"),
        ("\0", "%00"),
    ];
    for &(value, encoded) in table {
        let request = Request::new(Auth::password("alex", "123"), AddContact::phone("1").name(value).comment(value));
        let query = request.to_query_string().expect("builds");
        assert_eq!(
            query,
            format!("add=1&login=alex&psw=123&fmt=3&charset=utf-8&phone=1&name={encoded}&cmt={encoded}"),
            "{value:?}"
        );
        assert_eq!(
            pairs(&query),
            owned_pairs(&[
                ("add", "1"),
                ("login", "alex"),
                ("psw", "123"),
                ("fmt", "3"),
                ("charset", "utf-8"),
                ("phone", "1"),
                ("name", value),
                ("cmt", value),
            ]),
            "{value:?}"
        );
        // The same through `smsc query`.
        let name_arg = format!("name={value}");
        let (code, out, err) = cli(&["query", "add", "--login", "alex", "--psw", "123", "phone=1", &name_arg]);
        assert_eq!(code, 0, "{value:?}: {err}");
        assert_eq!(
            out,
            format!("/sys/phones.php?add=1&login=alex&psw=123&fmt=3&charset=utf-8&phone=1&name={encoded}\n")
        );
    }
    // Credentials are values too.
    let request = Request::new(Auth::password("a&b=c", "p+q r&fmt=0"), GetGroups::new(Endpoint::Phones));
    let query = request.to_query_string().unwrap();
    assert_eq!(query, "get_group=1&login=a%26b%3Dc&psw=p%2Bq%20r%26fmt%3D0&fmt=3&charset=utf-8");
    let request = Request::new(Auth::api_key("k&apikey=x"), GetGroups::new(Endpoint::Mails));
    assert_eq!(request.to_query_string().unwrap(), "get_group=1&apikey=k%26apikey%3Dx&fmt=3&charset=utf-8");
}

/// Refusals of the typed API, each with its kind and parameter.
#[test]
fn typed_refusals() {
    let auth = Auth::password("l", "p");
    let kind = |r: Result<usize, BuildError>| r.map_err(|e| (e.kind, &*e.param.to_string().leak()));
    let mut buf = [0u8; 512];
    use BuildErrorKind::*;
    assert_eq!(kind(Request::new(auth, AddContact::phone("")).write_query(&mut buf)), Err((Empty, "phone")));
    assert_eq!(kind(Request::new(auth, AddContact::phone("  ")).write_query(&mut buf)), Err((Empty, "phone")));
    assert_eq!(kind(Request::new(auth, AddContact::mail(" ")).write_query(&mut buf)), Err((Empty, "phone")));
    assert_eq!(
        kind(Request::new(auth, AddContact::phone("1").groups("1,a")).write_query(&mut buf)),
        Err((InvalidIdList, "grp"))
    );
    assert!(Request::new(auth, AddContact::phone("1").groups("1,2,3")).write_query(&mut buf).is_ok());
    // One rule for group ids in every command: no spaces, in a list or alone.
    assert_eq!(
        kind(Request::new(auth, AddContact::phone("1").groups("1, 2")).write_query(&mut buf)),
        Err((InvalidIdList, "grp"))
    );
    assert_eq!(
        kind(Request::new(auth, DeleteGroup::new(Endpoint::Phones, " 2")).write_query(&mut buf)),
        Err((NotNumeric, "grp"))
    );
    // The message names the parameter and the rule it broke.
    let err = Request::new(auth, GetContacts::new(Endpoint::Phones).after_id("x")).validate().unwrap_err();
    assert_eq!(err.to_string(), "`after_id` must be decimal digits");
    let err = Request::new(auth, GetBlacklist::new(Endpoint::Phones).count(1001)).validate().unwrap_err();
    assert_eq!(err.to_string(), "`cnt` must be at most 1000");
    assert_eq!(
        kind(Request::new(auth, AddContact::phone("1").birthday("31.02.2020")).write_query(&mut buf)),
        Err((InvalidDate, "bd"))
    );
    assert_eq!(
        kind(Request::new(auth, AddContact::phone("1").birthday("1.2.2020")).write_query(&mut buf)),
        Err((InvalidDate, "bd"))
    );
    assert!(Request::new(auth, AddContact::phone("1").birthday("29.02.2024")).write_query(&mut buf).is_ok());
    assert_eq!(
        kind(Request::new(auth, AddContact::phone("1").birthday("29.02.2023")).write_query(&mut buf)),
        Err((InvalidDate, "bd"))
    );
    assert_eq!(
        kind(Request::new(auth, GetContacts::new(Endpoint::Phones).count(1001)).write_query(&mut buf)),
        Err((CountTooLarge, "cnt"))
    );
    assert!(Request::new(auth, GetContacts::new(Endpoint::Phones).count(1000)).write_query(&mut buf).is_ok());
    assert_eq!(
        kind(Request::new(auth, GetBlacklist::new(Endpoint::Phones).count(5000)).write_query(&mut buf)),
        Err((CountTooLarge, "cnt"))
    );
    assert_eq!(
        kind(Request::new(auth, GetBlacklist::new(Endpoint::Phones).prev_id("x")).write_query(&mut buf)),
        Err((NotNumeric, "prev_id"))
    );
    assert_eq!(
        kind(Request::new(auth, GetContacts::new(Endpoint::Phones).after_id("1a")).write_query(&mut buf)),
        Err((NotNumeric, "after_id"))
    );
    assert_eq!(
        kind(Request::new(auth, DeleteGroup::new(Endpoint::Phones, "abc")).write_query(&mut buf)),
        Err((NotNumeric, "grp"))
    );
    assert_eq!(
        kind(Request::new(auth, DeleteGroup::new(Endpoint::Phones, "1,2")).write_query(&mut buf)),
        Err((NotNumeric, "grp"))
    );
    assert_eq!(
        kind(Request::new(auth, AddGroup::new(Endpoint::Phones, "G").number("x")).write_query(&mut buf)),
        Err((NotNumeric, "num"))
    );
    assert_eq!(
        kind(Request::new(auth, AddGroup::new(Endpoint::Phones, " ")).write_query(&mut buf)),
        Err((Empty, "name"))
    );
    assert_eq!(
        kind(Request::new(auth, ChangeGroup::new(Endpoint::Phones, "1", "")).write_query(&mut buf)),
        Err((Empty, "name"))
    );
    assert_eq!(
        kind(Request::new(auth, MoveGroup::phone(MoveMode::Add, "x", "1")).write_query(&mut buf)),
        Err((NotNumeric, "grp"))
    );
    // Credentials.
    let get = GetGroups::new(Endpoint::Phones);
    assert_eq!(kind(Request::new(Auth::password("", "p"), get).write_query(&mut buf)), Err((Empty, "login")));
    assert_eq!(kind(Request::new(Auth::password("l", ""), get).write_query(&mut buf)), Err((Empty, "psw")));
    assert_eq!(kind(Request::new(Auth::api_key(""), get).write_query(&mut buf)), Err((Empty, "apikey")));
    assert_eq!(kind(Request::new(Auth::md5("l", "abc"), get).write_query(&mut buf)), Err((InvalidDigest, "psw")));
    assert_eq!(
        kind(Request::new(Auth::md5("l", &"g".repeat(32)), get).write_query(&mut buf)),
        Err((InvalidDigest, "psw"))
    );
    let digest = "0123456789abcdef0123456789abcdef";
    let len = Request::new(Auth::md5("l", digest), get).write_query(&mut buf).unwrap();
    assert_eq!(&buf[..len], format!("get_group=1&login=l&psw={digest}&fmt=3&charset=utf-8").as_bytes());
    // Params: names and values checked as they are set.
    let mut params = Params::new(CommandKind::GetContacts, Endpoint::Mails);
    assert_eq!(
        params.set("phone", "1").map_err(|e| (e.kind, &*e.param.to_string().leak())),
        Err((WrongEndpoint, "phone"))
    );
    // A name the command does not know is named too, from the caller's input (its first
    // 32 bytes, whole characters).
    let err = params.set("phonee", "1").unwrap_err();
    assert_eq!((err.kind, err.param.as_str()), (UnknownParam, "phonee"));
    assert_eq!(err.to_string(), "`phonee` is not a parameter of the command");
    let long = "я".repeat(40);
    assert_eq!(params.set(&long, "1").unwrap_err().param.as_str(), "я".repeat(16));
    assert_eq!(params.set("bogus", "1").map(|_| ()).map_err(|e| e.kind), Err(UnknownParam));
    assert_eq!(
        params.set("cnt", "1001").map_err(|e| (e.kind, &*e.param.to_string().leak())),
        Err((CountTooLarge, "cnt"))
    );
    assert_eq!(params.set("cnt", "-1").map_err(|e| (e.kind, &*e.param.to_string().leak())), Err((NotNumeric, "cnt")));
    assert_eq!(params.set("mode", "2").map_err(|e| e.kind), Err(UnknownParam));
    let mut add_group = Params::new(CommandKind::AddGroup, Endpoint::Phones);
    assert_eq!(
        add_group.set("type", "3").map_err(|e| (e.kind, &*e.param.to_string().leak())),
        Err((InvalidType, "type"))
    );
    assert_eq!(
        add_group.set("type", "2").map_err(|e| (e.kind, &*e.param.to_string().leak())),
        Err((InvalidType, "type"))
    );
    assert!(add_group.set("type", "1").is_ok());
    let mut add_black = Params::new(CommandKind::AddBlacklistEntry, Endpoint::Phones);
    assert!(add_black.set("type", "2").is_ok());
    assert_eq!(add_black.set("type", "3").map_err(|e| e.kind), Err(InvalidType));
    let mut chg = Params::new(CommandKind::ChangeContact, Endpoint::Phones);
    assert_eq!(
        chg.set("new_mail", "a@b.c").map_err(|e| (e.kind, &*e.param.to_string().leak())),
        Err((WrongEndpoint, "new_mail"))
    );
    let mut move_group = Params::new(CommandKind::MoveGroup, Endpoint::Phones);
    assert_eq!(
        move_group.set("mode", "4").map_err(|e| (e.kind, &*e.param.to_string().leak())),
        Err((InvalidType, "mode"))
    );
    // Missing required parameters are found when the request is written.
    let missing = Request::new(auth, Params::new(CommandKind::ChangeGroup, Endpoint::Mails));
    assert_eq!(kind(missing.write_query(&mut buf)), Err((Empty, "grp")));
    let missing = Request::new(auth, Params::new(CommandKind::AddContact, Endpoint::Mails));
    assert_eq!(kind(missing.write_query(&mut buf)), Err((Empty, "mail")));
}

/// The documented form of an MD5 password is lower-case hex; `Auth::PasswordMd5` says
/// "Upper-case digits are refused rather than sent" and `InvalidDigest` says "32 lower-case
/// hexadecimal digits", but `Auth::validate` checks `is_ascii_hexdigit`, which admits upper case.
#[test]
fn md5_digest_must_be_lower_case() {
    let get = GetGroups::new(Endpoint::Phones);
    let upper = "0123456789ABCDEF0123456789ABCDEF";
    let result = Request::new(Auth::md5("l", upper), get).validate();
    assert_eq!(result.map_err(|e| e.kind), Err(BuildErrorKind::InvalidDigest));
}

/// `smsc query` refuses what the server would reject: exit 2, a message, nothing on stdout.
#[test]
fn cli_refusals() {
    let refused: &[&[&str]] = &[
        &["query", "add", "--login", "l", "--psw", "p", "name=x"],
        &["query", "add", "phone=1", "foo=1"],
        &["query", "get", "cnt=1001"],
        &["query", "get_black", "cnt=1001"],
        &["query", "get", "cnt=x"],
        &["query", "add_group", "name=G", "type=3"],
        &["query", "add_group", "name=G", "type=2"],
        &["query", "get_group", "type=2"],
        &["query", "add_black", "phone=1", "type=3"],
        &["query", "add", "phone=1", "bd=31.02.2020"],
        &["query", "chg", "phone=1", "bd=2020-01-01"],
        &["query", "del_group", "grp=abc"],
        &["query", "chg_group", "grp=1", "name=G", "num=x"],
        &["query", "add", "--mail", "phone=1"],
        &["query", "add", "mail=a@b.c"],
        &["query", "chg", "--mail", "mail=a@b.c", "new_phone=1"],
        &["query", "move_group", "mode=4", "grp=1", "phone=1"],
        &["query", "del", "mode=1", "phone=1"],
        &["query", "chg_group", "grp=1"],
        &["query", "move_group", "grp=1"],
        &["query", "add", "--login", "l", "phone=1"],
        &["query", "add", "--psw", "p", "phone=1"],
        &["query", "add", "--apikey", "k", "--login", "l", "--psw", "p", "phone=1"],
        &["query", "add", "--bogus", "x", "phone=1"],
        &["query", "add", "phone"],
        &["query", "nope"],
        &["query", "get", "--fmt", "9"],
        &["query"],
    ];
    for &args in refused {
        let (code, out, err) = cli(args);
        assert_eq!(code, 2, "{args:?} is accepted: {out}");
        assert_eq!(out, "", "{args:?}");
        assert!(err.starts_with("smsc: "), "{args:?}: {err:?}");
    }
    // The limits themselves are accepted.
    for args in [
        &["query", "get", "cnt=1000"][..],
        &["query", "add_group", "name=G", "type=1"],
        &["query", "add_black", "phone=1", "type=2"],
        &["query", "add", "phone=1", "bd=29.02.2024"],
        &["query", "add", "--mail", "mail=a@b.c"],
        &["query", "chg", "--mail", "mail=a@b.c", "new_mail=d@e.f"],
        &["query", "add", "--apikey", "k", "phone=1"],
    ] {
        let (code, _, err) = cli(args);
        assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
    }
}

/// A short buffer reports the exact size needed, for the query and for `<path>?<query>`.
#[test]
fn buffer_too_small_reports_the_exact_size() {
    let request = Request::new(
        Auth::password("alex", "123"),
        AddContact::phone("+79999999999").name("Іван Петренко").groups("321"),
    )
    .fmt(Fmt::Xml);
    let expected = "add=1&login=alex&psw=123&fmt=2&charset=utf-8&phone=%2B79999999999&name=%D0%86%D0%B2%D0%B0%D0%BD%20%D0%9F%D0%B5%D1%82%D1%80%D0%B5%D0%BD%D0%BA%D0%BE&grp=321";
    let path_and_query = format!("/sys/phones.php?{expected}");
    assert_eq!(request.query_len(), Ok(expected.len()));
    let mut buf = [0u8; 512];
    for len in 0..expected.len() {
        let err = request.write_query(&mut buf[..len]).unwrap_err();
        assert_eq!((err.kind, err.needed), (BuildErrorKind::BufferTooSmall, expected.len()), "buffer of {len}");
        assert_eq!(err.to_string(), format!("output buffer too small: {} bytes needed", expected.len()));
    }
    for len in 0..path_and_query.len() {
        let err = request.write_path_and_query(&mut buf[..len]).unwrap_err();
        assert_eq!((err.kind, err.needed), (BuildErrorKind::BufferTooSmall, path_and_query.len()), "buffer of {len}");
    }
    let n = request.write_query(&mut buf[..expected.len()]).unwrap();
    assert_eq!(&buf[..n], expected.as_bytes());
    let n = request.write_path_and_query(&mut buf[..path_and_query.len()]).unwrap();
    assert_eq!(&buf[..n], path_and_query.as_bytes());
    let err = request.to_heapless::<100>().unwrap_err();
    assert_eq!((err.kind, err.needed), (BuildErrorKind::BufferTooSmall, expected.len()));
    assert_eq!(request.to_heapless::<256>().unwrap().as_str(), expected);
    assert_eq!(FORM_CONTENT_TYPE, "application/x-www-form-urlencoded");
    // A refused value is reported before the buffer is looked at.
    let bad = Request::new(Auth::password("a", "b"), GetContacts::new(Endpoint::Phones).count(2000));
    assert_eq!(bad.write_query(&mut buf[..0]).unwrap_err().kind, BuildErrorKind::CountTooLarge);
}

/// POST is preferred exactly when `https://<host><path>?<query>` exceeds 2000 characters.
#[test]
fn prefers_post_past_2000_characters() {
    let host = "smsc.ua";
    // "https://smsc.ua/sys/phones.php?" is 31 characters; the fixed part of the query below is
    // "add=1&login=l&psw=p&fmt=3&charset=utf-8&phone=1&cmt=" (52).
    let fixed = "https://smsc.ua/sys/phones.php?".len() + "add=1&login=l&psw=p&fmt=3&charset=utf-8&phone=1&cmt=".len();
    let fits = "x".repeat(2000 - fixed);
    let over = "x".repeat(2001 - fixed);
    let request = |cmt| Request::new(Auth::password("l", "p"), AddContact::phone("1").comment(cmt));
    assert_eq!(request(&fits).prefers_post(host), Ok(false));
    assert_eq!(request(&over).prefers_post(host), Ok(true));
}

/// `Debug` of requests and credentials never shows a password, a digest or an API key.
#[test]
fn debug_never_shows_secrets() {
    let password = "s3cr3t-Pa55w0rd";
    let digest = "5f4dcc3b5aa765d61d8327deb882cf99";
    let key = "KEY-9f8e7d6c5b4a";
    let auths = [Auth::password("alex", password), Auth::md5("alex", digest), Auth::api_key(key)];
    for auth in auths {
        let shown = [
            format!("{auth:?}"),
            format!("{auth:#?}"),
            format!("{:?}", Request::new(auth, AddContact::phone("1").name("n"))),
            format!("{:#?}", Request::new(auth, GetGroups::new(Endpoint::Mails)).fmt(Fmt::Csv)),
            format!("{:?}", Request::new(auth, Params::new(CommandKind::GetContacts, Endpoint::Phones))),
        ];
        for text in shown {
            for secret in [password, digest, key] {
                assert!(!text.contains(secret), "{text}");
            }
            assert!(text.contains("redacted"), "{text}");
        }
    }
    // The login is not a secret and does show.
    assert!(format!("{:?}", Auth::password("alex", password)).contains("alex"));
}

/// Every command builds on both endpoints, with its flag first, the credentials, `fmt`,
/// `charset=utf-8`, then its parameters; by `Params`, by the CLI, and by the typed commands.
#[test]
fn every_command_builds_on_both_endpoints() {
    // (command, flag, required parameters with phones.php names)
    type Row = (CommandKind, &'static str, &'static [(&'static str, &'static str)]);
    let table: &[Row] = &[
        (CommandKind::AddContact, "1", &[("phone", "P")]),
        (CommandKind::AddGroup, "1", &[("name", "G")]),
        (CommandKind::ChangeContact, "1", &[("phone", "P")]),
        (CommandKind::ChangeGroup, "1", &[("grp", "5"), ("name", "G")]),
        (CommandKind::MoveGroup, "1", &[("grp", "5"), ("phone", "P")]),
        (CommandKind::DeleteContact, "1", &[("phone", "P")]),
        (CommandKind::DeleteGroup, "1", &[("grp", "5")]),
        (CommandKind::GetContacts, "1", &[]),
        (CommandKind::GetGroups, "1", &[]),
        (CommandKind::AddBlacklistEntry, "1", &[("phone", "P")]),
        (CommandKind::DeleteBlacklistEntry, "1", &[("phone", "P")]),
        (CommandKind::GetBlacklist, "1", &[]),
    ];
    assert_eq!(table.len(), CommandKind::ALL.len());
    for &(kind, flag, required) in table {
        for (endpoint, path, contact) in [
            (Endpoint::Phones, "/sys/phones.php", ("phone", "79991112233")),
            (Endpoint::Mails, "/sys/mails.php", ("mail", "a@b.c")),
        ] {
            let params: Vec<(&str, &str)> = required
                .iter()
                .map(|&(name, value)| match (name, value) {
                    ("phone", _) => contact,
                    other => other,
                })
                .collect();
            let mut expected =
                vec![(kind.wire(), flag), ("login", "l"), ("psw", "p"), ("fmt", "1"), ("charset", "utf-8")];
            expected.extend(&params);
            // Params.
            let mut p = Params::new(kind, endpoint);
            for &(name, value) in &params {
                p.set(name, value).unwrap_or_else(|e| panic!("{kind:?} {name}: {e}"));
            }
            let request = Request::new(Auth::password("l", "p"), p).fmt(Fmt::Csv);
            let built = path_and_query(&request);
            let (got_path, query) = built.split_once('?').unwrap();
            assert_eq!(got_path, path, "{kind:?}");
            assert_eq!(request.path(), path);
            assert_eq!(pairs(query), owned_pairs(&expected), "{kind:?} {endpoint:?}");
            // CLI.
            let mut args = vec!["query", kind.wire(), "--fmt", "1", "--login", "l", "--psw", "p"];
            if endpoint == Endpoint::Mails {
                args.push("--mail");
            }
            let assigned: Vec<String> = params.iter().map(|(n, v)| format!("{n}={v}")).collect();
            args.extend(assigned.iter().map(String::as_str));
            let (code, out, err) = cli(&args);
            assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
            assert_eq!(out, format!("{built}\n"), "{args:?}");
            // A missing required parameter is refused.
            if let Some(&(name, _)) = params.first() {
                let request = Request::new(Auth::password("l", "p"), Params::new(kind, endpoint));
                let err = request.validate().unwrap_err();
                assert_eq!((err.kind, err.param.as_str()), (BuildErrorKind::Empty, name), "{kind:?}");
            }
        }
    }
}

/// Each typed command writes what `Params` writes with the same values, all optional
/// parameters set, on both endpoints.
#[test]
fn typed_commands_match_params() {
    let auth = Auth::api_key("k");
    for endpoint in [Endpoint::Phones, Endpoint::Mails] {
        let (contact, new_contact) = match endpoint {
            Endpoint::Phones => ("+79991112233", "380501112233"),
            Endpoint::Mails => ("a@b.c", "d@e.f"),
        };
        let phone = match endpoint {
            Endpoint::Phones => "phone",
            Endpoint::Mails => "mail",
        };
        let fields: &[(&str, &str)] = &[
            ("name", "Іван"),
            ("grp", "1,2"),
            ("lnm", "Петренко"),
            ("fnm", "Іван"),
            ("mnm", "Олегович"),
            ("bd", "01.02.1990"),
            ("myid", "id-1"),
            ("cmt", "a&b"),
            ("tags", "vip"),
            ("pho", "+380671112233"),
        ];
        let via_params = |kind: CommandKind, values: &[(&str, &str)]| {
            let mut p = Params::new(kind, endpoint);
            for &(n, v) in values {
                p.set(n, v).unwrap_or_else(|e| panic!("{kind:?} {n}: {e}"));
            }
            path_and_query(&Request::new(auth, p))
        };
        let with_fields = |first: &[(&'static str, &'static str)]| -> Vec<(&'static str, &'static str)> {
            first.iter().chain(fields).copied().collect()
        };
        let (add, chg) = match endpoint {
            Endpoint::Phones => (AddContact::phone(contact), ChangeContact::phone(contact)),
            Endpoint::Mails => (AddContact::mail(contact), ChangeContact::mail(contact)),
        };
        let add = add
            .name("Іван")
            .groups("1,2")
            .last_name("Петренко")
            .first_name("Іван")
            .middle_name("Олегович")
            .birthday("01.02.1990")
            .my_id("id-1")
            .comment("a&b")
            .tags("vip")
            .other_phones("+380671112233");
        let chg = chg
            .new_phones(new_contact)
            .name("Іван")
            .groups("1,2")
            .last_name("Петренко")
            .first_name("Іван")
            .middle_name("Олегович")
            .birthday("01.02.1990")
            .my_id("id-1")
            .comment("a&b")
            .tags("vip")
            .other_phones("+380671112233");
        let contact_pair: &'static [(&str, &str)] = match endpoint {
            Endpoint::Phones => &[("phone", "+79991112233")],
            Endpoint::Mails => &[("mail", "a@b.c")],
        };
        let chg_pairs: &'static [(&str, &str)] = match endpoint {
            Endpoint::Phones => &[("phone", "+79991112233"), ("new_phone", "380501112233")],
            Endpoint::Mails => &[("mail", "a@b.c"), ("new_mail", "d@e.f")],
        };
        assert_eq!(
            path_and_query(&Request::new(auth, add)),
            via_params(CommandKind::AddContact, &with_fields(contact_pair))
        );
        assert_eq!(
            path_and_query(&Request::new(auth, chg)),
            via_params(CommandKind::ChangeContact, &with_fields(chg_pairs))
        );
        let (del, del_black, add_black, move_group) = match endpoint {
            Endpoint::Phones => (
                DeleteContact::phone(contact),
                DeleteBlacklistEntry::phone(contact),
                AddBlacklistEntry::phone(contact),
                MoveGroup::phone(MoveMode::Remove, "7", contact),
            ),
            Endpoint::Mails => (
                DeleteContact::mail(contact),
                DeleteBlacklistEntry::mail(contact),
                AddBlacklistEntry::mail(contact),
                MoveGroup::mail(MoveMode::Remove, "7", contact),
            ),
        };
        assert_eq!(
            path_and_query(&Request::new(auth, del)),
            via_params(CommandKind::DeleteContact, &[(phone, contact)])
        );
        assert_eq!(
            path_and_query(&Request::new(auth, del_black)),
            via_params(CommandKind::DeleteBlacklistEntry, &[(phone, contact)])
        );
        assert_eq!(
            path_and_query(&Request::new(auth, add_black.block_type(BlockType::Single).comment("спам"))),
            via_params(CommandKind::AddBlacklistEntry, &[(phone, contact), ("type", "2"), ("cmt", "спам")])
        );
        let mut p = Params::new(CommandKind::MoveGroup, endpoint);
        p.set("grp", "7").unwrap();
        p.set(phone, contact).unwrap();
        p.set_mode(MoveMode::Remove);
        assert_eq!(path_and_query(&Request::new(auth, move_group)), path_and_query(&Request::new(auth, p)));
        assert!(path_and_query(&Request::new(auth, p)).contains("?move_group=3&"));
        assert_eq!(
            path_and_query(&Request::new(auth, AddGroup::new(endpoint, "G").number("12").group_type(GroupType::Mail))),
            via_params(CommandKind::AddGroup, &[("name", "G"), ("num", "12"), ("type", "1")])
        );
        assert_eq!(
            path_and_query(&Request::new(auth, ChangeGroup::new(endpoint, "5", "G").number("13"))),
            via_params(CommandKind::ChangeGroup, &[("grp", "5"), ("name", "G"), ("num", "13")])
        );
        assert_eq!(
            path_and_query(&Request::new(auth, DeleteGroup::new(endpoint, "5"))),
            via_params(CommandKind::DeleteGroup, &[("grp", "5")])
        );
        assert_eq!(
            path_and_query(&Request::new(auth, GetGroups::new(endpoint).group_type(GroupType::Phone))),
            via_params(CommandKind::GetGroups, &[("type", "0")])
        );
        assert_eq!(
            path_and_query(&Request::new(
                auth,
                GetContacts::new(endpoint)
                    .groups("1")
                    .phone(contact)
                    .full_name("Іван")
                    .search("9")
                    .after_id("100")
                    .count(50)
            )),
            via_params(
                CommandKind::GetContacts,
                &[("grp", "1"), (phone, contact), ("fio", "Іван"), ("search", "9"), ("after_id", "100"), ("cnt", "50")]
            )
        );
        assert_eq!(
            path_and_query(&Request::new(auth, GetBlacklist::new(endpoint).prev_id("300").count(0))),
            via_params(CommandKind::GetBlacklist, &[("prev_id", "300"), ("cnt", "0")])
        );
    }
}

/// The parameters each command takes, in the order they are written (PROTOCOL.md section 3).
#[test]
fn command_parameter_tables() {
    let table: &[(CommandKind, &[&str], &[&str])] = &[
        (
            CommandKind::AddContact,
            &["phone", "name", "grp", "lnm", "fnm", "mnm", "bd", "myid", "cmt", "tags", "pho"],
            &["phone"],
        ),
        (CommandKind::AddGroup, &["name", "num", "type"], &["name"]),
        (
            CommandKind::ChangeContact,
            &["phone", "new_phone", "name", "grp", "lnm", "fnm", "mnm", "bd", "myid", "cmt", "tags", "pho"],
            &["phone"],
        ),
        (CommandKind::ChangeGroup, &["grp", "name", "num"], &["grp", "name"]),
        (CommandKind::MoveGroup, &["grp", "phone"], &["grp", "phone"]),
        (CommandKind::DeleteContact, &["phone"], &["phone"]),
        (CommandKind::DeleteGroup, &["grp"], &["grp"]),
        (CommandKind::GetContacts, &["grp", "phone", "fio", "search", "after_id", "cnt"], &[]),
        (CommandKind::GetGroups, &["type"], &[]),
        (CommandKind::AddBlacklistEntry, &["phone", "type", "cmt"], &["phone"]),
        (CommandKind::DeleteBlacklistEntry, &["phone"], &["phone"]),
        (CommandKind::GetBlacklist, &["prev_id", "cnt"], &[]),
    ];
    for &(kind, names, required) in table {
        let got: Vec<(&str, bool)> = kind.params(Endpoint::Phones).collect();
        let want: Vec<(&str, bool)> = names.iter().map(|n| (*n, required.contains(n))).collect();
        assert_eq!(got, want, "{kind:?}");
        let mails: Vec<&str> = kind.params(Endpoint::Mails).map(|(n, _)| n).collect();
        let want: Vec<&str> = names
            .iter()
            .map(|n| match *n {
                "phone" => "mail",
                "new_phone" => "new_mail",
                other => other,
            })
            .collect();
        assert_eq!(mails, want, "{kind:?}");
        assert_eq!(CommandKind::from_wire(kind.wire()), Some(kind));
    }
    assert_eq!(CommandKind::from_wire("nope"), None);
}
