// Parser layer of @toro/http: the request line and header section of RFC 9112 §2-§5, from bytes.
// It parses outside input: it never throws, it returns a typed result — incomplete, a complete
// head, or the 4xx/5xx status to answer with. Pure; imports only the byte helpers and the limits.
import { isFieldValueByte, isTokenByte, latin1 } from "./ascii.js";
import type { HttpLimits } from "./limits.js";

/** A parsed request line and header section. */
export interface RequestHead {
  /** The method token, case-sensitive (RFC 9110 §9.1). */
  readonly method: string;
  /** The request-target as sent (RFC 9112 §3.2). */
  readonly target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1 (and higher 1.x, RFC 9110 §6.2). */
  readonly minorVersion: 0 | 1;
  /** Header fields in order, values with surrounding whitespace removed, Latin-1. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
}

/**
 * What {@link parseRequestHead} found.
 *
 * @example
 * ```ts
 * const r: HeadParse = parseRequestHead(bytes, defaultLimits);
 * if (r.kind === "error") console.log(r.status, r.reason);
 * ```
 */
export type HeadParse =
  | {
      /** More bytes are needed. */
      readonly kind: "incomplete";
    }
  | {
      /** A whole head was parsed. */
      readonly kind: "complete";
      /** The head. */
      readonly head: RequestHead;
      /** Bytes it took, including the empty line. */
      readonly length: number;
    }
  | {
      /** The input is malformed or over a limit. */
      readonly kind: "error";
      /** The status to answer with before closing. */
      readonly status: 400 | 414 | 431 | 505;
      /** What was wrong, for a human. */
      readonly reason: string;
    };

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HTAB = 0x09;
const INCOMPLETE: HeadParse = { kind: "incomplete" };

function error(status: 400 | 414 | 431 | 505, reason: string): HeadParse {
  return { kind: "error", status, reason };
}

/**
 * Parses a request head from the start of `buf`. Empty lines before the request line are skipped
 * (RFC 9112 §2.2); lines may end in CRLF or a bare LF, a bare CR is an error; obsolete line folding
 * is rejected with 400 (§5.2), whitespace before a field name's colon too (§5.1).
 *
 * @param buf - received bytes, starting at a message boundary
 * @param limits - the bounds to enforce
 * @returns incomplete (read more), the head and its length in bytes, or the status to answer
 * @example
 * ```ts
 * const r = parseRequestHead(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), defaultLimits);
 * // { kind: "complete", length: 27, head: { method: "GET", target: "/", minorVersion: 1, fields: [["Host", "a"]] } }
 * ```
 */
export function parseRequestHead(buf: Uint8Array, limits: HttpLimits): HeadParse {
  let start = 0;
  while (start < buf.length && (buf[start] === CR || buf[start] === LF)) start++;
  if (start > limits.maxRequestLineBytes) return error(400, "too many empty lines before the request line");
  const lineEnd = findLf(buf, start, start + limits.maxRequestLineBytes + 2);
  if (lineEnd < 0) return buf.length - start > limits.maxRequestLineBytes + 1 ? error(414, "request line too long") : INCOMPLETE;
  const contentEnd = buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
  if (contentEnd - start > limits.maxRequestLineBytes) return error(414, "request line too long");
  const line = parseRequestLine(buf, start, contentEnd);
  if (line.kind === "error") return line;

  const fields: Array<readonly [string, string]> = [];
  const headerStart = lineEnd + 1;
  let at = headerStart;
  for (;;) {
    const budget = headerStart + limits.maxHeaderBytes;
    const end = findLf(buf, at, budget);
    if (end < 0) return buf.length >= budget ? error(431, "header section too large") : INCOMPLETE;
    const stop = buf[end - 1] === CR && end - 1 >= at ? end - 1 : end;
    if (stop === at) return { kind: "complete", head: { ...line.value, fields }, length: end + 1 };
    if (fields.length >= limits.maxHeaderCount) return error(431, "too many header fields");
    const field = parseField(buf, at, stop);
    if (typeof field === "string") return error(400, field);
    fields.push(field);
    at = end + 1;
  }
}

function findLf(buf: Uint8Array, from: number, limit: number): number {
  const end = Math.min(buf.length, limit);
  for (let i = from; i < end; i++) if (buf[i] === LF) return i;
  return -1;
}

type LineResult = { kind: "ok"; value: Omit<RequestHead, "fields"> } | { kind: "error"; status: 400 | 505; reason: string };

// request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
function parseRequestLine(buf: Uint8Array, start: number, end: number): LineResult {
  const bad = (reason: string): LineResult => ({ kind: "error", status: 400, reason });
  let i = start;
  while (i < end && isTokenByte(buf[i]!)) i++;
  if (i === start || i >= end || buf[i] !== SP) return bad("malformed method");
  const method = latin1(buf, start, i);
  const t0 = ++i;
  // request-target: visible ASCII only (RFC 3986 characters; RFC 9112 §3.2).
  while (i < end && buf[i]! > SP && buf[i]! < 0x7f) i++;
  if (i === t0 || i >= end || buf[i] !== SP) return bad("malformed request target");
  const target = latin1(buf, t0, i);
  const version = latin1(buf, i + 1, end);
  const m = /^HTTP\/([0-9])\.([0-9])$/.exec(version);
  if (!m) return bad("malformed HTTP version");
  if (m[1] !== "1") return { kind: "error", status: 505, reason: `HTTP/${m[1]}.${m[2]} is not supported` };
  return { kind: "ok", value: { method, target, minorVersion: m[2] === "0" ? 0 : 1 } };
}

// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5)
function parseField(buf: Uint8Array, start: number, end: number): readonly [string, string] | string {
  const first = buf[start]!;
  if (first === SP || first === HTAB) return "obsolete line folding"; // RFC 9112 §5.2
  let i = start;
  while (i < end && isTokenByte(buf[i]!)) i++;
  if (i === start || i >= end || buf[i] !== 0x3a) return "malformed field name"; // includes "Name : v" (§5.1)
  const name = latin1(buf, start, i);
  let v0 = i + 1;
  let v1 = end;
  while (v0 < v1 && (buf[v0] === SP || buf[v0] === HTAB)) v0++;
  while (v1 > v0 && (buf[v1 - 1] === SP || buf[v1 - 1] === HTAB)) v1--;
  for (let k = v0; k < v1; k++) if (!isFieldValueByte(buf[k]!)) return `invalid byte in field ${name}`;
  return [name, latin1(buf, v0, v1)];
}
