//! A loop for profilers: decodes the 1000-contact list of one fmt `iterations` times.
//!
//! ```sh
//! cargo build --release -p smsc-codec-bench --bin profile
//! valgrind --tool=callgrind target/release/profile 3 20      # fmt, iterations
//! perf record -g target/release/profile 1 2000
//! ```
//! A further argument `stream` decodes through the 512-byte buffer instead, one naming a body
//! profile (`ascii`, `long_cyrillic`, `escapes`; default `mixed`) decodes that profile's list;
//! `query` as the fmt builds the `add` query instead.

use smsc_codec::Fmt;
use smsc_codec_bench::fixtures::Profile;
use smsc_codec_bench::ours;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let iterations: u64 = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100);
    if args.get(1).map(String::as_str) == Some("query") {
        let mut sum = 0;
        for _ in 0..iterations {
            let mut buf = [0u8; 1024];
            sum += ours::query(std::hint::black_box(&ours::ADD), &mut buf);
        }
        println!("{sum}");
        return;
    }
    let fmt = match args.get(1).map(String::as_str) {
        Some("0") => Fmt::KeyValue,
        Some("1") => Fmt::Csv,
        Some("2") => Fmt::Xml,
        _ => Fmt::Json,
    };
    let stream = args.iter().skip(3).any(|a| a == "stream");
    let profile = args.iter().skip(3).find_map(|a| Profile::from_name(a)).unwrap_or_default();
    let body = profile.contact_body(1000, fmt);
    let mut sum = 0;
    for _ in 0..iterations {
        sum += match stream {
            true => ours::contacts_stream_512(std::hint::black_box(&body), fmt),
            false => ours::contacts(std::hint::black_box(&body), fmt),
        };
    }
    println!("{sum}");
}
