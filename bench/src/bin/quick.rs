//! A quick look at the ratios while working: each side of each comparison, interleaved, the
//! best of several rounds, against the floors of the report. Not the measurement of record (that
//! is criterion, `scripts/bench.sh`).
//!
//! ```sh
//! cargo run --release -q -p smsc-codec-bench --bin quick                    # profile mixed
//! cargo run --release -q -p smsc-codec-bench --bin quick -- escapes fmt3    # one profile, one case
//! cargo run --release -q -p smsc-codec-bench --bin quick -- all             # every profile
//! ```
//! An argument that names a profile (or `all`) selects profiles; another is a filter on the case
//! names (`fmt3`, `s2`, `query`, ...). The query is the same in every profile: it runs once.

use std::hint::black_box;
use std::time::Instant;

use smsc_codec::Fmt;
use smsc_codec_bench::fixtures::Profile;
use smsc_codec_bench::report::floor;
use smsc_codec_bench::{alt, ours};

fn best(rounds: usize, iterations: usize, mut f: impl FnMut() -> u64) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..iterations {
            black_box(f());
        }
        best = best.min(start.elapsed().as_secs_f64() / iterations as f64);
    }
    best
}

type Side<'a> = (&'static str, Box<dyn FnMut() -> u64 + 'a>);

/// Times both sides, interleaved, and prints the ratio against `floor`.
fn compare(name: &str, iterations: usize, floor: f64, (a_name, mut a): Side<'_>, (b_name, mut b): Side<'_>) {
    let (mut ta, mut tb) = (f64::MAX, f64::MAX);
    for _ in 0..5 {
        ta = ta.min(best(3, iterations, &mut a));
        tb = tb.min(best(3, iterations, &mut b));
    }
    let ratio = tb / ta;
    let verdict = if ratio >= floor { "met" } else { "MISSED" };
    println!(
        "{name:6} {a_name} {:9.1} µs  {b_name:16} {:9.1} µs  ratio {ratio:.2}x  (floor {floor:.1}x: {verdict})",
        ta * 1e6,
        tb * 1e6
    );
}

fn main() {
    let mut profiles = Vec::new();
    let mut filter = String::new();
    for arg in std::env::args().skip(1) {
        match (arg.as_str(), Profile::from_name(&arg)) {
            ("all", _) => profiles.extend(Profile::ALL),
            (_, Some(profile)) => profiles.push(profile),
            _ => filter = arg,
        }
    }
    if profiles.is_empty() {
        profiles.push(Profile::Mixed);
    }
    for profile in profiles {
        println!("== profile {profile}");
        let json = profile.contact_body(1000, Fmt::Json);
        let xml = profile.contact_body(1000, Fmt::Xml);
        let csv = profile.contact_body(1000, Fmt::Csv);
        let kv = profile.contact_body(1000, Fmt::KeyValue);
        let cases: Vec<(&str, f64, Side<'_>, Side<'_>)> = vec![
            (
                "fmt3",
                floor::FMT3,
                ("ours", Box::new(|| ours::contacts(&json, Fmt::Json))),
                ("serde_json_cow", Box::new(|| alt::serde_json_cow(&json))),
            ),
            (
                "fmt2",
                floor::FMT2,
                ("ours", Box::new(|| ours::contacts(&xml, Fmt::Xml))),
                ("quick_xml", Box::new(|| alt::quick_xml(&xml))),
            ),
            (
                "fmt1",
                floor::FMT1,
                ("ours", Box::new(|| ours::contacts(&csv, Fmt::Csv))),
                ("csv_utf8", Box::new(|| alt::csv_byte_record_utf8(&csv))),
            ),
            (
                "fmt0",
                floor::FMT0,
                ("ours", Box::new(|| ours::contacts(&kv, Fmt::KeyValue))),
                ("split", Box::new(|| alt::split_kv(&kv))),
            ),
            (
                "s3",
                floor::STREAM,
                ("stream", Box::new(|| ours::contacts_stream_512(&json, Fmt::Json))),
                ("whole", Box::new(|| ours::contacts(&json, Fmt::Json))),
            ),
            (
                "s2",
                floor::STREAM,
                ("stream", Box::new(|| ours::contacts_stream_512(&xml, Fmt::Xml))),
                ("whole", Box::new(|| ours::contacts(&xml, Fmt::Xml))),
            ),
            (
                "s1",
                floor::STREAM,
                ("stream", Box::new(|| ours::contacts_stream_512(&csv, Fmt::Csv))),
                ("whole", Box::new(|| ours::contacts(&csv, Fmt::Csv))),
            ),
            (
                "s0",
                floor::STREAM,
                ("stream", Box::new(|| ours::contacts_stream_512(&kv, Fmt::KeyValue))),
                ("whole", Box::new(|| ours::contacts(&kv, Fmt::KeyValue))),
            ),
            // The reader adapter against driving the decoder by hand (no floor: informational).
            (
                "r3",
                0.0,
                ("reader", Box::new(|| ours::contacts_reader_512(&json, Fmt::Json))),
                ("stream", Box::new(|| ours::contacts_stream_512(&json, Fmt::Json))),
            ),
            // The reader adapter against driving the decoder by hand (no floor: informational).
            (
                "r2",
                0.0,
                ("reader", Box::new(|| ours::contacts_reader_512(&xml, Fmt::Xml))),
                ("stream", Box::new(|| ours::contacts_stream_512(&xml, Fmt::Xml))),
            ),
            // The reader adapter against driving the decoder by hand (no floor: informational).
            (
                "r1",
                0.0,
                ("reader", Box::new(|| ours::contacts_reader_512(&csv, Fmt::Csv))),
                ("stream", Box::new(|| ours::contacts_stream_512(&csv, Fmt::Csv))),
            ),
            // The reader adapter against driving the decoder by hand (no floor: informational).
            (
                "r0",
                0.0,
                ("reader", Box::new(|| ours::contacts_reader_512(&kv, Fmt::KeyValue))),
                ("stream", Box::new(|| ours::contacts_stream_512(&kv, Fmt::KeyValue))),
            ),
        ];
        for (name, floor, a, b) in cases {
            if name.contains(&filter) {
                compare(name, 30, floor, a, b);
            }
        }
    }
    if "query".contains(&filter) {
        println!("== the add query");
        compare(
            "query",
            20000,
            floor::QUERY,
            (
                "ours",
                Box::new(|| {
                    let mut b = [0u8; 1024];
                    ours::query(black_box(&ours::ADD), &mut b) as u64
                }),
            ),
            ("serde_urlencoded", Box::new(|| alt::query_serde_urlencoded(black_box(&ours::ADD)).len() as u64)),
        );
    }
}
