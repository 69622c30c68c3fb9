//! Pass/fail bookkeeping. Only failures print while a phase runs, so that printing (core::fmt)
//! does not add to the stack measured for the codec.

use core::sync::atomic::{AtomicU32, Ordering};

static CHECKS: AtomicU32 = AtomicU32::new(0);
static FAILURES: AtomicU32 = AtomicU32::new(0);

/// Counts one check (through `check!`); on failure prints `what` and counts the failure. Returns `ok`.
pub fn record(ok: bool, what: core::fmt::Arguments<'_>) -> bool {
    CHECKS.fetch_add(1, Ordering::Relaxed);
    if !ok {
        FAILURES.fetch_add(1, Ordering::Relaxed);
        cortex_m_semihosting::hprintln!("FAIL: {}", what);
    }
    ok
}

/// `check!(condition, "format", args...)`.
macro_rules! check {
    ($ok:expr, $($arg:tt)*) => {
        $crate::report::record($ok, format_args!($($arg)*))
    };
}
pub(crate) use check;

pub fn checks() -> u32 {
    CHECKS.load(Ordering::Relaxed)
}

pub fn failures() -> u32 {
    FAILURES.load(Ordering::Relaxed)
}
