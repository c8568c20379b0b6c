// Bench case "yield" (@toro/bench): the round trip of two @toro/process threads handing one core to
// each other with `yield()`, in the image (KVM (PVM), TCG) and — the same workload file bundled with
// esbuild (the `toro-source` condition, as the linker bundles it) — on Node on the host, all in one
// run. Uses the guest runner; renders nothing.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { BenchContext } from "../context.js";
import type { MicroCaseResult } from "../results.js";
import { benchAppDir, runGuestBench, runHostBench } from "./guest-bench.js";

const cacheDir = fileURLToPath(new URL("../../.cache", import.meta.url));

/** Timed samples per run (after one calibration pass). */
export function samplesFor(quick: boolean): number {
  return quick ? 3 : 7;
}

/** Runs the yield case. */
export async function runYieldCase(ctx: BenchContext): Promise<MicroCaseResult> {
  const samples = samplesFor(ctx.options.quick);
  const { runs, skipped } = await runGuestBench(ctx, { app: "yield", label: "Toro: 2 threads on core 0", cpus: 1, cmdline: `samples=${samples}` });
  ctx.progress.status("yield: bundling the same workload for Node on the host…");
  const script = `${cacheDir}/yield-node.mjs`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    await build({
      entryPoints: [`${benchAppDir("yield")}/src/node-main.ts`],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["toro-source"],
      outfile: script,
      logLevel: "silent",
    });
    ctx.progress.status("yield: Node on the host…");
    const host = await runHostBench({ id: "yield-node-host", label: `Node ${process.version} on the host: same code`, script, args: [String(samples)] });
    if ("metrics" in host) runs.push(host);
    else skipped.push(host);
  } catch (error) {
    skipped.push({ id: "yield-node-host", label: "Node on the host", reason: `esbuild failed: ${(error as Error).message}` });
  }
  return { runs, skipped, method: "@toro/process createScheduler + yield(); switches counted by the scheduler" };
}
