// Connection layer of @toro/http: serialises a Response onto a byte stream (RFC 9112 §4 status line,
// §6 framing, §7.1 chunked) — Content-Length when known, chunked when not (close-delimited for 1.0
// clients), no body for HEAD, 1xx, 204 and 304 (RFC 9110 §6.4.1) — pulling stream bodies one chunk at
// a time and awaiting the transport's backpressure between chunks. Imports only sibling modules and
// @toro/kernel's UTF-8 encoder.
import { encodeUtf8 } from "@toro/kernel";
import { latin1Bytes } from "./ascii.js";
import { Headers } from "./headers.js";
import type { Response } from "./response.js";
import { reasonPhrase } from "./status.js";
import type { ByteStream } from "./transport.js";

/** @internal How the response relates to its request and connection. */
export interface WriteContext {
  /** The request was HEAD: headers as for GET, no body. */
  readonly head: boolean;
  /** The request's minor version (decides chunked vs close-delimited). */
  readonly minorVersion: 0 | 1;
  /** Whether the connection stays open after this response. */
  readonly keepAlive: boolean;
  /** The Date header's value, if the server has a clock. */
  readonly date: string | undefined;
}

/**
 * @internal The outcome: `"ok"` (framing intact; the connection may persist if `keepAlive`),
 * `"close"` (must close after this response), `"abort"` (the framing was broken mid-body: destroy).
 */
export type WriteOutcome = "ok" | "close" | "abort";

const CRLF = latin1Bytes("\r\n");
const LAST_CHUNK = latin1Bytes("0\r\n\r\n");
/** Below this a body is sent in the same write as the head. */
const COALESCE_BYTES = 16 * 1024;

/** @internal Writes `res` to `stream`. Rejects only when the stream fails (the peer went away). */
export async function writeResponse(stream: ByteStream, res: Response, ctx: WriteContext): Promise<WriteOutcome> {
  let streamFailed = false;
  const write = async (bytes: Uint8Array): Promise<void> => {
    try {
      await stream.write(bytes);
    } catch (error) {
      streamFailed = true;
      throw error;
    }
  };
  const headers = new Headers(res.headers);
  // Hop-by-hop framing fields are the server's business (RFC 9112 §6.1, §9.6).
  headers.delete("transfer-encoding");
  headers.delete("connection");
  headers.delete("keep-alive");
  const status = res.status;
  const bodyless = status === 204 || status === 304;
  let body = res.body;
  let keepAlive = ctx.keepAlive;
  let mode: "none" | "fixed" | "chunked" | "until-close" = "none";
  let length = 0;
  if (body instanceof Uint8Array) {
    length = body.length;
    mode = "fixed";
    if (status !== 204) headers.set("Content-Length", String(length));
  } else if (body !== null) {
    const declared = headers.get("content-length");
    if (declared !== null && /^[0-9]{1,15}$/.test(declared)) {
      mode = "fixed";
      length = Number(declared);
    } else {
      headers.delete("content-length");
      if (ctx.minorVersion === 1) {
        mode = "chunked";
        if (!bodyless) headers.set("Transfer-Encoding", "chunked");
      } else {
        mode = "until-close"; // RFC 9112 §6.3 rule 8: a 1.0 client reads to the close
        keepAlive = false;
      }
    }
  } else if (!bodyless && !headers.has("content-length")) {
    headers.set("Content-Length", "0");
  }
  if (status === 204) headers.delete("content-length"); // RFC 9110 §8.6
  if (ctx.date !== undefined && !headers.has("date")) headers.set("Date", ctx.date);
  if (!keepAlive) headers.set("Connection", "close");
  else if (ctx.minorVersion === 0) headers.set("Connection", "keep-alive");

  let text = `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n`;
  for (const [n, v] of headers) text += `${n}: ${v}\r\n`;
  const head = latin1Bytes(`${text}\r\n`);
  const outcome: WriteOutcome = keepAlive ? "ok" : "close";

  if (ctx.head || bodyless || body === null || mode === "none") {
    await write(head);
    return outcome;
  }
  if (body instanceof Uint8Array) {
    if (body.length <= COALESCE_BYTES) {
      const one = new Uint8Array(head.length + body.length);
      one.set(head);
      one.set(body, head.length);
      await write(one);
    } else {
      await write(head);
      await write(body);
    }
    return outcome;
  }
  await write(head);
  let sent = 0;
  const chunks: AsyncIterable<Uint8Array> = body;
  body = null;
  try {
    for await (const raw of chunks) {
      const chunk = raw instanceof Uint8Array ? raw : encodeUtf8(String(raw));
      if (chunk.length === 0) continue;
      if (mode === "fixed" && sent + chunk.length > length) {
        // The handler promised fewer bytes than it produced: the framing cannot be kept.
        await write(chunk.subarray(0, length - sent));
        return "abort";
      }
      sent += chunk.length;
      if (mode === "chunked") {
        await write(latin1Bytes(`${chunk.length.toString(16)}\r\n`));
        await write(chunk);
        await write(CRLF);
      } else {
        await write(chunk);
      }
    }
  } catch (error) {
    // A failing body after the head was sent: only closing the connection tells the client.
    if (streamFailed) throw error;
    return "abort";
  }
  if (mode === "fixed" && sent !== length) return "abort";
  if (mode === "chunked") await write(LAST_CHUNK);
  return mode === "until-close" ? "close" : outcome;
}
