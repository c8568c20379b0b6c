// Bench harness (@toro/bench), pure: turns raw results into table models (title, headers, rows,
// notes) that the text, Markdown renderers share, with medians and the ratios to each baseline
// measured in the same run. No I/O; must not import the cases or spawn anything.
import { ratio, summarize } from "./stats.js";
import type { BenchResults, BootCaseResult, RunsOn, Skipped } from "./results.js";
import { blkTable, fsTable, httpTable } from "./io-tables.js";
import { allocTable, coresTable, crossCoreTable, yieldTable } from "./micro-tables.js";

/** A table ready to print. */
export interface TableModel {
  title: string;
  headers: string[];
  /** "l" or "r" per column. */
  align: ("l" | "r")[];
  rows: string[][];
  notes: string[];
}

/** A duration in ms, with precision that fits its size. */
export function formatMs(ms: number): string {
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** Bytes with thousands separators and a binary-unit hint. */
export function formatBytes(bytes: number): string {
  const unit = bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(2)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes.toLocaleString("en-US")} B (${unit})`;
}

/** A ratio as "×1.23", or "—" when there is none. */
export function formatRatio(r: number | null): string {
  if (r === null) return "—";
  if (r >= 100) return `×${r.toFixed(0)}`;
  if (r >= 10) return `×${r.toFixed(1)}`;
  // Below 1, two significant digits: "×0.0023" still says something, "×0.00" does not.
  return r >= 1 ? `×${r.toFixed(2)}` : `×${r.toPrecision(2)}`;
}

/** How a figure's accelerator is named in tables: PVM's KVM is never passed off as VT-x. */
export function runsOnLabel(runsOn: RunsOn, kvmKind: string): string {
  if (runsOn === "tcg") return "TCG";
  if (runsOn === "host") return "host (no VM)";
  return /PVM/.test(kvmKind) ? "KVM (PVM)" : "KVM";
}

function spread(samples: number[]): string {
  const s = summarize(samples);
  return `${formatMs(s.median)} [${formatMs(s.min)}–${formatMs(s.max)}]`;
}

function skippedNotes(skipped: Skipped[]): string[] {
  return skipped.map((s) => `not measured: ${s.label}: ${s.reason}`);
}

function median(c: BootCaseResult | undefined): number | undefined {
  return c === undefined ? undefined : summarize(c.firstLineMs).median;
}

/** The boot-time table. Ratios compare first-line medians of this run. */
export function bootTable(results: BenchResults): TableModel | null {
  const boot = results.boot;
  if (boot === undefined) return null;
  const kvmKind = results.machine.kvmKind;
  const byKind = (kind: BootCaseResult["kind"], runsOn?: RunsOn): BootCaseResult | undefined =>
    boot.cases.find((c) => c.kind === kind && (runsOn === undefined || c.runsOn === runsOn));
  const node = byKind("node-host");
  const linux = byKind("linux-vm");
  const rows = boot.cases.map((c) => {
    const m = median(c);
    const bare = c.runsOn === "host" ? undefined : byKind("bare-pvh", c.runsOn);
    return [
      c.label,
      runsOnLabel(c.runsOn, kvmKind),
      String(c.firstLineMs.length),
      spread(c.firstLineMs),
      spread(c.exitMs),
      c.guestToMainMs === undefined ? "—" : formatMs(summarize(c.guestToMainMs).median),
      formatRatio(ratio(m, median(bare))),
      formatRatio(ratio(m, median(node))),
      formatRatio(ratio(m, median(linux))),
    ];
  });
  return {
    title: "Boot time (host wall ms from spawn; median [min–max])",
    headers: ["target", "runs on", "n", "to first line", "to exit", "guest→main", "÷ bare PVH", "÷ node host", "÷ Linux VM"],
    align: ["l", "l", "r", "r", "r", "r", "r", "r", "r"],
    rows,
    notes: [
      "Ratios divide this row's median time-to-first-line by the baseline's median from the same run; \"÷ bare PVH\" uses the bare kernel on the same accelerator.",
      "guest→main: the guest's own TSC time from its first instruction to the app's main, as hello prints it.",
      ...skippedNotes(boot.skipped),
    ],
  };
}

/** The image-size table. */
export function sizeTable(results: BenchResults): TableModel | null {
  const size = results.size;
  if (size === undefined) return null;
  const toro = size.images.find((i) => i.id === "toro-hello");
  const linux = size.images.find((i) => i.id === "linux-vm");
  const original = size.images.find((i) => i.id === "original-toro");
  const rows: string[][] = [];
  for (const image of size.images) {
    rows.push([
      image.label,
      image.source,
      formatBytes(image.totalBytes),
      formatRatio(ratio(image.totalBytes, linux?.totalBytes)),
      formatRatio(ratio(image.totalBytes, original?.totalBytes)),
    ]);
    for (const part of image.parts) rows.push([`  ${part.name}`, "", formatBytes(part.bytes), "", ""]);
  }
  return {
    title: "Image size",
    headers: ["image / part", "source", "bytes", "÷ Linux VM", "÷ original Toro"],
    align: ["l", "l", "r", "r", "r"],
    rows,
    notes: [
      ...(toro === undefined ? [] : [`Toro's JS is stored as ${toro.parts.some((p) => p.name.includes("bytecode")) ? "QuickJS bytecode" : "source"}; per-package rows count bundled JS source bytes.`]),
      "The original Toro's ~130 KB is its authors' published figure, not measured here.",
      ...skippedNotes(size.skipped),
    ],
  };
}

/** The memory-floor table. */
export function memoryTable(results: BenchResults): TableModel | null {
  const memory = results.memory;
  if (memory === undefined) return null;
  const linux = memory.floors.find((f) => f.id.startsWith("linux-vm"));
  return {
    title: "Memory floor (smallest -m that boots and exits 0)",
    headers: ["target", "runs on", "floor", "searched", "probes", "÷ Linux VM"],
    align: ["l", "l", "r", "r", "r", "r"],
    rows: memory.floors.map((f) => [
      f.label,
      runsOnLabel(f.runsOn, results.machine.kvmKind),
      f.floorMiB === null ? `fails at ${f.boundsMiB[1]} MiB` : `${f.floorMiB} MiB`,
      `${f.boundsMiB[0]}–${f.boundsMiB[1]} MiB`,
      String(f.probes.length),
      formatRatio(ratio(f.floorMiB ?? undefined, linux?.floorMiB ?? undefined)),
    ]),
    notes: ["One boot per probed size (bisection); QEMU sizes guest RAM in whole MiB here.", ...skippedNotes(memory.skipped)],
  };
}

/** The idle-cost table. */
export function idleTable(results: BenchResults): TableModel | null {
  const idle = results.idle;
  if (idle === undefined) return null;
  return {
    title: "Idle cost (host CPU used by QEMU while the guest waits on a timer)",
    headers: ["target", "runs on", "window", "host CPU time", "% of one CPU"],
    align: ["l", "l", "r", "r", "r"],
    rows: idle.results.map((r) => [
      r.label,
      runsOnLabel(r.runsOn, results.machine.kvmKind),
      `${(r.windowMs / 1000).toFixed(1)} s`,
      `${formatMs(r.cpuMs)} ms`,
      `${r.cpuPercent.toFixed(2)} %`,
    ]),
    notes: ["utime + stime of the QEMU process (all threads) from /proc/<pid>/stat, in clock ticks (10 ms at USER_HZ 100).", ...skippedNotes(idle.skipped)],
  };
}

/** Every table of a run, in report order. */
export function allTables(results: BenchResults): TableModel[] {
  return [bootTable, sizeTable, memoryTable, idleTable, httpTable, blkTable, fsTable, yieldTable, allocTable, crossCoreTable, coresTable].flatMap((f) => f(results) ?? []);
}
