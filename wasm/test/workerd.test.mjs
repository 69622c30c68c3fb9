// The package in workerd (the Cloudflare Workers runtime) through Miniflare (pinned, cf: false,
// nothing leaves the machine): test/worker/worker.mjs imports "smsc-codec-wasm", resolved to
// the package's `workerd` entry and its .wasm as a compiled module. Every fixture decodes there
// to the same objects as in Node, and every request of the table builds the same.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { buildRequest, decode } from "smsc-codec-wasm";
import { loadFixtures } from "./support/fixtures.mjs";
import { checkFixture, checkRequest, fixtureBody, canonical } from "../tests/support/expected.js";

const root = new URL("../", import.meta.url);
const file = (path) => new URL(path, root).pathname;
const pkg = JSON.parse(readFileSync(file("package.json"), "utf8"));
const entry = pkg.exports["."].workerd.replace(/^\.\//, "");

let mf;
before(async () => {
  mf = new Miniflare({
    cf: false,
    compatibilityDate: "2026-04-01",
    modulesRoot: file(""),
    modules: [
      // workerd resolves a bare specifier next to the importing module: the worker sits at
      // the root, beside a module named like the package, as a bundler resolves it through
      // `exports` (the `workerd` condition).
      { type: "ESModule", path: file("worker.mjs"), contents: readFileSync(file("test/worker/worker.mjs"), "utf8") },
      { type: "ESModule", path: file("smsc-codec-wasm"), contents: readFileSync(file(entry), "utf8") },
      { type: "ESModule", path: file("stream.js") },
      { type: "ESModule", path: file("paging.js") },
      { type: "ESModule", path: file("pkg/smsc_codec_wasm.js") },
      ...snippets(),
      { type: "CompiledWasm", path: file("pkg/smsc_codec_wasm_bg.wasm") },
    ],
  });
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
});

function snippets() {
  const glue = readFileSync(file("pkg/smsc_codec_wasm.js"), "utf8");
  return [...glue.matchAll(/from '(\.\/snippets\/[^']+)'/g)].map((m) => ({
    type: "ESModule",
    path: file(`pkg/${m[1].slice(2)}`),
  }));
}

const fixtures = loadFixtures();

test("every fixture decodes in workerd to the same objects as in Node", async () => {
  const failures = [];
  await Promise.all(
    fixtures.map(async (fixture) => {
      const { fmt, endpoint } = fixture.options;
      const body = fixtureBody(fixture, false);
      const url = `http://worker/decode?command=${fixture.command}&fmt=${fmt}&endpoint=${endpoint}`;
      const response = await mf.dispatchFetch(url, { method: "POST", body });
      assert.equal(response.status, 200, fixture.name);
      const inWorker = await response.json();
      const problem = checkFixture(fixture, inWorker, "number");
      if (problem) failures.push(problem);
      // JSON keeps key order and number vs string: the same text means the same objects.
      const inNode = canonical(decode(fixture.command, body, fixture.options));
      if (canonical(inWorker) !== inNode) failures.push(`${fixture.name}: workerd and Node differ`);
    }),
  );
  assert.deepEqual(failures, []);
});

test("every list fixture streams through decodeStream in workerd as decode decodes it", async () => {
  const failures = [];
  const lists = fixtures.filter((f) => ["get", "get_group", "get_black"].includes(f.command));
  await Promise.all(
    lists.map(async (fixture) => {
      const { fmt, endpoint } = fixture.options;
      const body = fixtureBody(fixture, false);
      const url = `http://worker/stream?command=${fixture.command}&fmt=${fmt}&endpoint=${endpoint}`;
      const response = await mf.dispatchFetch(url, { method: "POST", body });
      const items = (await response.text()).split("\n").filter(Boolean).map((line) => JSON.parse(line));
      const expected = decode(fixture.command, body, fixture.options);
      const last = items.at(-1);
      const got = last && !last.ok ? last : { ok: true, value: items.map((item) => item.value) };
      const same = expected.ok ? canonical(got) === canonical(expected) : canonical(got.error) === canonical(expected.error);
      if (!same) failures.push(`${fixture.name}: streamed in workerd ${JSON.stringify(got).slice(0, 200)}`);
    }),
  );
  assert.ok(lists.length > 50);
  assert.deepEqual(failures, []);
});

test("a bad body is a value in workerd too", async () => {
  const response = await mf.dispatchFetch("http://worker/decode?command=get&fmt=3", {
    method: "POST",
    body: '[{"name": "\\ud83d"}]',
  });
  const result = await response.json();
  assert.equal(result.ok, false);
  assert.equal(result.error.reason, "loneSurrogate");
});

test("every request of the table builds the same in workerd", async () => {
  const cases = JSON.parse(readFileSync(file("tests/requests.json"), "utf8"));
  for (const testCase of cases) {
    const response = await mf.dispatchFetch("http://worker/request", {
      method: "POST",
      body: JSON.stringify(testCase),
    });
    const inWorker = await response.json();
    assert.equal(checkRequest(testCase, inWorker), undefined);
    assert.equal(canonical(inWorker), canonical(buildRequest(testCase.command, testCase.params, testCase.options)));
  }
});
