// decodeStream in Node, through the package's name: every list fixture streamed in chunks of
// one byte (so every multi-byte character, escape and tag is cut), seven bytes, random sizes
// and whole, as a ReadableStream and as an async iterable, must give exactly what decode gives;
// a 100,000-contact body must stream with flat memory; unknown fields come out with `extra`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync } from "../pkg/smsc_codec_wasm.js";
import { decode, decodeStream } from "smsc-codec-wasm";
import { loadFixtures } from "./support/fixtures.mjs";
import { fixtureBody } from "../tests/support/expected.js";

const LISTS = new Set(["get", "get_group", "get_black"]);

/** `body` cut into chunks: sizes from `size(i)`. */
function* cut(body, size) {
  for (let at = 0, i = 0; at < body.length; i++) {
    const n = Math.max(1, size(i));
    yield body.subarray(at, (at += n));
  }
}

async function* asyncChunks(chunks) {
  for (const chunk of chunks) yield chunk;
}

function readable(chunks) {
  const it = chunks[Symbol.iterator]();
  return new ReadableStream({
    pull(controller) {
      const { done, value } = it.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
}

/** What decodeStream yields, as decode's shape: the records, or the error after them. */
async function streamed(command, source, options) {
  const records = [];
  for await (const item of decodeStream(command, source, options)) {
    if (!item.ok) return { records, error: item.error };
    records.push(item.value);
  }
  return { records, error: undefined };
}

function whole(command, body, options) {
  const result = decode(command, body, options);
  // An error drops the records before it in `decode`; the stream gives them first, so only the
  // error itself is compared.
  return result.ok ? { records: result.value, error: undefined } : { error: result.error };
}

test("every list fixture streams as decode decodes it, in any chunking", async () => {
  let compared = 0;
  for (const fixture of loadFixtures().filter((f) => LISTS.has(f.command))) {
    const body = fixtureBody(fixture, false);
    const expected = whole(fixture.command, body, fixture.options);
    let seed = body.length;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 97) + 1;
    for (const [how, size] of [["1", () => 1], ["7", () => 7], ["random", random], ["whole", () => body.length]]) {
      for (const wrap of [readable, (c) => asyncChunks(c)]) {
        const got = await streamed(fixture.command, wrap([...cut(body, size)]), fixture.options);
        const label = `${fixture.name} in chunks of ${how} (${wrap === readable ? "ReadableStream" : "AsyncIterable"})`;
        if (expected.error) {
          assert.deepEqual(got.error, expected.error, label);
        } else {
          assert.equal(got.error, undefined, label);
          assert.deepEqual(got.records, expected.records, label);
        }
        compared++;
      }
    }
  }
  assert.ok(compared > 400, `${compared} comparisons`);
});

test("an empty body, an API error and a malformed body end the stream as values", async () => {
  assert.deepEqual(await streamed("get", asyncChunks([]), { fmt: 3 }), { records: [], error: undefined });
  const api = await streamed("get_black", asyncChunks([new TextEncoder().encode("0,-3")]), { fmt: 1 });
  assert.equal(api.error.kind, "api");
  assert.equal(api.error.code, 3);
  const bad = await streamed("get", asyncChunks([new TextEncoder().encode('[{"phone": "1"}, {"phone": 2x}]')]), { fmt: 3 });
  assert.equal(bad.records.length, 1, "the record before the error is given");
  assert.equal(bad.error.kind, "malformed");
  assert.equal(bad.error.reason, "unexpectedByte");
});

test("invalid arguments throw a TypeError", async () => {
  await assert.rejects(() => streamed("add", asyncChunks([]), {}), TypeError);
  await assert.rejects(() => streamed("get", "[]", {}), TypeError);
  await assert.rejects(() => streamed("get", asyncChunks(["[]"]), {}), TypeError);
  await assert.rejects(() => streamed("get", asyncChunks([]), { extra: "yes" }), TypeError);
});

test("unknown fields come out as extra, in decode and decodeStream", async () => {
  const body = '[{"phone": "79991112233", "int_id": "77", "group": "0", "tz": {"h": 3}}]';
  const plain = decode("get", body, { fmt: 3 });
  assert.deepEqual(plain.value, [{ phone: "79991112233", group: "0" }]);
  const withExtra = decode("get", body, { fmt: 3, extra: true });
  assert.deepEqual(withExtra.value, [{ phone: "79991112233", group: "0", extra: { int_id: "77", tz: '{"h": 3}' } }]);
  const kv = decode("get", "phone = 1, name = A, int_id = 78\n", { fmt: 0, extra: true });
  assert.deepEqual(kv.value[0].extra, { int_id: "78" });
  const streamedExtra = await streamed("get", asyncChunks([new TextEncoder().encode(body)]), { fmt: 3, extra: true });
  assert.deepEqual(streamedExtra.records, withExtra.value);
  const group = decode("get_group", "<list><group><id>1</id><name>a</name><kind>x</kind></group></list>", { fmt: 2, extra: true });
  assert.deepEqual(group.value, [{ id: 1, name: "a", extra: { kind: "x" } }]);
});

test("100,000 contacts stream through with flat memory", async () => {
  const wasm = initSync({ module: readFileSync(new URL("../pkg/smsc_codec_wasm_bg.wasm", import.meta.url)) });
  const encoder = new TextEncoder();
  const total = 100_000;
  // Generated as it is read: the body is never in memory (about 9 MB).
  async function* body() {
    yield encoder.encode("[");
    for (let i = 0; i < total; i += 500) {
      let text = "";
      for (let j = i; j < i + 500; j++) {
        text += `${j ? ",\n" : ""}{"phone": "7900${String(j).padStart(7, "0")}", "name": "Контакт ${j}", "int_id": "${j}"}`;
      }
      yield encoder.encode(text);
    }
    yield encoder.encode("]");
  }
  const before = wasm.memory.buffer.byteLength;
  let count = 0;
  let last;
  for await (const item of decodeStream("get", body(), { fmt: 3, extra: true })) {
    assert.ok(item.ok);
    count++;
    last = item.value;
  }
  const grown = wasm.memory.buffer.byteLength - before;
  assert.equal(count, total);
  assert.equal(last.extra.int_id, String(total - 1));
  // The module's memory holds a chunk (about 45 KB) and a record, not the body.
  assert.ok(grown <= 1 << 20, `the wasm memory grew by ${grown} bytes`);
});
