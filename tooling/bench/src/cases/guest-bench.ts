// Bench harness (@toro/bench), the shared edge of the micro-benchmark cases (yield, alloc,
// cross-core, cores): links a bench app from tooling/bench/apps once per run, boots it under each
// usable accelerator with the asked vCPUs, and turns its `BENCH` lines into a `MicroRun` (or a
// `Skipped` with the reason). Also runs a Node script on the host the same way, for baselines.
// Uses targets, timed-process and the pure parser; renders nothing.
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { linkImage } from "@toro/linker";
import { parseBenchOutput } from "../bench-lines.js";
import type { BenchContext } from "../context.js";
import type { MicroRun, RunsOn, Skipped } from "../results.js";
import { toroTarget } from "../targets.js";
import { timedRun, type TimedRun } from "../timed-process.js";
import { decodeExitStatus, type DiskOption, type Machine } from "@toro/vm";

const imagesDir = fileURLToPath(new URL("../../.cache/images", import.meta.url));
const linked = new Map<string, string>();

/** The directory of bench app `name` (tooling/bench/apps/<name>). */
export function benchAppDir(name: string): string {
  return fileURLToPath(new URL(`../../apps/${name}`, import.meta.url));
}

/** Links tooling/bench/apps/<name> (once per bench run) and returns the image path. */
export async function linkBenchApp(ctx: BenchContext, name: string): Promise<string> {
  return linkAppDir(ctx, `bench-${name}`, benchAppDir(name));
}

/**
 * Links any app folder of the monorepo (an app, an image-test fixture) once per bench run into
 * tooling/bench/.cache/images/<imageName>.img — never into the app's own dist/.
 */
export async function linkAppDir(ctx: BenchContext, imageName: string, appDir: string): Promise<string> {
  const cached = linked.get(imageName);
  if (cached !== undefined) return cached;
  if (!existsSync(appDir)) throw new Error(`${appDir} does not exist`);
  mkdirSync(imagesDir, { recursive: true });
  ctx.progress.status(`linking ${appDir.replace(/^.*?\/(apps|tooling)\//, "$1/")}…`);
  const result = await linkImage({ appDir, out: `${imagesDir}/${imageName}.img`, sourceCondition: true });
  linked.set(imageName, result.imagePath);
  return result.imagePath;
}

function tail(run: TimedRun): string {
  return (run.output + run.stderr).trim().split("\n").slice(-3).join(" | ").slice(0, 300);
}

/** Judges one finished run of a workload: a MicroRun, or why there is none. */
function judge(run: TimedRun, base: Omit<MicroRun, "metrics" | "wallMs">, exitCode: number | null): MicroRun | Skipped {
  const parsed = parseBenchOutput(run.output);
  const label = `${base.label} [${base.runsOn}]`;
  if (run.timedOut) return { id: base.id, label, reason: `timed out after ${Math.round(run.exitMs)} ms; ${tail(run)}` };
  if (parsed.error !== undefined) return { id: base.id, label, reason: `the workload failed: ${parsed.error}` };
  if (!parsed.done || exitCode !== 0) return { id: base.id, label, reason: `exit ${exitCode ?? "none"} before "BENCH done"; ${tail(run)}` };
  return { ...base, metrics: parsed.metrics, wallMs: run.exitMs };
}

/** Options of one guest workload run. */
export interface GuestBenchOptions {
  app: string;
  /** Row label, e.g. "Toro, 2 threads on core 0". */
  label: string;
  cpus: number;
  cmdline?: string;
  /** Machine type; default microvm (recorded in the run when given). */
  machine?: Machine;
  /** virtio-blk disks to attach. */
  disks?: DiskOption[];
  /** Guest memory in MiB; default run-image's. */
  memoryMiB?: number;
  /** Accelerators to run on; default KVM (when usable) then TCG. */
  accels?: ("kvm" | "tcg")[];
  /** Called before each boot (e.g. to rebuild a disk image), with the accelerator. */
  before?: (accel: "kvm" | "tcg") => void;
}

/**
 * Boots the app once per usable accelerator (KVM first, then TCG) and collects its BENCH lines.
 *
 * @returns the runs that finished and the ones that did not, with why
 */
export async function runGuestBench(ctx: BenchContext, o: GuestBenchOptions): Promise<{ runs: MicroRun[]; skipped: Skipped[] }> {
  const runs: MicroRun[] = [];
  const skipped: Skipped[] = [];
  let image: string;
  try {
    image = await linkBenchApp(ctx, o.app);
  } catch (error) {
    return { runs, skipped: [{ id: `bench-${o.app}`, label: o.label, reason: `link failed: ${(error as Error).message}` }] };
  }
  const accels = (o.accels ?? ["kvm", "tcg"]).filter((a) => a === "tcg" || ctx.kvmUsable);
  for (const accel of accels) {
    o.before?.(accel);
    const target = toroTarget({
      id: `bench-${o.app}-${o.machine === undefined ? "" : `${o.machine}-`}${accel}`,
      label: o.label,
      qemu: ctx.qemu,
      image,
      accel,
      cpus: o.cpus,
      match: "BENCH done",
      timeoutMs: accel === "kvm" ? 90_000 : 180_000,
      ...(o.cmdline === undefined ? {} : { cmdline: o.cmdline }),
      ...(o.machine === undefined ? {} : { machine: o.machine }),
      ...(o.disks === undefined ? {} : { disks: o.disks }),
    });
    ctx.progress.status(`${o.app}: ${o.label} [${accel}, ${o.cpus} vCPU${o.machine === undefined ? "" : `, ${o.machine}`}]`);
    const { command, args } = target.command(o.memoryMiB);
    const run = await timedRun({ command, args, match: target.match, timeoutMs: target.timeoutMs });
    const base = { id: target.id, label: o.label, runsOn: accel, cpus: o.cpus, ...(o.machine === undefined ? {} : { machine: o.machine }) };
    const r = judge(run, base, decodeExitStatus(run.status));
    if ("metrics" in r) runs.push(r);
    else skipped.push(r);
  }
  return { runs, skipped };
}

/** Runs a Node script on the host (no VM) and collects its BENCH lines. */
export async function runHostBench(o: { id: string; label: string; script: string; args: string[] }): Promise<MicroRun | Skipped> {
  const run = await timedRun({ command: process.execPath, args: [o.script, ...o.args], match: "BENCH done", timeoutMs: 60_000 });
  return judge(run, { id: o.id, label: o.label, runsOn: "host" as RunsOn, cpus: 1 }, run.status);
}
