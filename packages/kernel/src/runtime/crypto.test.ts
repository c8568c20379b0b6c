import { describe, expect, it } from "vitest";
import { ToroError } from "../errors.js";
import { createCrypto } from "./crypto.js";

const counting = () => {
  let n = 0;
  return (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = n++ & 0xff;
    return true;
  };
};

describe("crypto", () => {
  it("fills every integer typed array in place over its exact bytes and returns it", () => {
    const c = createCrypto(counting());
    const backing = new Uint8Array(8);
    const view = new Uint16Array(backing.buffer, 2, 2);
    expect(c.getRandomValues(view)).toBe(view);
    expect([...backing]).toEqual([0, 0, 0, 1, 2, 3, 0, 0]);
    for (const T of [Int8Array, Uint8ClampedArray, Int32Array, BigUint64Array]) expect(() => c.getRandomValues(new T(2))).not.toThrow();
  });

  it("rejects float arrays and DataView (TypeMismatchError) and > 65536 bytes (QuotaExceededError), like Node", () => {
    const c = createCrypto(counting());
    for (const bad of [new Float32Array(1), new DataView(new ArrayBuffer(1)), null, [1]]) {
      expect(() => c.getRandomValues(bad as never)).toThrow(expect.objectContaining({ name: "TypeMismatchError" }));
    }
    expect(() => c.getRandomValues(new Uint8Array(65537))).toThrow(expect.objectContaining({ name: "QuotaExceededError", code: 22 }));
    expect(() => c.getRandomValues(new Uint8Array(65536))).not.toThrow();
  });

  it("says clearly when the CPU has no RDRAND/RDSEED", () => {
    const c = createCrypto(() => false);
    let error: unknown;
    try {
      c.getRandomValues(new Uint8Array(4));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToroError);
    expect(error).toMatchObject({ code: "ENOTSUP", message: expect.stringContaining("neither RDRAND nor RDSEED"), hint: expect.stringContaining("-cpu max") });
    expect(() => c.randomUUID()).toThrow(ToroError);
  });

  it("randomUUID gives RFC 9562 version-4 UUIDs", () => {
    const c = createCrypto((b) => (b.fill(0xff), true));
    expect(c.randomUUID()).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
    const real = createCrypto((b) => (globalThis.crypto.getRandomValues(b), true));
    expect(real.randomUUID()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
