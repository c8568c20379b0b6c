// Test fixture (Node only, never exported): one worker thread plays one core. It formats its own
// region, then allocates blocks, stamps them, and hands them to other "cores" through the test's
// relay; blocks it receives are checked and freed through its MemoryDomain (the lock-free rings).
import { parentPort, workerData } from "node:worker_threads";
import { createCoreAllocator } from "./core-allocator.js";
import { createMemoryDomain } from "./memory-domain.js";
import type { PhysicalRegion } from "./region.js";

interface Data {
  core: number;
  cores: number;
  regions: PhysicalRegion[];
  barrier: Int32Array;
  blocks: number;
  seed: number;
  ringSlots: number;
}
const d = workerData as Data;
const port = parentPort!;
const memory = createCoreAllocator({ region: d.regions[d.core]!, core: d.core, cores: d.cores, ringSlots: d.ringSlots });
const pool = memory.createPool({ bufferBytes: 1500, count: 64 });
// Barrier: every core formats its region before anyone attaches to it.
Atomics.add(d.barrier, 0, 1);
Atomics.notify(d.barrier, 0);
while (Atomics.load(d.barrier, 0) < d.cores) Atomics.wait(d.barrier, 0, Atomics.load(d.barrier, 0), 100);
const domain = createMemoryDomain({ local: memory, regions: d.regions });

let rand = d.seed >>> 0 || 1;
const next = (): number => ((rand = (Math.imul(rand, 1103515245) + 12345) >>> 0) >>> 8);
let received = 0;
let corrupt = 0;
let sentLocal = 0;
let idle: ReturnType<typeof setInterval> | undefined;

port.on("message", (m: { type: string; address?: number; size?: number; stamp?: number; owner?: number }) => {
  if (m.type === "block") {
    const region = d.regions[m.owner!]!;
    const bytes = new Uint8Array(region.bytes as SharedArrayBuffer, m.address! - region.base, m.size!);
    for (let i = 0; i < bytes.length; i += 61) if (bytes[i] !== (m.stamp! + i) % 251) corrupt++;
    // Scribble before freeing, as a real user would: the owner must not care.
    bytes.fill(0xee);
    domain.free(m.address!);
    received++;
  } else if (m.type === "finish") {
    // From now on this core is idle: it takes back remote frees now and then (in the image a
    // doorbell interrupt would wake it), and flushes its own frees that found a ring full.
    idle = setInterval(() => memory.reclaim(), 1);
    const flush = (): void => {
      if (domain.flush() > 0) setTimeout(flush, 1);
      else port.postMessage({ type: "flushed", received, corrupt });
    };
    flush();
  } else if (m.type === "reclaim") {
    clearInterval(idle);
    memory.reclaim();
    pool.destroy();
    port.postMessage({ type: "stats", stats: memory.stats(), posted: domain.postedFrees, sentLocal });
  }
});

async function run(): Promise<void> {
  for (let i = 0; i < d.blocks; i++) {
    let block;
    try {
      block = next() % 4 === 0 ? pool.tryAllocate() : memory.tryAllocate(1 + (next() % 9000), { align: 2 ** (next() % 8) });
    } catch (error) {
      port.postMessage({ type: "error", error: String(error) });
      return;
    }
    if (block === undefined) {
      // Out of memory until the others free: let their frees arrive (the rings are reclaimed on allocate).
      await new Promise((r) => setImmediate(r));
      i--;
      continue;
    }
    const stamp = next() % 251;
    for (let j = 0; j < block.size; j += 61) block.bytes[j] = (stamp + j) % 251;
    const target = next() % d.cores;
    if (target === d.core) {
      sentLocal++;
      domain.free(block);
    } else {
      port.postMessage({ type: "block", to: target, owner: d.core, address: block.address, size: block.size, stamp });
    }
    if (i % 16 === 0) await new Promise((r) => setImmediate(r));
  }
  port.postMessage({ type: "done" });
}
void run();
