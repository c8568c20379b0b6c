// Bench case "cross-core" (@toro/bench): message round-trip latency and one-way throughput between
// core 0 and core 1 with 2 vCPUs, through @toro/process's in-image glue (`bootCores` app channels:
// SPSC rings in the shared region, doorbell only when the peer sleeps, JSON codec) —
// tooling/bench/apps/cross-core. Renders nothing.
import type { BenchContext } from "../context.js";
import type { MicroCaseResult } from "../results.js";
import { runGuestBench } from "./guest-bench.js";
import { samplesFor } from "./yield.js";

/** Runs the cross-core case. */
export async function runCrossCoreCase(ctx: BenchContext): Promise<MicroCaseResult> {
  const { runs, skipped } = await runGuestBench(ctx, { app: "cross-core", label: "Toro: core 0 ↔ core 1", cpus: 2, cmdline: `samples=${samplesFor(ctx.options.quick)}` });
  return {
    runs,
    skipped,
    method: "@toro/process bootCores channels (SpscRing in the shared region + doorbell IPI when the receiver sleeps), JSON codec",
  };
}
