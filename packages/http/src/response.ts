// Message layer of @toro/http: `Response`, what a handler returns — status, headers and a body that
// is bytes, text or a stream (an async iterable of byte chunks, pulled only as fast as the client
// reads: a 100 MB file never sits in memory). Imports only sibling message helpers and @toro/kernel's
// error base and UTF-8 encoder.
import { encodeUtf8, ToroError } from "@toro/kernel";
import { fromUtf8 } from "./ascii.js";
import { collectBytes } from "./body.js";
import { Headers, type HeadersInit } from "./headers.js";

/**
 * What a response body can be: bytes, text (sent as UTF-8), a stream of chunks, or nothing.
 *
 * @example
 * ```ts
 * async function* numbers(): AsyncIterable<Uint8Array> { yield new TextEncoder().encode("1\n"); }
 * const body: ResponseBody = numbers();
 * ```
 */
export type ResponseBody = Uint8Array | string | AsyncIterable<Uint8Array> | null;

/**
 * Status and headers of a {@link Response}.
 *
 * @example
 * ```ts
 * const init: ResponseInit = { status: 404, headers: { "Content-Type": "text/plain" } };
 * ```
 */
export interface ResponseInit {
  /** Status code, 200..599 (default 200). */
  readonly status?: number;
  /** Header fields. */
  readonly headers?: HeadersInit;
}

/**
 * An HTTP response, shaped like the fetch API's. A stream body is sent with the `Content-Length`
 * you set (and checked), or else chunked (RFC 9112 §7.1); bytes and text get a `Content-Length`.
 * `Date` and `Connection` are added by the server.
 *
 * @example
 * ```ts
 * new Response("not here\n", { status: 404 });
 * new Response(fileChunks(), { headers: { "Content-Type": "video/mp4", "Content-Length": String(size) } });
 * ```
 */
export class Response {
  /** The status code. */
  readonly status: number;
  /** Header fields. */
  readonly headers: Headers;
  /** The body: bytes, a stream, or `null`. Text was converted to UTF-8 bytes. */
  readonly body: Uint8Array | AsyncIterable<Uint8Array> | null;

  /**
   * Creates a response. A text body gets `Content-Type: text/plain; charset=utf-8` unless set.
   *
   * @param body - bytes, text, a stream of chunks, or `null`
   * @param init - status and headers
   * @throws ToroError `EINVAL` for a status outside 200..599 or an invalid header
   * @example
   * ```ts
   * new Response("hello\n");
   * ```
   */
  constructor(body: ResponseBody = null, init: ResponseInit = {}) {
    const status = init.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new ToroError("EINVAL", `invalid status ${status}`, { hint: "use 200..599 (1xx responses are sent by the server itself)" });
    }
    this.status = status;
    this.headers = new Headers(init.headers);
    if (typeof body === "string") {
      this.body = encodeUtf8(body);
      if (!this.headers.has("content-type")) this.headers.set("Content-Type", "text/plain; charset=utf-8");
    } else {
      this.body = body;
    }
  }

  /**
   * A JSON response (`Content-Type: application/json`).
   *
   * @param value - anything `JSON.stringify` accepts
   * @param init - status and headers
   * @returns the response
   * @example
   * ```ts
   * return Response.json({ ok: true }, { status: 201 });
   * ```
   */
  static json(value: unknown, init: ResponseInit = {}): Response {
    const r = new Response(encodeUtf8(JSON.stringify(value)), init);
    if (!r.headers.has("content-type")) r.headers.set("Content-Type", "application/json");
    return r;
  }

  /**
   * Reads the whole body (handy in tests of handlers).
   *
   * @returns the body's bytes (empty for `null`)
   * @example
   * ```ts
   * expect((await handler(req)).bytes()).resolves.toHaveLength(5);
   * ```
   */
  async bytes(): Promise<Uint8Array> {
    if (this.body === null) return new Uint8Array(0);
    if (this.body instanceof Uint8Array) return this.body;
    return collectBytes(this.body);
  }

  /**
   * Reads the whole body as UTF-8 text.
   *
   * @returns the text
   * @example
   * ```ts
   * const text = await response.text();
   * ```
   */
  async text(): Promise<string> {
    return fromUtf8(await this.bytes());
  }
}
