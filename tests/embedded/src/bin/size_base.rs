//! Size probe, baseline: the firmware's runtime (cortex-m-rt, semihosting, the panic handler,
//! core::fmt through `hprintln!`) and no codec. `size-codec` minus this is the codec's share.

#![no_std]
#![no_main]

use core::hint::black_box;

use cortex_m_rt::entry;
use cortex_m_semihosting::{debug, hprintln};
use panic_semihosting as _;

#[entry]
fn main() -> ! {
    let input: &[u8] = black_box(b"body");
    let mut buf = [0u8; 512];
    buf[..input.len()].copy_from_slice(input);
    let n = black_box(&buf).iter().filter(|&&b| b != 0).count();
    hprintln!("{} {:?} {}", black_box("probe"), black_box(&buf[..4]), n);
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        cortex_m::asm::wfi();
    }
}
