//! Panic probe: the codec work of `size-codec` (`probe.rs`, same variant) with a panic handler
//! that does not format the message and no `core::fmt` anywhere in the harness (no
//! `hprintln!`; errors go to `black_box`). Whatever `core::fmt` and `core::panicking` code is
//! left in this binary is there because the codec can panic: `scripts/embedded.sh` lists it
//! with `llvm-nm` and finds the codec's call sites. Built, never run.

#![no_std]
#![no_main]

#[path = "../probe.rs"]
mod probe;

use core::hint::black_box;
use core::panic::PanicInfo;

use cortex_m_rt::entry;
use cortex_m_semihosting::debug;

fn note(message: &'static str, n: usize) {
    black_box((message, n));
}

/// Ignores the message, so nothing of `core::fmt` is needed to print it.
#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::wfi();
    }
}

#[entry]
fn main() -> ! {
    black_box(probe::run(note));
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        cortex_m::asm::wfi();
    }
}
