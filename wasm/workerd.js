// smsc-codec-wasm for Cloudflare Workers (workerd): the .wasm is imported as a compiled
// WebAssembly.Module, as Wrangler and Miniflare provide it, and instantiated when this module
// loads, so `buildRequest` and `decode` work at once. `init()` resolves immediately.
import wasm from "./pkg/smsc_codec_wasm_bg.wasm";
import { initSync } from "./pkg/smsc_codec_wasm.js";

initSync({ module: wasm });

export { initSync, buildRequest, decode } from "./pkg/smsc_codec_wasm.js";
export { decodeStream } from "./stream.js";
export * from "./paging.js";

/** Already initialised: resolves at once. */
export default async function init() {}
export { init };
