import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TextDecoder, TextEncoder } from "./text-encoding.js";

// Strings with lone surrogates and astral characters, not just well-formed ones.
const anyString = fc.string({ unit: "binary" });
const anyUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((u) => String.fromCharCode(...u));
// Bytes biased towards UTF-8 lead and continuation bytes so invalid sequences are common.
const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0));
const anyBytes = fc.array(byte, { maxLength: 64 }).map((b) => new Uint8Array(b));

describe("TextEncoder", () => {
  it("encodes byte-exact as Node, lone surrogates as U+FFFD", () => {
    fc.assert(
      fc.property(fc.oneof(anyString, anyUnits), (s) => {
        expect(new TextEncoder().encode(s)).toEqual(new NodeTextEncoder().encode(s));
      }),
      { numRuns: 500 },
    );
  });

  it("encodeInto matches Node for any destination size", () => {
    fc.assert(
      fc.property(fc.oneof(anyString, anyUnits), fc.nat(40), (s, size) => {
        const ours = new Uint8Array(size);
        const theirs = new Uint8Array(size);
        expect(new TextEncoder().encodeInto(s, ours)).toEqual(new NodeTextEncoder().encodeInto(s, theirs));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 500 },
    );
  });

  it("encodes nothing as empty", () => {
    expect(new TextEncoder().encode()).toEqual(new Uint8Array(0));
    expect(new TextEncoder().encoding).toBe("utf-8");
  });
});

describe("TextDecoder", () => {
  it("decodes any bytes as Node (U+FFFD per maximal subpart)", () => {
    fc.assert(
      fc.property(anyBytes, fc.boolean(), (bytes, ignoreBOM) => {
        expect(new TextDecoder("utf-8", { ignoreBOM }).decode(bytes)).toBe(new NodeTextDecoder("utf-8", { ignoreBOM }).decode(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it("streams: any split into chunks decodes as Node's streaming decoder", () => {
    fc.assert(
      fc.property(anyBytes, fc.array(fc.nat(64), { maxLength: 4 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const ours = new TextDecoder();
        const theirs = new NodeTextDecoder();
        let a = "";
        let b = "";
        let from = 0;
        for (const p of [...points, bytes.length]) {
          const chunk = bytes.subarray(from, p);
          const last = p === bytes.length;
          a += ours.decode(chunk, { stream: !last });
          b += theirs.decode(chunk, { stream: !last });
          from = p;
        }
        expect(a).toBe(b);
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips any string through encode/decode as Node does", () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(new TextDecoder().decode(new TextEncoder().encode(s))).toBe(new NodeTextDecoder().decode(new NodeTextEncoder().encode(s)));
      }),
    );
  });

  it("fatal throws a TypeError on invalid input, as Node", () => {
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        let nodeThrew = false;
        try {
          new NodeTextDecoder("utf-8", { fatal: true }).decode(bytes);
        } catch {
          nodeThrew = true;
        }
        const decode = () => new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        if (nodeThrew) expect(decode).toThrow(TypeError);
        else expect(decode()).toBe(new NodeTextDecoder().decode(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it("drops one leading BOM, keeps it with ignoreBOM, accepts ArrayBuffer and DataView", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]);
    expect(new TextDecoder().decode(bytes.buffer)).toBe("hi");
    expect(new TextDecoder("utf8", { ignoreBOM: true }).decode(new DataView(bytes.buffer))).toBe("\ufeffhi");
    const d = new TextDecoder();
    expect(d.decode(bytes.subarray(0, 2), { stream: true }) + d.decode(bytes.subarray(2))).toBe("hi");
    expect(d.decode()).toBe("");
  });

  it("rejects other encodings and non-byte input", () => {
    expect(() => new TextDecoder("latin1")).toThrow(RangeError);
    expect(new TextDecoder(" UTF8 ").encoding).toBe("utf-8");
    expect(() => new TextDecoder().decode("text" as never)).toThrow(TypeError);
  });
});
