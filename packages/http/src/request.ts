// Message layer of @toro/http: `Request`, what a handler receives — method, target, headers and a
// body streamed as an async iterable of bytes (pulled from the connection, so a handler that reads
// slowly slows the client down). Imports only sibling message helpers and @toro/kernel's UTF-8 encoder.
import { encodeUtf8 } from "@toro/kernel";
import { fromUtf8 } from "./ascii.js";
import { collectBytes, emptyBody } from "./body.js";
import { Headers, type HeadersInit } from "./headers.js";

/**
 * What a {@link Request} is made of (the server builds them; tests and handlers may too).
 *
 * @example
 * ```ts
 * const init: RequestInit = { headers: { host: "example" }, body: "name=toro" };
 * ```
 */
export interface RequestInit {
  /** Header fields. */
  readonly headers?: HeadersInit;
  /** The body: bytes, text (sent as UTF-8) or a stream of chunks. */
  readonly body?: Uint8Array | string | AsyncIterable<Uint8Array>;
  /** `"1.0"` or `"1.1"` (default). */
  readonly httpVersion?: "1.0" | "1.1";
}

/**
 * An HTTP request as a handler sees it. `url` is the request-target exactly as sent (like
 * `node:http`'s `req.url`), `path` and `query` are its parts, still percent-encoded.
 *
 * @example
 * ```ts
 * const handler = async (req: Request) => new Response(`you sent ${(await req.bytes()).length} bytes to ${req.path}`);
 * ```
 */
export class Request {
  /** The method, case-sensitive (`GET`, `HEAD`, `POST`, ...; RFC 9110 §9). */
  readonly method: string;
  /** The request-target as sent: `/a/b?c=d`, `http://host/a`, `*` (RFC 9112 §3.2). */
  readonly url: string;
  /** The target's path, percent-encoded, always starting with `/` (or `*`). */
  readonly path: string;
  /** The target's query without `?`, or `""`. */
  readonly query: string;
  /** The protocol version the client used. */
  readonly httpVersion: "1.0" | "1.1";
  /** Header fields. */
  readonly headers: Headers;
  /** The body, read once; empty when the request has none. */
  readonly body: AsyncIterable<Uint8Array>;

  /**
   * Creates a request.
   *
   * @param method - the method token
   * @param url - the request-target (origin-form `/path?query`, absolute-form or `*`)
   * @param init - headers, body and version
   * @example
   * ```ts
   * const req = new Request("GET", "/index.html", { headers: { host: "localhost" } });
   * ```
   */
  constructor(method: string, url: string, init: RequestInit = {}) {
    this.method = method;
    this.url = url;
    const [path, query] = splitTarget(url);
    this.path = path;
    this.query = query;
    this.httpVersion = init.httpVersion ?? "1.1";
    this.headers = new Headers(init.headers);
    const b = init.body;
    this.body = b === undefined ? emptyBody : typeof b === "string" ? once(encodeUtf8(b)) : b instanceof Uint8Array ? once(b) : b;
  }

  /**
   * Reads the whole body.
   *
   * @returns the body's bytes
   * @throws the connection's error when the body is malformed, too large (413) or cut short
   * @example
   * ```ts
   * const data = await request.bytes();
   * ```
   */
  bytes(): Promise<Uint8Array> {
    return collectBytes(this.body);
  }

  /**
   * Reads the whole body as UTF-8 text.
   *
   * @returns the text
   * @example
   * ```ts
   * const form = await request.text();
   * ```
   */
  async text(): Promise<string> {
    return fromUtf8(await this.bytes());
  }

  /**
   * Reads the whole body as JSON.
   *
   * @returns the parsed value
   * @throws SyntaxError when the body is not JSON
   * @example
   * ```ts
   * const { name } = (await request.json()) as { name: string };
   * ```
   */
  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
}

function once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      if (bytes.length > 0) yield bytes;
    },
  };
}

// RFC 9112 §3.2: origin-form, absolute-form (path taken after the authority), asterisk-form.
function splitTarget(target: string): [string, string] {
  let rest = target;
  const abs = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(target);
  if (abs) rest = target.slice(abs[0].length);
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf("?");
  let path = q >= 0 ? rest.slice(0, q) : rest;
  const query = q >= 0 ? rest.slice(q + 1) : "";
  if (path === "" || (path[0] !== "/" && path !== "*")) path = `/${path}`;
  return [path, query];
}
