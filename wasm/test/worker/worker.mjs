// A Cloudflare module worker that imports the package by its name: POST a response body to
// /decode?command=get&fmt=3[&endpoint=mails] and it answers decode()'s result as JSON; POST a
// JSON `{ command, params, options }` to /request and it answers buildRequest()'s result; POST a
// list body to /stream?command=get&fmt=3 and it streams the request body through
// decodeStream(), answering one JSON line per record (or the error), as they are decoded.
import { buildRequest, decode, decodeStream } from "smsc-codec-wasm";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method !== "POST") return new Response("POST only", { status: 405 });
    if (url.pathname === "/decode") {
      const command = url.searchParams.get("command") ?? "";
      const fmt = Number(url.searchParams.get("fmt") ?? "3");
      const endpoint = url.searchParams.get("endpoint") ?? "phones";
      const ids = url.searchParams.get("ids") ?? "number";
      const body = new Uint8Array(await request.arrayBuffer());
      try {
        return Response.json(decode(command, body, { fmt, endpoint, ids }));
      } catch (err) {
        return Response.json({ thrown: String(err) }, { status: 400 });
      }
    }
    if (url.pathname === "/stream") {
      const command = url.searchParams.get("command") ?? "";
      const fmt = Number(url.searchParams.get("fmt") ?? "3");
      const endpoint = url.searchParams.get("endpoint") ?? "phones";
      const encoder = new TextEncoder();
      const items = decodeStream(command, request.body, { fmt, endpoint });
      // Records go out as they come in: the worker holds one record, not the body.
      const lines = new ReadableStream({
        async pull(controller) {
          const { done, value } = await items.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(JSON.stringify(value) + "\n"));
        },
      });
      return new Response(lines, { headers: { "content-type": "application/x-ndjson" } });
    }
    if (url.pathname === "/request") {
      const { command, params, options } = await request.json();
      return Response.json(buildRequest(command, params, options));
    }
    return new Response("not found", { status: 404 });
  },
};
