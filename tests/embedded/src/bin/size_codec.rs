//! Size probe: the runtime of `size-base` plus every part of smsc-codec a firmware of the
//! variant's kind uses (`probe.rs`: all four fmts and the JSON relay by default, fmt=3 only with
//! `--no-default-features --features only-json`). Its flash minus `size-base`'s is the codec's
//! share. Errors print through `hprintln!`, as in the firmware.

#![no_std]
#![no_main]

#[path = "../probe.rs"]
mod probe;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use panic_semihosting as _;

fn note(message: &'static str, n: usize) {
    hprintln!("{} {}", message, n);
}

#[entry]
fn main() -> ! {
    let hits = probe::run(note);
    hprintln!("{}", hits);
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        cortex_m::asm::wfi();
    }
}
