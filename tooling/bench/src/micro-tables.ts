// Bench harness (@toro/bench), pure: table models of the in-guest micro-benchmarks (yield, alloc,
// cross-core, cores) from their parsed `BENCH` samples — medians with [min–max], and ratios only
// between figures of the same run. No I/O; imports stats, result types and the shared formatters.
import type { BenchResults, MicroCaseResult, MicroRun, Skipped } from "./results.js";
import { formatRatio, runsOnLabel, type TableModel } from "./report-tables.js";
import { ratio, summarize } from "./stats.js";

/** A figure with precision that fits its size, thousands separated. */
export function formatFigure(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** The median of a metric of a run, or undefined when the run did not print it. */
export function metricMedian(run: MicroRun | undefined, metric: string): number | undefined {
  const m = run?.metrics[metric];
  return m === undefined || m.samples.length === 0 ? undefined : summarize(m.samples).median;
}

/** "median [min–max]" of a metric, or "—". */
export function metricSpread(run: MicroRun | undefined, metric: string): string {
  const m = run?.metrics[metric];
  if (m === undefined || m.samples.length === 0) return "—";
  const s = summarize(m.samples);
  return s.n === 1 ? formatFigure(s.median) : `${formatFigure(s.median)} [${formatFigure(s.min)}–${formatFigure(s.max)}]`;
}

function skippedNotes(skipped: Skipped[]): string[] {
  return skipped.map((s) => `not measured: ${s.label}: ${s.reason}`);
}

function guestRuns(c: MicroCaseResult): MicroRun[] {
  return c.runs.filter((r) => r.runsOn !== "host");
}

/** The yield table: ns per switch per run, divided by Node on the host from the same run. */
export function yieldTable(results: BenchResults): TableModel | null {
  const c = results.yield;
  if (c === undefined) return null;
  const node = c.runs.find((r) => r.runsOn === "host");
  const nodeSwitch = metricMedian(node, "yield.switch_ns");
  return {
    title: "Yield round trip between two threads on one core (ns; median [min–max] of the samples)",
    headers: ["runs", "runs on", "samples", "ns per switch", "ns per round trip", "÷ Node on host"],
    align: ["l", "l", "r", "r", "r", "r"],
    rows: c.runs.map((r) => [
      r.label,
      runsOnLabel(r.runsOn, results.machine.kvmKind),
      String(r.metrics["yield.switch_ns"]?.samples.length ?? 0),
      metricSpread(r, "yield.switch_ns"),
      metricSpread(r, "yield.round_trip_ns"),
      formatRatio(ratio(metricMedian(r, "yield.switch_ns"), nodeSwitch)),
    ]),
    notes: [
      `Method: ${c.method}. A round trip is two switches (A → B → A); each sample is calibrated to ~150 ms of the runner's own clock.`,
      "The Node row runs the same workload file (bundled with esbuild) with V8's JIT on the host; the image runs QuickJS, an interpreter.",
      "\"÷ Node on host\" divides this row's median ns per switch by Node's from the same run.",
      ...skippedNotes(c.skipped),
    ],
  };
}

const ALLOC_SIZES: { label: string; toro: string; naive: string; typed: string }[] = [
  { label: "64 B", toro: "alloc.toro.64", naive: "alloc.naive.64", typed: "alloc.typed-array.64" },
  { label: "2 KiB", toro: "alloc.toro.2048", naive: "alloc.naive.2048", typed: "alloc.typed-array.2048" },
  { label: "8 KiB", toro: "alloc.toro.8192", naive: "alloc.naive.8192", typed: "alloc.typed-array.8192" },
  { label: "2 KiB pool buffer", toro: "alloc.toro.pool-2048", naive: "alloc.naive.2048", typed: "alloc.typed-array.2048" },
];

/** The allocator table: ops/s of @toro/memory beside the naive allocator and new Uint8Array, same guest run. */
export function allocTable(results: BenchResults): TableModel | null {
  const c = results.alloc;
  if (c === undefined) return null;
  const rows: string[][] = [];
  for (const r of guestRuns(c)) {
    for (const size of ALLOC_SIZES) {
      const toro = metricMedian(r, size.toro);
      rows.push([
        size.label,
        runsOnLabel(r.runsOn, results.machine.kvmKind),
        metricSpread(r, size.toro),
        metricSpread(r, size.naive),
        metricSpread(r, size.typed),
        formatRatio(ratio(toro, metricMedian(r, size.naive))),
        formatRatio(ratio(toro, metricMedian(r, size.typed))),
      ]);
    }
  }
  return {
    title: "Allocator: allocate + free per second (ops/s; median [min–max])",
    headers: ["block", "runs on", "@toro/memory", "naive (bump + free list)", "new Uint8Array", "toro ÷ naive", "toro ÷ Uint8Array"],
    align: ["l", "l", "r", "r", "r", "r", "r"],
    rows,
    notes: [
      `Method: ${c.method}; all three allocators in the same guest run, on core 0.`,
      "@toro/memory hands out physical, DMA-able blocks (buddy pages, size-class slabs, pools) with statistics and misuse checks; the naive allocator is a bump pointer with exact-size free lists over one ArrayBuffer (no coalescing, no physical addresses); new Uint8Array leaves freeing to QuickJS's reference counting.",
      "The pool row compares a 2 KiB buffer of a 256-buffer pool with the naive allocator's and Uint8Array's 2 KiB figures.",
      ...skippedNotes(c.skipped),
    ],
  };
}

const CROSS_CORE_METRICS: { metric: string; label: string }[] = [
  { metric: "cross-core.round_trip_us", label: "round trip, number message (µs)" },
  { metric: "cross-core.small_msgs_per_s", label: "one-way stream, 2-byte messages (msg/s)" },
  { metric: "cross-core.kib_msgs_per_s", label: "one-way stream, 1 KiB messages (msg/s)" },
  { metric: "cross-core.mb_per_s", label: "one-way stream, 1 KiB messages (MB/s)" },
  { metric: "cross-core.raw_doorbell_round_trip_us", label: "raw: Atomics word + doorbell each way, round trip (µs)" },
  { metric: "cross-core.raw_spin_round_trip_us", label: "raw: Atomics word, both cores spinning, round trip (µs)" },
];

/** The cross-core table: one column per accelerator, one row per measure. */
export function crossCoreTable(results: BenchResults): TableModel | null {
  const c = results.crossCore;
  if (c === undefined) return null;
  const runs = guestRuns(c);
  return {
    title: "Cross-core messages, core 0 ↔ core 1, 2 vCPUs (median [min–max])",
    headers: ["measure", ...runs.map((r) => runsOnLabel(r.runsOn, results.machine.kvmKind))],
    align: ["l", ...runs.map(() => "r" as const)],
    rows: CROSS_CORE_METRICS.map((m) => [m.label, ...runs.map((r) => metricSpread(r, m.metric))]),
    notes: [
      `Method (first four rows): ${c.method}. The raw rows run in the same boot before bootCores, on words of the shared region, to separate the kernel's doorbell and the vCPUs' scheduling from the glue.`,
      "Both vCPUs are host threads on a 2-core host shared with other work: when the host deschedules one, a round trip waits for it (the spinning row shows this most).",
      ...skippedNotes(c.skipped),
    ],
  };
}

/** The 1 → 2 cores speed-up table. */
export function coresTable(results: BenchResults): TableModel | null {
  const c = results.cores;
  if (c === undefined) return null;
  return {
    title: "Speed-up of a CPU-bound job from 1 to 2 cores (same work; ms median [min–max])",
    headers: ["runs on", "vCPUs", "iterations", "core 0 alone", "core 0 + core 1", "speed-up", "target ×1.8"],
    align: ["l", "r", "r", "r", "r", "r", "l"],
    rows: guestRuns(c).map((r) => {
      const one = metricMedian(r, "cores.one_core_ms");
      const two = metricMedian(r, "cores.two_cores_ms");
      const speedup = ratio(one, two);
      const best = r.metrics["cores.speedup"];
      return [
        runsOnLabel(r.runsOn, results.machine.kvmKind),
        String(r.cpus),
        metricSpread(r, "cores.iterations"),
        metricSpread(r, "cores.one_core_ms"),
        metricSpread(r, "cores.two_cores_ms"),
        `${formatRatio(speedup)}${best === undefined || best.samples.length === 0 ? "" : ` (best round ${formatRatio(Math.max(...best.samples))})`}`,
        speedup === null ? "—" : speedup >= 1.8 ? "met" : "not met",
      ];
    }),
    notes: [
      `Method: ${c.method}. One 2-vCPU boot: rounds alternate core 0 alone and the halves split between core 0 and core 1; both results are checked against core 0's.`,
      "Speed-up = median ms alone ÷ median ms split, from the same boot. The host has 2 cores shared with other work (see the load average in the notes), so two vCPUs rarely get two host CPUs at once.",
      ...skippedNotes(c.skipped),
    ],
  };
}
