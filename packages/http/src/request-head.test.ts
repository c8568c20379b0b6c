// The request parser (RFC 9112 §2-§5) on literal inputs and fast-check properties: it never throws,
// it always returns a typed result, and a well-formed head round-trips.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseChunkSize } from "./chunked.js";
import { requestFraming } from "./framing.js";
import { formatHttpDate, parseHttpDate } from "./http-date.js";
import { defaultLimits } from "./limits.js";
import { parseRequestHead } from "./request-head.js";

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const parse = (s: string) => parseRequestHead(bytes(s), defaultLimits);

describe("parseRequestHead", () => {
  it("parses a request line and fields, trimming OWS and skipping leading empty lines (§2.2)", () => {
    const text = "\r\nGET /a?b=c HTTP/1.1\r\nHost: example.org\r\nX-Empty:\r\nAccept:  text/html \t\r\n\r\nrest";
    expect(parse(text)).toEqual({
      kind: "complete",
      length: text.length - 4,
      head: { method: "GET", target: "/a?b=c", minorVersion: 1, fields: [["Host", "example.org"], ["X-Empty", ""], ["Accept", "text/html"]] },
    });
  });

  it("accepts bare LF line endings and HTTP/1.0, treats 1.x as 1.1", () => {
    expect(parse("GET / HTTP/1.0\nHost: a\n\n")).toMatchObject({ kind: "complete", head: { minorVersion: 0 } });
    expect(parse("GET / HTTP/1.7\r\nHost: a\r\n\r\n")).toMatchObject({ kind: "complete", head: { minorVersion: 1 } });
  });

  it("reports incomplete input as incomplete", () => {
    for (const s of ["", "GET", "GET / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: a\r\n", "GET / HTTP/1.1\r\nHost: a\r\n\r"]) expect(parse(s).kind).toBe("incomplete");
  });

  it("rejects malformed heads with 400, versions other than 1 with 505", () => {
    for (const s of ["GET  / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1 \r\n\r\n", "G(T / HTTP/1.1\r\n\r\n", "GET / HTTP/11\r\n\r\n", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "GET / HTTP/1.1\r\n: a\r\n\r\n", "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", "GET /\x7f HTTP/1.1\r\n\r\n"]) {
      expect(parse(s), JSON.stringify(s)).toMatchObject({ kind: "error", status: 400 });
    }
    expect(parse("GET / HTTP/2.0\r\n\r\n")).toMatchObject({ kind: "error", status: 505 });
  });

  it("enforces line, header-section and field-count limits even on incomplete input", () => {
    const limits = { ...defaultLimits, maxRequestLineBytes: 16, maxHeaderBytes: 20, maxHeaderCount: 2 };
    expect(parseRequestHead(bytes("GET /aaaaaaaaaaaaaaaaaaa"), limits)).toMatchObject({ kind: "error", status: 414 });
    expect(parseRequestHead(bytes("GET / HTTP/1.1\r\nA: 0123456789012345678"), limits)).toMatchObject({ kind: "error", status: 431 });
    expect(parseRequestHead(bytes("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), limits)).toMatchObject({ kind: "error", status: 431 });
  });

  it("never throws and always returns a typed result on arbitrary bytes (fast-check)", () => {
    const limits = { ...defaultLimits, maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderCount: 5 };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (input) => {
        const r = parseRequestHead(input, limits);
        expect(["incomplete", "complete", "error"]).toContain(r.kind);
        if (r.kind === "complete") {
          expect(r.length).toBeLessThanOrEqual(input.length);
          expect(requestFraming(r.head, limits)).toHaveProperty("ok");
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("parses every well-formed head it is given, whatever the split point (fast-check)", () => {
    const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
    const value = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,20}[\x21-\x7e])?$/);
    fc.assert(
      fc.property(token, fc.stringMatching(/^\/[\x21-\x7e]{0,30}$/), fc.array(fc.tuple(token, value), { maxLength: 8 }), (method, target, fields) => {
        const text = `${method} ${target} HTTP/1.1\r\n${fields.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`;
        const r = parse(text);
        expect(r).toEqual({ kind: "complete", length: text.length, head: { method, target, minorVersion: 1, fields } });
        for (let cut = 0; cut < text.length; cut++) expect(parse(text.slice(0, cut)).kind).toBe("incomplete");
      }),
      { numRuns: 300 },
    );
  });
});

describe("requestFraming (RFC 9112 §6.3)", () => {
  const head = (fields: Array<[string, string]>, minorVersion: 0 | 1 = 1) => ({ method: "POST", target: "/", minorVersion, fields: [["Host", "a"] as [string, string], ...fields] });
  it("accepts identical repeated Content-Length values and refuses smuggling shapes", () => {
    expect(requestFraming(head([["Content-Length", "5, 5"]]), defaultLimits)).toMatchObject({ ok: true, body: { kind: "length", length: 5 } });
    expect(requestFraming(head([["Content-Length", "+5"]]), defaultLimits)).toMatchObject({ ok: false, status: 400 });
    expect(requestFraming(head([["Transfer-Encoding", "chunked"], ["Transfer-Encoding", "chunked"]]), defaultLimits)).toMatchObject({ ok: false, status: 400 });
    expect(requestFraming(head([["Transfer-Encoding", "chunked"]], 0), defaultLimits)).toMatchObject({ ok: false, status: 400 });
    expect(requestFraming(head([["Expect", "teapot"]]), defaultLimits)).toMatchObject({ ok: false, status: 417 });
  });
});

describe("parseChunkSize (RFC 9112 §7.1)", () => {
  it("reads hex sizes with extensions and refuses the rest", () => {
    expect(parseChunkSize(bytes("0"))).toBe(0);
    expect(parseChunkSize(bytes("fF ; a=b;c"))).toBe(255);
    for (const s of ["", "g", "-1", "1 2", "1\x00", "1234567890abc"]) expect(parseChunkSize(bytes(s)), s).toBeUndefined();
  });
  it("never throws (fast-check)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
      const n = parseChunkSize(b);
      expect(n === undefined || (Number.isSafeInteger(n) && n >= 0)).toBe(true);
    }));
  });
});

describe("HTTP dates (RFC 9110 §5.6.7)", () => {
  it("formats IMF-fixdate and reads all three formats", () => {
    expect(formatHttpDate(784111777123)).toBe("Sun, 06 Nov 1994 08:49:37 GMT");
    for (const s of ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"]) expect(parseHttpDate(s), s).toBe(784111777000);
    for (const s of ["", "Sun, 31 Feb 1994 08:49:37 GMT", "yesterday", "Sun, 06 Nov 1994 25:49:37 GMT"]) expect(parseHttpDate(s), s).toBeUndefined();
  });
  it("round-trips any second (fast-check)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 253402300799 }), (s) => {
      expect(parseHttpDate(formatHttpDate(s * 1000))).toBe(s * 1000);
    }));
  });
});
