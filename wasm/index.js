// smsc-codec-wasm for browsers, Deno and any ES module runtime: call `await init()` once (it
// fetches the .wasm next to this file), or `initSync({ module })` with bytes or a compiled
// WebAssembly.Module, before `buildRequest` and `decode`.
export { default, default as init, initSync, buildRequest, decode } from "./pkg/smsc_codec_wasm.js";
export { decodeStream } from "./stream.js";
export * from "./paging.js";
