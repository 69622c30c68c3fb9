// Node, Deno and Bun: the installed package by its name, then the conformance checks.
import * as lib from "smsc-codec-wasm";
import { conformance, report } from "./conformance.mjs";

const result = await conformance(lib);
console.log(report(result));
if (result.failures.length > 0) {
  globalThis.process ? globalThis.process.exit(1) : globalThis.Deno.exit(1);
}
