// Host tool layer (@toro/vm): the option and result types of run-image. Types only, no imports.
// Later issues (networking, disks, shared folders, vsock) extend these.

/**
 * QEMU machine type: `microvm` (virtio-mmio, fastest boot) or `q35` (PCI, virtio-pci).
 *
 * @example
 * ```ts
 * const machine: Machine = "q35";
 * await runImage({ image: "dist/app.img", machine });
 * ```
 */
export type Machine = "microvm" | "q35";

/**
 * Accelerator: `auto` picks KVM when /dev/kvm is usable, else TCG (software emulation).
 *
 * @example
 * ```ts
 * const accel: Accel = "tcg"; // deterministic, works without /dev/kvm
 * await runImage({ image: "dist/app.img", accel });
 * ```
 */
export type Accel = "auto" | "kvm" | "tcg";

/**
 * A host-to-guest port forward through QEMU's user-mode network (`-netdev user,hostfwd=...`).
 *
 * @example
 * ```ts
 * const web: PortForward = { host: 8080, guest: 80 }; // curl localhost:8080 reaches the guest's :80
 * await runImage({ image: "dist/web.img", ports: [web] });
 * ```
 */
export interface PortForward {
  /** Port on the host (bound on `hostAddress`). */
  host: number;
  /** Port inside the guest. */
  guest: number;
  /** Transport; default `"tcp"`. */
  protocol?: "tcp" | "udp";
  /** Host address to bind; default all addresses (QEMU's default). */
  hostAddress?: string;
}

/**
 * A disk image attached as a virtio-blk device (virtio-mmio on microvm, virtio-pci on q35).
 *
 * @example
 * ```ts
 * const disk: DiskOption = { path: "fat.img", readonly: true };
 * await runImage({ image: "dist/app.img", disks: [disk] });
 * ```
 */
export interface DiskOption {
  /** Path of the disk image file on the host. */
  path: string;
  /** Image format; default `"raw"`. */
  format?: "raw" | "qcow2";
  /** Attach read-only; default false. */
  readonly?: boolean;
}

/**
 * Where a booted guest's console output goes, besides {@link RunResult.output}.
 *
 * @example
 * ```ts
 * const sink: OutputSink = process.stdout;
 * await runImage({ image: "dist/app.img", stream: sink });
 * ```
 */
export interface OutputSink {
  /** Any writable stream, e.g. `process.stdout`. */
  write(chunk: string | Uint8Array): unknown;
}

/**
 * Options of {@link buildQemuArgs}: everything that decides the QEMU command line.
 *
 * @example
 * ```ts
 * const options: QemuArgsOptions = { image: "dist/app.img", accel: "kvm", memoryMiB: 256 };
 * const args = buildQemuArgs(options);
 * ```
 */
export interface QemuArgsOptions {
  /** Path of the PVH ELF image to boot (`-kernel`). */
  image: string;
  /** Machine type; default `"microvm"`. */
  machine?: Machine;
  /** The accelerator actually used (already resolved from `"auto"`). */
  accel: "kvm" | "tcg";
  /** Guest memory in MiB; default 128. */
  memoryMiB?: number;
  /** Number of vCPUs; default 1. */
  cpus?: number;
  /** CPU model; default `host,-arch-capabilities` with KVM and `max` with TCG. */
  cpuModel?: string;
  /** Boot command line (`-append`); the guest reads it as `cmdline`. */
  cmdline?: string;
  /** Ports forwarded from the host to the guest; any entry (or `network: true`) adds a virtio-net NIC. */
  ports?: PortForward[];
  /** Add a virtio-net NIC on QEMU's user-mode network even without port forwards; default false. */
  network?: boolean;
  /** Disk images attached as virtio-blk devices, in order. */
  disks?: DiskOption[];
  /** Extra arguments appended verbatim after the ones run-image builds. */
  extraArgs?: string[];
}

/**
 * Options of {@link runImage}.
 *
 * @example
 * ```ts
 * const options: RunImageOptions = { image: "dist/app.img", timeoutMs: 30_000, cmdline: "verbose" };
 * const result = await runImage(options);
 * ```
 */
export interface RunImageOptions extends Omit<QemuArgsOptions, "accel"> {
  /** Accelerator; default `"auto"`. */
  accel?: Accel;
  /** Stop the VM after this many milliseconds and report `timedOut`; default: no limit. */
  timeoutMs?: number;
  /** Called with each chunk of serial console output as it arrives. */
  onOutput?: (chunk: string) => void;
  /** A stream the serial console output is written to as it arrives (the CLI passes stdout). */
  stream?: OutputSink;
  /** Stops the VM when aborted; `runImage` then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Name or path of the QEMU binary; default `qemu-system-x86_64` looked up on PATH. */
  qemuPath?: string;
  /** Where the "using TCG" note goes when KVM is unusable; default `process.stderr`. `null` silences it. */
  notes?: OutputSink | null;
  /** Milliseconds between SIGTERM and SIGKILL when stopping QEMU; default 2000. */
  killGraceMs?: number;
}

/**
 * How a VM run ended.
 *
 * @example
 * ```ts
 * const result: RunResult = await runImage({ image: "dist/app.img" });
 * console.log(result.exitCode, result.accel, `${result.durationMs.toFixed(0)} ms`);
 * ```
 */
export interface RunResult {
  /**
   * The guest's exit code (0..127) decoded from isa-debug-exit, or `null` when the guest did not
   * report one (timeout, reset or triple fault with `-no-reboot`, QEMU killed by a signal).
   */
  exitCode: number | null;
  /** QEMU's own exit status, or `null` if it was killed by a signal. */
  qemuStatus: number | null;
  /** The signal that killed QEMU, if any. */
  signal: NodeJS.Signals | null;
  /** True when `timeoutMs` elapsed and run-image stopped the VM. */
  timedOut: boolean;
  /** The whole serial console output, decoded as UTF-8. */
  output: string;
  /** What QEMU itself wrote to stderr (warnings, errors). */
  qemuStderr: string;
  /** The accelerator used. */
  accel: "kvm" | "tcg";
  /** Host wall time from spawning QEMU to its exit, in milliseconds. */
  durationMs: number;
  /** The full QEMU command line, binary first, for logs and reproduction. */
  command: string[];
}
