// Bench app (tooling/bench/apps/yield), the image's edge: wires the guest's clock, timers and job
// queues into the shared yield workload, then exits 0. `samples=N` on the command line sets the
// number of timed samples (default 5). Imports @toro/kernel and the workload.
import { exit, hardware, parseBootCommandLine } from "@toro/kernel";
import { runYieldBench } from "./workload.js";

// The image's runtime has Node's setImmediate; its typings do not name it.
const immediate = (globalThis as unknown as { setImmediate(fn: () => void): unknown }).setImmediate;

async function main(): Promise<void> {
  const hw = hardware();
  const samples = Number(parseBootCommandLine(hw.bootCommandLine()).options["samples"] ?? "5");
  await runYieldBench(
    {
      clock: hw.clock,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h),
      queueMicrotask: (fn) => queueMicrotask(fn),
      setImmediate: immediate,
      print: (line) => console.log(line),
    },
    samples,
  );
  exit(0);
}

void main();
