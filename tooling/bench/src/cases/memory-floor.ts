// Bench case 3, memory floor (@toro/bench): the smallest `-m` (whole MiB, QEMU's granularity here)
// with which a target boots and exits cleanly, by bisection. One probe per size: a flaky boot near
// the floor can shift it by a step, which the report says. Uses bisect, targets and timed-process.
import { findFloor } from "../bisect.js";
import type { BenchContext } from "../context.js";
import type { MemoryFloorResult, Skipped } from "../results.js";
import { linuxVmTarget, toroTarget, type Target } from "../targets.js";
import { timedRun } from "../timed-process.js";

interface FloorJob {
  target: Target;
  bounds: [number, number];
  probeTimeoutMs: number;
}

/** Runs the memory-floor case. */
export async function runMemoryCase(ctx: BenchContext): Promise<{ floors: MemoryFloorResult[]; skipped: Skipped[] }> {
  const image = ctx.hello.imagePath;
  const jobs: FloorJob[] = [];
  const skipped: Skipped[] = [];
  // 2 MiB is the least run-image accepts; 128 MiB is its default, which hello boots with.
  if (ctx.kvmUsable) {
    jobs.push({ target: toroTarget({ id: "toro-hello-kvm", label: "Toro hello (microvm)", qemu: ctx.qemu, image, accel: "kvm" }), bounds: [2, 128], probeTimeoutMs: 20_000 });
  }
  jobs.push({ target: toroTarget({ id: "toro-hello-tcg", label: "Toro hello (microvm)", qemu: ctx.qemu, image, accel: "tcg" }), bounds: [2, 128], probeTimeoutMs: 30_000 });
  if ("error" in ctx.linuxVm) {
    skipped.push({ id: "linux-vm-tcg", label: "Node.js in a Linux microVM", reason: ctx.linuxVm.error });
  } else {
    const vm = ctx.linuxVm;
    // The initramfs is unpacked into RAM beside the compressed copy: start the search above that.
    jobs.push({
      target: linuxVmTarget({ qemu: ctx.qemu, vmlinuz: vm.vmlinuz, initrd: vm.initrd, tscKhz: ctx.machine.tscKhz }),
      bounds: [32, 1024],
      probeTimeoutMs: 90_000,
    });
  }
  const floors: MemoryFloorResult[] = [];
  for (const job of jobs) {
    const { target } = job;
    const result = await findFloor(job.bounds[0], job.bounds[1], async (memoryMiB) => {
      ctx.progress.status(`memory: ${target.label} [${target.runsOn}] trying -m ${memoryMiB}M`);
      const { command, args } = target.command(memoryMiB);
      const run = await timedRun({ command, args, match: target.match, timeoutMs: job.probeTimeoutMs });
      return target.failure(run) === null;
    });
    floors.push({
      id: target.id,
      label: target.label,
      runsOn: target.runsOn,
      floorMiB: result.floor,
      probes: result.probes.map((p) => ({ memoryMiB: p.value, ok: p.ok })),
      boundsMiB: job.bounds,
    });
  }
  return { floors, skipped };
}
