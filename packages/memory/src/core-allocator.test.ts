import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Block } from "./block.js";
import { createCoreAllocator, type CoreAllocator } from "./core-allocator.js";
import { computeLayout, PAGE_BYTES } from "./layout.js";

/** A region whose arena is exactly `pages` pages (a power of two) aligned to its own size. */
function alignedRegion(pages: number, cores = 1): { base: number; bytes: SharedArrayBuffer } {
  let bytes = pages * PAGE_BYTES;
  for (;;) {
    const layout = computeLayout(bytes, cores, 1024)!;
    if (layout !== undefined && layout.pages >= pages) {
      const base = 2 ** 30 - layout.arenaOffset; // arena starts at 1 GiB: aligned to any order
      return { base, bytes: new SharedArrayBuffer(layout.arenaOffset + pages * PAGE_BYTES) };
    }
    bytes += PAGE_BYTES;
  }
}

function fresh(pages = 256, base = 0x0030_0000): CoreAllocator {
  return createCoreAllocator({ region: { base, bytes: new SharedArrayBuffer(pages * PAGE_BYTES) }, core: 0 });
}

describe("CoreAllocator basics", () => {
  it("gives blocks that know their physical address and bytes", () => {
    const m = fresh();
    const a = m.allocate(100);
    const b = m.allocate(5000, { align: 8192 });
    expect(a.capacity).toBe(128);
    expect(a.kind).toBe("small");
    expect(b.capacity).toBe(8192);
    expect(b.address % 8192).toBe(0);
    a.bytes.fill(0xaa);
    b.view.setUint32(0, 0xdeadbeef, true);
    expect(b.bytes[0]).toBe(0xef);
    expect(m.owns(a.address) && m.owns(b.address)).toBe(true);
    const s = m.stats();
    expect(s.inUseBytes).toBe(128 + 8192);
    expect(s.liveBlocks).toBe(2);
    m.free(a);
    m.free(b.address);
    expect(m.stats().inUseBytes).toBe(0);
    expect(m.stats().peakInUseBytes).toBe(128 + 8192);
  });

  it("coalesces back to one free block when the arena is one aligned power of two", () => {
    const region = alignedRegion(64);
    const m = createCoreAllocator({ region, core: 0 });
    expect(m.stats().freeBlockCount).toBe(1);
    const blocks = [m.allocate(10), m.allocatePages(3), m.allocate(2048), m.allocate(PAGE_BYTES * 5)];
    expect(m.stats().freeBlockCount).toBeGreaterThan(1);
    for (const b of blocks.reverse()) m.free(b);
    expect(m.stats().freeBlockCount).toBe(1);
    expect(m.stats().largestFreeBlockBytes).toBe(64 * PAGE_BYTES);
  });

  it("aligns in physical space even when the region base is only page aligned", () => {
    const m = fresh(300, 0x0030_3000);
    for (const align of [4096, 8192, 65536]) {
      const b = m.allocate(100, { align });
      expect(b.address % align).toBe(0);
    }
  });

  it("pools: fixed-size buffers, O(1), back to the allocator on destroy", () => {
    const m = fresh();
    const before = m.stats();
    const pool = m.createPool({ bufferBytes: 1500, count: 10 });
    expect(pool.stride).toBe(1536);
    const bufs = Array.from({ length: 10 }, () => pool.allocate());
    expect(new Set(bufs.map((b) => b.address)).size).toBe(10);
    expect(pool.tryAllocate()).toBeUndefined();
    expect(() => pool.allocate()).toThrowError(expect.objectContaining({ code: "ENOMEM" }));
    expect(m.stats().inUseBytes).toBe(10 * 1536);
    expect(() => pool.destroy()).toThrowError(expect.objectContaining({ code: "EBUSY" }));
    pool.free(bufs[0]!);
    m.free(bufs[1]!.address); // routed to the pool by the page table
    for (const b of bufs.slice(2)) pool.free(b);
    expect(() => m.free(bufs[3]!.address)).toThrowError(expect.objectContaining({ code: "EDOUBLEFREE" }));
    pool.destroy();
    expect(m.stats()).toEqual({ ...before, allocations: 10, frees: 10, peakInUseBytes: 10 * 1536 });
  });

  it("realloc keeps content, in place when it fits", () => {
    const m = fresh();
    let b = m.allocate(100);
    b.bytes.set([1, 2, 3]);
    const same = m.realloc(b, 120);
    expect(same).toBe(b);
    b = m.realloc(b, 10_000);
    expect(b.kind).toBe("pages");
    expect([...b.bytes.subarray(0, 3)]).toEqual([1, 2, 3]);
    b = m.realloc(b, 40);
    expect(b.capacity).toBe(64);
    expect([...b.bytes.subarray(0, 3)]).toEqual([1, 2, 3]);
    m.free(b);
    expect(m.stats().inUseBytes).toBe(0);
  });
});

describe("CoreAllocator misuse is a typed error and corrupts nothing", () => {
  const cases: Array<[string, (m: CoreAllocator, live: Block) => unknown, string]> = [
    ["double free (handle)", (m, b) => (m.free(b), m.free(b)), "EDOUBLEFREE"],
    ["double free (address)", (m, b) => (m.free(b.address), m.free(b.address)), "EDOUBLEFREE"],
    ["interior of a page block", (m) => m.free(m.allocate(9000).address + 4096), "EINTERIOR"],
    ["interior of a small block", (m) => m.free(m.allocate(64).address + 8), "EINTERIOR"],
    ["foreign address", (m) => m.free(0x10), "EFOREIGN"],
    ["never allocated", (m) => m.free(m.allocate(1).address + 1024), "EDOUBLEFREE"],
    ["zero size", (m) => m.allocate(0), "EINVAL"],
    ["fractional size", (m) => m.allocate(1.5), "EINVAL"],
    ["absurd size", (m) => m.allocate(2 ** 40), "ERANGE"],
    ["bad alignment", (m) => m.allocate(10, { align: 24 }), "EINVAL"],
    ["out of memory", (m) => m.allocate(200 * PAGE_BYTES), "ENOMEM"],
    ["use after free", (m, b) => (m.free(b), b.bytes), "EFREED"],
  ];
  for (const [name, run, code] of cases) {
    it(name, () => {
      const m = fresh();
      const keep = m.allocate(300);
      keep.bytes.fill(7);
      const live = m.allocate(100);
      const before = m.stats();
      expect(() => run(m, live)).toThrowError(expect.objectContaining({ name: "ToroError", code }));
      // Nothing corrupted: the other block is intact, and everything still frees back.
      expect(keep.bytes.every((x) => x === 7)).toBe(true);
      expect(m.stats().freeBytes).toBeLessThanOrEqual(before.freeBytes + live.capacity);
      m.free(keep);
      // `live` is still allocated unless the case freed it (by handle or by address).
      if (!live.freed && !name.startsWith("double free")) m.free(live);
    });
  }
});

type Op =
  | { op: "alloc"; size: number; alignLog: number }
  | { op: "free"; pick: number }
  | { op: "realloc"; pick: number; size: number }
  | { op: "poolAlloc" }
  | { op: "badFree"; pick: number; delta: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant("alloc" as const), size: fc.oneof(fc.integer({ min: 1, max: 2048 }), fc.integer({ min: 1, max: 70_000 })), alignLog: fc.integer({ min: 0, max: 14 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("free" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("realloc" as const), pick: fc.nat(), size: fc.integer({ min: 1, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("poolAlloc" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("badFree" as const), pick: fc.nat(), delta: fc.integer({ min: 1, max: 100 }) }) },
);

describe("CoreAllocator against a reference model (fast-check)", () => {
  it("random alloc/free/realloc/pool sequences keep every invariant and coalesce back", () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), fc.integer({ min: 0, max: 63 }), (ops, basePages) => {
        const m = fresh(160, 0x0100_0000 + basePages * PAGE_BYTES);
        const initial = m.freeBlocks();
        const pool = m.createPool({ bufferBytes: 600, count: 8, align: 128 });
        // Model: live blocks with the byte each was filled with.
        const live: Array<{ block: Block; fill: number; align: number }> = [];
        let fillSeq = 1;
        for (const o of ops) {
          if (o.op === "alloc") {
            const align = 2 ** o.alignLog;
            const b = m.tryAllocate(o.size, { align });
            if (b === undefined) {
              // Model says: only when no free block of the needed order exists.
              expect(m.stats().largestFreeBlockBytes).toBeLessThan(Math.max(o.size, align, PAGE_BYTES) * 2);
              continue;
            }
            const fill = fillSeq++ & 0xff;
            b.bytes.fill(fill);
            live.push({ block: b, fill, align });
          } else if (o.op === "poolAlloc") {
            const b = pool.tryAllocate();
            if (b === undefined) continue;
            const fill = fillSeq++ & 0xff;
            b.bytes.fill(fill);
            live.push({ block: b, fill, align: 128 });
          } else if (live.length === 0) {
            continue;
          } else if (o.op === "free") {
            const [e] = live.splice(o.pick % live.length, 1);
            m.free(e!.block);
          } else if (o.op === "realloc") {
            const e = live[o.pick % live.length]!;
            if (e.block.kind === "pool") continue;
            const oldSize = e.block.size;
            let moved: Block;
            try {
              moved = m.realloc(e.block, o.size);
            } catch (error) {
              expect((error as { code?: string }).code).toBe("ENOMEM");
              continue;
            }
            // Content survives the move (up to the smaller size).
            expect(moved.bytes[0]).toBe(e.fill);
            expect(moved.bytes[Math.min(o.size, oldSize) - 1]).toBe(e.fill);
            e.block = moved;
            moved.bytes.fill(e.fill);
          } else {
            const e = live[o.pick % live.length]!;
            const before = m.stats();
            expect(() => m.free(e.block.address + o.delta)).toThrow();
            expect(m.stats()).toEqual(before);
          }
          // Invariants after every step.
          const sorted = [...live].sort((a, b) => a.block.address - b.block.address);
          for (let i = 0; i < sorted.length; i++) {
            const { block, fill, align } = sorted[i]!;
            expect(block.address % align).toBe(0);
            expect(block.capacity).toBeGreaterThanOrEqual(block.size);
            expect(block.bytes[0]).toBe(fill);
            expect(block.bytes[block.size - 1]).toBe(fill);
            if (i > 0) {
              const prev = sorted[i - 1]!.block;
              expect(prev.address + prev.capacity).toBeLessThanOrEqual(block.address);
            }
          }
          const s = m.stats();
          expect(s.inUseBytes).toBe(live.reduce((n, e) => n + e.block.capacity, 0));
          expect(s.liveBlocks).toBe(live.length);
          expect(s.freeBytes + s.inUseBytes).toBe(s.totalBytes);
          expect(s.largestFreeBlockBytes).toBeLessThanOrEqual(s.freePageBytes);
        }
        for (const e of live) m.free(e.block);
        pool.destroy();
        const s = m.stats();
        expect(s.inUseBytes).toBe(0);
        expect(s.liveBlocks).toBe(0);
        expect(s.freePageBytes).toBe(s.totalBytes);
        expect(m.freeBlocks().sort()).toEqual(initial.sort());
      }),
      { numRuns: 150 },
    );
  });
});

describe("dmaAllocator", () => {
  it("hands out zeroed, aligned buffers by physical address", async () => {
    const { dmaAllocator } = await import("./dma-allocator.js");
    const m = fresh();
    const first = m.allocate(4096);
    first.bytes.fill(0xff);
    m.free(first);
    const dma = dmaAllocator(m);
    const buf = dma.allocate(4096, 4096);
    expect(buf.physical % 4096).toBe(0);
    expect(buf.view.every((b) => b === 0)).toBe(true);
    dma.free(buf);
    expect(() => dma.free(buf)).toThrowError(expect.objectContaining({ code: "EDOUBLEFREE" }));
    expect(m.stats().inUseBytes).toBe(0);
  });
});
