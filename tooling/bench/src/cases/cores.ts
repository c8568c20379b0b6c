// Bench case "cores" (@toro/bench): speed-up of a CPU-bound job (a chained integer hash over N
// iterations, N calibrated so core 0 alone takes ~400 ms) from 1 to 2 cores, in one 2-vCPU boot:
// core 0 alone, then split in halves with core 1 (raw Atomics on shared-region words + doorbell),
// in alternating rounds — tooling/bench/apps/cores. Renders nothing.
import type { BenchContext } from "../context.js";
import type { MicroCaseResult } from "../results.js";
import { runGuestBench } from "./guest-bench.js";

/** Runs the cores case. */
export async function runCoresCase(ctx: BenchContext): Promise<MicroCaseResult> {
  const { runs, skipped } = await runGuestBench(ctx, { app: "cores", label: "Toro: hash job, 1 vs 2 cores", cpus: 2, cmdline: `rounds=${ctx.options.quick ? 3 : 5}` });
  return { runs, skipped, method: "raw Atomics on shared-region words + doorbell (CoreHardware face), no scheduler" };
}
