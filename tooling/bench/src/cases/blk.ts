// Bench case "blk" (@toro/bench, issue 4): raw virtio-blk throughput in the guest —
// tooling/bench/apps/blk on microvm (virtio-mmio) and q35 (virtio-pci), KVM — beside the host
// reading and writing the same disk file: GNU dd with the same file size and 256 KiB requests, with
// O_DIRECT and through the page cache (QEMU's default cache mode goes through it too), and a QD1
// 4 KiB random reader (python3, os.preadv) for IOPS. Uses the guest runner and timed-process.
import { existsSync, mkdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseBenchOutput } from "../bench-lines.js";
import type { BenchContext } from "../context.js";
import type { MicroCaseResult, MicroRun, Skipped } from "../results.js";
import { timedRun } from "../timed-process.js";
import { parseDdOutput } from "../tool-output.js";
import { runGuestBench } from "./guest-bench.js";
import { samplesFor } from "./yield.js";

const workDir = fileURLToPath(new URL("../../.cache/blk", import.meta.url));
const REQUEST = 256 * 1024;
const NEVER = "\u0000never\u0000";

/** Disk size of the case: the guest and dd go over all of it per pass. */
export function blkDiskMiB(quick: boolean): number {
  return quick ? 64 : 128;
}

// A QD1 random 4 KiB reader for ~1 s (the host's IOPS baseline; dd cannot seek at random).
const RANDOM_READER = `
import mmap, os, sys, time
path, direct = sys.argv[1], sys.argv[2] == "1"
fd = os.open(path, os.O_RDONLY | (os.O_DIRECT if direct else 0))
slots = os.fstat(fd).st_size // 4096
buf = mmap.mmap(-1, 4096)
state, n = 1000, 0
start = time.perf_counter()
while True:
    state = (state * 1103515245 + 12345) & 0xffffffff
    os.preadv(fd, [buf], (state % slots) * 4096)
    n += 1
    if n % 64 == 0 and time.perf_counter() - start >= 1.0:
        break
print(f"BENCH blk.rand_read_qd1={n / (time.perf_counter() - start):.0f} unit=IOPS")
print("BENCH done")
`;

async function tool(command: string, args: string[]): Promise<{ stdout: string; stderr: string; ok: boolean }> {
  const run = await timedRun({ command, args, match: NEVER, timeoutMs: 120_000 });
  return { stdout: run.output, stderr: run.stderr, ok: run.status === 0 && !run.timedOut };
}

async function dd(args: string[]): Promise<number> {
  const r = await tool("dd", args);
  const parsed = parseDdOutput(r.stderr);
  if (!r.ok || parsed instanceof Error) throw new Error(`dd ${args.join(" ")}: ${parsed instanceof Error ? parsed.message : r.stderr.trim().slice(-200)}`);
  return parsed.mbPerSecond;
}

/** dd (and the random reader) on the host, over `disk`, one row per cache mode. */
async function hostRows(ctx: BenchContext, disk: string, mib: number, samples: number): Promise<{ runs: MicroRun[]; skipped: Skipped[] }> {
  const runs: MicroRun[] = [];
  const skipped: Skipped[] = [];
  const count = String((mib * 1024 * 1024) / REQUEST);
  const reader = `${workDir}/random-read.py`;
  writeFileSync(reader, RANDOM_READER);
  for (const direct of [true, false]) {
    const id = direct ? "blk-dd-direct" : "blk-dd-page-cache";
    const label = direct ? "dd on the host, O_DIRECT" : "dd on the host, page cache";
    ctx.progress.status(`blk: ${label}…`);
    const metrics: MicroRun["metrics"] = {
      "blk.seq_write_qd1": { unit: "MB/s", samples: [] },
      "blk.seq_read_qd1": { unit: "MB/s", samples: [] },
    };
    const started = performance.now();
    try {
      for (let s = 0; s < samples; s++) {
        const common = [`bs=${REQUEST / 1024}K`, `count=${count}`];
        metrics["blk.seq_write_qd1"]!.samples.push(
          await dd(["if=/dev/zero", `of=${disk}`, ...common, `conv=fdatasync,notrunc`, ...(direct ? ["oflag=direct"] : [])]),
        );
        metrics["blk.seq_read_qd1"]!.samples.push(await dd([`if=${disk}`, "of=/dev/null", ...common, ...(direct ? ["iflag=direct"] : [])]));
        const random = await tool("python3", [reader, disk, direct ? "1" : "0"]).catch((e: Error) => ({ stdout: "", stderr: e.message, ok: false }));
        const parsed = parseBenchOutput(random.stdout);
        const iops = parsed.metrics["blk.rand_read_qd1"];
        if (random.ok && iops !== undefined) (metrics["blk.rand_read_qd1"] ??= { unit: "IOPS", samples: [] }).samples.push(...iops.samples);
        else if (s === 0) skipped.push({ id: `${id}-random`, label: `${label}: 4 KiB random reads`, reason: `python3 reader failed: ${random.stderr.trim().slice(-200) || "no output"}` });
      }
      const detail = direct
        ? `dd bs=256K count=${count} oflag=direct conv=fdatasync / iflag=direct; random: python3 os.preadv, O_DIRECT, 1 in flight`
        : `dd bs=256K count=${count} conv=fdatasync / plain read (file in the page cache); random: python3 os.preadv, 1 in flight`;
      runs.push({ id, label, runsOn: "host", cpus: 1, metrics, wallMs: performance.now() - started, detail });
    } catch (error) {
      skipped.push({ id, label, reason: (error as Error).message });
    }
  }
  return { runs, skipped };
}

/** Runs the blk case. */
export async function runBlkCase(ctx: BenchContext): Promise<MicroCaseResult> {
  const samples = samplesFor(ctx.options.quick);
  const mib = blkDiskMiB(ctx.options.quick);
  mkdirSync(workDir, { recursive: true });
  const disk = `${workDir}/disk.img`;
  const fresh = (): void => {
    if (existsSync(disk)) rmSync(disk);
    writeFileSync(disk, "");
    truncateSync(disk, mib * 1024 * 1024); // sparse; every pass starts by writing all of it
  };
  const runs: MicroRun[] = [];
  const skipped: Skipped[] = [];
  const accels: ("kvm" | "tcg")[] = ctx.kvmUsable ? ["kvm"] : ["tcg"];
  for (const machine of ["microvm", "q35"] as const) {
    const r = await runGuestBench(ctx, {
      app: "blk",
      label: `Toro (${machine}, virtio-${machine === "microvm" ? "mmio" : "pci"})`,
      cpus: 1,
      machine,
      accels,
      disks: [{ path: disk }],
      cmdline: `samples=${samples}`,
      before: fresh,
    });
    runs.push(...r.runs.map((run) => ({ ...run, detail: `${mib} MiB raw disk file, QEMU's default cache (writeback: the host page cache)` })));
    skipped.push(...r.skipped);
  }
  const host = await hostRows(ctx, disk, mib, samples);
  rmSync(disk, { force: true });
  return {
    runs: [...runs, ...host.runs],
    skipped: [...skipped, ...host.skipped],
    method: `${mib} MiB disk file on the host's filesystem; sequential passes in 256 KiB requests over the whole disk (write, then flush), 4 KiB random reads for ~1 s per pass`,
  };
}
