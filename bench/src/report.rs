//! The ratio table: reads the medians criterion saved (`target/criterion/<group>/<function>/
//! <size>/new/estimates.json` and the throughput in `benchmark.json`) and prints them as the
//! markdown tables of `BENCHMARKS.md`.

use std::fmt::Write as _;
use std::path::Path;

/// Criterion group names, shared by the benches and the report.
pub mod group {
    /// fmt=3 contact lists.
    pub const FMT3: &str = "contacts_fmt3";
    /// fmt=2 contact lists.
    pub const FMT2: &str = "contacts_fmt2";
    /// fmt=1 contact lists.
    pub const FMT1: &str = "contacts_fmt1";
    /// fmt=0 contact lists.
    pub const FMT0: &str = "contacts_fmt0";
    /// Group lists, ours only, every fmt.
    pub const GROUPS: &str = "groups";
    /// Blacklists, ours only, every fmt.
    pub const BLACKLIST: &str = "blacklist";
    /// Streaming (512-byte buffer) against whole-body decoding, per fmt.
    pub const STREAM: &str = "stream_512";
    /// The `add` query.
    pub const QUERY: &str = "query_add";
}

/// One comparison: `ours` against `theirs` in `group` at `size`, and the target ratio.
#[derive(Clone, Copy, Debug)]
pub struct Comparison {
    /// What is compared, for people.
    pub what: &'static str,
    /// The criterion group.
    pub group: &'static str,
    /// Our function id.
    pub ours: &'static str,
    /// The alternative's function id.
    pub theirs: &'static str,
    /// The target ratio of our throughput to theirs, if the issue sets one.
    pub target: Option<f64>,
}

/// Every comparison of the table, in order.
pub const COMPARISONS: &[Comparison] = &[
    Comparison {
        what: "fmt=3 vs serde_json borrowed Cow",
        group: group::FMT3,
        ours: "ours",
        theirs: "serde_json_cow",
        target: Some(2.0),
    },
    Comparison {
        what: "fmt=3 vs serde_json owned String",
        group: group::FMT3,
        ours: "ours",
        theirs: "serde_json_owned",
        target: None,
    },
    Comparison {
        what: "fmt=2 vs quick-xml mapping",
        group: group::FMT2,
        ours: "ours",
        theirs: "quick_xml",
        target: Some(2.0),
    },
    Comparison {
        what: "fmt=1 vs csv ByteRecord",
        group: group::FMT1,
        ours: "ours",
        theirs: "csv_byte_record",
        target: Some(1.5),
    },
    Comparison {
        what: "fmt=1 vs csv ByteRecord + UTF-8",
        group: group::FMT1,
        ours: "ours",
        theirs: "csv_byte_record_utf8",
        target: None,
    },
    Comparison { what: "fmt=0 vs split/split_once", group: group::FMT0, ours: "ours", theirs: "split", target: None },
    Comparison {
        what: "add query vs serde_urlencoded",
        group: group::QUERY,
        ours: "ours",
        theirs: "serde_urlencoded",
        target: Some(3.0),
    },
    Comparison {
        what: "add query vs url::form_urlencoded",
        group: group::QUERY,
        ours: "ours",
        theirs: "url_form_urlencoded",
        target: None,
    },
    Comparison {
        what: "fmt=3 stream 512 B vs whole body",
        group: group::STREAM,
        ours: "fmt3_stream",
        theirs: "fmt3_whole",
        target: Some(0.8),
    },
    Comparison {
        what: "fmt=2 stream 512 B vs whole body",
        group: group::STREAM,
        ours: "fmt2_stream",
        theirs: "fmt2_whole",
        target: Some(0.8),
    },
    Comparison {
        what: "fmt=1 stream 512 B vs whole body",
        group: group::STREAM,
        ours: "fmt1_stream",
        theirs: "fmt1_whole",
        target: Some(0.8),
    },
    Comparison {
        what: "fmt=0 stream 512 B vs whole body",
        group: group::STREAM,
        ours: "fmt0_stream",
        theirs: "fmt0_whole",
        target: Some(0.8),
    },
];

/// One measured benchmark.
#[derive(Clone, Debug)]
pub struct Measured {
    /// `group/function/size`.
    pub id: String,
    /// The median time per iteration, in nanoseconds.
    pub median_ns: f64,
    /// Bytes per iteration (the body, or the query).
    pub bytes: u64,
}

impl Measured {
    /// Throughput in MB/s (10^6 bytes per second).
    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / self.median_ns * 1e3
    }
}

/// The number after `"key":` in a small JSON document (criterion's files are flat enough).
fn number_after(json: &str, key: &str) -> Option<f64> {
    let at = json.find(key)? + key.len();
    let rest = json[at..].trim_start_matches(|c: char| c == '"' || c == ':' || c.is_whitespace());
    let end =
        rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// Reads one benchmark's median and throughput, if criterion has measured it.
pub fn measured(criterion_dir: &Path, group: &str, function: &str, size: &str) -> Option<Measured> {
    let dir = criterion_dir.join(group).join(function).join(size).join("new");
    let estimates = std::fs::read_to_string(dir.join("estimates.json")).ok()?;
    let value: serde_json::Value = serde_json::from_str(&estimates).ok()?;
    let median_ns = value["median"]["point_estimate"].as_f64()?;
    let benchmark = std::fs::read_to_string(dir.join("benchmark.json")).ok()?;
    let bytes = number_after(&benchmark, "\"Bytes\"").unwrap_or(0.0) as u64;
    Some(Measured { id: format!("{group}/{function}/{size}"), median_ns, bytes })
}

/// Every benchmark criterion has measured under `criterion_dir`, sorted by id.
pub fn all_measured(criterion_dir: &Path) -> Vec<Measured> {
    let mut found = Vec::new();
    let list = |p: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(p)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort_by_key(|n| (n.parse::<u64>().unwrap_or(u64::MAX), n.clone()));
        names
    };
    for group in list(criterion_dir).into_iter().filter(|g| g != "report") {
        for function in list(&criterion_dir.join(&group)).into_iter().filter(|f| f != "report") {
            for size in list(&criterion_dir.join(&group).join(&function)).into_iter().filter(|s| s != "report") {
                if let Some(m) = measured(criterion_dir, &group, &function, &size) {
                    found.push(m);
                }
            }
        }
    }
    found
}

/// Nanoseconds or microseconds, readably.
fn time(ns: f64) -> String {
    match ns {
        ns if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        ns => format!("{ns:.0} ns"),
    }
}

/// The markdown tables: every median with its throughput, then every comparison.
pub fn tables(criterion_dir: &Path) -> String {
    let mut out = String::new();
    out.push_str("| benchmark | median | MB/s |\n|---|---:|---:|\n");
    for m in all_measured(criterion_dir) {
        let _ = writeln!(out, "| {} | {} | {:.1} |", m.id, time(m.median_ns), m.mb_per_s());
    }
    out.push_str(
        "\n| comparison | size | ours MB/s | theirs MB/s | ratio | target | |\n|---|---:|---:|---:|---:|---:|---|\n",
    );
    for c in COMPARISONS {
        let sizes: &[&str] = match c.group {
            group::QUERY => &["1"],
            group::STREAM => &["1000"],
            _ => &["10", "100", "1000"],
        };
        for size in sizes {
            let (Some(ours), Some(theirs)) =
                (measured(criterion_dir, c.group, c.ours, size), measured(criterion_dir, c.group, c.theirs, size))
            else {
                let _ = writeln!(out, "| {} | {size} | - | - | - | - | not measured |", c.what);
                continue;
            };
            let ratio = theirs.median_ns / ours.median_ns;
            // The target is judged on the largest list (and the single query).
            let judged = *size == *sizes.last().unwrap_or(&"");
            let (target, verdict) = match c.target {
                Some(t) if judged => (format!("≥ {t}x"), if ratio >= t { "**met**" } else { "**missed**" }),
                Some(t) => (format!("({t}x)"), ""),
                None => ("-".to_owned(), ""),
            };
            let _ = writeln!(
                out,
                "| {} | {size} | {:.1} | {:.1} | {ratio:.2}x | {target} | {verdict} |",
                c.what,
                ours.mb_per_s(),
                theirs.mb_per_s()
            );
        }
    }
    out
}

/// The machine, for the report's header: CPU model, cores, rustc, load.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned()))
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let rustc = std::process::Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    format!("CPU: {model}; cores (nproc): {cores}; {rustc}; load average now: {}", load.trim())
}
