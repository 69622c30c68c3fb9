// What `decode` must answer for a fixture of tests/fixtures, derived from its `.jsonl` (the
// CLI contract: every value a string, snake_case keys). Shared by the Rust wasm-bindgen tests
// (Node and Chromium, as a snippet: keep this module free of imports) and the Node tests.

const LISTS = { get: "contacts", get_group: "groups", get_black: "blacklist" };
const CREATED = ["add", "add_group", "add_black"];
/** Numeric fields by list: numbers when they fit (see index.d.ts, `Ids`). */
const NUMERIC = { contacts: [], groups: ["id", "number", "cnt"], blacklist: ["id", "type"] };
/** ErrorCode::message in core, for an API error without a description (fmt 1). */
const CODE_MESSAGES = {
  1: "error in the parameters",
  2: "wrong login or password, or IP address not allowed",
  3: "no records found",
  4: "IP address temporarily blocked",
  5: "operation failed",
  9: "too many identical or concurrent requests",
};
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The numeric reading of a field's text, written independently of js/glue.js. */
export function num(text) {
  return /^(0|[1-9][0-9]*)$/.test(text) && BigInt(text) <= MAX_SAFE ? Number(text) : text;
}

function camel(key) {
  return key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}

/**
 * The result `decode(command, body, { fmt, endpoint, ids })` must give for a fixture whose
 * expected output is `jsonl` (the text of the `.jsonl` file).
 */
export function expectedResult(command, jsonl, ids) {
  const asNum = ids === "string" ? (text) => text : num;
  const lines = jsonl.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
  if (lines.length === 1 && "error_code" in lines[0]) {
    const code = Number(lines[0].error_code);
    const description = lines[0].error;
    const error = {
      kind: "api",
      code,
      message: description ?? CODE_MESSAGES[code] ?? "unknown error code",
      retryable: code === 4 || code === 9,
    };
    if (description !== undefined) error.description = description;
    return { ok: false, error };
  }
  const list = LISTS[command];
  if (list) {
    const numeric = NUMERIC[list];
    const records = lines.map((line) => {
      const record = {};
      for (const [key, value] of Object.entries(line)) {
        record[camel(key)] = numeric.includes(key) ? asNum(value) : value;
      }
      return record;
    });
    return { ok: true, value: records };
  }
  if (CREATED.includes(command)) return { ok: true, value: { id: asNum(lines[0].id) } };
  return { ok: true, value: { result: "OK" } };
}

/** A canonical text of a value: key order, number vs string and `undefined` all show. */
export function canonical(value) {
  return JSON.stringify(value, (_, v) => (v === undefined ? "<undefined>" : v));
}

function base64Bytes(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A fixture's body from tests/generated/fixtures.json: bytes, or a string when `asString`. */
export function fixtureBody(fixture, asString) {
  const bytes = base64Bytes(fixture.body);
  return asString ? new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes) : bytes;
}

/**
 * Checks `actual`, the result of decoding `fixture` (an entry of tests/generated/fixtures.json:
 * `{ name, command, options, body, jsonl | null }`); answers undefined when it is right, or what
 * is wrong.
 */
export function checkFixture(fixture, actual, ids) {
  if (fixture.jsonl === null) {
    if (actual && actual.ok === false && actual.error.kind === "malformed") return undefined;
    return `${fixture.name}: expected a malformed error, got ${canonical(actual)}`;
  }
  const want = canonical(expectedResult(fixture.command, fixture.jsonl, ids));
  const got = canonical(actual);
  return want === got ? undefined : `${fixture.name}:\n  expected ${want}\n  got      ${got}`;
}

/** `options` with `ids` set (for the wasm-bindgen tests, which cannot spread objects). */
export function withIds(options, ids) {
  return { ...options, ids };
}

/**
 * Checks `actual`, the result of `buildRequest` for a case of tests/requests.json
 * (`{ name, command, params, options, expect: { path, query } }` or `{ ..., error: { kind, param } }`);
 * answers undefined when it is right, or what is wrong.
 */
export function checkRequest(testCase, actual) {
  let want;
  if (testCase.expect) {
    const { path, query } = testCase.expect;
    want = { ok: true, value: { path, query, body: query, contentType: "application/x-www-form-urlencoded" } };
  } else {
    const message = actual && actual.ok === false ? actual.error.message : "<a message>";
    want = { ok: false, error: { ...testCase.error, message } };
    if (typeof message !== "string" || message === "") return `${testCase.name}: no message`;
  }
  const got = canonical(actual);
  return canonical(want) === got ? undefined : `${testCase.name}:\n  expected ${canonical(want)}\n  got      ${got}`;
}
