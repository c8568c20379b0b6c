// Bench harness (@toro/bench): the things a case boots — a Toro image, the bare PVH kernel, Node.js
// on the host, the Linux microVM — as command lines plus a success check. QEMU command lines come
// from @toro/vm's buildQemuArgs, so every VM gets run-image's exact flags. Pure: builds arguments
// and judges finished runs; it spawns nothing and must not import the renderers.
import { buildQemuArgs, decodeExitStatus, type DiskOption, type Machine, type PortForward } from "@toro/vm";
import { HELLO_LINE, type BootCaseResult, type RunsOn } from "./results.js";
import type { TimedRun } from "./timed-process.js";

/** One bootable thing, ready to run at a given guest memory size. */
export interface Target {
  id: string;
  label: string;
  runsOn: RunsOn;
  kind: BootCaseResult["kind"];
  /** The command and arguments; `memoryMiB` is ignored by host targets. */
  command(memoryMiB?: number): { command: string; args: string[] };
  /** The line whose first appearance is timed. */
  match: string;
  timeoutMs: number;
  /** Null when the run succeeded, else why not. */
  failure(run: TimedRun): string | null;
}

/** The firmware qboot, as Debian's qemu-system-data ships it. */
export const QBOOT_ROM = "/usr/share/qemu/qboot.rom";

const VM_TIMEOUT_MS = { kvm: 60_000, tcg: 120_000 } as const;

function lastLines(text: string, n = 3): string {
  return text.trim().split("\n").slice(-n).join(" | ").slice(0, 300);
}

function qemuFailure(run: TimedRun, match: string): string | null {
  if (run.timedOut) return `timed out; last output: ${lastLines(run.output)}`;
  const code = decodeExitStatus(run.status);
  if (code !== 0) return `guest exit ${code ?? "none"} (QEMU status ${run.status ?? run.signal}); ${lastLines(run.output + run.stderr)}`;
  if (run.firstMatchMs === null) return `"${match}" never appeared`;
  return null;
}

/** A linked Toro image under QEMU, with run-image's flags (plus `-bios` when `bios` is given). */
export function toroTarget(o: {
  id: string;
  label: string;
  qemu: string;
  image: string;
  accel: "kvm" | "tcg";
  machine?: Machine;
  bios?: string;
  match?: string;
  /** vCPUs (run-image's `cpus`); default 1. */
  cpus?: number;
  /** Boot command line (`-append`). */
  cmdline?: string;
  /** virtio-blk disks (run-image's `disks`). */
  disks?: DiskOption[];
  /** Host port forwards on QEMU user networking (run-image's `ports`; adds the virtio-net NIC). */
  ports?: PortForward[];
  /** More QEMU arguments (run-image's `extraArgs`), e.g. a NIC on a tap. */
  extraArgs?: string[];
  /** Runs QEMU through this (e.g. `ip netns exec NS`); the process is still QEMU's. */
  wrap?: (command: string, args: string[]) => { command: string; args: string[] };
  timeoutMs?: number;
}): Target {
  const extraArgs = [...(o.bios === undefined ? [] : ["-bios", o.bios]), ...(o.extraArgs ?? [])];
  const wrap = o.wrap ?? ((command: string, args: string[]) => ({ command, args }));
  const match = o.match ?? HELLO_LINE;
  return {
    id: o.id,
    label: o.label,
    runsOn: o.accel,
    kind: "toro",
    match,
    timeoutMs: o.timeoutMs ?? VM_TIMEOUT_MS[o.accel],
    command: (memoryMiB) =>
      wrap(
        o.qemu,
        buildQemuArgs({
          image: o.image,
          accel: o.accel,
          machine: o.machine ?? "microvm",
          ...(memoryMiB === undefined ? {} : { memoryMiB }),
          ...(o.cpus === undefined ? {} : { cpus: o.cpus }),
          ...(o.cmdline === undefined ? {} : { cmdline: o.cmdline }),
          ...(o.disks === undefined ? {} : { disks: o.disks }),
          ...(o.ports === undefined ? {} : { ports: o.ports }),
          ...(extraArgs.length === 0 ? {} : { extraArgs }),
        }),
      ),
    failure: (run) => qemuFailure(run, match),
  };
}

/** The bare PVH kernel (writes the hello line, exits 0) with the same flags as a Toro image. */
export function barePvhTarget(o: { qemu: string; elf: string; accel: "kvm" | "tcg" }): Target {
  return {
    ...toroTarget({ id: `bare-pvh-${o.accel}`, label: "bare PVH kernel (microvm)", qemu: o.qemu, image: o.elf, accel: o.accel }),
    kind: "bare-pvh",
  };
}

/** Node.js on the host printing the same line: the "no VM at all" baseline. */
export function nodeHostTarget(nodePath: string = process.execPath): Target {
  return {
    id: "node-host",
    label: "Node.js on the host (node -e)",
    runsOn: "host",
    kind: "node-host",
    match: HELLO_LINE,
    timeoutMs: 30_000,
    command: () => ({ command: nodePath, args: ["-e", `console.log(${JSON.stringify(HELLO_LINE)})`] }),
    failure: (run) => {
      if (run.timedOut) return "timed out";
      if (run.status !== 0) return `node exited ${run.status ?? run.signal}: ${lastLines(run.stderr)}`;
      return run.firstMatchMs === null ? "no output" : null;
    },
  };
}

/**
 * Guest memory the Linux microVM boots with when no size is asked for: the initramfs (~100 MiB
 * unpacked, plus its compressed copy while unpacking) does not fit in run-image's default 128 MiB.
 */
export const LINUX_VM_MEMORY_MIB = 512;

/** The Linux microVM (Debian cloud kernel + initramfs with node) under TCG on microvm. */
export function linuxVmTarget(o: { qemu: string; vmlinuz: string; initrd: string; tscKhz: number | null }): Target {
  // Under TCG the kernel's TSC calibration against the PIT is unreliable; tell it the host's rate.
  const cmdline = ["console=ttyS0", "quiet", "panic=-1", ...(o.tscKhz === null ? [] : [`tsc_early_khz=${o.tscKhz}`])].join(" ");
  return {
    id: "linux-vm-tcg",
    label: "Node.js in a Linux microVM (microvm)",
    runsOn: "tcg",
    kind: "linux-vm",
    match: HELLO_LINE,
    timeoutMs: VM_TIMEOUT_MS.tcg,
    command: (memoryMiB) => ({
      command: o.qemu,
      args: buildQemuArgs({
        image: o.vmlinuz,
        accel: "tcg",
        machine: "microvm",
        cmdline,
        memoryMiB: memoryMiB ?? LINUX_VM_MEMORY_MIB,
        extraArgs: ["-initrd", o.initrd],
      }),
    }),
    failure: (run) => {
      if (run.timedOut) return `timed out; last output: ${lastLines(run.output)}`;
      // The initramfs's /init powers off (QEMU status 0) after printing node's status.
      if (!run.output.includes("linux-vm: node exited 0")) return `node did not exit 0: ${lastLines(run.output)}`;
      return run.firstMatchMs === null ? "hello line never appeared" : null;
    },
  };
}

/** The guest-side time to main that apps/hello prints, or undefined. */
export function parseGuestToMainMs(output: string): number | undefined {
  const m = /guest time from first instruction to main: ([0-9.]+) ms/.exec(output);
  return m === null ? undefined : Number(m[1]);
}
