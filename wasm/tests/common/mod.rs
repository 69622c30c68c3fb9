//! Tests shared by `node.rs` and `browser.rs`: every fixture of `tests/fixtures` (bundled into
//! `tests/generated/fixtures.json` by `test/support/fixtures.mjs`), the request table
//! `tests/requests.json`, and bodies that must fail without a panic.

use js_sys::{Array, Reflect, JSON};
use smsc_codec_wasm::{build_request, decode_body};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

const FIXTURES: &str = include_str!("../generated/fixtures.json");
const REQUESTS: &str = include_str!("../requests.json");

#[wasm_bindgen(module = "/tests/support/expected.js")]
extern "C" {
    #[wasm_bindgen(js_name = checkFixture)]
    fn check_fixture(fixture: &JsValue, actual: &JsValue, ids: &str) -> Option<String>;
    #[wasm_bindgen(js_name = checkRequest)]
    fn check_request(case: &JsValue, actual: &JsValue) -> Option<String>;
    #[wasm_bindgen(js_name = fixtureBody)]
    fn fixture_body(fixture: &JsValue, as_string: bool) -> JsValue;
    #[wasm_bindgen(js_name = withIds)]
    fn with_ids(options: &JsValue, ids: &str) -> JsValue;
}

fn parse(json: &str) -> Array {
    JSON::parse(json).expect("valid JSON").into()
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).expect("an object")
}

fn fixtures() -> Array {
    let all = parse(FIXTURES);
    assert!(all.length() > 200, "tests/fixtures was read");
    all
}

fn assert_no_failures(failures: &[String], total: usize) {
    assert!(failures.is_empty(), "{} of {total} failed:\n{}", failures.len(), failures.join("\n"));
}

fn check_all(as_string: bool, ids: &str) {
    let all = fixtures();
    let mut failures = Vec::new();
    let mut checked = 0;
    for fixture in all.iter() {
        let body = fixture_body(&fixture, as_string);
        if body.is_undefined() {
            continue; // not UTF-8: only as bytes
        }
        let options = with_ids(&get(&fixture, "options"), ids);
        let actual = decode_body(&get(&fixture, "command"), &body, &options).expect("no throw");
        checked += 1;
        failures.extend(check_fixture(&fixture, &actual, ids));
    }
    assert!(checked > 200);
    assert_no_failures(&failures, checked);
}

#[wasm_bindgen_test]
fn every_fixture_decodes_from_bytes() {
    check_all(false, "number");
}

#[wasm_bindgen_test]
fn every_fixture_decodes_from_a_string() {
    check_all(true, "number");
}

#[wasm_bindgen_test]
fn every_fixture_decodes_with_string_ids() {
    check_all(false, "string");
}

#[wasm_bindgen_test]
fn every_request_case() {
    let cases = parse(REQUESTS);
    let mut failures = Vec::new();
    for case in cases.iter() {
        let actual =
            build_request(&get(&case, "command"), &get(&case, "params"), &get(&case, "options")).expect("no throw");
        failures.extend(check_request(&case, &actual));
    }
    assert_no_failures(&failures, cases.length() as usize);
}

/// Every prefix (in steps, for time) and a corrupted copy of every fixture: a value, never a
/// throw; a panic would trap and fail the test.
#[wasm_bindgen_test]
fn bad_bodies_are_values() {
    for fixture in fixtures().iter() {
        let command = get(&fixture, "command");
        let options = get(&fixture, "options");
        let body = js_sys::Uint8Array::from(fixture_body(&fixture, false)).to_vec();
        let mut cuts: Vec<Vec<u8>> = (0..body.len()).step_by(5).map(|n| body[..n].to_vec()).collect();
        for (i, byte) in [b'"', b'<', b',', b'\\', 0xFF, b'\n', b'&', b'}'].iter().enumerate() {
            let mut bad = body.clone();
            if !bad.is_empty() {
                let at = (i * 7919) % bad.len();
                bad[at] = *byte;
            }
            cuts.push(bad);
        }
        for cut in cuts {
            let cut = js_sys::Uint8Array::from(&cut[..]);
            let result = decode_body(&command, &cut, &options).expect("no throw");
            assert!(get(&result, "ok").as_bool().is_some());
        }
    }
}

#[wasm_bindgen_test]
fn invalid_arguments_throw_type_errors() {
    let body = JsValue::from_str("OK");
    let fmt3 = JSON::parse(r#"{"fmt": 3}"#).unwrap();
    let bad_fmt = JSON::parse(r#"{"fmt": 7}"#).unwrap();
    let cases = [
        decode_body(&JsValue::from_str("nope"), &body, &fmt3),
        decode_body(&JsValue::from_str("del"), &JsValue::from_f64(1.0), &fmt3),
        decode_body(&JsValue::from_str("del"), &body, &bad_fmt),
        build_request(&JsValue::from_str("nope"), &fmt3, &JsValue::UNDEFINED),
        build_request(&JsValue::from_str("del"), &JsValue::from_str("x"), &JsValue::UNDEFINED),
    ];
    for case in cases {
        let err = case.expect_err("a TypeError");
        assert!(err.is_instance_of::<js_sys::TypeError>());
    }
}
