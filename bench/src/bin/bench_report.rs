//! Prints the report of one benchmark run from criterion's saved medians: the machine and its
//! load, the bodies, a floor table per body profile, the summary and every median.
//!
//! ```sh
//! cargo run --release -p smsc-codec-bench --bin bench_report -- [<criterion dir>] \
//!     [--since <unix seconds>] [--load-before "<1 5 15>"] [--load-after "<1 5 15>"]
//! ```
//!
//! The directory defaults to `target/criterion`. `--since` (the run's start, `date +%s`) makes
//! the report ignore results saved before it, so that every number comes from the same run;
//! `--load-before`/`--load-after` are the load averages at the start and end of the benchmarks.
//! `scripts/bench.sh` runs the benches and then this with all of them.

use std::path::PathBuf;
use std::process::ExitCode;

use smsc_codec_bench::report::{self, Run};

fn main() -> ExitCode {
    let mut run = Run::new(PathBuf::from("target/criterion"));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let parsed = match arg.as_str() {
            "--since" => value("--since").and_then(|v| {
                v.parse().map(|s| run.since = Some(report::since_epoch(s))).map_err(|e| format!("--since {v}: {e}"))
            }),
            "--load-before" => value("--load-before").map(|v| run.load_before = Some(v)),
            "--load-after" => value("--load-after").map(|v| run.load_after = Some(v)),
            flag if flag.starts_with("--") => Err(format!("unknown option {flag}")),
            dir => {
                run.criterion_dir = PathBuf::from(dir);
                Ok(())
            }
        };
        if let Err(error) = parsed {
            eprintln!("bench_report: {error}");
            return ExitCode::FAILURE;
        }
    }
    print!("{}", report::report(&run));
    ExitCode::SUCCESS
}
