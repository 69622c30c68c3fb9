//! A quick look at the ratios while working: each side of each comparison, interleaved, the
//! best of several rounds. Not the measurement of record (that is criterion, `scripts/bench.sh`).

use std::hint::black_box;
use std::time::Instant;

use smsc_codec::Fmt;
use smsc_codec_bench::{alt, fixtures, ours};

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

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let json = fixtures::contact_body(1000, Fmt::Json);
    let xml = fixtures::contact_body(1000, Fmt::Xml);
    let csv = fixtures::contact_body(1000, Fmt::Csv);
    let kv = fixtures::contact_body(1000, Fmt::KeyValue);
    type Side<'a> = (&'static str, Box<dyn FnMut() -> u64 + 'a>);
    let cases: Vec<(&str, Side<'_>, Side<'_>)> = vec![
        (
            "fmt3",
            ("ours", Box::new(|| ours::contacts(&json, Fmt::Json))),
            ("serde_json_cow", Box::new(|| alt::serde_json_cow(&json))),
        ),
        (
            "fmt2",
            ("ours", Box::new(|| ours::contacts(&xml, Fmt::Xml))),
            ("quick_xml", Box::new(|| alt::quick_xml(&xml))),
        ),
        (
            "fmt1",
            ("ours", Box::new(|| ours::contacts(&csv, Fmt::Csv))),
            ("csv_utf8", Box::new(|| alt::csv_byte_record_utf8(&csv))),
        ),
        ("fmt0", ("ours", Box::new(|| ours::contacts(&kv, Fmt::KeyValue))), ("split", Box::new(|| alt::split_kv(&kv)))),
        (
            "s3",
            ("stream", Box::new(|| ours::contacts_stream_512(&json, Fmt::Json))),
            ("whole", Box::new(|| ours::contacts(&json, Fmt::Json))),
        ),
        (
            "s2",
            ("stream", Box::new(|| ours::contacts_stream_512(&xml, Fmt::Xml))),
            ("whole", Box::new(|| ours::contacts(&xml, Fmt::Xml))),
        ),
        (
            "s1",
            ("stream", Box::new(|| ours::contacts_stream_512(&csv, Fmt::Csv))),
            ("whole", Box::new(|| ours::contacts(&csv, Fmt::Csv))),
        ),
        (
            "s0",
            ("stream", Box::new(|| ours::contacts_stream_512(&kv, Fmt::KeyValue))),
            ("whole", Box::new(|| ours::contacts(&kv, Fmt::KeyValue))),
        ),
        (
            "query",
            (
                "ours",
                Box::new(|| {
                    let mut b = [0u8; 1024];
                    ours::query(black_box(&ours::ADD), &mut b) as u64
                }),
            ),
            ("serde_urlencoded", Box::new(|| alt::query_serde_urlencoded(black_box(&ours::ADD)).len() as u64)),
        ),
    ];
    for (name, (a_name, mut a), (b_name, mut b)) in cases {
        if !name.contains(&filter) {
            continue;
        }
        let iterations = if name == "query" { 20000 } else { 30 };
        let (mut ta, mut tb) = (f64::MAX, f64::MAX);
        for _ in 0..5 {
            ta = ta.min(best(3, iterations, &mut a));
            tb = tb.min(best(3, iterations, &mut b));
        }
        println!("{name:6} {a_name} {:9.1} µs  {b_name} {:9.1} µs  ratio {:.2}x", ta * 1e6, tb * 1e6, tb / ta);
    }
}
