// Host tool layer (@toro/vm): the public entry. Re-exports only; runs nothing on import. @toro/vm is
// a host tool and must never import @toro/kernel or any in-image unit.
export { runImage } from "./run-image.js";
export { buildQemuArgs, DEFAULT_MEMORY_MIB } from "./qemu-args.js";
export { decodeExitStatus } from "./exit-status.js";
export { probeKvm, chooseAccel, type KvmProbe, type AccelChoice } from "./accel.js";
export { checkImage } from "./image-check.js";
export { findQemu, qemuInstallCommand, QEMU_BINARY } from "./find-qemu.js";
export { parseMemoryMiB, parseDurationMs, parsePortForward } from "./parse-units.js";
export { parseCliArgs, USAGE, type CliCommand } from "./cli-args.js";
export { buildBarePvhKernel, type BarePvhOptions } from "./bare-pvh.js";
export { RunImageError, type RunImageErrorCode } from "./errors.js";
export type {
  Accel,
  DiskOption,
  Machine,
  OutputSink,
  PortForward,
  QemuArgsOptions,
  RunImageOptions,
  RunResult,
} from "./options.js";
