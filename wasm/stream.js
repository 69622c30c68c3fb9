// decodeStream: a list decoded record by record as its body arrives (a `fetch` body, any
// ReadableStream or AsyncIterable of Uint8Array chunks). Every entry point re-exports it; the
// module must be initialised first, as for `decode`.
import { ListStream } from "./pkg/smsc_codec_wasm.js";

/** The chunks of `body`: a ReadableStream through its reader (not every runtime can iterate one), else any async iterable. */
async function* chunksOf(body) {
  if (body && typeof body.getReader === "function") {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else if (body && typeof body[Symbol.asyncIterator] === "function") {
    yield* body;
  } else {
    throw new TypeError("smsc-codec: decodeStream takes a ReadableStream or an AsyncIterable of Uint8Array");
  }
}

/**
 * Decodes a list body as it arrives: yields `{ ok: true, value: record }` for each record as
 * soon as its last byte is in, and, when the body is an API error or malformed, one
 * `{ ok: false, error }` last. Only the bytes of the record in progress are kept.
 */
export async function* decodeStream(command, body, options) {
  const stream = new ListStream(command, options);
  try {
    let end;
    for await (const chunk of chunksOf(body)) {
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError("smsc-codec: decodeStream's chunks must be Uint8Array");
      }
      const batch = stream.push(chunk, false);
      for (const value of batch.records) yield { ok: true, value };
      if (batch.end) {
        end = batch.end;
        break;
      }
    }
    if (!end) {
      const batch = stream.push(new Uint8Array(0), true);
      for (const value of batch.records) yield { ok: true, value };
      end = batch.end;
    }
    if (end && !end.ok) yield end;
  } finally {
    stream.free();
  }
}
