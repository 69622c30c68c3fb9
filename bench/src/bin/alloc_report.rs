//! Allocations and peak heap of every side, on the 1000-contact lists (and the `add` query):
//! `cargo run --release -p smsc-codec-bench --bin alloc_report`.
//!
//! A counting global allocator forwards to the system allocator and keeps, for this
//! single-threaded program, the number of allocations (reallocations included), the bytes
//! requested, the bytes live and their peak. Each measurement runs the same function the
//! benchmark runs, once, after one warm-up call.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use smsc_codec::Fmt;
use smsc_codec_bench::{alt, fixtures, ours};

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static REQUESTED: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);

fn grew(bytes: u64) {
    let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(live, Relaxed);
}

/// Forwards to [`System`] and counts.
struct Counting;

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counters are atomics that allocate nothing and cannot unwind.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        REQUESTED.fetch_add(layout.size() as u64, Relaxed);
        grew(layout.size() as u64);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        REQUESTED.fetch_add(layout.size() as u64, Relaxed);
        grew(layout.size() as u64);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        REQUESTED.fetch_add(new_size as u64, Relaxed);
        LIVE.fetch_sub(layout.size() as u64, Relaxed);
        grew(new_size as u64);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as u64, Relaxed);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// What one run allocated.
struct Usage {
    allocations: u64,
    requested: u64,
    peak: u64,
}

fn measure<R>(mut run: impl FnMut() -> R) -> Usage {
    std::hint::black_box(run());
    let (allocations, requested) = (ALLOCATIONS.load(Relaxed), REQUESTED.load(Relaxed));
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    std::hint::black_box(run());
    Usage {
        allocations: ALLOCATIONS.load(Relaxed) - allocations,
        requested: REQUESTED.load(Relaxed) - requested,
        peak: PEAK.load(Relaxed) - base,
    }
}

fn kib(bytes: u64) -> String {
    match bytes {
        0 => "0".to_owned(),
        b if b < 1024 => format!("{b} B"),
        b => format!("{:.1} KiB", b as f64 / 1024.0),
    }
}

fn main() {
    let bodies: Vec<(Fmt, Vec<u8>)> = fixtures::FMTS.iter().map(|&f| (f, fixtures::contact_body(1000, f))).collect();
    let body = |fmt: Fmt| bodies.iter().find(|(f, _)| *f == fmt).map(|(_, b)| b.as_slice()).unwrap_or_default();
    type Case<'a> = (&'static str, &'static str, usize, Box<dyn FnMut() -> u64 + 'a>);
    let cases: Vec<Case<'_>> = vec![
        (
            "fmt=3, 1000 contacts",
            "ours",
            body(Fmt::Json).len(),
            Box::new(|| ours::contacts(body(Fmt::Json), Fmt::Json)),
        ),
        (
            "fmt=3, 1000 contacts",
            "ours, streaming 512 B",
            body(Fmt::Json).len(),
            Box::new(|| ours::contacts_stream_512(body(Fmt::Json), Fmt::Json)),
        ),
        (
            "fmt=3, 1000 contacts",
            "serde_json owned String",
            body(Fmt::Json).len(),
            Box::new(|| alt::serde_json_owned(body(Fmt::Json))),
        ),
        (
            "fmt=3, 1000 contacts",
            "serde_json borrowed Cow",
            body(Fmt::Json).len(),
            Box::new(|| alt::serde_json_cow(body(Fmt::Json))),
        ),
        ("fmt=2, 1000 contacts", "ours", body(Fmt::Xml).len(), Box::new(|| ours::contacts(body(Fmt::Xml), Fmt::Xml))),
        (
            "fmt=2, 1000 contacts",
            "quick-xml mapping",
            body(Fmt::Xml).len(),
            Box::new(|| alt::quick_xml(body(Fmt::Xml))),
        ),
        ("fmt=1, 1000 contacts", "ours", body(Fmt::Csv).len(), Box::new(|| ours::contacts(body(Fmt::Csv), Fmt::Csv))),
        (
            "fmt=1, 1000 contacts",
            "csv ByteRecord",
            body(Fmt::Csv).len(),
            Box::new(|| alt::csv_byte_record(body(Fmt::Csv))),
        ),
        (
            "fmt=0, 1000 contacts",
            "ours",
            body(Fmt::KeyValue).len(),
            Box::new(|| ours::contacts(body(Fmt::KeyValue), Fmt::KeyValue)),
        ),
        (
            "fmt=0, 1000 contacts",
            "split/split_once",
            body(Fmt::KeyValue).len(),
            Box::new(|| alt::split_kv(body(Fmt::KeyValue))),
        ),
        (
            "add query",
            "ours (stack buffer)",
            0,
            Box::new(|| {
                let mut buf = [0u8; 1024];
                ours::query(&ours::ADD, &mut buf) as u64
            }),
        ),
        ("add query", "serde_urlencoded", 0, Box::new(|| alt::query_serde_urlencoded(&ours::ADD).len() as u64)),
        ("add query", "url::form_urlencoded", 0, Box::new(|| alt::query_url(&ours::ADD).len() as u64)),
    ];
    println!("| input | decoder | body | allocations | bytes requested | peak heap |");
    println!("|---|---|---:|---:|---:|---:|");
    for (input, who, len, mut run) in cases {
        let usage = measure(&mut run);
        println!(
            "| {input} | {who} | {} | {} | {} | {} |",
            if len == 0 { "-".to_owned() } else { kib(len as u64) },
            usage.allocations,
            kib(usage.requested),
            kib(usage.peak)
        );
    }
}
