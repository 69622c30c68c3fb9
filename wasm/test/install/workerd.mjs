// workerd through Miniflare: the worker bundled as Wrangler bundles it (esbuild, the `workerd`
// condition, the .wasm kept as a module next to the bundle), then asked for its conformance
// report. Miniflare comes from the package's own dev dependencies (MINIFLARE: its entry).
import { resolve } from "node:path";

const { Miniflare } = await import(process.env.MINIFLARE);
const mf = new Miniflare({
  cf: false,
  compatibilityDate: "2026-04-01",
  modules: true,
  scriptPath: resolve("worker-dist/worker.js"),
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
});
try {
  const text = await (await mf.dispatchFetch("http://worker/")).text();
  console.log(text);
  if (!/^conformance: \d+ checks passed$/.test(text)) process.exitCode = 1;
} finally {
  await mf.dispose();
}
