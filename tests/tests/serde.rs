//! Records serialize (serde, through `serde_json_core::to_slice`, into a
//! stack buffer) to the same JSON object as the CLI's line for that record, for the `basic`
//! fixtures of `get`, `get_group` and `get_black` in every fmt on both endpoints, and created
//! ids for `add`, `add_group` and `add_black`.

use smsc_codec::decode::{self, Response};
use smsc_codec::Limits;
use smsc_codec::{CommandKind, Endpoint, Fmt};
use smsc_codec_tests::fixtures::{self, Fixture};
use smsc_codec_tests::owned::Typed;

fn cli_lines(fixture: &Fixture) -> Vec<String> {
    let jsonl = fixture.jsonl().expect("a basic fixture decodes");
    let text = std::str::from_utf8(jsonl).expect("UTF-8");
    text.lines().map(str::to_owned).collect()
}

fn json<'a, R: Typed<'a>>(record: &R) -> String {
    let mut buf = [0u8; 2048];
    let len = record.to_json(&mut buf).expect("fits in 2 KiB");
    String::from_utf8(buf[..len].to_vec()).expect("UTF-8 JSON")
}

#[test]
fn list_records_serialize_like_the_cli() {
    let mut checked = 0;
    for fixture in fixtures::load_all() {
        let lists = [CommandKind::GetContacts, CommandKind::GetGroups, CommandKind::GetBlacklist];
        if fixture.variant != "basic" || !lists.contains(&fixture.command) {
            continue;
        }
        let expected = cli_lines(&fixture);
        let answer =
            decode::response(fixture.command.response(), &fixture.body, fixture.fmt, fixture.endpoint, Limits::DEFAULT)
                .unwrap_or_else(|e| panic!("{}: {e}", fixture.name()));
        let got: Vec<String> = match answer {
            Response::Contacts(records) => records.map(|r| json(&r.expect("record"))).collect(),
            Response::Groups(records) => records.map(|r| json(&r.expect("record"))).collect(),
            Response::Blacklist(records) => records.map(|r| json(&r.expect("record"))).collect(),
            other => panic!("{}: {other:?}", fixture.name()),
        };
        assert!(!got.is_empty(), "{}", fixture.name());
        assert_eq!(got, expected, "{}", fixture.name());
        checked += 1;
    }
    // 3 commands x 4 fmts x 2 endpoints.
    assert_eq!(checked, 24);
}

#[test]
fn created_ids_serialize_like_the_cli() {
    let mut checked = 0;
    for fixture in fixtures::load_all() {
        let created = [CommandKind::AddContact, CommandKind::AddGroup, CommandKind::AddBlacklistEntry];
        if fixture.variant != "basic" || !created.contains(&fixture.command) {
            continue;
        }
        let expected = cli_lines(&fixture);
        let created = decode::created(&fixture.body, fixture.fmt).expect("an id");
        let mut buf = [0u8; 128];
        let len = serde_json_core::to_slice(&created, &mut buf).expect("fits");
        assert_eq!(std::str::from_utf8(&buf[..len]).unwrap(), expected[0], "{}", fixture.name());
        checked += 1;
    }
    assert_eq!(checked, 24);
}

/// Escapes: what serde-json-core writes for quotes, backslashes and control characters is the
/// JSON the CLI writes (the fixtures' `escapes` variants).
#[test]
fn escaped_values_serialize_like_the_cli() {
    for fixture in fixtures::load_all() {
        if fixture.variant != "escapes" || fixture.endpoint != Endpoint::Phones {
            continue;
        }
        let expected = cli_lines(&fixture);
        let got: Vec<String> = decode::contacts(&fixture.body, fixture.fmt, Endpoint::Phones)
            .expect("decodes")
            .map(|r| json(&r.expect("record")))
            .collect();
        assert_eq!(got, expected, "{}", fixture.name());
    }
    // A field present but empty is `""`; an absent one is left out; names follow the endpoint.
    let body = br#"[{"mail": "a@b.c", "name": "", "mail_other": null}]"#;
    let contact = decode::contacts(body, Fmt::Json, Endpoint::Mails).unwrap().next().unwrap().unwrap();
    assert_eq!(json(&contact), r#"{"mail":"a@b.c","name":""}"#);
    // Too small a buffer is an error, not a panic or a truncated object.
    let mut small = [0u8; 8];
    assert!(serde_json_core::to_slice(&contact, &mut small).is_err());
}
