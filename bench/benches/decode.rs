//! Whole-body decoding of contact lists (ours against the alternatives), group lists and
//! blacklists: `cargo bench -p smsc-codec-bench --bench decode`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use smsc_codec::Fmt;
use smsc_codec_bench::report::group;
use smsc_codec_bench::{alt, fixtures, ours};

type Alternative = (&'static str, fn(&[u8]) -> u64);

fn contacts(c: &mut Criterion) {
    let cases: [(&str, Fmt, &[Alternative]); 4] = [
        (
            group::FMT3,
            Fmt::Json,
            &[("serde_json_owned", alt::serde_json_owned), ("serde_json_cow", alt::serde_json_cow)],
        ),
        (group::FMT2, Fmt::Xml, &[("quick_xml", alt::quick_xml)]),
        (
            group::FMT1,
            Fmt::Csv,
            &[("csv_byte_record", alt::csv_byte_record), ("csv_byte_record_utf8", alt::csv_byte_record_utf8)],
        ),
        (group::FMT0, Fmt::KeyValue, &[("split", alt::split_kv)]),
    ];
    for (name, fmt, alternatives) in cases {
        let mut g = c.benchmark_group(name);
        for size in fixtures::SIZES {
            let body = fixtures::contact_body(size, fmt);
            g.throughput(Throughput::Bytes(body.len() as u64));
            g.bench_with_input(BenchmarkId::new("ours", size), &body, |b, body| {
                b.iter(|| ours::contacts(black_box(body), fmt))
            });
            for (alt_name, run) in alternatives {
                g.bench_with_input(BenchmarkId::new(*alt_name, size), &body, |b, body| b.iter(|| run(black_box(body))));
            }
        }
        g.finish();
    }
}

fn groups_and_blacklist(c: &mut Criterion) {
    let groups = fixtures::groups(100, fixtures::SEED);
    let mut g = c.benchmark_group(group::GROUPS);
    for fmt in fixtures::FMTS {
        let body = fixtures::render(&groups, fmt);
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_with_input(BenchmarkId::new(fixtures::fmt_name(fmt), 100), &body, |b, body| {
            b.iter(|| ours::groups(black_box(body), fmt))
        });
    }
    g.finish();
    let black = fixtures::blacklist(1000, fixtures::SEED);
    let mut g = c.benchmark_group(group::BLACKLIST);
    for fmt in fixtures::FMTS {
        let body = fixtures::render(&black, fmt);
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_with_input(BenchmarkId::new(fixtures::fmt_name(fmt), 1000), &body, |b, body| {
            b.iter(|| ours::blacklist(black_box(body), fmt))
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = contacts, groups_and_blacklist }
criterion_main!(benches);
