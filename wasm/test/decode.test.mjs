// decode() in Node, through the package's name (the `node` entry of the exports map): every
// fixture of tests/fixtures (the same as the Rust tests), in every fmt, as bytes and as a
// string, with numeric and string ids; bad bodies are values, never exceptions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decode } from "smsc-codec-wasm";
import { loadFixtures } from "./support/fixtures.mjs";
import { checkFixture, fixtureBody, canonical } from "../tests/support/expected.js";

const fixtures = loadFixtures();

test("the fixtures cover every command, both endpoints and every fmt", () => {
  const seen = new Set(fixtures.map((f) => `${f.options.endpoint}/${f.command}/${f.options.fmt}`));
  assert.equal(seen.size, 2 * 12 * 4);
});

for (const ids of ["number", "string"]) {
  for (const asString of [false, true]) {
    test(`every fixture decodes (${asString ? "string" : "Uint8Array"} body, ids: ${ids})`, () => {
      const failures = [];
      let checked = 0;
      for (const fixture of fixtures) {
        const body = fixtureBody(fixture, false);
        let input = body;
        if (asString) {
          try {
            input = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
          } catch {
            continue;
          }
        }
        checked++;
        const problem = checkFixture(fixture, decode(fixture.command, input, { ...fixture.options, ids }), ids);
        if (problem) failures.push(problem);
      }
      assert.ok(checked > 200);
      assert.deepEqual(failures, []);
    });
  }
}

test("a Node Buffer is a Uint8Array body", () => {
  const result = decode("add", Buffer.from("ID = 17"), { fmt: 0 });
  assert.deepEqual(result, { ok: true, value: { id: 17 } });
});

test("ids above 2^53 - 1, with leading zeros or empty stay text", () => {
  const body =
    '[{"id": 9007199254740991, "name": "max", "number": "007", "cnt": ""},' +
    ' {"id": "9007199254740992", "name": "max+1", "number": 12345678901234567890}]';
  const result = decode("get_group", body);
  assert.equal(canonical(result), canonical({
    ok: true,
    value: [
      { id: 9007199254740991, name: "max", number: "007", cnt: "" },
      { id: "9007199254740992", name: "max+1", number: "12345678901234567890" },
    ],
  }));
  assert.deepEqual(decode("add", '{"id": 123456789012345678901}'), { ok: true, value: { id: "123456789012345678901" } });
});

test("errors are values with a kind", () => {
  assert.deepEqual(decode("get", '{"error": "duplicate request, wait a minute", "error_code": 9}'), {
    ok: false,
    error: {
      kind: "api",
      code: 9,
      message: "duplicate request, wait a minute",
      retryable: true,
      description: "duplicate request, wait a minute",
    },
  });
  assert.deepEqual(decode("get", "0,-3", { fmt: 1 }), {
    ok: false,
    error: { kind: "api", code: 3, message: "no records found", retryable: false },
  });
  const truncated = decode("get", '[{"phone": "7999');
  assert.equal(truncated.ok, false);
  assert.equal(truncated.error.kind, "malformed");
  assert.equal(truncated.error.reason, "unexpectedEnd");
  assert.equal(typeof truncated.error.offset, "number");
  assert.match(truncated.error.message, /end/);
  const ambiguous = decode("get", "1,a,b,c,d,e,f,g,h,i,j,k,l\n", { fmt: 1 });
  assert.equal(ambiguous.ok, false);
});

test("the offset of a string body counts UTF-8 bytes", () => {
  const result = decode("get", '[{"name": "Іван\\x"}]');
  assert.equal(result.ok, false);
  assert.equal(result.error.reason, "invalidEscape");
  assert.equal(result.error.offset, new TextEncoder().encode('[{"name": "Іван').length);
});

test("every prefix and corruption of every fixture is a value, never an exception", () => {
  let runs = 0;
  for (const fixture of fixtures) {
    const body = fixtureBody(fixture, false);
    const variants = [];
    for (let n = 0; n < body.length; n++) variants.push(body.subarray(0, n));
    for (let i = 0; i < 16; i++) {
      const bad = body.slice();
      if (bad.length) bad[(i * 7919) % bad.length] = [0x22, 0x3c, 0x2c, 0x5c, 0xff, 0x0a, 0x26, 0x7d][i % 8];
      variants.push(bad);
    }
    for (const variant of variants) {
      const result = decode(fixture.command, variant, fixture.options);
      assert.equal(typeof result.ok, "boolean");
      runs++;
    }
  }
  assert.ok(runs > 10000);
});

test("random bytes are values, never exceptions", () => {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  const alphabet = new TextEncoder().encode('[]{}<>/",:=\\ \n\r01239aIDOKERROR&#;xu-');
  for (let i = 0; i < 3000; i++) {
    const body = new Uint8Array(next() % 200);
    for (let j = 0; j < body.length; j++) body[j] = next() % 4 ? alphabet[next() % alphabet.length] : next() & 255;
    for (const fmt of [0, 1, 2, 3]) {
      for (const command of ["get", "get_group", "get_black", "add", "del"]) {
        assert.equal(typeof decode(command, body, { fmt }).ok, "boolean");
      }
    }
  }
});

test("invalid arguments throw TypeError", () => {
  assert.throws(() => decode("send", "OK"), TypeError);
  assert.throws(() => decode("del", 42), TypeError);
  assert.throws(() => decode("del", "OK", { fmt: 4 }), TypeError);
  assert.throws(() => decode("del", "OK", { endpoint: "faxes" }), TypeError);
  assert.throws(() => decode("del", "OK", { ids: "bigint" }), TypeError);
  assert.deepEqual(decode("del", "OK"), { ok: true, value: { result: "OK" } });
});
