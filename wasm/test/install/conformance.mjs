// The conformance checks every runtime runs against the installed package (scripts/wasm-install.sh):
// requests, every fmt, errors as values, the exact text of big numbers, streaming, unknown
// fields. Plain ES2020 and the package: no Node, Deno or browser API.

const encoder = new TextEncoder();

async function* chunks(text, size) {
  const bytes = encoder.encode(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Runs every check against `lib` (the package's exports); the failures, and how many checks ran. */
export async function conformance({ buildRequest, decode, decodeStream, pageThrough }) {
  const failures = [];
  let checks = 0;
  const same = (name, actual, expected) => {
    checks++;
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a !== e) failures.push(`${name}: got ${a}, expected ${e}`);
  };

  // Requests.
  const add = buildRequest("add", { phone: "+79991112233", name: "Іван", grp: [1, 2] }, { auth: { apiKey: "k" } });
  same("add request", add.ok && add.value.query,
    "add=1&apikey=k&fmt=3&charset=utf-8&phone=%2B79991112233&name=%D0%86%D0%B2%D0%B0%D0%BD&grp=1%2C2");
  same("mails path", buildRequest("get", {}, { endpoint: "mails" }).value.path, "/sys/mails.php");
  const refused = buildRequest("get", { cnt: 5000 });
  same("refused request", refused.ok ? null : [refused.error.kind, refused.error.param], ["countTooLarge", "cnt"]);

  // The same list in every fmt.
  const group = [{ id: 5922, name: "Клієнти & Co", number: 12, cnt: 3 }];
  same("fmt 0", decode("get_group", "id = 5922, name = Клієнти & Co, number = 12, cnt = 3\n", { fmt: 0 }).value, group);
  same("fmt 1", decode("get_group", "5922,Клієнти & Co,12,3\n", { fmt: 1 }).value, group);
  same("fmt 2", decode("get_group",
    "<list><group><id>5922</id><name>Клієнти &amp; Co</name><number>12</number><cnt>3</cnt></group></list>",
    { fmt: 2 }).value, group);
  same("fmt 3", decode("get_group", '[{"id": "5922", "name": "\\u041a\\u043b\\u0456\\u0454\\u043d\\u0442\\u0438 & Co", "number": 12, "cnt": "3"}]',
    { fmt: 3 }).value, group);
  same("bytes body", decode("get_group", encoder.encode("5922,Клієнти & Co,12,3\n"), { fmt: 1 }).value, group);

  // Errors are values.
  const api = decode("get", "ERROR = 9 (duplicate request, wait a minute)", { fmt: 3 });
  same("api error", [api.ok, api.error.kind, api.error.code, api.error.retryable], [false, "api", 9, true]);
  const bad = decode("get", '[{"phone": "7999', { fmt: 3 });
  same("malformed", [bad.ok, bad.error.kind, bad.error.reason, bad.error.offset], [false, "malformed", "unexpectedEnd", 16]);
  same("created", decode("add", "ID = 4321", { fmt: 0 }).value, { id: 4321 });
  same("done", decode("del", "OK", { fmt: 3 }).value, { result: "OK" });

  // Big numbers keep their exact text; ids as strings on request.
  same("big id", decode("get_black", '[{"id": 9007199254740993, "phone": "1", "type": 0}]', { fmt: 3 }).value[0].id,
    "9007199254740993");
  same("safe id", decode("get_black", '[{"id": 9007199254740991}]', { fmt: 3 }).value[0].id, 9007199254740991);
  same("ids as strings", decode("add", '{"id": 17}', { fmt: 3, ids: "string" }).value, { id: "17" });

  // Unknown fields, and streaming in small chunks.
  const body = '[{"phone": "1", "name": "Олена", "int_id": "77"},\n{"phone": "2", "int_id": "78"}]';
  same("extra", decode("get", body, { fmt: 3, extra: true }).value.map((c) => c.extra.int_id), ["77", "78"]);
  const streamed = [];
  for await (const item of decodeStream("get", chunks(body, 3), { fmt: 3 })) streamed.push(item.ok ? item.value : item.error);
  same("decodeStream", streamed, decode("get", body, { fmt: 3 }).value);
  const empty = [];
  for await (const item of decodeStream("get", chunks("0,-3", 1), { fmt: 1 })) empty.push(item.ok || item.error.code);
  same("decodeStream api error", empty, [3]);

  // Paging over a scripted fetch: two pages, the second after the first's last int_id.
  const asked = [];
  const pages = ['[{"phone": "1", "int_id": "11"}, {"phone": "2", "int_id": "12"}]', '[{"phone": "3", "int_id": "13"}]'];
  const scripted = async (url) => {
    asked.push(url);
    return new Response(pages[asked.length - 1]);
  };
  const walked = [];
  for await (const item of pageThrough("get", {}, { fetch: scripted, auth: { apiKey: "k" }, pageSize: 2 })) {
    walked.push(item.ok ? item.value.phone : item.error);
  }
  same("pageThrough", walked, ["1", "2", "3"]);
  same("pageThrough cursor", asked.map((url) => /after_id=(\d+)/.exec(url)?.[1] ?? null), [null, "12"]);

  // Invalid arguments throw.
  checks++;
  try {
    decode("send", "", {});
    failures.push("an unknown command did not throw");
  } catch (err) {
    if (!(err instanceof TypeError)) failures.push(`an unknown command threw ${err}`);
  }
  return { checks, failures };
}

/** The line every runtime prints: "conformance: N checks passed", or the failures. */
export function report({ checks, failures }) {
  return failures.length === 0
    ? `conformance: ${checks} checks passed`
    : `conformance: ${failures.length} of ${checks} checks failed\n${failures.join("\n")}`;
}
