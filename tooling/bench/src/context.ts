// Bench harness (@toro/bench): what every case receives — the options, QEMU, the prepared images,
// the Linux microVM (or why it is missing), the progress display. Types only.
import type { LinkImageResult } from "@toro/linker";
import type { BenchOptions } from "./cli-args.js";
import type { LinuxVm } from "./linux-vm.js";
import type { Progress } from "./progress.js";
import type { MachineInfo } from "./results.js";

/** Shared inputs of the cases. */
export interface BenchContext {
  options: BenchOptions;
  qemu: string;
  kvmUsable: boolean;
  machine: MachineInfo;
  hello: LinkImageResult;
  idle: LinkImageResult;
  /** The bare PVH kernel's ELF file. */
  barePvh: string;
  linuxVm: LinuxVm | { error: string };
  progress: Progress;
}
