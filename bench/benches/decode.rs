//! Whole-body decoding of contact lists (ours against the alternatives) in every body profile,
//! group lists and blacklists: `cargo bench -p smsc-codec-bench --bench decode`.
//!
//! The default profile (`mixed`) is measured at every size, with criterion's 100 samples; the
//! other profiles at the 1000-contact size the floors are judged on, with fewer samples (see
//! [`other_profile`]) to keep `scripts/bench.sh` short.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, Throughput};
use smsc_codec::Fmt;
use smsc_codec_bench::fixtures::{self, Profile};
use smsc_codec_bench::report::{group, group_name};
use smsc_codec_bench::{alt, ours};

type Alternative = (&'static str, fn(&[u8]) -> u64);

/// The sample count of the groups of a profile other than the default: 20 within the configured
/// measurement time. With criterion's 100 a benchmark runs at least 5050 iterations, which takes
/// longer than the measurement time for a 1000-contact list that decodes in more than 0.6 ms.
fn other_profile(g: &mut BenchmarkGroup<'_, WallTime>, profile: Profile) {
    if profile != Profile::Mixed {
        g.sample_size(20);
    }
}

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
    for profile in Profile::ALL {
        let sizes: &[usize] = match profile {
            Profile::Mixed => &fixtures::SIZES,
            _ => &[1000],
        };
        for (name, fmt, alternatives) in cases {
            let mut g = c.benchmark_group(group_name(name, profile));
            other_profile(&mut g, profile);
            for &size in sizes {
                let body = profile.contact_body(size, fmt);
                g.throughput(Throughput::Bytes(body.len() as u64));
                g.bench_with_input(BenchmarkId::new("ours", size), &body, |b, body| {
                    b.iter(|| ours::contacts(black_box(body), fmt))
                });
                for (alt_name, run) in alternatives {
                    g.bench_with_input(BenchmarkId::new(*alt_name, size), &body, |b, body| {
                        b.iter(|| run(black_box(body)))
                    });
                }
            }
            g.finish();
        }
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
