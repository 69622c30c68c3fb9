//! Every fixture of `tests/fixtures`, through the CLI (`smsc decode`, byte-exact stdout) and
//! through the core API (whole-body and streaming), plus checks that the table of fixtures
//! cannot silently shrink.

use smsc_codec::decode::{self, Response};
use smsc_codec::{CommandKind, Endpoint, Error, Fmt, Limits, ListKind, ResponseKind};
use smsc_codec_tests::drive::{self, End};
use smsc_codec_tests::fixtures::{self, Expected, Fixture, COMMANDS};
use smsc_codec_tests::owned::{self, Fields};

/// Runs the CLI as a library: (exit code, stdout, stderr).
fn cli(args: &[String], stdin: &[u8]) -> (u8, Vec<u8>, Vec<u8>) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = smsc_codec_cli::run(args, &mut &stdin[..], &mut out, &mut err);
    (code, out, err)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The `N` of the first `at byte N` in a message.
fn byte_offset(message: &str) -> Option<usize> {
    let rest = &message[message.find("at byte ")? + "at byte ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Fails with every problem at once, one per line.
fn report(problems: Vec<String>) {
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn cli_decode_matches_every_fixture_byte_exactly() {
    let mut problems = Vec::new();
    for fixture in fixtures::load_all() {
        let name = fixture.name();
        let (code, out, err) = cli(&fixture.decode_args(), &fixture.body);
        match &fixture.expected {
            Expected::Jsonl(expected) => {
                if code != 0 {
                    problems.push(format!("{name}: exit {code}, stderr {:?}", lossy(&err)));
                } else if &out != expected {
                    problems.push(format!(
                        "{name}: stdout differs\n  expected {:?}\n  actual   {:?}",
                        lossy(expected),
                        lossy(&out)
                    ));
                }
                if !err.is_empty() {
                    problems.push(format!("{name}: unexpected stderr {:?}", lossy(&err)));
                }
            }
            Expected::Malformed(reason) => {
                let message = lossy(&err);
                let one_line = message.ends_with('\n') && message.matches('\n').count() == 1;
                if code != 2 || !one_line || !message.contains("at byte") {
                    problems.push(format!(
                        "{name} ({}): exit {code}, stderr {message:?}; expected exit 2 and one line naming `at byte`",
                        reason.trim()
                    ));
                }
            }
        }
    }
    report(problems);
}

#[test]
fn fixture_table_cannot_silently_shrink() {
    let all = fixtures::load_all();
    assert!(all.len() >= 250, "only {} fixtures", all.len());
    let mut problems = Vec::new();
    for endpoint in [Endpoint::Phones, Endpoint::Mails] {
        for command in COMMANDS {
            for fmt in 0..=3u8 {
                let basic = all.iter().find(|f| {
                    f.endpoint == endpoint && f.command.wire() == command && f.fmt.wire() == fmt && f.variant == "basic"
                });
                match basic {
                    Some(f) if f.jsonl().is_some_and(|j| !j.is_empty()) => {}
                    Some(_) => problems.push(format!(
                        "{}/{command}/basic.fmt{fmt}: must decode to at least one line",
                        fixtures::endpoint_dir(endpoint)
                    )),
                    None => {
                        problems.push(format!("missing {}/{command}/basic.fmt{fmt}", fixtures::endpoint_dir(endpoint)))
                    }
                }
            }
        }
    }
    // The variants of the README's table, where they are listed (endpoint, command, fmts).
    let required: &[(&str, &str, &str, &[u8])] = &[
        ("phones", "get", "error", &[0, 1, 2, 3]),
        ("phones", "add", "error", &[0, 1, 2, 3]),
        ("mails", "add", "error", &[0, 1, 2, 3]),
        ("mails", "get", "error", &[0, 1, 2, 3]),
        ("phones", "add", "error_kvline", &[1, 2, 3]),
        ("phones", "get", "error_kvline", &[1, 2, 3]),
        ("phones", "del", "error_kvline", &[1, 2, 3]),
        ("phones", "get_group", "error_kvline", &[3]),
        ("phones", "get_black", "error_kvline", &[3]),
        ("mails", "get", "error_kvline", &[3]),
        ("phones", "add", "error_extra_id", &[3]),
        ("phones", "get", "error_extra_id", &[3]),
        ("phones", "get", "error_real", &[3]),
        ("phones", "get_group", "error_real", &[3]),
        ("phones", "get", "error_code_string", &[3]),
        ("phones", "get", "error_4", &[1]),
        ("phones", "get", "real", &[3]),
        ("phones", "get_group", "real", &[3]),
        ("phones", "get_black", "real", &[3]),
        ("phones", "add", "real", &[3]),
        ("mails", "get", "real", &[3]),
        ("phones", "add", "id_string", &[3]),
        ("phones", "chg", "ok_bare", &[3]),
        ("phones", "del", "ok_bare", &[2, 3]),
        ("phones", "del", "ok_empty", &[3]),
        ("phones", "del", "trailing_ws", &[0, 3]),
        ("phones", "add", "trailing_ws", &[0]),
        ("phones", "get", "unknown_field", &[0, 2, 3]),
        ("phones", "get", "pretty", &[3]),
        ("phones", "get_group", "pretty", &[3]),
        ("phones", "get", "bom", &[0, 1, 2, 3]),
        ("phones", "add", "bom", &[3]),
        ("phones", "get", "xml_prologue_crlf", &[2]),
        ("phones", "get_group", "xml_prologue_crlf", &[2]),
        ("phones", "add_group", "xml_prologue_crlf", &[2]),
        ("phones", "get", "crlf", &[0, 1]),
        ("phones", "get_black", "crlf", &[1]),
        ("phones", "get", "no_final_newline", &[0, 1]),
        ("phones", "get", "escapes", &[2, 3]),
        ("phones", "get", "empty_list", &[2, 3]),
        ("phones", "get_group", "empty_list", &[2, 3]),
        ("phones", "get_black", "empty_list", &[3]),
        ("phones", "get", "empty_field", &[0, 1, 2, 3]),
        ("phones", "get_group", "no_number", &[0, 1, 2]),
        ("phones", "get", "multi_group", &[0, 2, 3]),
        ("mails", "add", "root_mail", &[2]),
        ("phones", "get", "comma_in_name", &[1]),
        ("phones", "get_group", "comma_in_name", &[1]),
        ("phones", "get", "phone_other_list", &[1]),
        ("phones", "get_black", "comment_commas", &[1]),
        ("phones", "get", "key_in_value", &[0]),
        ("phones", "get_black", "key_in_value", &[0]),
        ("phones", "get", "ambiguous", &[0, 1]),
        ("phones", "get", "not_kv", &[0]),
        ("phones", "get", "truncated", &[2, 3]),
        ("phones", "get_group", "truncated", &[3]),
        ("phones", "add", "truncated", &[3]),
        ("phones", "get", "lone_surrogate", &[3]),
        ("phones", "get", "lone_low_surrogate", &[3]),
        ("phones", "get", "surrogate_not_pair", &[3]),
        ("phones", "get", "bad_escape", &[3]),
        ("phones", "get", "short_unicode_escape", &[3]),
        ("phones", "get", "raw_control", &[3]),
        ("phones", "get", "missing_comma", &[3]),
        ("phones", "get", "trailing_garbage", &[3]),
        ("phones", "get", "misnested", &[2]),
        ("phones", "get", "charref_zero", &[2]),
        ("phones", "get", "charref_surrogate", &[2]),
        ("phones", "get", "unknown_entity", &[2]),
        ("phones", "get", "raw_ampersand", &[2]),
    ];
    let malformed_variants = [
        "ambiguous",
        "not_kv",
        "truncated",
        "lone_surrogate",
        "lone_low_surrogate",
        "surrogate_not_pair",
        "bad_escape",
        "short_unicode_escape",
        "raw_control",
        "missing_comma",
        "trailing_garbage",
        "misnested",
        "charref_zero",
        "charref_surrogate",
        "unknown_entity",
        "raw_ampersand",
    ];
    for &(endpoint, command, variant, fmts) in required {
        for &fmt in fmts {
            let found = all.iter().find(|f| {
                fixtures::endpoint_dir(f.endpoint) == endpoint
                    && f.command.wire() == command
                    && f.variant == variant
                    && f.fmt.wire() == fmt
            });
            let name = format!("{endpoint}/{command}/{variant}.fmt{fmt}");
            match found {
                None => problems.push(format!("missing {name}")),
                Some(f) => {
                    let malformed = matches!(f.expected, Expected::Malformed(_));
                    if malformed != malformed_variants.contains(&variant) {
                        problems.push(format!("{name}: .malformed expected: {}", !malformed));
                    }
                }
            }
        }
    }
    // The error variant on phones exists for every command.
    for command in COMMANDS {
        for fmt in 0..=3u8 {
            if !all.iter().any(|f| {
                f.endpoint == Endpoint::Phones
                    && f.command.wire() == command
                    && f.variant == "error"
                    && f.fmt.wire() == fmt
            }) {
                problems.push(format!("missing phones/{command}/error.fmt{fmt}"));
            }
        }
    }
    report(problems);
}

/// What the core API gives for a fixture, as the CLI would print it.
fn core_lines(fixture: &Fixture) -> Result<Vec<Fields>, String> {
    let kind = fixture.command.response();
    let pair = |k: &str, v: String| vec![(k.to_owned(), v)];
    let answer = decode::response(kind, &fixture.body, fixture.fmt, fixture.endpoint, Limits::DEFAULT);
    let lines = match answer {
        Err(Error::Api(api)) => {
            let mut line = pair("error_code", api.code.wire().to_string());
            if let Some(description) = api.description {
                line.push(("error".to_owned(), owned::text(&description)));
            }
            vec![line]
        }
        Err(Error::Malformed(err)) => return Err(format!("{err}")),
        Ok(Response::Created(created)) => vec![pair("id", owned::text(&created.id))],
        Ok(Response::Done) => vec![pair("result", "OK".to_owned())],
        Ok(Response::Contacts(records)) => collect(records.map(|r| r.map(|r| owned::record(&r))))?,
        Ok(Response::Groups(records)) => collect(records.map(|r| r.map(|r| owned::record(&r))))?,
        Ok(Response::Blacklist(records)) => collect(records.map(|r| r.map(|r| owned::record(&r))))?,
    };
    Ok(lines)
}

fn collect(records: impl Iterator<Item = Result<Fields, smsc_codec::DecodeError>>) -> Result<Vec<Fields>, String> {
    records.map(|r| r.map_err(|e| format!("{e}"))).collect()
}

#[test]
fn core_api_decodes_every_fixture_like_its_jsonl() {
    let mut problems = Vec::new();
    for fixture in fixtures::load_all() {
        let name = fixture.name();
        let got = core_lines(&fixture);
        match (&fixture.expected, got) {
            (Expected::Jsonl(jsonl), Ok(lines)) => {
                let expected = owned::parse_jsonl(jsonl);
                if matches!(fixture.command.response(), ResponseKind::List(_)) {
                    let is_error = expected.first().is_some_and(|l| l[0].0 == "error_code");
                    if !is_error && lines.len() != expected.len() {
                        problems.push(format!(
                            "{name}: {} records, the .jsonl has {} lines",
                            lines.len(),
                            expected.len()
                        ));
                    }
                }
                if lines != expected {
                    problems.push(format!("{name}: core gives\n  {lines:?}\n  jsonl says\n  {expected:?}"));
                }
            }
            (Expected::Jsonl(_), Err(err)) => {
                problems.push(format!("{name}: core rejects a valid body: {err}"));
            }
            (Expected::Malformed(_), Ok(lines)) => {
                problems.push(format!("{name}: core accepts a malformed body: {lines:?}"));
            }
            (Expected::Malformed(_), Err(_)) => {}
        }
    }
    report(problems);
}

#[test]
fn cli_and_core_report_the_same_offset_for_malformed_fixtures() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for fixture in fixtures::load_all() {
        if !matches!(fixture.expected, Expected::Malformed(_)) {
            continue;
        }
        let name = fixture.name();
        let (_, _, err) = cli(&fixture.decode_args(), &fixture.body);
        let cli_offset = byte_offset(&lossy(&err));
        let core = match fixture.command.response() {
            ResponseKind::List(kind) => {
                drive::whole_kind(kind, &fixture.body, fixture.fmt, fixture.endpoint, Limits::DEFAULT).end
            }
            ResponseKind::Created => match decode::created(&fixture.body, fixture.fmt) {
                Err(Error::Malformed(err)) => End::Malformed(err),
                other => {
                    problems.push(format!("{name}: created gives {other:?}"));
                    continue;
                }
            },
            ResponseKind::Done => match decode::done(&fixture.body, fixture.fmt) {
                Err(Error::Malformed(err)) => End::Malformed(err),
                other => {
                    problems.push(format!("{name}: done gives {other:?}"));
                    continue;
                }
            },
        };
        match core {
            End::Malformed(err) if Some(err.offset) == cli_offset => {
                if err.offset > fixture.body.len() {
                    problems.push(format!("{name}: offset {} past the body", err.offset));
                }
                checked += 1;
            }
            other => problems.push(format!("{name}: core ends with {other:?}, the CLI says {:?}", lossy(&err))),
        }
    }
    assert!(checked >= 20, "only {checked} malformed fixtures checked");
    report(problems);
}

/// Streaming each list fixture in small chunks through a small buffer gives the whole-body
/// records and the same end (same error kind and offset for malformed bodies).
#[test]
fn streaming_matches_whole_body_on_every_list_fixture() {
    let mut problems = Vec::new();
    let chunkings: [&[usize]; 4] = [&[1], &[3, 7, 1], &[64], &[1 << 20]];
    for fixture in fixtures::load_all() {
        let ResponseKind::List(kind) = fixture.command.response() else {
            continue;
        };
        let whole = drive::whole_kind(kind, &fixture.body, fixture.fmt, fixture.endpoint, Limits::DEFAULT);
        for chunks in chunkings {
            // A buffer just large enough for the largest record plus what separates records;
            // the whole body when a record does not decode (its length is unknown).
            let longest = drive::longest_record(kind, &fixture.body, fixture.fmt, fixture.endpoint);
            let cap = match whole.end {
                End::Malformed(_) => fixture.body.len() + 1,
                _ => 96 + longest,
            };
            let streamed = drive::stream_kind(kind, &fixture.body, fixture.fmt, fixture.endpoint, cap, chunks);
            if streamed != whole {
                problems.push(format!(
                    "{} (chunks {chunks:?}, buffer {cap}):\n  stream {streamed:?}\n  whole  {whole:?}",
                    fixture.name()
                ));
            }
        }
        if let Expected::Jsonl(jsonl) = &fixture.expected {
            let expected = owned::parse_jsonl(jsonl);
            let api = expected.first().is_some_and(|l| l[0].0 == "error_code");
            let matches = match whole.end {
                End::Done => !api && whole.records == expected,
                End::Api(code) => api && owned::get(&expected[0], "error_code") == Some(&code.to_string()),
                _ => false,
            };
            if !matches {
                problems.push(format!("{}: whole-body decoding gives {whole:?}", fixture.name()));
            }
        }
    }
    report(problems);
}

/// Every list fixture decodes to the same records whichever list function is used: the typed
/// ones (`contacts`, `groups`, `blacklist`) and `response` with the command's kind.
#[test]
fn typed_list_functions_agree_with_response() {
    let mut checked = 0;
    for fixture in fixtures::load_all() {
        let Some(jsonl) = fixture.jsonl() else {
            continue;
        };
        let ResponseKind::List(kind) = fixture.command.response() else {
            continue;
        };
        let expected = owned::parse_jsonl(jsonl);
        if expected.first().is_some_and(|l| l[0].0 == "error_code") {
            continue;
        }
        let (body, fmt, endpoint) = (&fixture.body[..], fixture.fmt, fixture.endpoint);
        let typed: Vec<Fields> = match kind {
            ListKind::Contacts => decode::contacts(body, fmt, endpoint)
                .expect("decodes")
                .map(|r| owned::record(&r.expect("record")))
                .collect(),
            ListKind::Groups => decode::groups(body, fmt, Endpoint::Phones)
                .expect("decodes")
                .map(|r| owned::record(&r.expect("record")))
                .collect(),
            ListKind::Blacklist => decode::blacklist(body, fmt, endpoint)
                .expect("decodes")
                .map(|r| owned::record(&r.expect("record")))
                .collect(),
        };
        assert_eq!(typed, expected, "{}", fixture.name());
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} list fixtures");
}

/// The command names of the fixture directories are exactly the core's twelve commands, and
/// the CLI refuses an unknown command and an unknown fmt with exit code 2.
#[test]
fn commands_and_usage_errors() {
    let core: Vec<&str> = CommandKind::ALL.iter().map(|k| k.wire()).collect();
    assert_eq!(core, COMMANDS);
    for args in [
        &["decode", "nope"][..],
        &["decode", "get", "--fmt", "4"],
        &["decode", "get", "--fmt"],
        &["decode"],
        &["decode", "get", "--bogus", "1"],
        &["decode", "get", "x=1"],
        &["frobnicate"],
        &[],
    ] {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let (code, out, err) = cli(&args, b"OK");
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: stdout {:?}", lossy(&out));
        assert!(!err.is_empty(), "{args:?}: no message");
    }
    // --fmt defaults to 3.
    let args: Vec<String> = ["decode", "add"].iter().map(|s| (*s).to_owned()).collect();
    let (code, out, _) = cli(&args, b"{\"id\": 7}");
    assert_eq!((code, lossy(&out)), (0, "{\"id\":\"7\"}\n".to_owned()));
    let (code, _, _) = cli(&args, b"ID = 7");
    assert_eq!(code, 2, "`ID = 7` is not JSON, and fmt 3 is the default");
}

/// A fixture body decoded as another command's answer is never taken for a success of the
/// wrong shape: a list is not an id, an id is not OK, OK is not a list.
#[test]
fn bodies_of_one_shape_are_refused_as_another() {
    let mut problems = Vec::new();
    for fixture in fixtures::load_all() {
        if fixture.variant != "basic" {
            continue;
        }
        let (body, fmt) = (&fixture.body[..], fixture.fmt);
        match fixture.command.response() {
            ResponseKind::List(_) => {
                if decode::created(body, fmt).is_ok() {
                    problems.push(format!("{}: a list decodes as created", fixture.name()));
                }
                if decode::done(body, fmt).is_ok() {
                    problems.push(format!("{}: a list decodes as OK", fixture.name()));
                }
            }
            ResponseKind::Created => {
                if decode::done(body, fmt).is_ok() {
                    problems.push(format!("{}: an id decodes as OK", fixture.name()));
                }
            }
            // In fmt 1 an id is a bare token, so a bare `OK` reads as the id "OK".
            ResponseKind::Done if fmt == Fmt::Csv => {}
            ResponseKind::Done => {
                if decode::created(body, fmt).is_ok() {
                    problems.push(format!("{}: OK decodes as created", fixture.name()));
                }
            }
        }
    }
    report(problems);
}
