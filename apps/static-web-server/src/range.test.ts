// Range header parsing (RFC 9110 §14.1.2, §14.2) on literals and with fast-check: never throws, and
// any range it returns lies inside the representation.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentTypeFor } from "./mime.js";
import { parseRange } from "./range.js";

describe("parseRange", () => {
  it("reads first-last, open-ended and suffix ranges, clipped to the size", () => {
    expect(parseRange("bytes=0-499", 1000)).toEqual({ kind: "range", start: 0, end: 499 });
    expect(parseRange("bytes=500-", 1000)).toEqual({ kind: "range", start: 500, end: 999 });
    expect(parseRange("bytes=-200", 1000)).toEqual({ kind: "range", start: 800, end: 999 });
    expect(parseRange("bytes=-5000", 1000)).toEqual({ kind: "range", start: 0, end: 999 });
    expect(parseRange("bytes=900-5000", 1000)).toEqual({ kind: "range", start: 900, end: 999 });
  });
  it("ignores what it does not serve and refuses what cannot be satisfied", () => {
    for (const v of [null, "items=0-1", "bytes=0-1,3-4", "bytes=5-1", "bytes=-", "bytes=a-b"]) expect(parseRange(v, 1000), String(v)).toEqual({ kind: "none" });
    expect(parseRange("bytes=1000-", 1000)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-0", 1000)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
  });
  it("never throws; returned ranges are inside the file (fast-check)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^bytes=[0-9]{0,4}-[0-9]{0,4}$/)), fc.nat(5000), (v, size) => {
        const r = parseRange(v, size);
        if (r.kind === "range") {
          expect(r.start).toBeGreaterThanOrEqual(0);
          expect(r.end).toBeGreaterThanOrEqual(r.start);
          expect(r.end).toBeLessThan(size);
        }
      }),
    );
  });
});

describe("contentTypeFor", () => {
  it("maps extensions case-insensitively, with a binary default", () => {
    expect(contentTypeFor("/a/INDEX.HTML")).toBe("text/html; charset=utf-8");
    expect(contentTypeFor("x.woff2")).toBe("font/woff2");
    expect(contentTypeFor("Makefile")).toBe("application/octet-stream");
    expect(contentTypeFor(".bashrc")).toBe("application/octet-stream");
  });
});
