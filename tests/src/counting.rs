//! Counting heap allocations per thread, for the `no_alloc` test binary.
//!
//! [`CountingAllocator`], installed as the `#[global_allocator]` of a test binary,
//! forwards to [`std::alloc::System`] and counts every allocation (and reallocation) made on the
//! current thread; [`count`] runs a closure and says how many there were. Counting per thread
//! keeps the test harness's own threads out of the numbers, so the tests can run in parallel.
//!
//! A global allocator is `unsafe` by nature (`GlobalAlloc` is an unsafe trait). This crate
//! therefore denies `unsafe_code` instead of forbidding it like the rest of the workspace, and
//! allows it on the one `impl` below, which only forwards to `System` and bumps a counter. The
//! codec itself (`smsc-codec`) forbids unsafe code outright.

use std::cell::Cell;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

/// Records one allocation on the current thread. Called by the allocator; allocates nothing
/// (the thread-local is const-initialised and has no destructor).
pub fn note_allocation() {
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

/// Allocations made on this thread so far.
pub fn allocations() -> u64 {
    ALLOCATIONS.try_with(Cell::get).unwrap_or(0)
}

/// Runs `f` and returns its result with the number of allocations it made on this thread.
pub fn count<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = allocations();
    let result = f();
    let after = allocations();
    (result, after - before)
}

/// Forwards to the system allocator and counts allocations per thread. A test binary installs
/// it with `#[global_allocator] static A: CountingAllocator = CountingAllocator;`.
#[derive(Clone, Copy, Debug)]
pub struct CountingAllocator;

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
// `GlobalAlloc` contract; counting allocates nothing and cannot unwind.
#[allow(unsafe_code)]
unsafe impl std::alloc::GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { std::alloc::GlobalAlloc::alloc(&std::alloc::System, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { std::alloc::GlobalAlloc::alloc_zeroed(&std::alloc::System, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { std::alloc::GlobalAlloc::realloc(&std::alloc::System, ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { std::alloc::GlobalAlloc::dealloc(&std::alloc::System, ptr, layout) }
    }
}
