// Bench app (tooling/bench/apps/yield), the Node edge: the same workload with Node's clock, timers
// and job queues, bundled by the harness (esbuild) and run with `node` on the host as the baseline.
// `node yield-node.mjs [samples]`. Imports the workload only; Node globals are the edge.
import { runYieldBench } from "./workload.js";

const samples = Number(process.argv[2] ?? "5");
void runYieldBench(
  {
    clock: { nowMs: () => performance.now() },
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h),
    queueMicrotask: (fn) => queueMicrotask(fn),
    setImmediate: (fn) => setImmediate(fn),
    print: (line) => console.log(line),
  },
  samples,
);
