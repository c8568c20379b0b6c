import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { build } from "esbuild";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCoreAllocator } from "./core-allocator.js";
import { createMemoryDomain } from "./memory-domain.js";
import type { PhysicalRegion } from "./region.js";
import type { MemoryStats } from "./stats.js";

const REGION_BYTES = 2 << 20;

function regions(n: number): PhysicalRegion[] {
  // Physically adjacent regions, as the kernel would carve them; each its own SharedArrayBuffer.
  return Array.from({ length: n }, (_, i) => ({ base: 0x0800_0000 + i * REGION_BYTES, bytes: new SharedArrayBuffer(REGION_BYTES) }));
}

describe("MemoryDomain on one thread", () => {
  it("routes local frees locally and remote frees through the owner's ring", () => {
    const rs = regions(2);
    const a = createCoreAllocator({ region: rs[0]!, core: 0, cores: 2, ringSlots: 4 });
    const b = createCoreAllocator({ region: rs[1]!, core: 1, cores: 2, ringSlots: 4 });
    const fromA = createMemoryDomain({ local: a, regions: rs });
    const blocks = Array.from({ length: 10 }, () => b.allocate(100));
    expect(fromA.ownerOf(blocks[0]!.address)).toBe(1);
    for (const blk of blocks) fromA.free(blk.address);
    // Ring of 4: four posted, six waiting in order.
    expect(fromA.postedFrees).toBe(4);
    expect(fromA.pendingFrees).toBe(6);
    expect(b.stats().liveBlocks).toBe(10);
    expect(b.reclaim()).toBe(4);
    expect(fromA.flush()).toBe(2);
    b.reclaim();
    expect(fromA.flush()).toBe(0);
    b.reclaim();
    const s = b.stats();
    expect(s.liveBlocks).toBe(0);
    expect(s.remoteFrees).toBe(10);
    expect(s.inUseBytes).toBe(0);
    const local = a.allocate(10);
    fromA.free(local);
    expect(a.stats().liveBlocks).toBe(0);
    expect(() => fromA.free(0x42)).toThrowError(expect.objectContaining({ code: "EFOREIGN" }));
  });

  it("an invalid remote free is counted and reported by the owner, and corrupts nothing", () => {
    const rs = regions(2);
    const errors: string[] = [];
    createCoreAllocator({ region: rs[0]!, core: 0, cores: 2 });
    const b = createCoreAllocator({ region: rs[1]!, core: 1, cores: 2, onRemoteFreeError: (e) => errors.push(e.code) });
    const fromA = createMemoryDomain({ local: createCoreAllocator({ region: regions(1)[0]!, core: 0, cores: 2 }), regions: rs.slice(1) });
    const blk = b.allocate(5000);
    fromA.free(blk.address + 8);
    fromA.free(blk.address);
    fromA.free(blk.address);
    b.reclaim();
    expect(errors).toEqual(["EINTERIOR", "EDOUBLEFREE"]);
    expect(b.stats()).toMatchObject({ remoteFrees: 1, remoteFreeErrors: 2, liveBlocks: 0, inUseBytes: 0 });
  });

  it("refuses regions that are not formatted or lack a ring for this core", () => {
    const rs = regions(2);
    const a = createCoreAllocator({ region: rs[0]!, core: 0, cores: 1 });
    expect(() => createMemoryDomain({ local: a, regions: rs })).toThrowError(expect.objectContaining({ code: "EINVAL" }));
    const b = createCoreAllocator({ region: rs[1]!, core: 1, cores: 2 });
    expect(() => createMemoryDomain({ local: b, regions: rs })).toThrowError(expect.objectContaining({ code: "EINVAL" }));
    const fromB = createMemoryDomain({ local: b, regions: rs.slice(1) });
    expect(fromB.ownerOf(a.allocate(1).address)).toBe(-1);
  });

  it("model: interleaved remote frees, ring-full retries and reclaims lose nothing (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant("alloc" as const), fc.constant("free" as const), fc.constant("reclaim" as const), fc.constant("flush" as const)), { maxLength: 200 }),
        fc.integer({ min: 1, max: 3 }),
        (ops, ringLog) => {
          const rs = regions(2);
          const owner = createCoreAllocator({ region: rs[0]!, core: 0, cores: 2, ringSlots: 2 ** ringLog });
          const other = createCoreAllocator({ region: rs[1]!, core: 1, cores: 2 });
          const dom = createMemoryDomain({ local: other, regions: rs });
          const live: number[] = [];
          let freed = 0;
          for (const op of ops) {
            if (op === "alloc") live.push(owner.allocate(64).address);
            else if (op === "free" && live.length > 0) (dom.free(live.shift()!), freed++);
            else if (op === "reclaim") owner.reclaim();
            else dom.flush();
            const s = owner.stats();
            // Every block is live, posted-not-reclaimed, or pending on the producer.
            expect(s.liveBlocks).toBe(live.length + freed - s.remoteFrees);
            expect(s.remoteFreeErrors).toBe(0);
          }
          while (dom.flush() > 0) owner.reclaim();
          owner.reclaim();
          expect(owner.stats().remoteFrees).toBe(freed);
        },
      ),
      { numRuns: 200 },
    );
  });
});

async function workerScript(): Promise<string> {
  const entry = fileURLToPath(new URL("./cross-core-free.worker.ts", import.meta.url));
  const out = await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "node", write: false, conditions: ["toro-source"] });
  const file = join(mkdtempSync(join(tmpdir(), "toro-memory-")), "worker.mjs");
  writeFileSync(file, out.outputFiles[0]!.text);
  return file;
}

describe("MemoryDomain with worker threads as cores (real concurrency)", () => {
  it("every block freed on another core comes back to its owner; no corruption, no leak", async () => {
    const script = await workerScript();
    const cores = 4;
    const blocks = 1500;
    const rs = regions(cores);
    const barrier = new Int32Array(new SharedArrayBuffer(8));
    const workers = rs.map(
      (_, core) => new Worker(script, { workerData: { core, cores, regions: rs, barrier, blocks, seed: 7 + core * 1000, ringSlots: 16 } }),
    );
    let done = 0;
    const relayed = new Array<number>(cores).fill(0);
    const flushed: Array<{ received: number; corrupt: number }> = [];
    const stats: Array<{ stats: MemoryStats; posted: number; sentLocal: number }> = [];
    const errors: string[] = [];
    await new Promise<void>((resolve, reject) => {
      workers.forEach((w, core) => {
        w.on("error", reject);
        w.on("message", (m: { type: string; to?: number; owner?: number; error?: string; received?: number; corrupt?: number; stats?: MemoryStats; posted?: number; sentLocal?: number }) => {
          if (m.type === "block") {
            relayed[m.owner!]!++;
            workers[m.to!]!.postMessage(m);
          } else if (m.type === "done") {
            if (++done === cores) for (const x of workers) x.postMessage({ type: "finish" });
          } else if (m.type === "flushed") {
            flushed[core] = { received: m.received!, corrupt: m.corrupt! };
            if (flushed.filter(Boolean).length === cores) for (const x of workers) x.postMessage({ type: "reclaim" });
          } else if (m.type === "stats") {
            stats[core] = { stats: m.stats!, posted: m.posted!, sentLocal: m.sentLocal! };
            if (stats.filter(Boolean).length === cores) resolve();
          } else if (m.type === "error") {
            errors.push(m.error!);
            reject(new Error(m.error));
          }
        });
      });
    });
    await Promise.all(workers.map((w) => w.terminate()));
    expect(errors).toEqual([]);
    const totalReceived = flushed.reduce((n, f) => n + f.received, 0);
    expect(totalReceived).toBe(relayed.reduce((n, x) => n + x, 0));
    expect(flushed.every((f) => f.corrupt === 0)).toBe(true);
    for (let core = 0; core < cores; core++) {
      const s = stats[core]!.stats;
      expect(s.remoteFreeErrors).toBe(0);
      expect(s.remoteFrees).toBe(relayed[core]);
      expect(s.liveBlocks).toBe(0);
      expect(s.inUseBytes).toBe(0);
      expect(s.freePageBytes).toBe(s.totalBytes);
      expect(s.allocations).toBe(blocks);
    }
    // Real cross-core traffic happened on every core.
    expect(Math.min(...relayed)).toBeGreaterThan(blocks / 2);
  });
});
