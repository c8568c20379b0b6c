import { describe, expect, it } from "vitest";
import { allTables, bootTable, formatBytes, formatMs, formatRatio, memoryTable, runsOnLabel, sizeTable } from "./report-tables.js";
import { sampleResults } from "./test-fixtures.js";

describe("formatters", () => {
  it("formats durations by size", () => {
    expect(formatMs(4.567)).toBe("4.57");
    expect(formatMs(45.67)).toBe("45.7");
    expect(formatMs(4567.8)).toBe("4568");
  });
  it("formats bytes and ratios", () => {
    expect(formatBytes(133_120)).toBe("133,120 B (130.0 KiB)");
    expect(formatBytes(3 * 2 ** 20)).toBe("3,145,728 B (3.00 MiB)");
    expect(formatRatio(null)).toBe("—");
    expect(formatRatio(2.345)).toBe("×2.35");
    expect(formatRatio(432.1)).toBe("×432");
    expect(formatRatio(0.0023)).toBe("×0.0023");
  });
  it("never calls PVM plain KVM", () => {
    expect(runsOnLabel("kvm", "KVM (PVM, nested)")).toBe("KVM (PVM)");
    expect(runsOnLabel("kvm", "KVM (VT-x)")).toBe("KVM");
    expect(runsOnLabel("tcg", "")).toBe("TCG");
  });
});

describe("bootTable", () => {
  const table = bootTable(sampleResults())!;
  it("shows median [min–max] and ratios to each baseline of the same run", () => {
    const toro = table.rows[0]!;
    expect(toro[1]).toBe("KVM (PVM)");
    expect(toro[3]).toBe("55.0 [50.0–60.0]");
    expect(toro[5]).toBe("5.00"); // guest→main median
    expect(toro[6]).toBe("×2.20"); // 55 / 25, bare PVH on KVM
    expect(toro[7]).toBe("×0.55"); // 55 / 100, node on the host
    expect(toro[8]).toBe("×0.011"); // 55 / 5000, Linux VM (TCG)
  });
  it("has no bare-PVH ratio for host rows and lists what was skipped", () => {
    expect(table.rows[2]![6]).toBe("—");
    expect(table.notes.some((n) => n.includes("qboot.rom is absent"))).toBe(true);
  });
});

describe("sizeTable and memoryTable", () => {
  it("labels the published figure and divides by the baselines", () => {
    const t = sizeTable(sampleResults())!;
    const original = t.rows.find((r) => r[0] === "original Toro")!;
    expect(original[1]).toBe("published");
    const toro = t.rows[0]!;
    expect(toro[4]).toBe("×6.51"); // 867245 / 133120
  });
  it("gives floors in MiB with the ratio to the Linux VM", () => {
    const t = memoryTable(sampleResults())!;
    expect(t.rows[0]!.slice(2)).toEqual(["6 MiB", "2–128 MiB", "1", "×0.025"]);
  });
});

describe("allTables", () => {
  it("skips sections that did not run", () => {
    const r = sampleResults();
    delete r.memory;
    delete r.idle;
    expect(allTables(r).map((t) => t.title.split(" ")[0])).toEqual(["Boot", "Image", "HTTP"]);
  });
});
