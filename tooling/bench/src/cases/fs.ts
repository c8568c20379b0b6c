// Bench case "fs" (@toro/bench, issue 6): FAT32 sequential write and read MB/s in the guest through
// @toro/fs (VFS, block cache, FAT) over virtio-blk, by booting the image-test fixture
// tooling/image-tests/fixtures/fs-bench (one write+fsync and one cold read of a 32 MiB file per boot,
// 256 KiB requests) on a fresh 64 MiB disk from `mkfs.fat`, once per sample, on microvm and q35 with
// KVM. Uses the guest runner's linker, targets and timed-process; renders nothing.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { decodeExitStatus } from "@toro/vm";
import type { BenchContext } from "../context.js";
import { repoRoot } from "../prepare.js";
import type { MicroCaseResult, MicroRun, Skipped } from "../results.js";
import { toroTarget } from "../targets.js";
import { timedRun } from "../timed-process.js";
import { parseFsBenchOutput } from "../tool-output.js";
import { linkAppDir } from "./guest-bench.js";

const workDir = fileURLToPath(new URL("../../.cache/fs", import.meta.url));
const FILE_MIB = 32;
const CHUNK_KIB = 256;
const DISK_MIB = 64;

/** Boots per machine: one write and one read figure each. */
export function fsBoots(quick: boolean): number {
  return quick ? 2 : 5;
}

/** Runs the fs case. */
export async function runFsCase(ctx: BenchContext): Promise<MicroCaseResult> {
  const method = `fs-bench fixture: write + fsync a ${FILE_MIB} MiB file in ${CHUNK_KIB} KiB requests on a fresh ${DISK_MIB} MiB FAT32 disk (mkfs.fat), remount, read it back cold; one boot per sample, -m 256M as its image test uses`;
  const runs: MicroRun[] = [];
  const skipped: Skipped[] = [];
  let image: string;
  try {
    execFileSync("mkfs.fat", ["--help"], { stdio: "ignore" });
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") {
      return { runs, skipped: [{ id: "fs", label: "FAT throughput", reason: "mkfs.fat is not installed (dosfstools)" }], method };
    }
  }
  try {
    image = await linkAppDir(ctx, "bench-fs-bench", `${repoRoot}tooling/image-tests/fixtures/fs-bench`);
  } catch (error) {
    return { runs, skipped: [{ id: "fs", label: "FAT throughput", reason: `link failed: ${(error as Error).message}` }], method };
  }
  mkdirSync(workDir, { recursive: true });
  const disk = `${workDir}/fat.img`;
  const accel = ctx.kvmUsable ? "kvm" : "tcg";
  for (const machine of ["microvm", "q35"] as const) {
    const label = `Toro @toro/fs FAT32 (${machine})`;
    const metrics: MicroRun["metrics"] = { "fs.seq_write": { unit: "MB/s", samples: [] }, "fs.seq_read": { unit: "MB/s", samples: [] } };
    let detail = "";
    let wallMs = 0;
    let failure: string | undefined;
    for (let boot = 0; boot < fsBoots(ctx.options.quick) && failure === undefined; boot++) {
      rmSync(disk, { force: true });
      execFileSync("mkfs.fat", ["-C", "-F", "32", disk, String(DISK_MIB * 1024)], { stdio: "pipe" });
      const target = toroTarget({
        id: `fs-${machine}-${accel}`,
        label,
        qemu: ctx.qemu,
        image,
        accel,
        machine,
        disks: [{ path: disk }],
        cmdline: `mib=${FILE_MIB} chunk=${CHUNK_KIB}`,
        match: "fs-bench: seq-write",
        timeoutMs: accel === "kvm" ? 120_000 : 300_000,
      });
      ctx.progress.status(`fs: ${label} [${accel}], boot ${boot + 1}`);
      const { command, args } = target.command(256);
      const run = await timedRun({ command, args, match: target.match, timeoutMs: target.timeoutMs });
      wallMs += run.exitMs;
      const parsed = parseFsBenchOutput(run.output);
      const code = decodeExitStatus(run.status);
      if (parsed instanceof Error || code !== 0) {
        const why = parsed instanceof Error ? parsed.message : `guest exit ${code ?? "none"}`;
        failure = `${run.timedOut ? "timed out; " : ""}${why}; ${run.output.trim().split("\n").slice(-2).join(" | ").slice(0, 200)}`;
        break;
      }
      metrics["fs.seq_write"]!.samples.push(parsed.writeMBs);
      metrics["fs.seq_read"]!.samples.push(parsed.readMBs);
      detail = parsed.detail;
    }
    if (failure !== undefined) skipped.push({ id: `fs-${machine}`, label: `${label} [${accel}]`, reason: failure });
    else runs.push({ id: `fs-${machine}-${accel}`, label, runsOn: accel, cpus: 1, machine, metrics, wallMs, detail });
  }
  rmSync(disk, { force: true });
  return { runs, skipped, method };
}
