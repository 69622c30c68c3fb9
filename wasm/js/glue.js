// The JavaScript half of smsc-codec-wasm: argument checks and the objects handed to users.
// wasm-bindgen copies this module into the package (pkg/snippets/); src/lib.rs imports it.
// Indices here must match src/decode.rs and src/request.rs.

const COMMANDS = [
  "add", "add_group", "chg", "chg_group", "move_group", "del", "del_group",
  "get", "get_group", "add_black", "del_black", "get_black",
];

const CONTACT_FIELDS = ["name", "group", "firstName", "lastName", "middleName", "birthday", "id", "comments", "tags"];
/** Field names by list (contacts, groups, blacklist) and endpoint (phones, mails), in body order. */
const FIELDS = [
  [["phone", ...CONTACT_FIELDS, "phoneOther"], ["mail", ...CONTACT_FIELDS, "mailOther"]],
  [["id", "name", "number", "cnt"], ["id", "name", "number", "cnt"]],
  [["id", "phone", "type", "comment"], ["id", "email", "type", "comment"]],
];
/** Which fields are numbers when they fit (server-assigned ids, counts, types). */
const NUMERIC = [
  [false, false, false, false, false, false, false, false, false, false, false],
  [true, false, true, true],
  [true, false, true, false],
];
const NO_NUMBERS = NUMERIC[0];

const REASONS = [
  "unexpectedEnd", "unexpectedByte", "invalidUtf8", "invalidEscape", "loneSurrogate",
  "invalidCharRef", "mismatchedTag", "notAScalar", "notKeyValue", "ambiguousLine",
  "fieldMismatch", "unexpectedShape", "trailingData", "invalidErrorCode", "depthLimit",
  "recordTooLong", "tooManyFields", "valueTooLong",
];

const BUILD_KINDS = [
  "empty", "notNumeric", "countTooLarge", "invalidType", "invalidDate", "invalidDigest",
  "wrongEndpoint", "unknownParam", "bufferTooSmall", "invalidIdList", "writeFailed",
];

const LIST = 0, CREATED = 1, DONE = 2, API = 3, MORE = 5;
const EXTRA = 256;
const ABSENT = 0xffffffff;
const FORM = "application/x-www-form-urlencoded";

export function typeError(message) {
  return new TypeError(message);
}

function commandIndex(command) {
  const i = typeof command === "string" ? COMMANDS.indexOf(command) : -1;
  if (i < 0) throw new TypeError(`smsc-codec: unknown command ${JSON.stringify(String(command))}`);
  return i;
}

function objectOr(value, what) {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`smsc-codec: ${what} must be an object`);
  }
  return value;
}

function endpointOf(options) {
  const endpoint = options.endpoint;
  if (endpoint === undefined || endpoint === "phones") return 0;
  if (endpoint === "mails") return 1;
  throw new TypeError('smsc-codec: endpoint must be "phones" or "mails"');
}

function fmtOf(options) {
  const fmt = options.fmt;
  if (fmt === undefined) return 3;
  if (fmt === 0 || fmt === 1 || fmt === 2 || fmt === 3) return fmt;
  throw new TypeError("smsc-codec: fmt must be 0, 1, 2 or 3");
}

const encoder = new TextEncoder();

/** The body as bytes: TextEncoder is faster than wasm-bindgen's string passing for non-ASCII text. */
export function bodyBytes(body) {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  throw new TypeError("smsc-codec: body must be a string or a Uint8Array");
}

/** `decode`'s arguments, packed for src/lib.rs. */
export function decodeArgs(command, options) {
  const o = objectOr(options, "options");
  const ids = o.ids;
  if (ids !== undefined && ids !== "number" && ids !== "string") {
    throw new TypeError('smsc-codec: ids must be "number" or "string"');
  }
  if (o.extra !== undefined && typeof o.extra !== "boolean") {
    throw new TypeError("smsc-codec: extra must be a boolean");
  }
  return (
    commandIndex(command) | (fmtOf(o) << 4) | (endpointOf(o) << 6) | (ids === "string" ? 128 : 0) |
    (o.extra ? EXTRA : 0)
  );
}

const SAFE_DIGITS = /^(?:0|[1-9][0-9]{0,15})$/;

/** A decimal integer without leading zeros that fits in 2^53 - 1 as a number; anything else as it is. */
function id(text) {
  if (SAFE_DIGITS.test(text)) {
    const n = +text;
    if (n <= Number.MAX_SAFE_INTEGER) return n;
  }
  return text;
}

/**
 * Reads `records` records (all that the table holds, when undefined) from `table[at..]` and
 * `text[pos..]` into `out`; the table and text positions after them.
 */
function readRecords(packed, table, at, text, pos, records, out) {
  const command = packed & 15;
  const list = command === 7 ? 0 : command === 8 ? 1 : 2;
  const names = FIELDS[list][(packed >> 6) & 1];
  const numeric = packed & 128 ? NO_NUMBERS : NUMERIC[list];
  const extra = (packed & EXTRA) !== 0;
  const count = table[1];
  let i = at;
  for (let n = 0; records === undefined ? i < table.length : n < records; n++) {
    const record = {};
    for (let f = 0; f < count; f++) {
      const len = table[i++];
      if (len !== ABSENT) {
        const value = text.slice(pos, (pos += len));
        record[names[f]] = numeric[f] ? id(value) : value;
      }
    }
    if (extra) {
      const more = {};
      for (let e = table[i++]; e > 0; e--) {
        const name = text.slice(pos, (pos += table[i++]));
        const value = text.slice(pos, (pos += table[i++]));
        if (!(name in more)) more[name] = value;
      }
      record.extra = more;
    }
    out.push(record);
  }
  return [i, pos];
}

function apiError(table, i, text) {
  const error = { kind: "api", code: table[i + 1], message: text, retryable: table[i + 3] === 1 };
  if (table[i + 2] === 1) error.description = text;
  return { ok: false, error };
}

function malformed(table, i, text) {
  return {
    ok: false,
    error: { kind: "malformed", reason: REASONS[table[i + 1]] ?? "other", offset: table[i + 2], message: text },
  };
}

/** `decode`'s result, from the table and text of src/decode.rs. */
export function decodeResult(packed, table, text) {
  switch (table[0]) {
    case LIST: {
      const out = [];
      readRecords(packed, table, 2, text, 0, undefined, out);
      return { ok: true, value: out };
    }
    case CREATED:
      return { ok: true, value: { id: packed & 128 ? text : id(text) } };
    case DONE:
      return { ok: true, value: { result: "OK" } };
    case API:
      return apiError(table, 0, text);
    default:
      return malformed(table, 0, text);
  }
}

/**
 * A batch of src/stream.rs: `{ records, end }`, where `end` is `undefined` (more may follow),
 * `{ ok: true }` (the list ended) or an error value as `decode` gives it.
 */
export function streamBatch(packed, table, text) {
  const records = [];
  const [i, pos] = readRecords(packed, table, 3, text, 0, table[2], records);
  const rest = text.slice(pos);
  switch (table[i]) {
    case MORE:
      return { records, end: undefined };
    case DONE:
      return { records, end: { ok: true } };
    case API:
      return { records, end: apiError(table, i, rest) };
    default:
      return { records, end: malformed(table, i, rest) };
  }
}

function string(value, what) {
  if (typeof value !== "string") throw new TypeError(`smsc-codec: ${what} must be a string`);
  return value;
}

function authArgs(auth) {
  if (auth === undefined || auth === null) return ["none", "", ""];
  if (typeof auth !== "object") throw new TypeError("smsc-codec: auth must be an object");
  if ("apiKey" in auth) return ["apikey", string(auth.apiKey, "auth.apiKey"), ""];
  if ("pswMd5" in auth) return ["md5", string(auth.login, "auth.login"), string(auth.pswMd5, "auth.pswMd5")];
  if ("psw" in auth) return ["password", string(auth.login, "auth.login"), string(auth.psw, "auth.psw")];
  throw new TypeError("smsc-codec: auth must be { login, psw }, { login, pswMd5 } or { apiKey }");
}

function valueText(key, value) {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return value.map((v) => valueText(key, v)).join(",");
  throw new TypeError(`smsc-codec: ${key} must be a string, a number or an array of them`);
}

/** camelCase key to wire name: `newPhone` to `new_phone`. */
function wireName(key) {
  return key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

/** Wire name to the camelCase key: `new_phone` to `newPhone`, `apikey` to `apiKey`. */
function camelName(wire) {
  return wire === "apikey" ? "apiKey" : wire.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
}

/** `buildRequest`'s arguments, flattened into strings for src/request.rs. */
export function requestArgs(command, params, options) {
  commandIndex(command);
  const p = objectOr(params, "params");
  const o = objectOr(options, "options");
  const out = [command, endpointOf(o) ? "mails" : "phones", String(fmtOf(o)), ...authArgs(o.auth)];
  for (const key of Object.keys(p)) {
    const value = p[key];
    if (value === undefined || value === null) continue;
    out.push(wireName(key), valueText(key, value));
  }
  return out;
}

export function requestOk(path, query) {
  return { ok: true, value: { path, query, body: query, contentType: FORM } };
}

export function requestError(kind, param, message) {
  const name = BUILD_KINDS[kind] ?? "other";
  return {
    ok: false,
    error: { kind: name, param: name === "invalidDigest" ? "pswMd5" : camelName(param), message },
  };
}
