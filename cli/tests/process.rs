//! `smsc` as a process: what only the binary shows (its arguments from the OS, its memory).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const SMSC: &str = env!("CARGO_BIN_EXE_smsc");

/// An argument that is not UTF-8 (a file name in another encoding) is a message and exit 2,
/// never a panic (exit 101).
#[cfg(unix)]
#[test]
fn a_non_utf8_argument_is_refused_with_a_message() {
    use std::os::unix::ffi::OsStrExt;
    let bad = std::ffi::OsStr::from_bytes(b"name=\xff\xfe");
    let output = Command::new(SMSC).args(["query".as_ref(), "add".as_ref(), bad]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("smsc: argument 3 is not valid UTF-8: name="), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `smsc decode` streams a list: 32 MB of contacts go through with the process's resident
/// memory far below the body's size (the whole body was read first before; it would take
/// 32 MB at least). Sampled from /proc while the body is being written.
#[cfg(target_os = "linux")]
#[test]
fn decode_streams_a_list_in_flat_memory() {
    let mut child = Command::new(SMSC)
        .args(["decode", "get", "--fmt", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let rss_kib = move || -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or("VmRSS: 0 kB");
        line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
    };
    // The output is read as it comes, or the child would block on a full pipe.
    let stdout = child.stdout.take().unwrap();
    let lines = std::thread::spawn(move || BufReader::new(stdout).lines().map(Result::unwrap).count());
    let mut stdin = child.stdin.take().unwrap();
    let line = "79991112233,Іван Петренко,5922,Іван,Петренко,,01.02.1990,4000,коментар,vip,\n";
    let chunk = line.repeat(1000);
    let (mut written, mut peak) = (0usize, 0u64);
    while written < 32 << 20 {
        stdin.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
        peak = peak.max(rss_kib());
    }
    drop(stdin);
    let records = lines.join().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
    assert_eq!(records, written / line.len());
    assert!(peak > 0, "VmRSS was read");
    eprintln!("peak resident memory {peak} KiB for a {written}-byte body");
    assert!(peak < 16 * 1024, "peak resident memory {peak} KiB for a {written}-byte body");
}

/// Every subcommand answers `--help` (exit 0, its usage on standard output), and so does
/// `smsc` itself; `--version` prints the version; completions are generated for each shell.
#[test]
fn every_subcommand_answers_help() {
    let run = |args: &[&str]| {
        let output = Command::new(SMSC).args(args).output().unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let (code, top) = run(&["--help"]);
    assert_eq!(code, Some(0));
    let subcommands = ["decode", "query", "call", "export", "import", "serve", "demo", "completions"];
    for subcommand in subcommands {
        assert!(top.contains(subcommand), "{subcommand} is not in the top help:\n{top}");
        let (code, help) = run(&[subcommand, "--help"]);
        assert_eq!(code, Some(0), "{subcommand} --help");
        assert!(help.contains(&format!("Usage: smsc {subcommand}")), "{subcommand}: {help}");
    }
    let (code, version) = run(&["--version"]);
    assert_eq!((code, version.trim()), (Some(0), concat!("smsc ", env!("CARGO_PKG_VERSION"))));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, script) = run(&["completions", shell]);
        assert_eq!(code, Some(0), "{shell}");
        assert!(script.contains("export") && script.contains("import"), "{shell}: {script}");
    }
    // A usage error names itself after `smsc: ` and exits 2.
    let output = Command::new(SMSC).args(["export", "nothing"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("smsc: "));
}

/// A server on loopback holding `n` contacts, added through the sans-IO entry.
fn server_with_contacts(n: usize) -> smsc_codec_cli::sim::http::Server {
    use smsc_codec_cli::sim::{http, Config, Method, Simulator};
    let mut sim = Simulator::new(Config::default());
    for i in 0..n {
        let add = format!("add=1&apikey=test-api-key&fmt=3&phone=7999{i:07}&name=%D0%86%D0%BC%27%D1%8F+{i}%2C+%22x%22");
        assert_eq!(sim.handle("/sys/phones.php", Method::Post, add.as_bytes(), 0).status, 200);
    }
    http::Server::start("127.0.0.1:0", sim, http::Clock::system()).unwrap()
}

/// An export killed mid-way (SIGKILL: no chance to tidy up) continues from the last record
/// it wrote, and ends with every contact once, in order.
#[cfg(unix)]
#[test]
fn a_killed_export_resumes_where_it_stopped() {
    const N: usize = 20_000;
    let server = server_with_contacts(N);
    let dir = std::env::temp_dir().join(format!("smsc-killed-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["contacts.csv", "contacts.jsonl"] {
        let path = dir.join(name);
        let _ = std::fs::remove_file(&path);
        let args = |path: &std::path::Path| {
            let path = path.to_str().unwrap().to_owned();
            let url = server.url();
            let list = [
                "export",
                "contacts",
                "--host",
                &url,
                "--apikey",
                "test-api-key",
                "--page-size",
                "100",
                "--out",
                &path,
            ];
            list.map(str::to_owned)
        };
        let mut child = Command::new(SMSC).args(args(&path)).stderr(Stdio::null()).spawn().unwrap();
        // Kill it once a few pages are in, long before the end.
        let started = std::time::Instant::now();
        while std::fs::metadata(&path).map_or(0, |m| m.len()) < 200_000 {
            assert!(started.elapsed().as_secs() < 60, "the export wrote too little");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        child.kill().unwrap();
        let _ = child.wait();
        let partial = std::fs::read(&path).unwrap().len();
        let status = Command::new(SMSC).args(args(&path)).stderr(Stdio::null()).status().unwrap();
        assert!(status.success());
        let text = std::fs::read_to_string(&path).unwrap();
        let phones: Vec<String> = match name.ends_with(".csv") {
            true => {
                let mut reader = csv::Reader::from_reader(text.as_bytes());
                reader.records().map(|r| r.unwrap()[0].to_owned()).collect()
            }
            false => text
                .lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["phone"].as_str().unwrap().to_owned())
                .collect(),
        };
        let expected: Vec<String> = (0..N).map(|i| format!("7999{i:07}")).collect();
        assert!(partial < text.len(), "{name}: killed after {partial} of {} bytes", text.len());
        assert!(phones == expected, "{name}: {} records after the resume", phones.len());
    }
}

/// `smsc serve --data FILE` saves the account when stopped with SIGTERM, and loads it again.
#[cfg(unix)]
#[test]
fn serve_saves_its_data_file_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("smsc-serve-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("account.json");
    let _ = std::fs::remove_file(&data);
    let start = || {
        let mut child = Command::new(SMSC)
            .args(["serve", "--data", data.to_str().unwrap()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut banner = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let url = loop {
            line.clear();
            assert!(banner.read_line(&mut line).unwrap() > 0, "no banner");
            if let Some(at) = line.find("http://") {
                break line[at..].trim().trim_end_matches("/sys/phones.php").to_owned();
            }
        };
        // The rest of the banner is read too: a closed pipe would end the server.
        std::thread::spawn(move || std::io::copy(&mut banner, &mut std::io::sink()));
        (child, url)
    };
    let call = |url: &str, args: &[&str]| {
        let mut all = vec!["call", args[0], "--host", url, "--apikey", "test-api-key"];
        all.extend_from_slice(&args[1..]);
        Command::new(SMSC).args(all).output().unwrap()
    };
    let (child, url) = start();
    assert!(call(&url, &["add", "phone=79991112233", "name=Збережений"]).status.success());
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let mut child = child;
    assert!(child.wait().unwrap().success());
    assert!(std::fs::read_to_string(&data).unwrap().contains("Збережений"));
    let (mut child, url) = start();
    let listed = call(&url, &["get"]);
    let _ = child.kill();
    let _ = child.wait();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Збережений"));
}
