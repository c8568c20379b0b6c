// Bench case 5, idle cost (@toro/bench): host CPU time (user + system, all threads) that QEMU uses
// while the idle app waits on a long timer, over a fixed window after its "ready" line. Reads
// /proc/<pid>/stat; uses targets and timed-process; renders nothing.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { BenchContext } from "../context.js";
import { cpuTicksFromStat } from "../proc-stat.js";
import type { IdleResult, Skipped } from "../results.js";
import { toroTarget } from "../targets.js";
import { timedRun } from "../timed-process.js";

function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100; // USER_HZ on every Linux architecture we run on
  }
}

/** Runs the idle case. */
export async function runIdleCase(ctx: BenchContext): Promise<{ results: IdleResult[]; skipped: Skipped[] }> {
  const hz = clockTicksPerSecond();
  const windowMs = ctx.options.idleSeconds * 1000;
  const accels: ("kvm" | "tcg")[] = ctx.kvmUsable ? ["kvm", "tcg"] : ["tcg"];
  const results: IdleResult[] = [];
  const skipped: Skipped[] = [];
  for (const accel of accels) {
    const target = toroTarget({ id: `toro-idle-${accel}`, label: "Toro idle app (microvm)", qemu: ctx.qemu, image: ctx.idle.imagePath, accel, match: "idle: ready" });
    ctx.progress.status(`idle: ${target.label} [${accel}] watching for ${ctx.options.idleSeconds} s`);
    let measured: { cpuMs: number; windowMs: number } | string = "the guest never printed its ready line";
    const { command, args } = target.command();
    await timedRun({
      command,
      args,
      match: target.match,
      timeoutMs: windowMs + target.timeoutMs,
      onMatch: (pid, stop) => {
        const sample = (): { ticks: number; at: number } => ({ ticks: cpuTicksFromStat(readFileSync(`/proc/${pid}/stat`, "utf8")), at: performance.now() });
        const start = sample();
        setTimeout(() => {
          try {
            const end = sample();
            measured = { cpuMs: ((end.ticks - start.ticks) * 1000) / hz, windowMs: end.at - start.at };
          } catch (error) {
            measured = `cannot read /proc/${pid}/stat: ${String(error)}`;
          }
          stop();
        }, windowMs);
      },
    });
    const m = measured as { cpuMs: number; windowMs: number } | string;
    if (typeof m === "string") skipped.push({ id: target.id, label: `${target.label} [${accel}]`, reason: m });
    else results.push({ id: target.id, label: target.label, runsOn: accel, windowMs: m.windowMs, cpuMs: m.cpuMs, cpuPercent: (100 * m.cpuMs) / m.windowMs });
  }
  return { results, skipped };
}
