// pageThrough, the rate guard and the retry policy: against `smsc serve` (the repository's
// simulator, started here on a free port) for real paging, and with a scripted `fetch` for the
// waits and hosts the real server would take minutes to show.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  buildRequest,
  decode,
  pageThrough,
  RateGuard,
  hostForAttempt,
  retryAfterApiError,
  IDENTICAL_WINDOW_MS,
} from "smsc-codec-wasm";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const auth = { login: "test", psw: "test-password" };
let server;
let base;

before(async () => {
  const bin = process.env.SMSC_BIN ?? `${repo}target/debug/smsc`;
  if (!existsSync(bin)) execFileSync("cargo", ["build", "-q", "-p", "smsc-codec-cli", "--bin", "smsc"], { cwd: repo });
  server = spawn(bin, ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  base = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (data) => {
      out += data;
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (match) resolve(match[0]);
    });
    server.on("exit", (code) => reject(new Error(`smsc serve exited with ${code}`)));
  });
});

after(() => server?.kill());

async function send(command, params) {
  const request = buildRequest(command, params, { auth });
  assert.ok(request.ok, JSON.stringify(request));
  const response = await fetch(`${base}${request.value.path}`, {
    method: "POST",
    headers: { "content-type": request.value.contentType },
    body: request.value.body,
  });
  return decode(command, await response.text());
}

async function collect(walk) {
  const records = [];
  for await (const item of walk) {
    if (!item.ok) return { records, error: item.error };
    records.push(item.value);
  }
  return { records, error: undefined };
}

test("every contact, page by page, through smsc serve", async () => {
  for (let i = 0; i < 2500; i++) {
    const added = await send("add", { phone: `7900${String(i).padStart(7, "0")}`, name: `Контакт ${i}` });
    assert.ok(added.ok, JSON.stringify(added));
  }
  const requested = [];
  const counting = (url, init) => {
    requested.push(String(url));
    return fetch(url, init);
  };
  const { records, error } = await collect(pageThrough("get", {}, { fetch: counting, host: base, auth, pageSize: 1000 }));
  assert.equal(error, undefined);
  assert.equal(records.length, 2500);
  assert.equal(new Set(records.map((c) => c.phone)).size, 2500, "no contact twice");
  assert.equal(requested.length, 3, "three pages");
  assert.match(requested[1], /after_id=\d+&cnt=1000|cnt=1000&after_id=\d+/);
});

test("the blacklist by prev_id, and the groups in one request", async () => {
  for (let i = 0; i < 30; i++) assert.ok((await send("add_black", { phone: `7911${String(i).padStart(7, "0")}` })).ok);
  const black = await collect(pageThrough("get_black", {}, { fetch, host: base, auth, pageSize: 7 }));
  assert.equal(black.error, undefined);
  assert.equal(black.records.length, 30);
  assert.equal(new Set(black.records.map((b) => b.id)).size, 30);
  assert.ok((await send("add_group", { name: "VIP" })).ok);
  const groups = await collect(pageThrough("get_group", {}, { fetch, host: base, auth }));
  assert.deepEqual(groups.records.map((g) => g.name), ["VIP"]);
});

test("an empty list (error 3) is the end, not an error", async () => {
  const none = await collect(pageThrough("get", { phone: "70000000000" }, { fetch, host: base, auth }));
  assert.deepEqual(none, { records: [], error: undefined });
});

test("the rate guard waits out a fourth identical request", () => {
  const guard = new RateGuard();
  for (const t of [0, 10, 20]) {
    assert.deepEqual(guard.admit("same", t), { go: true });
    guard.finished();
  }
  assert.deepEqual(guard.admit("same", 30), { waitUntil: IDENTICAL_WINDOW_MS });
  assert.deepEqual(guard.admit("other", 30), { go: true });
  assert.deepEqual(guard.admit("same", IDENTICAL_WINDOW_MS + 1), { go: true });
  for (let i = 0; i < 12; i++) guard.admit(`k${i}`, 0);
  // A shared guard forgets requests that left the window (its memory stays bounded) but never
  // one still in it, however many distinct requests come between.
  const shared = new RateGuard();
  for (let i = 0; i < 3; i++) shared.admit("hot", 0), shared.finished();
  for (let i = 0; i < 1000; i++) {
    assert.deepEqual(shared.admit(`page ${i}`, 1 + i), { go: true });
    shared.finished();
  }
  assert.deepEqual(shared.admit("hot", 2000), { waitUntil: IDENTICAL_WINDOW_MS });
  assert.deepEqual(shared.admit("hot", IDENTICAL_WINDOW_MS + 1), { go: true });
  assert.equal(guard.inFlight, 14);
  assert.deepEqual(guard.admit("one more", 0), { tooMany: true });
});

test("error 9 from smsc serve is waited out, and given up on after the last retry", async () => {
  // Three identical requests pass; the fourth is error 9. A guard of its own per walk would
  // not prevent it (the guard is bypassed here on purpose), so the policy must.
  for (let i = 0; i < 3; i++) await send("get_group", { type: 1 });
  const waits = [];
  const { records, error } = await collect(
    pageThrough("get_group", { type: 1 }, { fetch, host: base, auth, retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 100 }, sleep: async (ms) => waits.push(ms) }),
  );
  assert.deepEqual(records, []);
  assert.equal(error.kind, "api");
  assert.equal(error.code, 9);
  assert.deepEqual(waits, [IDENTICAL_WINDOW_MS, IDENTICAL_WINDOW_MS], "9 waits out the server's minute");
});

test("transport failures back off and go to the backup hosts", async () => {
  const hosts = [];
  const failing = async (url) => {
    hosts.push(new URL(url).hostname);
    if (hosts.length < 4) throw new TypeError("fetch failed");
    return new Response("5922,VIP,,0\n");
  };
  // A clock that the waits move: the retries are also the same request, so before the fourth
  // the rate guard waits out the minute from the first.
  let clock = 0;
  const waits = [];
  const time = { now: () => clock, sleep: async (ms) => { waits.push(ms); clock += ms; } };
  const { records, error } = await collect(pageThrough("get_group", {}, { fetch: failing, auth, fmt: 1, ...time }));
  assert.equal(error, undefined);
  assert.deepEqual(records, [{ id: 5922, name: "VIP", number: "", cnt: 0 }]);
  assert.deepEqual(hosts, ["smsc.ua", "www2.smsc.ua", "www3.smsc.ua", "www4.smsc.ua"]);
  assert.deepEqual(waits, [1000, 2000, 4000, IDENTICAL_WINDOW_MS - 7000]);
  const down = await collect(pageThrough("get_group", {}, { fetch: async () => { throw new Error("down"); }, ...time }));
  assert.equal(down.error.kind, "transport");
  assert.equal(down.error.message, "down");
});

test("the policy and the hosts mirror the Rust client", () => {
  assert.equal(retryAfterApiError({ code: 4 }, 0), 1000);
  assert.equal(retryAfterApiError({ code: 4 }, 2), 4000);
  assert.equal(retryAfterApiError({ code: 9 }, 0), 60_000);
  assert.equal(retryAfterApiError({ code: 2 }, 0), undefined);
  assert.equal(retryAfterApiError({ code: 4 }, 4), undefined);
  assert.deepEqual([0, 1, 4, 5].map((a) => hostForAttempt("https://smsc.kz", a)), [
    "https://smsc.kz", "https://www2.smsc.kz", "https://www5.smsc.kz", "https://smsc.kz",
  ]);
  assert.equal(hostForAttempt("http://127.0.0.1:8025", 3), "http://127.0.0.1:8025");
});
