//! `smsc export` and `smsc import` end to end against the simulator over loopback HTTP: 50,000
//! contacts round-tripped with nothing lost, an export cut short at every kind of place and
//! continued, hostile CSV values, and an import that reports bad lines without stopping.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use smsc_codec_cli::sim::http::{Clock, Server};
use smsc_codec_cli::sim::{Config, Method, Simulator};

/// A contact as exported: field to value, `int_id` left out (each account numbers its own).
type Exported = BTreeMap<String, String>;

/// A simulator holding `contacts`, added through its sans-IO entry (no HTTP).
fn account(contacts: &[Vec<(&str, String)>]) -> Simulator {
    account_with(Config::default(), contacts)
}

fn account_with(config: Config, contacts: &[Vec<(&str, String)>]) -> Simulator {
    // Every add is a distinct request, so the rate limit never applies.
    let mut sim = Simulator::new(config);
    for (i, fields) in contacts.iter().enumerate() {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("add", "1").append_pair("login", "test").append_pair("psw", "test-password");
        form.append_pair("fmt", "3");
        for (name, value) in fields {
            form.append_pair(name, value);
        }
        let answer = sim.handle("/sys/phones.php", Method::Post, form.finish().as_bytes(), i as u64);
        assert!(String::from_utf8_lossy(&answer.body).contains("\"id\""), "seeding contact {i}");
    }
    sim
}

/// `n` contacts with every field set; every seventh has hostile text (quotes, commas,
/// newlines, Cyrillic, leading spaces).
fn contacts(n: usize) -> Vec<Vec<(&'static str, String)>> {
    (0..n)
        .map(|i| {
            let hostile = i % 7 == 0;
            let name = match hostile {
                true => format!("Олена \"{i}\", кл\u{456}єнт\nрядок 2"),
                false => format!("Contact {i}"),
            };
            vec![
                ("phone", format!("+7999{i:07}")),
                ("name", name),
                ("fnm", format!("Ім'я{i}")),
                ("lnm", if hostile { "  ,,\"\"  ".to_owned() } else { format!("L{i}") }),
                ("mnm", String::new()),
                ("bd", format!("{:02}.{:02}.19{:02}", i % 28 + 1, i % 12 + 1, i % 100)),
                ("myid", format!("crm-{i}")),
                ("cmt", if hostile { "a\r\nb;c\tz =1+1".to_owned() } else { String::new() }),
                ("tags", format!("t{},vip", i % 3)),
                ("pho", format!("+38050{i:07}")),
            ]
        })
        .collect()
}

fn start(sim: Simulator) -> Server {
    Server::start("127.0.0.1:0", sim, Clock::system()).expect("loopback server")
}

fn smsc(args: &[&str]) -> (u8, String, String) {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = smsc_codec_cli::run(&args, &mut &b""[..], &mut out, &mut err);
    (code, String::from_utf8(out).expect("UTF-8 stdout"), String::from_utf8(err).expect("UTF-8 stderr"))
}

fn export(server: &Server, what: &str, out: &Path, extra: &[&str]) -> (u8, String) {
    let url = server.url();
    let out = out.to_str().expect("UTF-8 path");
    let mut args = vec!["export", what, "--host", &url, "--login", "test", "--psw", "test-password", "--out", out];
    args.extend_from_slice(extra);
    let (code, _, err) = smsc(&args);
    (code, err)
}

fn import(server: &Server, file: &Path, extra: &[&str]) -> (u8, String, String) {
    let url = server.url();
    let file = file.to_str().expect("UTF-8 path");
    let mut args = vec!["import", "contacts", "--host", &url, "--apikey", "test-api-key", file];
    args.extend_from_slice(extra);
    smsc(&args)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smsc-export-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// The records of a JSON-lines export, `int_id` left out.
fn read_jsonl(path: &Path) -> Vec<Exported> {
    let text = std::fs::read_to_string(path).expect("export written");
    text.lines()
        .map(|line| {
            let mut record: Exported = serde_json::from_str(line).expect("one JSON object of strings a line");
            record.remove("int_id");
            record
        })
        .collect()
}

/// The records of a CSV export, `int_id` left out.
fn read_csv(path: &Path) -> Vec<Exported> {
    let mut reader = csv::Reader::from_path(path).expect("export written");
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a CSV record");
            header
                .iter()
                .zip(record.iter())
                .filter(|(n, _)| *n != "int_id")
                .map(|(n, v)| (n.into(), v.into()))
                .collect()
        })
        .collect()
}

fn sorted(mut records: Vec<Exported>) -> Vec<Exported> {
    records.sort();
    records
}

#[test]
fn fifty_thousand_contacts_round_trip_through_export_and_import() {
    const N: usize = 50_000;
    let seeded = contacts(N);
    let a = start(account(&seeded));
    let file = scratch("all.jsonl");
    let (code, err) = export(&a, "contacts", &file, &[]);
    assert_eq!(code, 0, "{err}");
    let exported = read_jsonl(&file);
    assert_eq!(exported.len(), N);
    // Nothing lost or altered on the way out: every seeded value is in its record.
    for (record, fields) in exported.iter().zip(&seeded) {
        assert_eq!(record["phone"], fields[0].1.trim_start_matches('+'));
        assert_eq!(record["name"], fields[1].1);
        assert_eq!(record["comments"], fields[7].1);
        assert_eq!(record["id"], fields[6].1);
    }

    let b = start(Simulator::new(Config::default()));
    let (code, out, err) = import(&b, &file, &["--jobs", "8"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains(&format!("{N} records: {N} added, 0 changed, 0 failed")), "{err}");
    let again = scratch("again.jsonl");
    let (code, err) = export(&b, "contacts", &again, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(sorted(read_jsonl(&again)), sorted(exported));
}

#[test]
fn an_interrupted_export_continues_after_its_last_complete_record() {
    // Cuts inside one record continue with the same request: a hundred runs of it within a
    // minute would wait for the rate limit, which is not what this test is about.
    let server = start(account_with(Config { rate_limit: false, ..Config::default() }, &contacts(240)));
    for (format, name) in [("jsonl", "cut.jsonl"), ("csv", "cut.csv")] {
        let full = scratch(&format!("full-{name}"));
        let (code, err) = export(&server, "contacts", &full, &["--page-size", "50"]);
        assert_eq!(code, 0, "{err}");
        let whole = std::fs::read(&full).expect("export");
        // Cut everywhere that matters: inside quoted newlines, inside escapes, between records,
        // in the header, and at the very end.
        let step = whole.len() / 97;
        let cuts: Vec<usize> = (0..whole.len()).step_by(step).chain([1, 5, whole.len() - 1, whole.len()]).collect();
        for cut in cuts {
            let path = scratch(name);
            std::fs::write(&path, &whole[..cut]).expect("cut file");
            let (code, err) = export(&server, "contacts", &path, &["--page-size", "50"]);
            assert_eq!(code, 0, "{format} cut at {cut}: {err}");
            let resumed = std::fs::read(&path).expect("resumed");
            assert!(resumed == whole, "{format} cut at {cut}: the continued export differs");
        }
        // A file that is not an export is not overwritten unless asked.
        let other = scratch(&format!("other-{name}"));
        std::fs::write(&other, "something else\n").expect("file");
        let (code, err) = export(&server, "contacts", &other, &[]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("--restart"), "{err}");
        assert_eq!(std::fs::read(&other).expect("kept"), b"something else\n");
        let (code, err) = export(&server, "contacts", &other, &["--restart", "--format", format]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(std::fs::read(&other).expect("rewritten"), whole);
    }
}

#[test]
fn hostile_csv_values_round_trip() {
    let seeded = contacts(700);
    let a = start(account(&seeded));
    let file = scratch("hostile.csv");
    let (code, err) = export(&a, "contacts", &file, &[]);
    assert_eq!(code, 0, "{err}");
    let exported = read_csv(&file);
    assert_eq!(exported.len(), 700);
    assert_eq!(exported[0]["name"], "Олена \"0\", кл\u{456}єнт\nрядок 2");
    assert_eq!(exported[0]["comments"], "a\r\nb;c\tz =1+1");
    assert_eq!(exported[0]["last_name"], "  ,,\"\"  ");

    let b = start(Simulator::new(Config::default()));
    let (code, _, err) = import(&b, &file, &[]);
    assert_eq!(code, 0, "{err}");
    let again = scratch("hostile-again.csv");
    let (code, err) = export(&b, "contacts", &again, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(sorted(read_csv(&again)), sorted(exported.clone()));

    // Importing the same file again changes every contact (the numbers are taken) and loses none.
    let (code, _, err) = import(&b, &file, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("700 records: 0 added, 700 changed, 0 failed"), "{err}");
    let (code, err) = export(&b, "contacts", &again, &["--restart"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(sorted(read_csv(&again)), sorted(exported));
}

#[test]
fn groups_and_blacklist_export() {
    let server = start(Simulator::new(Config::default()));
    let url = server.url();
    let call = |pairs: &[&str]| {
        let mut args = vec!["call", pairs[0], "--host", &url, "--apikey", "test-api-key"];
        args.extend_from_slice(&pairs[1..]);
        smsc(&args)
    };
    assert_eq!(call(&["add_group", "name=Клієнти, \"VIP\""]).0, 0);
    for i in 0..130 {
        let (code, out, err) = call(&["add_black", &format!("phone=7999{i:07}"), &format!("cmt=спам {i}")]);
        assert_eq!(code, 0, "{out}{err}");
    }
    let groups = scratch("groups.csv");
    assert_eq!(export(&server, "groups", &groups, &[]).0, 0);
    let groups = read_csv(&groups);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["name"], "Клієнти, \"VIP\"");

    let black = scratch("black.jsonl");
    let (code, err) = export(&server, "blacklist", &black, &["--page-size", "40"]);
    assert_eq!(code, 0, "{err}");
    let records = read_jsonl(&black);
    assert_eq!(records.len(), 130);
    // Newest first, as the server lists them, none twice.
    assert_eq!(records[0]["comment"], "спам 129");
    assert_eq!(records[129]["comment"], "спам 0");
}

#[test]
fn an_import_reports_each_bad_line_and_goes_on() {
    let server = start(Simulator::new(Config::default()));
    let file = scratch("mixed.jsonl");
    let lines = [
        r#"{"phone":"79990000001","name":"Good"}"#,
        r#"not json"#,
        r#"{"phone":"79990000002","birthday":"31.02.2020"}"#,
        r#"{"name":"no number"}"#,
        r#"{"phone":"79990000003","group":"424242"}"#,
        r#"{"phone":"79990000004","name":"Also good"}"#,
    ];
    std::fs::write(&file, lines.join("\n")).expect("file");
    let (code, out, err) = import(&server, &file, &[]);
    assert_eq!(code, 1, "{err}");
    let failed: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    let failed_lines: Vec<&str> = failed.iter().map(|f| f["line"].as_str().expect("line")).collect();
    assert_eq!(failed_lines, ["2", "3", "4", "5"], "{out}");
    assert!(failed[1]["error"].as_str().expect("why").contains("dd.mm.yyyy"), "{out}");
    assert!(failed[3]["error"].as_str().expect("why").contains("error 1"), "{out}");
    assert!(err.contains("6 records: 2 added, 0 changed, 4 failed"), "{err}");
    let listed = scratch("mixed-out.jsonl");
    assert_eq!(export(&server, "contacts", &listed, &[]).0, 0);
    let names: Vec<String> = read_jsonl(&listed).iter().map(|r| r["name"].clone()).collect();
    assert_eq!(sorted_names(names), ["Also good", "Good"]);

    // A CSV whose header names a field no contact has is refused before any request.
    let csv = scratch("bad-header.csv");
    std::fs::write(&csv, "phone,colour\n79990000009,red\n").expect("file");
    let (code, _, err) = import(&server, &csv, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn call_prints_the_answer_and_exits_1_on_an_api_error() {
    let server = start(Simulator::new(Config::default()));
    let url = server.url();
    let (code, out, err) = smsc(&["call", "get", "--host", &url, "--apikey", "test-api-key"]);
    assert_eq!((code, out.as_str()), (1, "{\"error_code\":\"3\",\"error\":\"record not found\"}\n"), "{err}");
    let (code, out, _) = smsc(&["call", "get", "--host", &url, "--apikey", "wrong"]);
    assert_eq!((code, out.as_str()), (1, "{\"error_code\":\"2\",\"error\":\"authorise error\"}\n"));
    let (code, _, err) = smsc(&["call", "get", "--host", &url]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = smsc(&["call", "add", "--host", &url, "--apikey", "test-api-key", "phone=79991112233"]);
    assert_eq!((code, out.as_str()), (0, "{\"id\":\"123456\"}\n"));
}

/// Names in order (an import with several jobs adds in any order).
fn sorted_names(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}
