// Bench app (tooling/bench/apps/alloc): allocate+free throughput of this core's @toro/memory allocator
// (size classes, buddy pages, a buffer pool) beside the naive allocator and `new Uint8Array`, all in
// the same guest run. Pattern per size: allocate a batch of 32 blocks, touch one byte of each, free
// them in allocation order; one op = one allocate + its free. Prints `BENCH alloc.<impl>.<size>=<ops/s>`
// lines, then `BENCH done`. The image's edge: takes the hardware and the cores' face from @toro/kernel.
import { coreHardware, exit, hardware, parseBootCommandLine } from "@toro/kernel";
import { createCoreMemory } from "@toro/memory";
import { NaiveAllocator } from "./naive-allocator.js";

const SAMPLE_MS = 100;
const BATCH = 32;

const hw = hardware();
const clock = hw.clock;

/** One allocator under test: allocate a block of the case's size, and free it. */
interface Subject<B> {
  allocate(): B;
  free(block: B): void;
  bytes(block: B): Uint8Array;
}

function batches<B>(subject: Subject<B>, count: number): void {
  const held: B[] = new Array<B>(BATCH);
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < BATCH; i++) {
      const b = subject.allocate();
      subject.bytes(b)[0] = i; // each side hands out a usable view; touch it so it is made
      held[i] = b;
    }
    for (let i = 0; i < BATCH; i++) subject.free(held[i]!);
  }
}

/** Operations per second over `samples` timed samples, each calibrated to about SAMPLE_MS. */
function opsPerSecond<B>(name: string, subject: Subject<B>, samples: number): void {
  let count = 4;
  for (;;) {
    const t0 = clock.nowMs();
    batches(subject, count);
    const ms = clock.nowMs() - t0;
    if (ms >= SAMPLE_MS / 4 || count >= 1 << 22) {
      count = Math.max(4, Math.round((count * SAMPLE_MS) / Math.max(ms, 0.001)));
      break;
    }
    count *= 4;
  }
  for (let i = 0; i < samples; i++) {
    const t0 = clock.nowMs();
    batches(subject, count);
    const ms = clock.nowMs() - t0;
    console.log(`BENCH alloc.${name}=${Math.round((count * BATCH * 1000) / ms)} unit=ops/s`);
  }
}

function main(): void {
  const option = parseBootCommandLine(hw.bootCommandLine()).options["samples"];
  const samples = typeof option === "string" ? Number(option) : 5;
  const memory = createCoreMemory(coreHardware());
  const toro = memory.allocator;
  const naive = new NaiveAllocator(8 << 20);
  for (const size of [64, 2048, 8192]) {
    opsPerSecond(`toro.${size}`, { allocate: () => toro.allocate(size), free: (b) => toro.free(b), bytes: (b) => b.bytes }, samples);
    opsPerSecond(`naive.${size}`, { allocate: () => naive.allocate(size), free: (b) => naive.release(b), bytes: (b) => b.bytes }, samples);
    opsPerSecond(`typed-array.${size}`, { allocate: () => new Uint8Array(size), free: () => undefined, bytes: (b) => b }, samples);
  }
  const pool = toro.createPool({ bufferBytes: 2048, count: 256 });
  opsPerSecond("toro.pool-2048", { allocate: () => pool.allocate(), free: (b) => pool.free(b), bytes: (b) => b.bytes }, samples);
  console.log("BENCH done");
  exit(0);
}

main();
