//! Counting heap allocations per thread, for the `no_alloc` test binary.
//!
//! [`counting_allocator!`](crate::counting_allocator) installs a `#[global_allocator]` that
//! forwards to [`std::alloc::System`] and counts every allocation (and reallocation) made on the
//! current thread; [`count`] runs a closure and says how many there were. Counting per thread
//! keeps the test harness's own threads out of the numbers, so the tests can run in parallel.
//!
//! A global allocator is `unsafe` by nature (`GlobalAlloc` is an unsafe trait), and the
//! workspace forbids `unsafe_code` in every crate. The allocator is therefore written as a macro
//! here and expanded only in the test binary that measures (the lint does not look into the
//! expansion of another crate's macro): it is the only unsafe code of this crate, it is
//! test-only, and it does nothing but forward to `System` and bump a counter.

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

/// Installs the counting global allocator in the crate that expands it (a test binary).
#[macro_export]
macro_rules! counting_allocator {
    () => {
        /// Forwards to the system allocator and counts allocations per thread.
        struct CountingAllocator;

        // SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
        // `GlobalAlloc` contract; counting allocates nothing and cannot unwind.
        unsafe impl ::std::alloc::GlobalAlloc for CountingAllocator {
            unsafe fn alloc(&self, layout: ::std::alloc::Layout) -> *mut u8 {
                $crate::counting::note_allocation();
                // SAFETY: the caller's contract is passed on unchanged.
                unsafe { ::std::alloc::GlobalAlloc::alloc(&::std::alloc::System, layout) }
            }

            unsafe fn alloc_zeroed(&self, layout: ::std::alloc::Layout) -> *mut u8 {
                $crate::counting::note_allocation();
                // SAFETY: the caller's contract is passed on unchanged.
                unsafe { ::std::alloc::GlobalAlloc::alloc_zeroed(&::std::alloc::System, layout) }
            }

            unsafe fn realloc(&self, ptr: *mut u8, layout: ::std::alloc::Layout, new_size: usize) -> *mut u8 {
                $crate::counting::note_allocation();
                // SAFETY: the caller's contract is passed on unchanged.
                unsafe { ::std::alloc::GlobalAlloc::realloc(&::std::alloc::System, ptr, layout, new_size) }
            }

            unsafe fn dealloc(&self, ptr: *mut u8, layout: ::std::alloc::Layout) {
                // SAFETY: the caller's contract is passed on unchanged.
                unsafe { ::std::alloc::GlobalAlloc::dealloc(&::std::alloc::System, ptr, layout) }
            }
        }

        #[global_allocator]
        static COUNTING_ALLOCATOR: CountingAllocator = CountingAllocator;
    };
}
