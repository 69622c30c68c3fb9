// Types of smsc-codec-wasm, written and checked by hand (tsc --noEmit runs over this file and
// test/usage.ts). The runtime is the wasm-bindgen output in pkg/ and js/glue.js.

// ---------------------------------------------------------------------------------------------
// Common

/** The twelve commands of the contacts API, by their wire flag. */
export type Command =
  | "add"
  | "add_group"
  | "chg"
  | "chg_group"
  | "move_group"
  | "del"
  | "del_group"
  | "get"
  | "get_group"
  | "add_black"
  | "del_black"
  | "get_black";

/** `phones`: `/sys/phones.php` (the default); `mails`: `/sys/mails.php`. */
export type Endpoint = "phones" | "mails";

/** Response format: 0 `key = value`, 1 comma-separated, 2 XML, 3 JSON (the default). */
export type Fmt = 0 | 1 | 2 | 3;

/** Errors are values: every call answers one of these, and throws only for invalid arguments. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** A numeric id or count as input: a number or its decimal digits. */
export type Id = number | string;

// ---------------------------------------------------------------------------------------------
// Building a request

/** Credentials. Without `auth` the request carries none (for a proxy that adds them). */
export type Auth =
  /** `login` and `psw`. */
  | { login: string; psw: string }
  /** `login` and the lower-case hex MD5 of the password, sent as `psw`. */
  | { login: string; pswMd5: string }
  /** `apikey`. */
  | { apiKey: string };

/** The optional contact fields of `add` and `chg`. */
export interface ContactData {
  /** `name`: the contact's name. */
  name?: string;
  /** `grp`: group ids, as an array or a comma-separated list. */
  grp?: Id | readonly Id[];
  /** `lnm`: last name. */
  lnm?: string;
  /** `fnm`: first name. */
  fnm?: string;
  /** `mnm`: middle name. */
  mnm?: string;
  /** `bd`: birthday, `dd.mm.yyyy` (checked). */
  bd?: string;
  /** `myid`: your own id for the contact; it comes back as the contact's `id`. */
  myid?: Id;
  /** `cmt`: comments. */
  cmt?: string;
  /** `tags`: tags. */
  tags?: string;
  /** `pho`: other numbers, never messaged; they come back as `phoneOther`. */
  pho?: string;
}

/** The parameters of each command on phones.php. Keys are the wire names in camelCase. */
export interface PhonesParams {
  add: { /** `phone`: numbers, any separator. */ phone: string } & ContactData;
  add_group: {
    /** `name`: the group's name. */
    name: string;
    /** `num`: the group's unique number for mailings (numeric). */
    num?: Id;
    /** `type`: 0 a phone group, 1 an e-mail group. */
    type?: 0 | 1 | "0" | "1";
  };
  chg: {
    /** `phone`: identifies the contact. */
    phone: string;
    /** `new_phone`: the new numbers. */
    newPhone?: string;
  } & ContactData;
  chg_group: { /** `grp`: the group id. */ grp: Id; name: string; num?: Id };
  move_group: {
    /** `grp`: the group id. */
    grp: Id;
    phone: string;
    /** The value of the `move_group` flag: 1 replace all groups (default), 2 add, 3 remove. */
    mode?: 1 | 2 | 3 | "1" | "2" | "3";
  };
  del: { phone: string };
  del_group: { grp: Id };
  get: {
    /** `grp`: only contacts of these groups. */
    grp?: Id | readonly Id[];
    phone?: string;
    /** `fio`: filter on any part of the full name. */
    fio?: string;
    /** `search`: filter on name and/or phone. */
    search?: string;
    /** `after_id`: paging, contacts after this internal id. */
    afterId?: Id;
    /** `cnt`: at most 1000 (checked). */
    cnt?: Id;
  };
  get_group: { /** `type`: 0 phone groups, 1 e-mail groups. */ type?: 0 | 1 | "0" | "1" };
  add_black: {
    phone: string;
    /** `type`: 0 all messages, 1 mass mailings, 2 single messages. */
    type?: 0 | 1 | 2 | "0" | "1" | "2";
    /** `cmt`: comment. */
    cmt?: string;
  };
  del_black: { phone: string };
  get_black: {
    /** `prev_id`: paging, records added before this blacklist id. */
    prevId?: Id;
    /** `cnt`: at most 1000 (checked). */
    cnt?: Id;
  };
}

/** `phone` becomes `mail`, `newPhone` becomes `newMail`. */
type MailKeys<T> = {
  [K in keyof T as K extends "phone" ? "mail" : K extends "newPhone" ? "newMail" : K]: T[K];
};

/** The parameters of each command on mails.php: `mail` and `newMail` for `phone` and `newPhone`. */
export type MailsParams = { [C in Command]: MailKeys<PhonesParams[C]> };

/** The parameters of a command on an endpoint. */
export type Params<C extends Command, E extends Endpoint = "phones"> = E extends "mails"
  ? MailsParams[C]
  : PhonesParams[C];

/** Options of `buildRequest`. */
export interface RequestOptions<E extends Endpoint = Endpoint> {
  /** Default `"phones"`. */
  endpoint?: E;
  /** The `fmt` to ask for; default 3 (JSON). Decode the answer with the same fmt. */
  fmt?: Fmt;
  /** Credentials; none when absent. */
  auth?: Auth;
}

/** The path of an endpoint. */
export type EndpointPath<E extends Endpoint> = E extends "mails" ? "/sys/mails.php" : "/sys/phones.php";

/** A request ready for any HTTP client. */
export interface BuiltRequest<E extends Endpoint = Endpoint> {
  /** `/sys/phones.php` or `/sys/mails.php`. */
  path: EndpointPath<E>;
  /** `application/x-www-form-urlencoded` pairs: GET `https://<host>${path}?${query}`. */
  query: string;
  /** The same pairs as a POST body (use POST when the URL would pass 2000 characters). */
  body: string;
  /** The `Content-Type` of `body`. */
  contentType: "application/x-www-form-urlencoded";
}

/** Why a request was refused. */
export type BuildErrorKind =
  /** A required parameter (or credential) is missing or empty. */
  | "empty"
  /** One group id, `num`, `cnt`, `afterId` or `prevId` that is not digits. */
  | "notNumeric"
  /** A contact's `grp` that is not ids separated by commas (`"1,2"`, no spaces). */
  | "invalidIdList"
  /** `cnt` above 1000. */
  | "countTooLarge"
  /** A `type` or `mode` the command does not accept. */
  | "invalidType"
  /** `bd` is not a `dd.mm.yyyy` date. */
  | "invalidDate"
  /** `pswMd5` is not 32 hexadecimal digits. */
  | "invalidDigest"
  /** `phone` on mails.php, `mail` on phones.php... */
  | "wrongEndpoint"
  /** The command takes no such parameter. */
  | "unknownParam"
  /** Not produced by this binding (requests are written into a growing string). */
  | "bufferTooSmall"
  /** Not produced by this binding (its string does not fail). */
  | "writeFailed"
  /** A kind added by a later version of the core. */
  | "other";

/** A request that the server would reject, refused before anything is written. */
export interface BuildError {
  kind: BuildErrorKind;
  /** The parameter at fault, as the key of `params` (or `login`, `psw`, `pswMd5`, `apiKey`). */
  param: string;
  /** The rule that failed, a phrase that follows the parameter's name ("must be at most 1000"). */
  message: string;
}

/**
 * Validates the parameters of a command and writes its query (and form body). Every value is
 * percent-encoded; `fmt` and `charset=utf-8` are always added.
 *
 * Throws a `TypeError` only for invalid arguments (an unknown command, `params` not an object, a
 * value that is not a string, number or array of them, a malformed `auth`).
 */
export function buildRequest<C extends Command, E extends Endpoint = "phones">(
  command: C,
  params: Params<C, E>,
  options?: RequestOptions<E>,
): Result<BuiltRequest<E>, BuildError>;

// ---------------------------------------------------------------------------------------------
// Decoding a response

/**
 * How numeric fields come out: `"number"` (the default) gives a number when the text is a
 * decimal integer without leading zeros up to `Number.MAX_SAFE_INTEGER` (2^53 - 1), and the
 * exact text otherwise (a larger id, an empty value); `"string"` always gives the text.
 */
export type Ids = "number" | "string";

/** A numeric field (group `id`/`number`/`cnt`, blacklist `id`/`type`, a created `id`). */
export type Num<I extends Ids = "number"> = I extends "string" ? string : number | string;

/** Options of `decode`. */
export interface DecodeOptions<E extends Endpoint = Endpoint, I extends Ids = Ids> {
  /** The fmt the request asked for; default 3. */
  fmt?: Fmt;
  /** Default `"phones"`. */
  endpoint?: E;
  /** Default `"number"`. */
  ids?: I;
  /**
   * Also give each list record the fields this version does not know (`int_id`, which paging
   * by `after_id` needs; a newer server's additions) as `extra`: names as in the body, values
   * unescaped text (a nested structure as its raw text). Default `false`.
   */
  extra?: boolean;
}

/** The fields of a list record this version does not know, with `extra: true`. */
export type Extra = Record<string, string>;

/** The fields every contact may have. Absent fields are absent keys; values are unescaped. */
interface ContactCommon {
  name?: string;
  /** The group id; `"0"` for none; sometimes a list (`"5922,6011"`), so always a string. */
  group?: string;
  firstName?: string;
  lastName?: string;
  middleName?: string;
  /** `dd.mm.yyyy`. */
  birthday?: string;
  /** Your own id (`myid`), free text, so always a string. */
  id?: string;
  comments?: string;
  tags?: string;
  /** With `extra: true`. */
  extra?: Extra;
}

/** A contact of phones.php (`get`). */
export interface PhoneContact extends ContactCommon {
  phone?: string;
  phoneOther?: string;
}

/** A contact of mails.php (`get`). */
export interface MailContact extends ContactCommon {
  mail?: string;
  mailOther?: string;
}

/** A group (`get_group`). */
export interface Group<I extends Ids = "number"> {
  id?: Num<I>;
  name?: string;
  /** Absent when the group has no number (empty text in fmt 0 and 1). */
  number?: Num<I>;
  /** The number of contacts; older servers do not send it. */
  cnt?: Num<I>;
  /** With `extra: true`. */
  extra?: Extra;
}

/** A blacklist record of phones.php (`get_black`). */
export interface PhoneBlackRecord<I extends Ids = "number"> {
  id?: Num<I>;
  phone?: string;
  /** 0 all messages, 1 mass mailings, 2 single messages. */
  type?: Num<I>;
  comment?: string;
  /** With `extra: true`. */
  extra?: Extra;
}

/** A blacklist record of mails.php (`get_black`). */
export interface MailBlackRecord<I extends Ids = "number"> {
  id?: Num<I>;
  email?: string;
  type?: Num<I>;
  comment?: string;
  /** With `extra: true`. */
  extra?: Extra;
}

/** The answer to `add`, `add_group` and `add_black`. */
export interface Created<I extends Ids = "number"> {
  id: Num<I>;
}

/** The answer to the change and delete commands. */
export interface Done {
  result: "OK";
}

/** What a command's answer decodes to. An empty list is error 3 on the real server. */
export type Decoded<C extends Command, E extends Endpoint = "phones", I extends Ids = "number"> =
  C extends "get"
    ? (E extends "mails" ? MailContact : PhoneContact)[]
    : C extends "get_group"
      ? Group<I>[]
      : C extends "get_black"
        ? (E extends "mails" ? MailBlackRecord<I> : PhoneBlackRecord<I>)[]
        : C extends "add" | "add_group" | "add_black"
          ? Created<I>
          : Done;

/** The server answered an error (HTTP 200, the error in the body), in any fmt. */
export interface ApiError {
  kind: "api";
  /** 1 parameters, 2 auth, 3 not found (also an empty list), 4 IP blocked, 5 failed, 9 rate limit. */
  code: number;
  /** The server's description, or a short English one when the body has none (fmt 1). */
  message: string;
  /** The server's description, when the body carries one. */
  description?: string;
  /** Whether the same request can succeed later: codes 4 and 9. */
  retryable: boolean;
}

/** Why a body is malformed. */
export type MalformedReason =
  | "unexpectedEnd"
  | "unexpectedByte"
  | "invalidUtf8"
  | "invalidEscape"
  | "loneSurrogate"
  | "invalidCharRef"
  | "mismatchedTag"
  | "notAScalar"
  | "notKeyValue"
  | "ambiguousLine"
  | "fieldMismatch"
  | "unexpectedShape"
  | "trailingData"
  | "invalidErrorCode"
  | "depthLimit"
  | "recordTooLong"
  | "tooManyFields"
  | "valueTooLong"
  /** A reason added by a later version of the core. */
  | "other";

/** The body cannot be decoded: truncated, mis-escaped, ambiguous... */
export interface MalformedError {
  kind: "malformed";
  reason: MalformedReason;
  /** Byte offset in the body (in its UTF-8 encoding when the body was a string). */
  offset: number;
  /** A short English description. */
  message: string;
}

/** Why decoding failed. */
export type DecodeError = ApiError | MalformedError;

/**
 * Decodes a response body for a command and fmt into plain objects: the same records whatever
 * the fmt. Keys are camelCase field names; every value is the field's unescaped text, except
 * the numeric fields described at {@link Ids}.
 *
 * Never throws for a body; throws a `TypeError` only for invalid arguments (an unknown command,
 * a fmt other than 0-3, a body that is neither a string nor a `Uint8Array`).
 */
export function decode<C extends Command, E extends Endpoint = "phones", I extends Ids = "number">(
  command: C,
  body: string | Uint8Array,
  options?: DecodeOptions<E, I>,
): Result<Decoded<C, E, I>, DecodeError>;

/** The commands that answer a list: what `decodeStream` takes. */
export type ListCommand = "get" | "get_group" | "get_black";

/** A chunked body: a `fetch` response's `body`, or any async iterable of byte chunks. */
export type ByteStream = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Decodes a list body as it arrives, record by record: each record is yielded as
 * `{ ok: true, value }` as soon as its last byte is in, whatever the chunks (a chunk may end
 * inside a character, an escape or a tag). An API error or a malformed body is one
 * `{ ok: false, error }`, yielded last, after the records before it. Memory is bounded by the
 * largest record (at most 64 KiB) and the largest chunk, not by the body.
 *
 * Throws a `TypeError` only for invalid arguments (a command that does not answer a list,
 * invalid options, a body that is not a stream, a chunk that is not a `Uint8Array`).
 *
 * ```ts
 * const response = await fetch(url);
 * for await (const item of decodeStream("get", response.body!, { fmt: 3 })) {
 *   if (!item.ok) throw new Error(item.error.message);
 *   console.log(item.value.phone);
 * }
 * ```
 */
export function decodeStream<C extends ListCommand, E extends Endpoint = "phones", I extends Ids = "number">(
  command: C,
  body: ByteStream,
  options?: DecodeOptions<E, I>,
): AsyncGenerator<Result<Decoded<C, E, I>[number], DecodeError>, void, undefined>;

// ---------------------------------------------------------------------------------------------
// Paging and politeness (as the Rust `client` module)

/** The most records one list request may ask for (`cnt`). */
export const MAX_PAGE: 1000;
/** The server's window for identical requests, in milliseconds. */
export const IDENTICAL_WINDOW_MS: 60000;
/** Identical requests the server accepts within the window. */
export const MAX_IDENTICAL: 3;
/** Concurrent requests under one login the server accepts (15 or more are refused). */
export const MAX_CONCURRENT: 14;

/** What the rate guard says: send now (then call `finished()`), wait until a time, or wait for a request in flight. */
export type Admission = { go: true } | { waitUntil: number } | { tooMany: true };

/** Keeps a client under the documented limits: three identical requests a minute, fewer than fifteen at once. */
export class RateGuard {
  /** Requests admitted and not yet finished. */
  readonly inFlight: number;
  /** Whether the request `key` (its path and query) may go at `nowMs`; records it when it may. */
  admit(key: string, nowMs: number): Admission;
  /** A request admitted earlier has completed (answered or failed). */
  finished(): void;
}

/** When to retry, with exponential backoff. */
export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** The first backoff, doubled on each retry. */
  baseDelayMs: number;
  /** The longest backoff. */
  maxDelayMs: number;
}

/** 4 retries, from 1 s up to 60 s. */
export const DEFAULT_RETRY: Readonly<RetryPolicy>;

/** The wait in ms after an API error on retry `attempt` (0 first): 4 backs off, 9 waits out the minute; `undefined` gives up. */
export function retryAfterApiError(error: { code: number }, attempt: number, policy?: RetryPolicy): number | undefined;

/** The wait in ms after a transport failure on retry `attempt`, or `undefined` to give up. */
export function retryAfterTransportFailure(attempt: number, policy?: RetryPolicy): number | undefined;

/** The origin for attempt `attempt`: the main host, then `www2.` to `www5.` (none for an address or localhost). */
export function hostForAttempt(base: string, attempt: number): string;

/** The commands `pageThrough` walks: `get` by `afterId`, `get_black` by `prevId`, `get_group` in one request. */
export type PagedCommand = ListCommand;

/** A `fetch`-like function: the global `fetch`, a Worker's, or a test's. */
export type FetchLike = (input: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<Response>;

/** Options of `pageThrough`. */
export interface PageOptions<E extends Endpoint = Endpoint, I extends Ids = Ids> {
  /** How requests are sent. */
  fetch: FetchLike;
  /** The SMSC host as an origin; default `"https://smsc.ua"`. Its `www2.`-`www5.` backups take transport failures. */
  host?: string;
  auth?: Auth;
  endpoint?: E;
  /** Default 3. */
  fmt?: Fmt;
  ids?: I;
  /** Records per request; default and most 1000. */
  pageSize?: number;
  /** A guard shared between walks; default one of its own. */
  guard?: RateGuard;
  /** Default `DEFAULT_RETRY`. */
  retry?: RetryPolicy;
  /** The time in ms; default `Date.now`. */
  now?: () => number;
  /** How to wait; default `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
}

/** Why a walk stopped early, besides an API error or a malformed page. */
export type PagingError =
  /** Every retry of a request failed in transport (no connection, a timeout, an HTTP error status). */
  | { kind: "transport"; message: string }
  /** A contact without `int_id`: the server cannot be paged by `afterId`. */
  | { kind: "paging"; message: string };

/**
 * Walks a whole list page by page (`cnt`, then `afterId` from the last contact's `int_id` or
 * `prevId` from the last blacklist entry's `id`), error 3 as the end, every request through the
 * rate guard and retried by the policy. Yields `{ ok: true, value: record }` per record and, if
 * it must stop, one `{ ok: false, error }` last. Contacts carry `extra` (it holds `int_id`).
 *
 * Throws a `TypeError` only for invalid arguments (no `fetch`, a command that is not a list,
 * `params` the command refuses).
 */
export function pageThrough<C extends PagedCommand, E extends Endpoint = "phones", I extends Ids = "number">(
  command: C,
  params: Params<C, E>,
  options: PageOptions<E, I>,
): AsyncGenerator<Result<Decoded<C, E, I>[number], DecodeError | PagingError>, void, undefined>;

// ---------------------------------------------------------------------------------------------
// Loading the WebAssembly module

/** What `init` accepts: a URL or response of the .wasm, its bytes, or a compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the module; needed once in browsers before any other call (by default it fetches
 * `pkg/smsc_codec_wasm_bg.wasm` next to the package). In Node, Deno and workerd the module is
 * loaded on import and this resolves at once.
 */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;
export { init };

/** Loads the module synchronously from bytes or a compiled `WebAssembly.Module`. */
export function initSync(input: { module: BufferSource | WebAssembly.Module } | BufferSource | WebAssembly.Module): unknown;
