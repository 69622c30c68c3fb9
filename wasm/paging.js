// Paging through a whole list politely, as the Rust `client` module does: the pager (`afterId`
// from each contact's `int_id`, `prevId` from each blacklist entry's `id`, `cnt`, error 3 as
// the end), the rate guard (three identical requests a minute, fewer than fifteen at once) and
// the retry policy (4 and 9 are retried, 9 after the server's minute; a transport failure on
// the next backup host). Sans-IO like the rest: the caller passes `fetch`.
import { buildRequest, decode } from "./pkg/smsc_codec_wasm.js";

/** The most records one list request may ask for. */
export const MAX_PAGE = 1000;
/** The server's window for identical requests, in milliseconds. */
export const IDENTICAL_WINDOW_MS = 60_000;
/** Identical requests the server accepts within the window. */
export const MAX_IDENTICAL = 3;
/** Concurrent requests under one login the server accepts (15 or more are refused). */
export const MAX_CONCURRENT = 14;
/** Longer URLs go as POST, as the official libraries decide. */
const MAX_GET_URL = 2000;

/**
 * Keeps a client under the documented limits. `admit(key, nowMs)` answers `{ go: true }` (send
 * it now, then call `finished()`), `{ waitUntil }` (a time in ms) or `{ tooMany: true }`.
 */
export class RateGuard {
  #sends = new Map();
  #inFlight = 0;

  /** Requests admitted and not yet finished. */
  get inFlight() {
    return this.#inFlight;
  }

  admit(key, nowMs) {
    if (this.#inFlight >= MAX_CONCURRENT) return { tooMany: true };
    const recent = (this.#sends.get(key) ?? []).filter((t) => nowMs < t + IDENTICAL_WINDOW_MS);
    if (recent.length >= MAX_IDENTICAL) return { waitUntil: recent[0] + IDENTICAL_WINDOW_MS };
    recent.push(nowMs);
    this.#sends.set(key, recent);
    // A guard shared by a long-lived isolate sees endless distinct requests (every page is
    // one): requests whose last send left the window are forgotten, so memory stays bounded.
    if (this.#sends.size > 64) {
      for (const [k, times] of this.#sends) {
        if (nowMs >= times[times.length - 1] + IDENTICAL_WINDOW_MS) this.#sends.delete(k);
      }
    }
    this.#inFlight++;
    return { go: true };
  }

  /** A request admitted earlier has completed (answered or failed). */
  finished() {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
  }
}

/** When to retry: 4 retries, from 1 s doubling up to 60 s. */
export const DEFAULT_RETRY = Object.freeze({ maxRetries: 4, baseDelayMs: 1_000, maxDelayMs: 60_000 });

function backoff(policy, attempt) {
  return Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
}

/**
 * After an API error on retry number `attempt` (0 for the first failure): the wait in ms, or
 * `undefined` to give up. 4 (IP blocked a while) backs off; 9 (rate limit) waits out the
 * server's minute; every other code gives up.
 */
export function retryAfterApiError(error, attempt, policy = DEFAULT_RETRY) {
  if (attempt >= policy.maxRetries) return undefined;
  if (error.code === 4) return backoff(policy, attempt);
  if (error.code === 9) return Math.max(backoff(policy, attempt), IDENTICAL_WINDOW_MS);
  return undefined;
}

/** After a transport failure on retry number `attempt`: the wait in ms, or `undefined`. */
export function retryAfterTransportFailure(attempt, policy = DEFAULT_RETRY) {
  return attempt >= policy.maxRetries ? undefined : backoff(policy, attempt);
}

/**
 * The base URL for attempt number `attempt` (0 for the first): the main host, then its
 * backups `www2.` to `www5.`, then the main host again. An address or `localhost` has none.
 */
export function hostForAttempt(base, attempt) {
  const url = new URL(base);
  const n = attempt % 5;
  const named = url.hostname !== "localhost" && !/^[\d.]+$|^\[/.test(url.hostname);
  if (n > 0 && named) url.hostname = `www${n + 1}.${url.hostname}`;
  return url.origin;
}

const PAGED = {
  get: { cursorParam: "afterId", cursor: (contact) => contact.extra?.int_id },
  get_black: { cursorParam: "prevId", cursor: (entry) => entry.id },
};

const sleepFor = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Walks a whole list, page by page, yielding `{ ok: true, value: record }` for every record
 * and, if it must stop, one `{ ok: false, error }` last: an API error the policy gives up on,
 * a malformed page, `{ kind: "transport", message }` after the last retry, or
 * `{ kind: "paging", message }` for a contact without `int_id` to continue after.
 *
 * `command`: `"get"` (paged by `afterId`), `"get_black"` (by `prevId`) or `"get_group"` (one
 * request). `params`: the command's filters, as `buildRequest` takes them. `options`:
 * `fetch` (required; `fetch`-like), `host` (default `"https://smsc.ua"`), `auth`, `endpoint`,
 * `fmt` (default 3), `ids` (as `decode` takes it), `pageSize` (default and most 1000), `guard` (a `RateGuard` to share
 * between walks), `retry` (`DEFAULT_RETRY`), and for tests `now` and `sleep`.
 */
export async function* pageThrough(command, params = {}, options = {}) {
  const {
    fetch,
    host = "https://smsc.ua",
    auth,
    endpoint,
    fmt = 3,
    ids = "number",
    pageSize = MAX_PAGE,
    guard = new RateGuard(),
    retry = DEFAULT_RETRY,
    now = Date.now,
    sleep = sleepFor,
  } = options;
  if (typeof fetch !== "function") throw new TypeError("smsc-codec: pageThrough needs options.fetch");
  const paged = PAGED[command];
  if (!paged && command !== "get_group") {
    throw new TypeError("smsc-codec: pageThrough takes get, get_black or get_group");
  }
  let from;
  for (;;) {
    const pageParams = paged ? { ...params, cnt: pageSize, ...(from === undefined ? {} : { [paged.cursorParam]: from }) } : params;
    const request = buildRequest(command, pageParams, { auth, endpoint, fmt });
    if (!request.ok) throw new TypeError(`smsc-codec: ${request.error.param} ${request.error.message}`);
    const page = await fetchPage(command, request.value, { fetch, host, endpoint, fmt, ids, guard, retry, now, sleep });
    if (page.error) {
      yield { ok: false, error: page.error };
      return;
    }
    for (const record of page.records) yield { ok: true, value: record };
    if (!paged || page.records.length < pageSize) return;
    const cursor = paged.cursor(page.records.at(-1));
    from = cursor === undefined ? "" : String(cursor);
    if (from === "") {
      yield { ok: false, error: { kind: "paging", message: "a contact without int_id: the server cannot be paged by afterId" } };
      return;
    }
  }
}

/** One page: sent through the guard, retried by the policy. `{ records }`, `{ records: [] }` at the end, or `{ error }`. */
async function fetchPage(command, built, { fetch, host, endpoint, fmt, ids, guard, retry, now, sleep }) {
  const key = `${built.path}?${built.query}`;
  for (let attempt = 0; ; attempt++) {
    for (;;) {
      const admission = guard.admit(key, now());
      if (admission.go) break;
      await sleep(admission.waitUntil ? Math.max(0, admission.waitUntil - now()) : 100);
    }
    const base = hostForAttempt(host, attempt);
    let body;
    try {
      const url = `${base}${built.path}`;
      const response = url.length + 1 + built.query.length > MAX_GET_URL
        ? await fetch(url, { method: "POST", headers: { "content-type": built.contentType }, body: built.body })
        : await fetch(`${url}?${built.query}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = new Uint8Array(await response.arrayBuffer());
    } catch (err) {
      guard.finished();
      const wait = retryAfterTransportFailure(attempt, retry);
      if (wait === undefined) return { error: { kind: "transport", message: String(err?.message ?? err) } };
      await sleep(wait);
      continue;
    }
    guard.finished();
    const page = decode(command, body, { fmt, endpoint, ids, extra: command === "get" });
    if (page.ok) return { records: page.value };
    if (page.error.kind === "api" && page.error.code === 3) return { records: [] };
    const wait = page.error.kind === "api" ? retryAfterApiError(page.error, attempt, retry) : undefined;
    if (wait === undefined) return { error: page.error };
    await sleep(wait);
  }
}
