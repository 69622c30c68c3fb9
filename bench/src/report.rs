//! The report of one benchmark run: reads the medians criterion saved
//! (`target/criterion/<group>/<function>/<size>/new/estimates.json` and the throughput in
//! `benchmark.json`) and prints, as markdown, a table per body profile with every floor's ratio,
//! the floor and whether it was met, a summary of all floors, the bodies, and every median.
//!
//! "One run": given the time the run started ([`Run::since`]), results criterion saved before it
//! (from an earlier run, or a group this run filtered out) are ignored and reported as not
//! measured, so every ratio of the report comes from the same run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::fixtures::{self, Profile, FMTS};

/// Criterion group names, shared by the benches and the report. The groups of a profile other
/// than the default are these names with `_<profile>` appended ([`group_name`]).
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

/// The criterion group of `base` for `profile`: `base` itself for the default profile (the ids
/// of the runs before there were profiles), `<base>_<profile>` for the others.
pub fn group_name(base: &str, profile: Profile) -> String {
    match profile {
        Profile::Mixed => base.to_owned(),
        other => format!("{base}_{}", other.name()),
    }
}

/// The floors of issue 10: the least ratio of our throughput to the alternative's (or of
/// streaming to whole-body decoding) that is acceptable, in every profile.
pub mod floor {
    /// fmt=3 against serde_json into borrowed `Cow` structs.
    pub const FMT3: f64 = 1.2;
    /// fmt=2 against quick-xml with mapping.
    pub const FMT2: f64 = 1.5;
    /// fmt=1 against csv `ByteRecord` with `str::from_utf8` per field.
    pub const FMT1: f64 = 1.0;
    /// fmt=0 against the `split` parser.
    pub const FMT0: f64 = 1.0;
    /// Streaming through 512 bytes against whole-body decoding, every fmt.
    pub const STREAM: f64 = 0.8;
    /// The `add` query against `serde_urlencoded`.
    pub const QUERY: f64 = 2.0;
    /// What to aim for against every alternative.
    pub const AIM: f64 = 2.0;
}

/// One comparison: `ours` against `theirs` in a group, and its floor.
#[derive(Clone, Copy, Debug)]
pub struct Comparison {
    /// What is compared, for people.
    pub what: &'static str,
    /// The criterion group (of the default profile; see [`group_name`]).
    pub group: &'static str,
    /// Our function id.
    pub ours: &'static str,
    /// The alternative's function id.
    pub theirs: &'static str,
    /// The floor of our throughput to theirs, if the issue sets one.
    pub floor: Option<f64>,
    /// The ratio to aim for, if any.
    pub aim: Option<f64>,
}

impl Comparison {
    const fn new(what: &'static str, group: &'static str, ours: &'static str, theirs: &'static str) -> Self {
        Comparison { what, group, ours, theirs, floor: None, aim: None }
    }

    const fn floor(self, floor: f64, aim: Option<f64>) -> Self {
        Comparison { floor: Some(floor), aim, ..self }
    }
}

/// The comparisons measured in every profile, on the 1000-contact lists.
pub const PROFILE_COMPARISONS: &[Comparison] = &[
    Comparison::new("fmt=3 vs serde_json borrowed Cow", group::FMT3, "ours", "serde_json_cow")
        .floor(floor::FMT3, Some(floor::AIM)),
    Comparison::new("fmt=3 vs serde_json owned String", group::FMT3, "ours", "serde_json_owned"),
    Comparison::new("fmt=2 vs quick-xml mapping", group::FMT2, "ours", "quick_xml")
        .floor(floor::FMT2, Some(floor::AIM)),
    Comparison::new("fmt=1 vs csv ByteRecord + UTF-8", group::FMT1, "ours", "csv_byte_record_utf8")
        .floor(floor::FMT1, Some(floor::AIM)),
    Comparison::new("fmt=1 vs csv ByteRecord (bytes only)", group::FMT1, "ours", "csv_byte_record"),
    Comparison::new("fmt=0 vs split/split_once", group::FMT0, "ours", "split").floor(floor::FMT0, Some(floor::AIM)),
    Comparison::new("fmt=3 stream 512 B vs whole body", group::STREAM, "fmt3_stream", "fmt3_whole")
        .floor(floor::STREAM, None),
    Comparison::new("fmt=2 stream 512 B vs whole body", group::STREAM, "fmt2_stream", "fmt2_whole")
        .floor(floor::STREAM, None),
    Comparison::new("fmt=1 stream 512 B vs whole body", group::STREAM, "fmt1_stream", "fmt1_whole")
        .floor(floor::STREAM, None),
    Comparison::new("fmt=0 stream 512 B vs whole body", group::STREAM, "fmt0_stream", "fmt0_whole")
        .floor(floor::STREAM, None),
];

/// The comparisons of the `add` query, the same in every profile.
pub const QUERY_COMPARISONS: &[Comparison] = &[
    Comparison::new("add query vs serde_urlencoded", group::QUERY, "ours", "serde_urlencoded")
        .floor(floor::QUERY, Some(floor::AIM)),
    Comparison::new("add query vs url::form_urlencoded", group::QUERY, "ours", "url_form_urlencoded"),
];

/// The list size the profile comparisons are judged on.
pub const JUDGED_SIZE: &str = "1000";

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

/// One benchmark run: where criterion saved it, when it started, and the machine's load.
#[derive(Clone, Debug, Default)]
pub struct Run {
    /// Criterion's output directory (`target/criterion`).
    pub criterion_dir: PathBuf,
    /// When the run started: results saved before it are ignored. `None` takes whatever
    /// criterion saved, which may mix runs.
    pub since: Option<SystemTime>,
    /// The load average (`/proc/loadavg`, 1, 5 and 15 minutes) when the run started.
    pub load_before: Option<String>,
    /// The load average when the benchmarks had run.
    pub load_after: Option<String>,
}

impl Run {
    /// The run whose results are in `criterion_dir`, with no start time nor loads.
    pub fn new(criterion_dir: impl Into<PathBuf>) -> Self {
        Run { criterion_dir: criterion_dir.into(), ..Run::default() }
    }

    /// Whether the result in `group/function/size` was saved during this run.
    fn fresh(&self, group: &str, function: &str, size: &str) -> bool {
        let Some(since) = self.since else { return true };
        let file = self.criterion_dir.join(group).join(function).join(size).join("new").join("estimates.json");
        std::fs::metadata(file).and_then(|m| m.modified()).is_ok_and(|saved| saved >= since)
    }

    /// One benchmark's median and throughput, if this run measured it.
    pub fn measured(&self, group: &str, function: &str, size: &str) -> Option<Measured> {
        match self.fresh(group, function, size) {
            true => measured(&self.criterion_dir, group, function, size),
            false => None,
        }
    }

    /// Every benchmark this run measured, sorted by id.
    pub fn all_measured(&self) -> Vec<Measured> {
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
        let dir = &self.criterion_dir;
        let mut found = Vec::new();
        for group in list(dir).into_iter().filter(|g| g != "report") {
            for function in list(&dir.join(&group)).into_iter().filter(|f| f != "report") {
                for size in list(&dir.join(&group).join(&function)).into_iter().filter(|s| s != "report") {
                    if let Some(m) = self.measured(&group, &function, &size) {
                        found.push(m);
                    }
                }
            }
        }
        found
    }
}

/// Every benchmark criterion has saved under `criterion_dir` (from any run), sorted by id.
pub fn all_measured(criterion_dir: &Path) -> Vec<Measured> {
    Run::new(criterion_dir).all_measured()
}

/// Nanoseconds or microseconds, readably.
fn time(ns: f64) -> String {
    match ns {
        ns if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        ns => format!("{ns:.0} ns"),
    }
}

/// A comparison as measured in one run.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The comparison.
    pub comparison: Comparison,
    /// Our side.
    pub ours: Measured,
    /// The other side.
    pub theirs: Measured,
}

impl Outcome {
    /// Our throughput over theirs: their median time over ours (the bytes are the same).
    pub fn ratio(&self) -> f64 {
        self.theirs.median_ns / self.ours.median_ns
    }

    /// Whether the floor is met; `None` without a floor.
    pub fn met(&self) -> Option<bool> {
        self.comparison.floor.map(|floor| self.ratio() >= floor)
    }
}

/// `comparison` in `profile` at `size`, if this run measured both sides.
pub fn outcome(run: &Run, comparison: Comparison, profile: Profile, size: &str) -> Option<Outcome> {
    let group = group_name(comparison.group, profile);
    let ours = run.measured(&group, comparison.ours, size)?;
    let theirs = run.measured(&group, comparison.theirs, size)?;
    Some(Outcome { comparison, ours, theirs })
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "",
    }
}

/// The rows of a floor table: ratio, floor, verdict and the aim.
fn floor_table(out: &mut String, run: &Run, comparisons: &[Comparison], profile: Profile, size: &str) {
    out.push_str("| comparison | ours MB/s | theirs MB/s | ratio | floor | verdict | aim |\n");
    out.push_str("|---|---:|---:|---:|---:|---|---|\n");
    for &c in comparisons {
        let floor = c.floor.map_or_else(|| "-".to_owned(), |f| format!("≥ {f:.1}x"));
        let Some(o) = outcome(run, c, profile, size) else {
            let _ = writeln!(out, "| {} | - | - | - | {floor} | not measured in this run | |", c.what);
            continue;
        };
        let aim = match c.aim {
            Some(aim) if o.ratio() >= aim => format!("{aim:.1}x: reached"),
            Some(aim) => format!("{aim:.1}x: not yet"),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "| {} | {:.1} | {:.1} | {:.2}x | {floor} | {} | {aim} |",
            c.what,
            o.ours.mb_per_s(),
            o.theirs.mb_per_s(),
            o.ratio(),
            verdict(o.met()),
        );
    }
}

/// The load average now (1, 5 and 15 minutes), from `/proc/loadavg`.
pub fn load_now() -> Option<String> {
    let load = std::fs::read_to_string("/proc/loadavg").ok()?;
    Some(load.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

/// The run's header: the machine, the loads, which results count.
fn header(out: &mut String, run: &Run) {
    let _ = writeln!(out, "{}", machine());
    let given = |load: &Option<String>| load.clone().unwrap_or_else(|| "not recorded".to_owned());
    let _ = writeln!(
        out,
        "Load average (1, 5, 15 min): at the start {}; at the end {}; now {}.",
        given(&run.load_before),
        given(&run.load_after),
        load_now().unwrap_or_else(|| "unknown".to_owned()),
    );
    match run.since.and_then(|s| s.duration_since(UNIX_EPOCH).ok()) {
        Some(since) => {
            let _ = writeln!(
                out,
                "Results of this run only: criterion files saved since {} s after the epoch \
                 (older ones count as not measured).",
                since.as_secs()
            );
        }
        None => out.push_str("Results: whatever criterion saved last (no start time given: may mix runs).\n"),
    }
}

/// The bodies of the 1000-contact lists, per profile: size in every fmt and the longest record.
pub fn bodies() -> String {
    let mut out = String::new();
    out.push_str("| profile | holds | fmt=0 | fmt=1 | fmt=2 | fmt=3 | longest record, fmt 0/1/2/3 |\n");
    out.push_str("|---|---|---:|---:|---:|---:|---|\n");
    for profile in Profile::ALL {
        let list = profile.contacts(1000, fixtures::SEED);
        let sizes: Vec<String> =
            FMTS.iter().map(|&f| format!("{:.1} KiB", fixtures::render(&list, f).len() as f64 / 1024.0)).collect();
        let longest: Vec<String> = FMTS.iter().map(|&f| fixtures::longest_record(&list, f).to_string()).collect();
        let _ =
            writeln!(out, "| {profile} | {} | {} | {} B |", profile.describe(), sizes.join(" | "), longest.join(" / "));
    }
    out
}

/// The whole report of `run`: header, bodies, a floor table per profile and the query's, a
/// summary of every floor, every size of the default profile, every median.
pub fn report(run: &Run) -> String {
    let mut out = String::new();
    header(&mut out, run);

    out.push_str("\n### Bodies (1000 contacts)\n\n");
    out.push_str(&bodies());

    for profile in Profile::ALL {
        let _ = writeln!(out, "\n### Floors, profile `{profile}` (1000 contacts)\n");
        floor_table(&mut out, run, PROFILE_COMPARISONS, profile, JUDGED_SIZE);
    }
    out.push_str("\n### Floors, the `add` query (the same in every profile)\n\n");
    floor_table(&mut out, run, QUERY_COMPARISONS, Profile::Mixed, "1");

    out.push_str(&summary(run));

    out.push_str("\n### Every size, profile `mixed`\n\n");
    out.push_str("| comparison | size | ours MB/s | theirs MB/s | ratio |\n|---|---:|---:|---:|---:|\n");
    for &c in PROFILE_COMPARISONS.iter().filter(|c| c.group != group::STREAM) {
        for size in fixtures::SIZES {
            match outcome(run, c, Profile::Mixed, &size.to_string()) {
                Some(o) => {
                    let _ = writeln!(
                        out,
                        "| {} | {size} | {:.1} | {:.1} | {:.2}x |",
                        c.what,
                        o.ours.mb_per_s(),
                        o.theirs.mb_per_s(),
                        o.ratio()
                    );
                }
                None => {
                    let _ = writeln!(out, "| {} | {size} | - | - | not measured in this run |", c.what);
                }
            }
        }
    }

    out.push_str("\n### Medians and throughput\n\n| benchmark | median | MB/s |\n|---|---:|---:|\n");
    for m in run.all_measured() {
        let _ = writeln!(out, "| {} | {} | {:.1} |", m.id, time(m.median_ns), m.mb_per_s());
    }
    out
}

/// Every floor in every profile at a glance: the ratio and whether it is met, and the count.
pub fn summary(run: &Run) -> String {
    let mut out = String::new();
    out.push_str("\n### Summary of the floors\n\n| floor |");
    for profile in Profile::ALL {
        let _ = write!(out, " {profile} |");
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(Profile::ALL.len()));
    out.push('\n');
    let (mut met, mut judged, mut unmeasured) = (0, 0, 0);
    let mut missed = Vec::new();
    let mut cell = |o: Option<Outcome>, profile: Profile, c: &Comparison| match o {
        Some(o) => {
            judged += 1;
            if o.met() == Some(true) {
                met += 1;
                format!("{:.2}x", o.ratio())
            } else {
                missed.push(format!("{} ({profile}, {:.2}x)", c.what, o.ratio()));
                format!("**{:.2}x**", o.ratio())
            }
        }
        None => {
            unmeasured += 1;
            "-".to_owned()
        }
    };
    for c in PROFILE_COMPARISONS.iter().filter(|c| c.floor.is_some()) {
        let _ = write!(out, "| {} ≥ {:.1}x |", c.what, c.floor.unwrap_or_default());
        for profile in Profile::ALL {
            let _ = write!(out, " {} |", cell(outcome(run, *c, profile, JUDGED_SIZE), profile, c));
        }
        out.push('\n');
    }
    for c in QUERY_COMPARISONS.iter().filter(|c| c.floor.is_some()) {
        let value = cell(outcome(run, *c, Profile::Mixed, "1"), Profile::Mixed, c);
        let _ = write!(out, "| {} ≥ {:.1}x (any profile) |", c.what, c.floor.unwrap_or_default());
        out.push_str(&format!(" {value} |").repeat(Profile::ALL.len()));
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "\nFloors met: {met} of {judged} measured ({unmeasured} not measured in this run); bold: missed."
    );
    if !missed.is_empty() {
        let _ = writeln!(out, "Missed: {}.", missed.join("; "));
    }
    out
}

/// The machine, for the report's header: CPU model, cores, rustc.
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
    format!("CPU: {model}; cores (nproc): {cores}; {rustc}.")
}

/// A start time given as seconds since the Unix epoch (what `date +%s` prints).
pub fn since_epoch(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}
