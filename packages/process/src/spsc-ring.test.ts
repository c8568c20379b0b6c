import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SpscRing, ringBytes } from "./spsc-ring.js";

describe("SpscRing", () => {
  it("matches a FIFO model under random writes and reads (wrap, skip markers, full)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 120 }), fc.constant("read" as const)), { maxLength: 300 }),
        fc.constantFrom(256, 512),
        (ops, capacity) => {
          const ring = new SpscRing(new SharedArrayBuffer(ringBytes(capacity)));
          ring.format();
          const model: Uint8Array[] = [];
          for (const op of ops) {
            if (op === "read") {
              const got = ring.tryRead();
              const want = model.shift();
              expect(got === undefined ? undefined : [...got]).toEqual(want === undefined ? undefined : [...want]);
            } else if (ring.tryWrite(op)) {
              model.push(op);
            } else {
              // Full only when the model holds a fair share of the capacity.
              expect(model.reduce((n, m) => n + 4 + ((m.length + 3) & ~3), 0) + 4 + op.length).toBeGreaterThan(capacity / 2 - 8);
            }
          }
          while (model.length > 0) expect([...ring.tryRead()!]).toEqual([...model.shift()!]);
          expect(ring.tryRead()).toBeUndefined();
          expect(ring.empty).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("rejects impossible messages and bad geometry with typed errors", () => {
    const ring = new SpscRing(new SharedArrayBuffer(ringBytes(128)));
    expect(() => ring.tryWrite(new Uint8Array(100))).toThrowError(expect.objectContaining({ code: "EMSGSIZE" }));
    expect(() => new SpscRing(new SharedArrayBuffer(256 + 100))).toThrowError(expect.objectContaining({ code: "EINVAL" }));
  });
});
