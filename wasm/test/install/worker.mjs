// workerd: the installed package through its `workerd` entry, then the conformance checks,
// answered as the response text.
import * as lib from "smsc-codec-wasm";
import { conformance, report } from "./conformance.mjs";

export default {
  async fetch() {
    return new Response(report(await conformance(lib)));
  },
};
