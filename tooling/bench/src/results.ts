// Bench harness (@toro/bench): the shape of one run's raw results, as saved to results.json and
// read by the table, Markdown and SVG renderers. Types and constants only; no imports but types.

/** Where a figure ran: a QEMU accelerator, or the host itself (no VM). */
export type RunsOn = "kvm" | "tcg" | "host";

/** The machine a run was taken on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryMiB: number;
  kernel: string;
  os: string;
  qemuVersion: string;
  nodeVersion: string;
  /** e.g. "KVM (PVM, nested: guest ring 0 emulated)", "KVM", "none (TCG only)". */
  kvmKind: string;
  /** Host TSC frequency in kHz as the host kernel reports it, if known. */
  tscKhz: number | null;
}

/** One boot target's samples. Times are host wall milliseconds from spawning the process. */
export interface BootCaseResult {
  id: string;
  label: string;
  runsOn: RunsOn;
  kind: "toro" | "bare-pvh" | "node-host" | "linux-vm";
  /** To the app's first console line ("Hello from Toro! …"). */
  firstLineMs: number[];
  /** To the process's exit. */
  exitMs: number[];
  /** Guest-side time from the first instruction to main, as the app printed it (Toro only). */
  guestToMainMs?: number[];
  note?: string;
}

/** A case or target that was not measured, and why. */
export interface Skipped {
  id: string;
  label: string;
  reason: string;
}

/** Sizes of one image and where its bytes go. */
export interface ImageSizeResult {
  id: string;
  label: string;
  totalBytes: number;
  /** Named parts, in display order. */
  parts: { name: string; bytes: number }[];
  /** "measured" from files on disk, or "published" (a figure from elsewhere, not measured here). */
  source: "measured" | "published";
  note?: string;
}

/** The smallest guest memory a target boots and exits cleanly with. */
export interface MemoryFloorResult {
  id: string;
  label: string;
  runsOn: RunsOn;
  /** MiB, or null when even the upper bound failed. */
  floorMiB: number | null;
  probes: { memoryMiB: number; ok: boolean }[];
  boundsMiB: [number, number];
}

/** Host CPU time an idle guest's QEMU process used over a window. */
export interface IdleResult {
  id: string;
  label: string;
  runsOn: RunsOn;
  windowMs: number;
  cpuMs: number;
  /** cpuMs / windowMs, as a percentage of one host CPU. */
  cpuPercent: number;
}

/** Everything one `pnpm bench` run measured. */
export interface BenchResults {
  format: 1;
  date: string;
  quick: boolean;
  runsPerCase: number;
  machine: MachineInfo;
  boot?: { cases: BootCaseResult[]; skipped: Skipped[] };
  size?: { images: ImageSizeResult[]; skipped: Skipped[] };
  memory?: { floors: MemoryFloorResult[]; skipped: Skipped[] };
  idle?: { results: IdleResult[]; skipped: Skipped[] };
  /** virtio-blk in the guest beside dd on the host (issue 4). */
  blk?: MicroCaseResult;
  /** FAT sequential throughput in the guest (issue 6). */
  fs?: MicroCaseResult;
  /** wrk and bulk TCP against Toro services and Node.js on the host (issues 5, 6, 7). */
  http?: MicroCaseResult;
  yield?: MicroCaseResult;
  alloc?: MicroCaseResult;
  crossCore?: MicroCaseResult;
  cores?: MicroCaseResult;
  notes: string[];
}

/** The original Toro's published image size: a figure from its authors, not measured here. */
export const ORIGINAL_TORO_PUBLISHED_BYTES = 130 * 1024;
/** The line every boot target prints first, so the same moment is timed everywhere. */
export const HELLO_LINE = "Hello from Toro! This TypeScript program is the kernel.";

/** One run of an in-guest workload (or its host baseline): every metric it printed. */
export interface MicroRun {
  id: string;
  label: string;
  runsOn: RunsOn;
  /** vCPUs of the VM (1 for the host baseline). */
  cpus: number;
  /** Metric name -> unit and samples, as printed (`BENCH name=value unit=…`). */
  metrics: Record<string, { unit: string; samples: number[] }>;
  /** Host wall ms from spawn to exit (boot and calibration included). */
  wallMs: number;
  /** QEMU machine type, for cases that boot more than one. */
  machine?: "microvm" | "q35";
  /** What else a reader needs about this row (e.g. the tool and its flags). */
  detail?: string;
  /**
   * How the http case's client reached the server: host loopback (Node), a tap in a network
   * namespace, or QEMU user networking's port forward (slirp). Absent in older results: slirp for a VM.
   */
  network?: "loopback" | "tap" | "slirp";
}

/** The runs of one micro-benchmark or I/O case (yield, alloc, cross-core, cores; blk, fs, http). */
export interface MicroCaseResult {
  runs: MicroRun[];
  skipped: Skipped[];
  /** How the case measured, for the table notes (e.g. "raw Atomics + doorbell"). */
  method: string;
}
