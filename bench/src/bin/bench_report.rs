//! Prints the machine and the tables of `BENCHMARKS.md` from criterion's saved medians:
//! `cargo run --release -p smsc-codec-bench --bin bench_report [-- <criterion dir>]`
//! (default `target/criterion`). Run the benches first (`scripts/bench.sh` does both).

use std::path::PathBuf;

fn main() {
    let dir = std::env::args().nth(1).map_or_else(|| PathBuf::from("target/criterion"), PathBuf::from);
    println!("{}\n", smsc_codec_bench::report::machine());
    print!("{}", smsc_codec_bench::report::tables(&dir));
}
