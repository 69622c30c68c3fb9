//! Streaming decoding through a 512-byte buffer (by hand, and through the std reader adapter)
//! against whole-body decoding of the same 1000-contact list, every fmt and body profile: `cargo bench -p smsc-codec-bench --bench stream`.
//!
//! The default profile (`mixed`) with criterion's 100 samples, the others with 20 (as in the
//! `decode` bench).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use smsc_codec_bench::fixtures::{self, Profile};
use smsc_codec_bench::ours;
use smsc_codec_bench::report::{group, group_name};

fn stream(c: &mut Criterion) {
    for profile in Profile::ALL {
        let mut g = c.benchmark_group(group_name(group::STREAM, profile));
        if profile != Profile::Mixed {
            g.sample_size(20);
        }
        for fmt in fixtures::FMTS {
            let body = profile.contact_body(1000, fmt);
            let name = fixtures::fmt_name(fmt);
            g.throughput(Throughput::Bytes(body.len() as u64));
            g.bench_with_input(BenchmarkId::new(format!("{name}_whole"), 1000), &body, |b, body| {
                b.iter(|| ours::contacts(black_box(body), fmt))
            });
            g.bench_with_input(BenchmarkId::new(format!("{name}_stream"), 1000), &body, |b, body| {
                b.iter(|| ours::contacts_stream_512(black_box(body), fmt))
            });
            g.bench_with_input(BenchmarkId::new(format!("{name}_reader"), 1000), &body, |b, body| {
                b.iter(|| ours::contacts_reader_512(black_box(body), fmt))
            });
        }
        g.finish();
    }
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = stream }
criterion_main!(benches);
