//! Benchmarks of smsc-codec (see BENCHMARKS.md).
