// The browser bundle (esbuild): the installed package by its name, initialised by fetching its
// .wasm next to the bundle, then the conformance checks; the result goes into the page.
import init, * as lib from "smsc-codec-wasm";
import { conformance, report } from "./conformance.mjs";

try {
  await init({ module_or_path: new URL("smsc_codec_wasm_bg.wasm", import.meta.url) });
  document.getElementById("result").textContent = report(await conformance(lib));
} catch (err) {
  document.getElementById("result").textContent = `conformance: threw ${err}`;
}
