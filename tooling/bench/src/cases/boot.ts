// Bench case 1, boot time (@toro/bench): host wall time from spawning to the first "Hello from
// Toro!" line and to exit, for apps/hello and the baselines, round-robin after one warm-up each so
// the machine's noise spreads over all targets alike. Uses timed-process and targets; renders nothing.
import { existsSync } from "node:fs";
import type { BenchContext } from "../context.js";
import type { BootCaseResult, Skipped } from "../results.js";
import { barePvhTarget, linuxVmTarget, nodeHostTarget, parseGuestToMainMs, QBOOT_ROM, toroTarget, type Target } from "../targets.js";
import { timedRun } from "../timed-process.js";

/** Every boot target this machine can run, and the ones it cannot, with the reason. */
export function bootTargets(ctx: BenchContext): { targets: Target[]; skipped: Skipped[] } {
  const { qemu } = ctx;
  const image = ctx.hello.imagePath;
  const targets: Target[] = [];
  const skipped: Skipped[] = [];
  if (ctx.kvmUsable) {
    targets.push(
      toroTarget({ id: "toro-hello-microvm-kvm", label: "Toro hello (microvm)", qemu, image, accel: "kvm" }),
      barePvhTarget({ qemu, elf: ctx.barePvh, accel: "kvm" }),
      toroTarget({ id: "toro-hello-q35-kvm", label: "Toro hello (q35, SeaBIOS)", qemu, image, accel: "kvm", machine: "q35" }),
    );
    if (existsSync(QBOOT_ROM)) {
      targets.push(
        toroTarget({ id: "toro-hello-q35-qboot-kvm", label: "Toro hello (q35, -bios qboot.rom)", qemu, image, accel: "kvm", machine: "q35", bios: QBOOT_ROM }),
      );
    } else {
      skipped.push({ id: "toro-hello-q35-qboot-kvm", label: "Toro hello (q35, qboot)", reason: `${QBOOT_ROM} is absent (Debian package qemu-system-data ships it)` });
    }
  } else {
    skipped.push({ id: "kvm", label: "every KVM target", reason: ctx.machine.kvmKind });
  }
  targets.push(
    toroTarget({ id: "toro-hello-microvm-tcg", label: "Toro hello (microvm)", qemu, image, accel: "tcg" }),
    barePvhTarget({ qemu, elf: ctx.barePvh, accel: "tcg" }),
    nodeHostTarget(),
  );
  if ("error" in ctx.linuxVm) {
    skipped.push({ id: "linux-vm-tcg", label: "Node.js in a Linux microVM", reason: ctx.linuxVm.error });
  } else {
    targets.push(linuxVmTarget({ qemu, vmlinuz: ctx.linuxVm.vmlinuz, initrd: ctx.linuxVm.initrd, tscKhz: ctx.machine.tscKhz }));
  }
  return { targets, skipped };
}

/** Runs the boot case. */
export async function runBootCase(ctx: BenchContext): Promise<{ cases: BootCaseResult[]; skipped: Skipped[] }> {
  const { targets, skipped } = bootTargets(ctx);
  const results = new Map<string, BootCaseResult>();
  let active = targets;
  const runs = ctx.options.runs;
  // Round 0 is the warm-up (page cache, QEMU's shared libraries, node's code cache): not recorded.
  for (let round = 0; round <= runs; round++) {
    const still: Target[] = [];
    for (const [i, target] of active.entries()) {
      const what = round === 0 ? "warm-up" : `run ${round}/${runs}`;
      ctx.progress.status(`boot: ${target.label} [${target.runsOn}] ${what} (target ${i + 1}/${active.length})`);
      const { command, args } = target.command();
      const run = await timedRun({ command, args, match: target.match, timeoutMs: target.timeoutMs });
      const failure = target.failure(run);
      if (failure !== null) {
        ctx.progress.note(`boot: ${target.label} [${target.runsOn}] failed, dropped: ${failure}`);
        skipped.push({ id: target.id, label: `${target.label} [${target.runsOn}]`, reason: failure });
        results.delete(target.id);
        continue;
      }
      still.push(target);
      if (round === 0) continue;
      const r = results.get(target.id) ?? {
        id: target.id,
        label: target.label,
        runsOn: target.runsOn,
        kind: target.kind,
        firstLineMs: [],
        exitMs: [],
      };
      r.firstLineMs.push(run.firstMatchMs!);
      r.exitMs.push(run.exitMs);
      const toMain = target.kind === "toro" ? parseGuestToMainMs(run.output) : undefined;
      if (toMain !== undefined) (r.guestToMainMs ??= []).push(toMain);
      results.set(target.id, r);
    }
    active = still;
  }
  return { cases: targets.flatMap((t) => results.get(t.id) ?? []), skipped };
}
