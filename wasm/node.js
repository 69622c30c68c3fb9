// smsc-codec-wasm for Node (and Deno through its Node compatibility): the .wasm is read from
// disk and instantiated when this module loads, so `buildRequest` and `decode` work at once.
// `init()` is there for code shared with browsers, and resolves immediately.
import { readFileSync } from "node:fs";
import { initSync } from "./pkg/smsc_codec_wasm.js";

initSync({ module: readFileSync(new URL("./pkg/smsc_codec_wasm_bg.wasm", import.meta.url)) });

export { initSync, buildRequest, decode } from "./pkg/smsc_codec_wasm.js";
export { decodeStream } from "./stream.js";
export * from "./paging.js";

/** Already initialised: resolves at once. */
export default async function init() {}
export { init };
