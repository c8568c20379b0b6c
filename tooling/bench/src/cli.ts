// Bench harness (@toro/bench), the `pnpm bench` entry: parses arguments, prepares images, runs the
// chosen cases in order, prints the tables on stdout (progress on stderr), and writes the raw JSON,
// docs/benchmarks.md and the SVG. The only file that composes cases and renderers; nothing imports it.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { DEFAULT_MEMORY_MIB, findQemu, probeKvm } from "@toro/vm";
import { runAllocCase } from "./cases/alloc.js";
import { runBlkCase } from "./cases/blk.js";
import { runBootCase } from "./cases/boot.js";
import { runCoresCase } from "./cases/cores.js";
import { runCrossCoreCase } from "./cases/cross-core.js";
import { runFsCase } from "./cases/fs.js";
import { runHttpCase } from "./cases/http.js";
import { runIdleCase } from "./cases/idle.js";
import { runSizeCase } from "./cases/image-size.js";
import { runMemoryCase } from "./cases/memory-floor.js";
import { runYieldCase } from "./cases/yield.js";
import { parseBenchArgs, USAGE, type BenchOptions } from "./cli-args.js";
import type { BenchContext } from "./context.js";
import { ensureLinuxVm } from "./linux-vm.js";
import { describeMachine } from "./machine.js";
import { renderMarkdownReport } from "./markdown.js";
import { prepare, repoRoot } from "./prepare.js";
import { Progress } from "./progress.js";
import { allTables } from "./report-tables.js";
import type { BenchResults } from "./results.js";
import { renderBootSvg } from "./svg.js";
import { LINUX_VM_MEMORY_MIB } from "./targets.js";
import { renderTextTable } from "./text-table.js";
import { killAll } from "./timed-process.js";

async function main(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const progress = new Progress();
  const qemu = await findQemu();
  const kvmUsable = (await probeKvm()).usable;
  const machine = await describeMachine(qemu);
  progress.note(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.kvmKind}; ${machine.qemuVersion}`);
  const prepared = await prepare((t) => progress.status(t));
  const needsLinux = options.cases.some((c) => c === "boot" || c === "size" || c === "memory");
  const linuxVm = options.skipLinux
    ? { error: "skipped (--no-linux)" }
    : needsLinux
      ? ensureLinuxVm((t) => progress.status(t))
      : { error: "not needed by the chosen cases" };
  if ("error" in linuxVm && !options.skipLinux && needsLinux) progress.note(`Linux microVM baseline unavailable: ${linuxVm.error}`);
  const ctx: BenchContext = { options, qemu, kvmUsable, machine, ...prepared, linuxVm, progress };

  const results: BenchResults = {
    format: 1,
    date: new Date().toISOString(),
    quick: options.quick,
    runsPerCase: options.runs,
    machine,
    notes: [],
  };
  const [load1, load5] = loadavg();
  results.notes.push(`Host load average when the run started: ${load1?.toFixed(2)} (1 min), ${load5?.toFixed(2)} (5 min) on ${machine.cores} cores — other work shares this machine.`);
  if (options.quick) results.notes.push("Quick pass: few runs per target; medians are indicative only.");
  if (!kvmUsable) results.notes.push(`KVM unusable here (${machine.kvmKind}); only TCG was measured.`);
  results.notes.push(
    "microvm's default firmware in QEMU 7.2 is already qboot (bios-microvm.bin); the qboot comparison is therefore made on q35 (SeaBIOS vs -bios qboot.rom).",
  );
  results.notes.push(`Every VM boots with run-image's flags and -m ${DEFAULT_MEMORY_MIB}M, except the Linux microVM (-m ${LINUX_VM_MEMORY_MIB}M: its initramfs does not fit in less; see its memory floor).`);
  if (!("error" in linuxVm)) {
    results.notes.push(
      `Linux microVM: Debian kernel ${linuxVm.kernelRelease}, Debian node ${linuxVm.nodeVersion} (the host runs ${process.version}), busybox /init, ${linuxVm.compression} initramfs, built by tooling/bench/linux-vm/build.sh; it powers off after printing, as it has no /dev/port to reach isa-debug-exit.`,
    );
  }

  for (const c of options.cases) {
    if (c === "boot") results.boot = await runBootCase(ctx);
    else if (c === "size") results.size = await runSizeCase(ctx);
    else if (c === "memory") results.memory = await runMemoryCase(ctx);
    else if (c === "idle") results.idle = await runIdleCase(ctx);
    else if (c === "yield") results.yield = await runYieldCase(ctx);
    else if (c === "alloc") results.alloc = await runAllocCase(ctx);
    else if (c === "cross-core") results.crossCore = await runCrossCoreCase(ctx);
    else if (c === "cores") results.cores = await runCoresCase(ctx);
    else if (c === "blk") results.blk = await runBlkCase(ctx);
    else if (c === "fs") results.fs = await runFsCase(ctx);
    else results.http = await runHttpCase(ctx);
  }
  progress.clear();

  console.log(allTables(results).map(renderTextTable).join("\n\n"));
  if (results.notes.length > 0) console.log(`\nNotes\n${results.notes.map((n) => `  * ${n}`).join("\n")}`);
  const json = `${JSON.stringify(results, null, 2)}\n`;
  if (options.jsonPath !== undefined) {
    const path = resolve(process.env["INIT_CWD"] ?? process.cwd(), options.jsonPath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, json);
    progress.note(`raw results: ${path}`);
  }
  if (options.writeReport) {
    const docs = `${repoRoot}docs`;
    mkdirSync(`${docs}/benchmarks`, { recursive: true });
    writeFileSync(`${docs}/benchmarks/results.json`, json);
    let svg: string | undefined;
    if (results.boot !== undefined && results.boot.cases.length > 0) {
      writeFileSync(`${docs}/benchmarks/boot-times.svg`, renderBootSvg(results.boot.cases, machine.kvmKind));
      svg = "benchmarks/boot-times.svg";
    }
    writeFileSync(`${docs}/benchmarks.md`, renderMarkdownReport(results, svg));
    progress.note("wrote docs/benchmarks.md, docs/benchmarks/results.json" + (svg === undefined ? "" : ", docs/benchmarks/boot-times.svg"));
  }
  return 0;
}

process.on("SIGINT", () => {
  killAll();
  process.exit(130);
});
process.on("SIGTERM", () => {
  killAll();
  process.exit(143);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    killAll();
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
