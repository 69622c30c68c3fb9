//! The binding's tests in headless Chromium (see `webdriver.json`). `node.rs` runs the same
//! tests in Node.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;
