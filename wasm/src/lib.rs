//! `smsc-codec-wasm`: the JavaScript binding of [`smsc_codec`], through wasm-bindgen.
//!
//! Two functions are exported to JavaScript, `buildRequest` and `decode`; the npm package
//! (`package.json`, `index.d.ts` and the README beside this crate) documents their contract.
//! This crate is a thin adapter: core does all building, validating and parsing; the JavaScript
//! module `js/glue.js` (shipped inside the wasm-bindgen output) checks the arguments and turns
//! the compact result into plain JavaScript objects.
//!
//! Crossing the boundary per field is slow, so a decoded body crosses once: every field value
//! unescaped into one UTF-8 string, plus one `u32` table holding the shape of the answer and
//! each field's length in UTF-16 code units (or "absent"). The glue slices that string into
//! the records' fields.
//!
//! Nothing here can panic on any body: core's decoders return errors for every input, and the
//! adapter only appends to vectors.

#![cfg_attr(all(feature = "bare", target_arch = "wasm32"), no_std)]

extern crate alloc;

mod decode;
mod request;
mod stream;

use alloc::string::String;
use alloc::vec::Vec;

use wasm_bindgen::prelude::*;

/// The `bare` build's allocator: the same dlmalloc that std uses on wasm32.
#[cfg(all(feature = "bare", target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// The `bare` build's panic handler: a trap, which JavaScript sees as a `RuntimeError`. No
/// input can reach it (every body decodes to a value); it exists so that no panic message is
/// ever formatted, which keeps `core::fmt` out of the module.
#[cfg(all(feature = "bare", target_arch = "wasm32"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

#[wasm_bindgen(module = "/js/glue.js")]
extern "C" {
    /// Checks the arguments of `decode` and packs them: command index (bits 0-3), fmt (bits
    /// 4-5), endpoint (bit 6, 1 = mails), ids as strings (bit 7), unknown fields wanted (bit 8).
    /// Throws a `TypeError` for invalid arguments.
    #[wasm_bindgen(catch, js_name = decodeArgs)]
    fn decode_args(command: &JsValue, options: &JsValue) -> Result<u32, JsValue>;

    /// The body as a `Uint8Array` (a string is encoded as UTF-8). Throws a `TypeError` for
    /// anything else.
    #[wasm_bindgen(catch, js_name = bodyBytes)]
    fn body_bytes(body: &JsValue) -> Result<js_sys::Uint8Array, JsValue>;

    /// Builds the result object of `decode` from the table and the text.
    #[wasm_bindgen(js_name = decodeResult)]
    fn decode_result(packed: u32, table: &[u32], text: &str) -> JsValue;

    /// Builds a batch of `ListStream::push` (`{ records, end }`) from the table and the text.
    #[wasm_bindgen(js_name = streamBatch)]
    fn stream_batch(packed: u32, table: &[u32], text: &str) -> JsValue;

    /// Checks the arguments of `buildRequest` and flattens them into strings: command, endpoint,
    /// fmt, auth kind, two auth values, then name/value pairs (wire names). Throws a `TypeError`.
    #[wasm_bindgen(catch, js_name = requestArgs)]
    fn request_args(command: &JsValue, params: &JsValue, options: &JsValue) -> Result<js_sys::Array, JsValue>;

    /// `{ ok: true, value: { path, query, body, contentType } }`.
    #[wasm_bindgen(js_name = requestOk)]
    fn request_ok(path: &str, query: &str) -> JsValue;

    /// `{ ok: false, error: { kind, param, message } }`.
    #[wasm_bindgen(js_name = requestError)]
    fn request_error(kind: u32, param: &str, message: &str) -> JsValue;

    /// A `TypeError` with the message.
    #[wasm_bindgen(js_name = typeError)]
    fn type_error(message: &str) -> JsValue;
}

/// `decode(command, body, options?)`: decodes a response body (a `string` or a `Uint8Array`)
/// into `{ ok: true, value }` or `{ ok: false, error }`. See `index.d.ts`.
///
/// # Errors
///
/// Throws a `TypeError` only for invalid arguments (an unknown command, a fmt other than 0-3,
/// a body that is neither a string nor a `Uint8Array`); a bad body is an `{ ok: false }` value.
#[wasm_bindgen(js_name = decode, skip_typescript)]
pub fn decode_body(command: &JsValue, body: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let packed = decode_args(command, options)?;
    let bytes = body_bytes(body)?.to_vec();
    let out = decode::run(packed, &bytes);
    Ok(decode_result(packed, &out.table, &out.text))
}

/// `buildRequest(command, params, options?)`: validates the parameters and writes the query
/// into `{ ok: true, value: { path, query, body, contentType } }`, or answers
/// `{ ok: false, error }`. See `index.d.ts`.
///
/// # Errors
///
/// Throws a `TypeError` only for invalid arguments (an unknown command, params that are not an
/// object, a value that is not a string, number or array, a malformed `auth`).
#[wasm_bindgen(js_name = buildRequest, skip_typescript)]
pub fn build_request(command: &JsValue, params: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let args = request_args(command, params, options)?;
    let strings: Vec<String> = args.iter().map(|v| v.as_string().unwrap_or_default()).collect();
    request::run(&strings)
}
