// Type-checked by `tsc --noEmit` (scripts/wasm.sh), never run: how the package reads from
// TypeScript, and what the types refuse. It imports the package by its name, through the
// `exports` map, as a user would.
import init, {
  buildRequest,
  decode,
  decodeStream,
  initSync,
  pageThrough,
  RateGuard,
  retryAfterApiError,
  DEFAULT_RETRY,
  MAX_PAGE,
} from "smsc-codec-wasm";
import type {
  ApiError,
  BuildError,
  BuiltRequest,
  DecodeError,
  Extra,
  Group,
  MailContact,
  PhoneBlackRecord,
  PhoneContact,
  Result,
} from "smsc-codec-wasm";

export async function browserFlow(host: string): Promise<PhoneContact[]> {
  await init();
  const request = buildRequest("get", { cnt: 100, grp: [5922, 6011] }, { auth: { login: "l", psw: "p" } });
  if (!request.ok) throw new Error(`${request.error.param}: ${request.error.message}`);
  const path: "/sys/phones.php" = request.value.path;
  const response = await fetch(`https://${host}${path}?${request.value.query}`);
  const decoded = decode("get", await response.text());
  if (decoded.ok) return decoded.value;
  const error: DecodeError = decoded.error;
  if (error.kind === "api") {
    const retry: boolean = error.retryable;
    const code: number = error.code;
    if (code === 3 && !retry) return []; // the server's "empty list"
    throw new Error(error.message);
  }
  throw new Error(`malformed at byte ${error.offset}: ${error.reason}`);
}

export function post(host: string): Promise<Response> {
  const built = buildRequest("add", { phone: "+79999999999", name: "Іван", bd: "01.02.1990" }, {
    auth: { apiKey: "key" },
    fmt: 3,
  });
  if (!built.ok) return Promise.reject(new Error(built.error.kind));
  const request: BuiltRequest<"phones"> = built.value;
  return fetch(`https://${host}${request.path}`, {
    method: "POST",
    headers: { "content-type": request.contentType },
    body: request.body,
  });
}

export function mails(body: Uint8Array): string | undefined {
  const built = buildRequest("chg", { mail: "a@example.com", newMail: "b@example.com" }, { endpoint: "mails" });
  if (built.ok) {
    const path: "/sys/mails.php" = built.value.path;
    void path;
  }
  const decoded = decode("get", body, { endpoint: "mails", fmt: 2 });
  if (!decoded.ok) return undefined;
  const first: MailContact | undefined = decoded.value[0];
  return first?.mailOther ?? first?.mail;
}

export function numbers(body: string): number | string | undefined {
  const groups = decode("get_group", body, { fmt: 0 });
  const created = decode("add_group", "ID = 5924", { fmt: 0 });
  if (created.ok) {
    const id: number | string = created.value.id;
    void id;
  }
  const asText = decode("get_black", body, { ids: "string" });
  if (asText.ok) {
    const record: PhoneBlackRecord<"string"> | undefined = asText.value[0];
    const id: string | undefined = record?.id;
    void id;
  }
  const done = decode("del", "OK", { fmt: 1 });
  if (done.ok) {
    const ok: "OK" = done.value.result;
    void ok;
  }
  if (!groups.ok) return undefined;
  const group: Group | undefined = groups.value[0];
  return group?.id;
}

export function errors(): void {
  const refused: Result<BuiltRequest, BuildError> = buildRequest("get", { cnt: 5000 });
  if (!refused.ok && refused.error.kind === "countTooLarge") {
    const param: string = refused.error.param;
    void param;
  }
  const err = decode("add", "0,-2", { fmt: 1 });
  if (!err.ok && err.error.kind === "api") {
    const api: ApiError = err.error;
    const description: string | undefined = api.description;
    void description;
  }
  initSync({ module: new Uint8Array(8) });
}

export async function streaming(body: ReadableStream<Uint8Array>): Promise<number> {
  let ids = 0;
  for await (const item of decodeStream("get_group", body, { fmt: 2, extra: true })) {
    if (!item.ok) {
      const error: DecodeError = item.error;
      throw new Error(error.message);
    }
    const group: Group = item.value;
    const extra: Extra | undefined = group.extra;
    void extra;
    if (typeof group.id === "number") ids += group.id;
  }
  return ids;
}

export async function paging(host: string): Promise<number> {
  const guard = new RateGuard();
  let phones = 0;
  for await (const item of pageThrough("get", { grp: 5922 }, { fetch, host, auth: { apiKey: "k" }, guard, pageSize: 500 })) {
    if (!item.ok) {
      const message: string = item.error.message;
      throw new Error(message);
    }
    const contact: PhoneContact = item.value;
    if (contact.phone) phones++;
  }
  const wait: number | undefined = retryAfterApiError({ code: 9 }, 0, DEFAULT_RETRY);
  return phones + (wait ?? 0) + MAX_PAGE;
}

export function refusedByTypes(): void {
  // @ts-expect-error: pageThrough needs a fetch
  void pageThrough("get", {}, {});
  // @ts-expect-error: add is not a list
  void pageThrough("add", { phone: "1" }, { fetch });
  // @ts-expect-error: decodeStream takes only the list commands
  void decodeStream("add", new ReadableStream<Uint8Array>());
  // @ts-expect-error: a stream, not a string
  void decodeStream("get", "[]");
  // @ts-expect-error: `phone` is required by `add`
  buildRequest("add", { name: "x" });
  // @ts-expect-error: phones.php takes `phone`, not `mail`
  buildRequest("del", { mail: "a@example.com" });
  // @ts-expect-error: mails.php takes `mail`, not `phone`
  buildRequest("del", { phone: "1" }, { endpoint: "mails" });
  // @ts-expect-error: `del` takes no `name`
  buildRequest("del", { phone: "1", name: "x" });
  // @ts-expect-error: a group type is 0 or 1
  buildRequest("add_group", { name: "x", type: 2 });
  // @ts-expect-error: unknown command
  buildRequest("send", {});
  // @ts-expect-error: fmt is 0..3
  decode("get", "", { fmt: 4 });
  // @ts-expect-error: a body is a string or a Uint8Array
  decode("get", 42);
  const contacts = decode("get", "");
  // @ts-expect-error: phones.php contacts have no `mail`
  if (contacts.ok) void contacts.value[0]?.mail;
}
