// Tests of the payload format (docs/internals.md §2): literal layout, round trip, bounds checks.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ToroError } from "@toro/kernel";
import { decodePayload, encodePayload, type PayloadEntry } from "./payload.js";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("encodePayload", () => {
  it("lays out header, table, names and 8-byte aligned bodies as the contract says", () => {
    const bytes = encodePayload(
      [
        { kind: "script", encoding: "source", name: "runtime.js", body: utf8("a;") },
        { kind: "module", encoding: "bytecode", name: "main.js", body: new Uint8Array([1, 2, 3]) },
      ],
      "0123456789abcdef",
    );
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe("TOROIMG1");
    expect(view.getUint32(8, true)).toBe(2);
    expect(new TextDecoder().decode(bytes.subarray(16, 32))).toBe("0123456789abcdef");
    // Entry 0: classic script, UTF-8 source; names start right after the 32 + 2 * 24 byte table.
    expect([0, 4, 8, 12].map((o) => view.getUint32(32 + o, true))).toEqual([1, 1, 80, 10]);
    // "runtime.js" + "main.js" end at 97; the first body starts at the next multiple of 8.
    expect(view.getUint32(32 + 16, true)).toBe(104);
    expect(view.getUint32(32 + 20, true)).toBe(2);
    expect([0, 4, 8, 12, 16, 20].map((o) => view.getUint32(56 + o, true))).toEqual([2, 2, 90, 7, 112, 3]);
    expect(view.getUint32(12, true)).toBe(115);
    expect(bytes.length).toBe(115);
    expect([...bytes.subarray(112)]).toEqual([1, 2, 3]);
  });

  it("writes a zero engine id when every entry is source", () => {
    const bytes = encodePayload([{ kind: "module", encoding: "source", name: "m.js", body: utf8("x") }], "0123456789abcdef");
    expect([...bytes.subarray(16, 32)].every((b) => b === 0)).toBe(true);
  });

  it("refuses bytecode without an engine id, and a malformed id", () => {
    const entry: PayloadEntry = { kind: "module", encoding: "bytecode", name: "m.js", body: new Uint8Array(1) };
    expect(() => encodePayload([entry], null)).toThrow(ToroError);
    expect(() => encodePayload([entry], "XYZ")).toThrow(/16 lowercase hex/);
  });
});

describe("decodePayload", () => {
  const arbEntry = fc.record({
    kind: fc.constantFrom("script" as const, "module" as const),
    encoding: fc.constantFrom("source" as const, "bytecode" as const),
    name: fc.string({ maxLength: 40 }),
    body: fc.uint8Array({ maxLength: 300 }),
  });

  it("reads back what encodePayload wrote (round trip)", () => {
    fc.assert(
      fc.property(fc.array(arbEntry, { maxLength: 6 }), (entries) => {
        const id = entries.some((e) => e.encoding === "bytecode") ? "fedcba9876543210" : null;
        const decoded = decodePayload(encodePayload(entries, id));
        expect(decoded.engineId).toBe(id);
        expect(decoded.entries).toEqual(entries.map((e) => ({ ...e, body: new Uint8Array(e.body) })));
      }),
    );
  });

  it("never throws anything but a ToroError EPAYLOAD on damaged bytes", () => {
    const good = encodePayload(
      [{ kind: "module", encoding: "source", name: "main.js", body: utf8("console.log(1)") }],
      null,
    );
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(good.length), (at, value, cut) => {
        const bad = good.slice(0, Math.max(cut, 1));
        if (at < bad.length) bad[at] = value;
        try {
          decodePayload(bad);
        } catch (error) {
          expect(error).toBeInstanceOf(ToroError);
          expect((error as ToroError).code).toBe("EPAYLOAD");
        }
      }),
    );
  });

  it("rejects a bad magic and a body past the end", () => {
    const good = encodePayload([{ kind: "module", encoding: "source", name: "m.js", body: utf8("x") }], null);
    const badMagic = good.slice();
    badMagic[0] = 0x58;
    expect(() => decodePayload(badMagic)).toThrow(/bad magic/);
    const long = good.slice();
    new DataView(long.buffer).setUint32(32 + 20, 1000, true);
    expect(() => decodePayload(long)).toThrow(/body out of bounds/);
  });
});
