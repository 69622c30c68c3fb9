//! The binding's tests in Node (wasm-bindgen-test-runner's default). `browser.rs` runs the same
//! tests in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod common;
