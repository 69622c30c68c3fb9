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
