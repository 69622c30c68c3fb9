//! Building the `add` query with every field: ours (into a stack buffer) against
//! `serde_urlencoded::to_string` and `url::form_urlencoded::Serializer`:
//! `cargo bench -p smsc-codec-bench --bench query`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use smsc_codec_bench::report::group;
use smsc_codec_bench::{alt, ours};

fn query(c: &mut Criterion) {
    let mut g = c.benchmark_group(group::QUERY);
    let mut buf = [0u8; 1024];
    let len = ours::query(&ours::ADD, &mut buf);
    // The same throughput for every side: the length of our query.
    g.throughput(Throughput::Bytes(len as u64));
    g.bench_function(BenchmarkId::new("ours", 1), |b| {
        b.iter(|| {
            let mut buf = [0u8; 1024];
            let len = ours::query(black_box(&ours::ADD), &mut buf);
            black_box(buf[len - 1])
        })
    });
    g.bench_function(BenchmarkId::new("serde_urlencoded", 1), |b| {
        b.iter(|| alt::query_serde_urlencoded(black_box(&ours::ADD)))
    });
    g.bench_function(BenchmarkId::new("url_form_urlencoded", 1), |b| b.iter(|| alt::query_url(black_box(&ours::ADD))));
    g.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3))
}

criterion_group! { name = benches; config = config(); targets = query }
criterion_main!(benches);
