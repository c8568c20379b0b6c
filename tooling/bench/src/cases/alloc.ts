// Bench case "alloc" (@toro/bench): allocate+free ops/s of @toro/memory (this core's DMA region:
// size classes, buddy pages, a 2 KiB buffer pool) beside a naive bump + exact-size free-list
// allocator and `new Uint8Array`, all in the same guest run (tooling/bench/apps/alloc). Renders nothing.
import type { BenchContext } from "../context.js";
import type { MicroCaseResult } from "../results.js";
import { runGuestBench } from "./guest-bench.js";
import { samplesFor } from "./yield.js";

/** Runs the alloc case. */
export async function runAllocCase(ctx: BenchContext): Promise<MicroCaseResult> {
  const { runs, skipped } = await runGuestBench(ctx, { app: "alloc", label: "Toro: allocators on core 0", cpus: 1, cmdline: `samples=${samplesFor(ctx.options.quick)}` });
  return {
    runs,
    skipped,
    method: "batches of 32 allocations (one byte of each touched) then 32 frees in order; one op = allocate + free",
  };
}
