//! smsc-codec on a Cortex-M3 (QEMU lm3s6965evb: 256 KiB flash, 64 KiB RAM), with no allocator.
//!
//! Builds requests into a stack buffer, decodes every fixture body in all four fmts through the
//! streaming decoder fed in uneven chunks into a 512-byte buffer, relays the records as JSON
//! into a fixed buffer, probes the largest record the buffer holds and what a larger one does,
//! and measures the stack of each phase (paint, run, find the high-water mark). Reports through
//! semihosting; exits 0 only if every check passed (a panic exits 1 too).

#![no_std]
#![no_main]

mod checks;
mod fixtures;
mod oversize;
mod relay;
mod report;
mod requests;
mod stack;
mod stream;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use panic_semihosting as _;
use smsc_codec::Fmt;

/// Runs `phase` on a freshly painted stack; its peak stack use in bytes.
fn measured<T>(phase: impl FnOnce() -> T) -> (T, usize) {
    stack::paint();
    let result = phase();
    (result, stack::high_water())
}

fn fmt_name(fmt: Fmt) -> &'static str {
    match fmt {
        Fmt::KeyValue => "fmt=0",
        Fmt::Csv => "fmt=1",
        Fmt::Xml => "fmt=2",
        Fmt::Json => "fmt=3",
    }
}

#[entry]
fn main() -> ! {
    let scratch = cortex_m::singleton!(: [u8; oversize::BODY] = [0; oversize::BODY]).unwrap();
    hprintln!(
        "smsc-codec firmware: {} fixtures, receive buffer {} B, stack region {} B",
        fixtures::FIXTURES.len(),
        stream::BUF,
        stack::size()
    );
    let base = stack::depth();
    let mut peak = 0;

    let ((), used) = measured(requests::run);
    peak = peak.max(used);
    hprintln!("requests: STACK peak={}", used);

    for fmt in [Fmt::KeyValue, Fmt::Csv, Fmt::Xml, Fmt::Json] {
        let ((count, stats), used) = measured(|| checks::run(fmt));
        peak = peak.max(used);
        hprintln!(
            "decode {}: {} fixtures x {} chunk patterns, {} records (longest {} B); \
             STACK peak={} at-decode-call={} decoder={}",
            fmt_name(fmt),
            count,
            stream::PATTERNS.len(),
            stats.records,
            stats.max_record,
            used,
            stats.call_depth,
            used.saturating_sub(stats.call_depth)
        );
    }

    let (relayed, used) = measured(relay::run);
    peak = peak.max(used);
    hprintln!("relay json::to_slice: {} records into a {} B buffer; STACK peak={}", relayed, relay::OUT, used);

    for fmt in [Fmt::KeyValue, Fmt::Csv, Fmt::Xml, Fmt::Json] {
        let (limit, used) = measured(|| oversize::run(scratch, fmt));
        peak = peak.max(used);
        let (kind, offset) = match limit.error {
            Some(err) => (err.kind.message(), err.offset),
            None => ("no error", 0),
        };
        hprintln!(
            "limit {}: LARGEST record={} B in a {} B buffer; one byte more: {} at byte {}, {}; STACK peak={}",
            fmt_name(fmt),
            limit.largest,
            stream::BUF,
            kind,
            offset,
            match limit.resynced {
                true => "resynchronised at the next line",
                false => "stopped cleanly (decoder finished, error repeats)",
            },
            used
        );
    }

    let (checks, failures) = (report::checks(), report::failures());
    hprintln!("STACK overall peak={} (main before the phases: {} B)", peak, base);
    if failures == 0 && checks > 0 {
        hprintln!("PASS: {} checks", checks);
        debug::exit(debug::EXIT_SUCCESS);
    } else {
        hprintln!("FAIL: {} of {} checks failed", failures, checks);
        debug::exit(debug::EXIT_FAILURE);
    }
    loop {
        cortex_m::asm::wfi();
    }
}
