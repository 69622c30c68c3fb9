//! Stack high-water marks: paint the free stack with a pattern, run, find the lowest word that
//! changed. The stack grows down from `_stack_start` (the top of RAM) towards `_stack_end` (the
//! end of `.bss`/`.uninit`, where cortex-m-rt would put a heap; there is none).

use core::ptr;

const PATTERN: u32 = 0xDEAD_C0DE;

extern "C" {
    static mut _stack_start: u32;
    static mut _stack_end: u32;
}

fn top() -> usize {
    ptr::addr_of!(_stack_start) as usize
}

fn bottom() -> usize {
    ptr::addr_of!(_stack_end) as usize
}

/// The current stack pointer.
#[inline(always)]
pub fn sp() -> usize {
    let sp: usize;
    // SAFETY: reads a register.
    unsafe { core::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags)) };
    sp
}

/// Bytes of stack between the top of RAM and the stack pointer now.
#[inline(always)]
pub fn depth() -> usize {
    top() - sp()
}

/// The stack's size: from the top of RAM down to the end of the static data.
pub fn size() -> usize {
    top() - bottom()
}

/// Paints every free stack word below the current frame.
#[inline(never)]
pub fn paint() {
    // Leave a little room below the stack pointer for this function's own spills.
    let end = (sp() - 64) & !3;
    let mut at = bottom();
    while at < end {
        // SAFETY: `[_stack_end, sp - 64)` is RAM no live frame uses; nothing else runs.
        unsafe { ptr::write_volatile(at as *mut u32, PATTERN) };
        at += 4;
    }
}

/// The peak stack use since the last [`paint`]: bytes from the top of RAM down to the lowest
/// word that no longer holds the pattern.
#[inline(never)]
pub fn high_water() -> usize {
    let mut at = bottom();
    let end = sp();
    while at < end {
        // SAFETY: as in `paint`.
        if unsafe { ptr::read_volatile(at as *const u32) } != PATTERN {
            break;
        }
        at += 4;
    }
    top() - at
}
