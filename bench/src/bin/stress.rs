//! 100 MB contact lists through the streaming decoder with a 512-byte buffer, in every fmt:
//! throughput and the process's peak resident memory, which must not grow with the body.
//! `cargo run --release -p smsc-codec-bench --bin stress [-- MEGABYTES]`.
//!
//! The body is generated as it is read (a 1000-contact body's records repeated), so the only
//! memory that could grow with it is the decoder's. Peak resident memory (`VmHWM`) is read from
//! /proc after each fmt; on other systems it is reported as unknown.

use std::io::Read;
use std::time::Instant;

use smsc_codec::read::IoReader;
use smsc_codec::{Endpoint, Fmt};
use smsc_codec_bench::fixtures::{self, Profile, FMTS, SEED};

/// The decoder's whole buffer: one record of the ASCII profile fits.
const BUFFER: usize = 512;
/// A roomy buffer, for the throughput a small one is compared with.
const ROOMY: usize = 64 * 1024;

/// `head`, then `middle` repeated (joined by `separator`) until `total` bytes, then `tail`.
struct Repeated {
    parts: [Vec<u8>; 4],
    /// Which part is being read: head, middle, separator, tail.
    part: usize,
    at: usize,
    left: u64,
}

impl Repeated {
    fn new(fmt: Fmt, total: u64) -> Self {
        let list = Profile::Ascii.contacts(1000, SEED);
        let body = fixtures::render(&list, fmt);
        let (head, tail, separator): (&[u8], &[u8], &[u8]) = match fmt {
            Fmt::Json => (b"[", b"]", b",\n"),
            Fmt::Xml => (b"<list>\n", b"</list>", b""),
            Fmt::KeyValue | Fmt::Csv => (b"", b"", b""),
        };
        let middle = body[head.len()..body.len() - tail.len()].to_vec();
        let rounds = total / (middle.len() + separator.len()) as u64;
        Self { parts: [head.to_vec(), middle, separator.to_vec(), tail.to_vec()], part: 0, at: 0, left: rounds.max(1) }
    }

    /// Contacts in the whole body.
    fn records(&self) -> u64 {
        self.left * 1000
    }
}

impl Read for Repeated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let part = &self.parts[self.part.min(3)];
            if self.part > 3 {
                return Ok(0);
            }
            if self.at < part.len() {
                let n = buf.len().min(part.len() - self.at);
                buf[..n].copy_from_slice(&part[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            self.at = 0;
            self.part = match self.part {
                0 => 1,
                1 => {
                    self.left -= 1;
                    if self.left == 0 {
                        3
                    } else {
                        2
                    }
                }
                2 => 1,
                _ => 4,
            };
        }
    }
}

/// Peak resident memory so far, in KiB.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let megabytes: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let total = megabytes * 1_000_000;
    println!("{megabytes} MB contact lists, ascii profile, through read::IoReader with a {BUFFER}-byte buffer");
    println!("peak resident memory before: {} KiB", peak_kib().map_or("unknown".into(), |k| k.to_string()));
    println!("| fmt | body | contacts | buffer | time | MB/s | peak resident memory after |");
    println!("|---|---|---|---|---|---|---|");
    for fmt in FMTS {
        let list = Profile::Ascii.contacts(1000, SEED);
        assert!(fixtures::longest_record(&list, fmt) < BUFFER, "a record longer than the buffer");
        for buffer in [BUFFER, ROOMY] {
            let body = Repeated::new(fmt, total);
            let expected = body.records();
            let mut counted = CountingRead { inner: body, bytes: 0 };
            let mut buf = vec![0u8; buffer];
            let start = Instant::now();
            let mut records = 0u64;
            {
                let mut reader = IoReader::contacts(&mut counted, &mut buf, fmt, Endpoint::Phones);
                while let Some(contact) = reader.next().expect("the body decodes") {
                    records += u64::from(!contact.raw.bytes().is_empty());
                }
            }
            let seconds = start.elapsed().as_secs_f64();
            assert_eq!(records, expected, "every contact once");
            let mb = counted.bytes as f64 / 1e6;
            println!(
                "| {} | {mb:.0} MB | {records} | {buffer} B | {seconds:.2} s | {:.0} | {} KiB |",
                fmt.wire(),
                mb / seconds,
                peak_kib().map_or("unknown".into(), |k| k.to_string())
            );
        }
    }
}

/// Counts the bytes read.
struct CountingRead<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for CountingRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}
