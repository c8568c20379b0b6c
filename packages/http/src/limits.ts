// Configuration layer of @toro/http: the bounds every connection enforces on outside input, and
// their defaults. Types and constants only; imports nothing.

/**
 * Bounds on what a client may send. Each is answered with its own status: a request line longer
 * than `maxRequestLineBytes` gets 414, a header section over `maxHeaderBytes` or with more than
 * `maxHeaderCount` fields gets 431, a body over `maxBodyBytes` gets 413 (RFC 9110 §15.5).
 *
 * @example
 * ```ts
 * const limits: HttpLimits = { ...defaultLimits, maxBodyBytes: 64 * 1024 };
 * ```
 */
export interface HttpLimits {
  /** Request line, without its CRLF (default 8 KiB). */
  readonly maxRequestLineBytes: number;
  /** All header lines together, with their CRLFs (default 16 KiB). */
  readonly maxHeaderBytes: number;
  /** Header fields per request (default 100). */
  readonly maxHeaderCount: number;
  /** Request body, after removing chunked framing (default 1 MiB). */
  readonly maxBodyBytes: number;
  /** A chunk-size line with its extensions, and the chunked trailer section (default 4 KiB). */
  readonly maxChunkLineBytes: number;
}

/**
 * The default limits (the same order of magnitude as Node's and nginx's).
 *
 * @example
 * ```ts
 * createServer(handler, { limits: { ...defaultLimits, maxBodyBytes: 10 << 20 } });
 * ```
 */
export const defaultLimits: HttpLimits = {
  maxRequestLineBytes: 8 * 1024,
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 100,
  maxBodyBytes: 1024 * 1024,
  maxChunkLineBytes: 4 * 1024,
};
