// buildRequest() in Node, through the package's name: the request table tests/requests.json
// (shared with the wasm-bindgen tests) covers every command on both endpoints and every
// refusal; and arguments that are not what the types say throw TypeError.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildRequest } from "smsc-codec-wasm";
import { checkRequest } from "../tests/support/expected.js";

const cases = JSON.parse(readFileSync(new URL("../tests/requests.json", import.meta.url), "utf8"));

test("the table covers every command on both endpoints", () => {
  const covered = new Set(cases.filter((c) => c.expect).map((c) => `${c.options.endpoint ?? "phones"}/${c.command}`));
  assert.equal(covered.size, 24);
});

for (const testCase of cases) {
  test(`request: ${testCase.name}`, () => {
    const actual = buildRequest(testCase.command, testCase.params, testCase.options);
    assert.equal(checkRequest(testCase, actual), undefined);
  });
}

test("a built query decodes back to exactly the pairs put in", () => {
  const params = { phone: "+7 999 & =?#%", name: "Іван \"Ш\" <x>", cmt: "a+b", tags: "😀" };
  const built = buildRequest("add", params, { auth: { login: "l", psw: "p&q" } });
  assert.ok(built.ok);
  const pairs = [...new URLSearchParams(built.value.query)];
  assert.deepEqual(pairs, [
    ["add", "1"], ["login", "l"], ["psw", "p&q"], ["fmt", "3"], ["charset", "utf-8"],
    ["phone", params.phone], ["name", params.name], ["cmt", params.cmt], ["tags", params.tags],
  ]);
  assert.ok(!built.value.query.includes("+"), "a + travels as %2B, a space as %20");
});

test("invalid arguments throw TypeError", () => {
  assert.throws(() => buildRequest("send", {}), TypeError);
  assert.throws(() => buildRequest("del", "phone=1"), TypeError);
  assert.throws(() => buildRequest("del", { phone: true }), TypeError);
  assert.throws(() => buildRequest("del", { phone: "1" }, { auth: { user: "x" } }), TypeError);
  assert.throws(() => buildRequest("del", { phone: "1" }, { auth: { login: 1, psw: "p" } }), TypeError);
  assert.throws(() => buildRequest("del", { phone: "1" }, { fmt: "3" }), TypeError);
});
