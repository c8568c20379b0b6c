import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeImage } from "../test-support/fat-tools.js";
import { parseBootSector } from "./boot-sector.js";

describe("parseBootSector (fatgen103 §3-4)", () => {
  it.each([
    [12, 1024],
    [16, 16 * 1024],
    [32, 40 * 1024],
  ] as const)("reads the geometry of a mkfs.fat -F %i image", (type, kib) => {
    const img = makeImage(type, kib);
    const r = parseBootSector(img.subarray(0, 512), img.length);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.type).toBe(type);
    expect(r.value.bytesPerSector).toBe(512);
    expect(r.value.totalSectors * 512).toBe(kib * 1024);
    if (type === 32) {
      expect(r.value.rootCluster).toBe(2);
      expect(r.value.fsInfoSector).toBe(1);
    } else {
      expect(r.value.rootEntryCount).toBeGreaterThan(0);
    }
  });

  it("refuses damaged fields with a reason", () => {
    const good = makeImage(16, 16 * 1024).slice(0, 512);
    const broken = (patch: (b: Uint8Array) => void): string => {
      const b = good.slice();
      patch(b);
      const r = parseBootSector(b, 16 * 1024 * 1024);
      return r.ok ? "ok" : r.error;
    };
    expect(broken(() => {})).toBe("ok");
    expect(broken((b) => (b[510] = 0))).toMatch(/signature/);
    expect(broken((b) => (b[0] = 0))).toMatch(/jump/);
    expect(broken((b) => (b[11] = 0x33))).toMatch(/BytsPerSec/);
    expect(broken((b) => (b[13] = 3))).toMatch(/SecPerClus/);
    expect(broken((b) => (b[14] = b[15] = 0))).toMatch(/RsvdSecCnt/);
    expect(broken((b) => (b[16] = 0))).toMatch(/NumFATs/);
    expect(broken((b) => (b[22] = b[23] = 0))).not.toBe("ok");
    expect(parseBootSector(good, 1024 * 1024).ok).toBe(false); // volume larger than the device
    expect(parseBootSector(good.subarray(0, 100), 1 << 30).ok).toBe(false);
  });

  it("never throws on random or mutated bytes", () => {
    const seed = makeImage(32, 40 * 1024).slice(0, 512);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.array(fc.tuple(fc.nat(511), fc.nat(255))), (random, edits) => {
        parseBootSector(random, 1 << 30);
        const b = seed.slice();
        for (const [at, value] of edits) b[at] = value;
        const r = parseBootSector(b, 64 * 1024 * 1024);
        if (r.ok) {
          expect(r.value.firstDataSector).toBeLessThan(r.value.totalSectors);
          expect(r.value.clusterCount).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
