import { describe, expect, it } from "vitest";
import { allocTable, coresTable, crossCoreTable, formatFigure, metricMedian, metricSpread, yieldTable } from "./micro-tables.js";
import { allTables } from "./report-tables.js";
import type { BenchResults, MicroRun } from "./results.js";
import { sampleResults } from "./test-fixtures.js";

function run(runsOn: MicroRun["runsOn"], metrics: Record<string, number[]>, unit = "x"): MicroRun {
  return {
    id: `r-${runsOn}`,
    label: runsOn === "host" ? "Node on the host" : "Toro",
    runsOn,
    cpus: runsOn === "host" ? 1 : 2,
    wallMs: 1000,
    metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, { unit, samples: v }])),
  };
}

function withMicro(): BenchResults {
  const r = sampleResults();
  r.yield = {
    method: "m",
    skipped: [],
    runs: [run("kvm", { "yield.switch_ns": [5000, 4000, 6000], "yield.round_trip_ns": [10000] }), run("tcg", { "yield.switch_ns": [60000] }), run("host", { "yield.switch_ns": [500, 600, 400] })],
  };
  r.alloc = {
    method: "m",
    skipped: [{ id: "a", label: "alloc [tcg]", reason: "timed out" }],
    runs: [run("kvm", { "alloc.toro.64": [100_000], "alloc.naive.64": [800_000], "alloc.typed-array.64": [1_600_000], "alloc.toro.pool-2048": [200_000], "alloc.naive.2048": [400_000] })],
  };
  r.crossCore = { method: "m", skipped: [], runs: [run("kvm", { "cross-core.round_trip_us": [900, 1000, 1100] }), run("tcg", { "cross-core.mb_per_s": [0.2] })] };
  r.cores = { method: "m", skipped: [], runs: [run("kvm", { "cores.one_core_ms": [400, 410, 420], "cores.two_cores_ms": [200, 220, 210], "cores.speedup": [2, 1.86, 2.0] }), run("tcg", { "cores.one_core_ms": [300], "cores.two_cores_ms": [300] })] };
  return r;
}

describe("metric helpers", () => {
  it("take medians and spreads, or a dash when the metric is missing", () => {
    const r = run("kvm", { a: [3, 1, 2] });
    expect(metricMedian(r, "a")).toBe(2);
    expect(metricMedian(r, "b")).toBeUndefined();
    expect(metricSpread(r, "a")).toBe("2.00 [1.00–3.00]");
    expect(metricSpread(r, "b")).toBe("—");
    expect(formatFigure(1234567.8)).toBe("1,234,568");
    expect(formatFigure(0.2)).toBe("0.200");
  });
});

describe("micro tables", () => {
  it("divide yield by Node's median from the same run", () => {
    const t = yieldTable(withMicro())!;
    expect(t.rows[0]![1]).toBe("KVM (PVM)");
    expect(t.rows[0]![5]).toBe("×10.0"); // 5000 / 500
    expect(t.rows[1]![5]).toBe("×120"); // 60000 / 500
    expect(t.rows[2]![5]).toBe("×1.00");
  });
  it("compare the allocator with the naive one and Uint8Array, pool against naive 2 KiB", () => {
    const t = allocTable(withMicro())!;
    const row64 = t.rows.find((r) => r[0] === "64 B")!;
    expect(row64.slice(5)).toEqual(["×0.13", "×0.063"]);
    const pool = t.rows.find((r) => r[0] === "2 KiB pool buffer")!;
    expect(pool[5]).toBe("×0.50");
    expect(t.notes.some((n) => n.includes("not measured: alloc [tcg]: timed out"))).toBe(true);
  });
  it("lay out cross-core measures with one column per accelerator", () => {
    const t = crossCoreTable(withMicro())!;
    expect(t.headers.slice(1)).toEqual(["KVM (PVM)", "TCG"]);
    expect(t.rows[0]!.slice(1)).toEqual(["1,000 [900.0–1,100]", "—"]);
  });
  it("compute the speed-up from medians of the same boot and judge the target", () => {
    const t = coresTable(withMicro())!;
    expect(t.rows[0]![5]).toBe("×1.95 (best round ×2.00)"); // 410 / 210
    expect(t.rows[0]![6]).toBe("met");
    expect(t.rows[1]![5]).toBe("×1.00");
    expect(t.rows[1]![6]).toBe("not met");
  });
  it("appear in allTables after the existing tables", () => {
    const titles = allTables(withMicro()).map((t) => t.title.split(" ")[0]);
    expect(titles.slice(-4)).toEqual(["Yield", "Allocator:", "Cross-core", "Speed-up"]);
  });
});
