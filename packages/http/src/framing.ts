// Parser layer of @toro/http: decides how a request's body is delimited and whether the connection
// persists, from its parsed head (RFC 9112 §6.3 message body length, §9.3 persistence; RFC 9110 §10.1.1
// Expect). Ambiguous framing is refused, never guessed (request smuggling). Pure; never throws.
// Imports only the byte helpers, the limits and the head type.
import { lowerAscii } from "./ascii.js";
import type { HttpLimits } from "./limits.js";
import type { RequestHead } from "./request-head.js";

/** How a request body is delimited (RFC 9112 §6.3). */
export type BodyFraming =
  | {
      /** No body. */
      readonly kind: "none";
    }
  | {
      /** Exactly `length` bytes follow (Content-Length). */
      readonly kind: "length";
      /** The body's length in bytes. */
      readonly length: number;
    }
  | {
      /** The chunked transfer coding. */
      readonly kind: "chunked";
    };

/**
 * What {@link requestFraming} decided.
 *
 * @example
 * ```ts
 * const f: Framing = requestFraming(head, defaultLimits);
 * if (!f.ok) console.log(f.status);
 * ```
 */
export type Framing =
  | {
      /** The request can be read. */
      readonly ok: true;
      /** How its body is delimited. */
      readonly body: BodyFraming;
      /** Whether the connection may persist after the response (RFC 9112 §9.3). */
      readonly keepAlive: boolean;
      /** The client waits for `100 Continue` before sending the body (RFC 9110 §10.1.1). */
      readonly expectContinue: boolean;
    }
  | {
      /** The request must be refused. */
      readonly ok: false;
      /** The status to answer with before closing. */
      readonly status: 400 | 413 | 417 | 501;
      /** What was wrong, for a human. */
      readonly reason: string;
    };

/**
 * Decides body framing, persistence and `Expect: 100-continue` for a request head.
 *
 * @param head - the parsed head
 * @param limits - `maxBodyBytes` turns a too-large Content-Length into 413
 * @returns the framing, or the status to answer (the connection closes after an error)
 * @example
 * ```ts
 * requestFraming({ method: "POST", target: "/", minorVersion: 1, fields: [["Host", "a"], ["Content-Length", "3"]] }, defaultLimits);
 * // { ok: true, body: { kind: "length", length: 3 }, keepAlive: true, expectContinue: false }
 * ```
 */
export function requestFraming(head: RequestHead, limits: HttpLimits): Framing {
  const te: string[] = [];
  const cl: string[] = [];
  const connection: string[] = [];
  const expect: string[] = [];
  let hosts = 0;
  for (const [name, value] of head.fields) {
    const n = lowerAscii(name);
    if (n === "transfer-encoding") te.push(...list(value));
    else if (n === "content-length") cl.push(...value.split(",").map((s) => s.trim()));
    else if (n === "connection") connection.push(...list(value));
    else if (n === "expect") expect.push(...list(value));
    else if (n === "host") hosts++;
  }
  // RFC 9112 §3.2: a 1.1 request without Host, or with more than one, gets 400.
  if (hosts > 1 || (hosts === 0 && head.minorVersion === 1)) return { ok: false, status: 400, reason: hosts > 1 ? "more than one Host" : "missing Host" };
  const keepAlive = head.minorVersion === 1 ? !connection.includes("close") : connection.includes("keep-alive") && !connection.includes("close");
  let expectContinue = false;
  for (const e of expect) {
    if (e === "100-continue") expectContinue = true;
    else return { ok: false, status: 417, reason: `unsupported expectation ${e}` }; // RFC 9110 §10.1.1
  }
  if (te.length > 0) {
    // RFC 9112 §6.1: Transfer-Encoding in 1.0 is faulty framing; with Content-Length too, we refuse.
    if (head.minorVersion === 0) return { ok: false, status: 400, reason: "Transfer-Encoding in an HTTP/1.0 request" };
    if (cl.length > 0) return { ok: false, status: 400, reason: "both Transfer-Encoding and Content-Length" };
    if (te.some((c) => c !== "chunked")) return { ok: false, status: 501, reason: `unsupported transfer coding ${te.join(", ")}` };
    if (te.length !== 1) return { ok: false, status: 400, reason: "chunked applied more than once" };
    return { ok: true, body: { kind: "chunked" }, keepAlive, expectContinue };
  }
  if (cl.length > 0) {
    // RFC 9110 §8.6: a list of identical values may be accepted as one; anything else is invalid.
    const first = cl[0]!;
    if (!/^[0-9]+$/.test(first) || cl.some((v) => v !== first)) return { ok: false, status: 400, reason: "invalid Content-Length" };
    const digits = first.replace(/^0+(?=.)/, "");
    if (digits.length > 15 || Number(digits) > limits.maxBodyBytes) return { ok: false, status: 413, reason: "body larger than the limit" };
    const length = Number(digits);
    return { ok: true, body: length === 0 ? { kind: "none" } : { kind: "length", length }, keepAlive, expectContinue };
  }
  return { ok: true, body: { kind: "none" }, keepAlive, expectContinue };
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((s) => lowerAscii(s.trim()))
    .filter((s) => s.length > 0);
}
