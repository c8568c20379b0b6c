// The typed face of the hardware: the `Hardware` interface every unit receives as a parameter, and
// its in-image implementation over the kernel's intrinsics. Imports only errors, exit-code and
// intrinsics; must not import the runtime globals (units must not depend on them) or anything
// Node-only.
import { ToroError } from "./errors.js";
import { checkExitCode } from "./exit-code.js";
import { findIntrinsics, type Intrinsics } from "./intrinsics.js";

/** What a physical memory region holds (E820 names); an unknown E820 type stays a number. */
export type MemoryRegionType = "ram" | "reserved" | "acpi" | "nvs" | "unusable" | number;

/** One region of the physical memory map. */
export interface MemoryRegion {
  /** Physical start address. */
  baseAddress: number;
  /** Length in bytes. */
  lengthBytes: number;
  /** What the region holds. */
  type: MemoryRegionType;
}

/** The CPU this code runs on. */
export interface CpuInfo {
  /** This core's index, 0 for the boot core. */
  id: number;
  /** How many cores the VM has. */
  count: number;
  /** The CPUID vendor string, e.g. `"GenuineIntel"`, `"AuthenticAMD"`. */
  vendor: string;
  /** The hypervisor signature: `"KVMKVMKVM"`, `"TCGTCGTCGTCG"`, or `""` on bare metal. */
  hypervisor: string;
}

/** When things happened during boot, on the `clock.nowMs()` scale (ms since the first instruction). */
export interface BootTimes {
  /** When the kernel started evaluating the app's first payload entry. */
  appStartMs: number;
}

/** This core's JS engine heap, in bytes. */
export interface HeapStats {
  /** Bytes in use now. */
  used: number;
  /** Bytes still free in the heap's region. */
  free: number;
  /** The most bytes ever in use. */
  peak: number;
}

/**
 * The machine as a unit sees it. Units receive it as a parameter (never a global), so they run
 * unchanged inside the image (`hardware()`) and under vitest (`createFakeHardware()`).
 */
export interface Hardware {
  /** The serial console. */
  readonly console: {
    /** Writes `text` as is (no newline added) to stdout (default) or stderr — one wire in a VM. */
    write(text: string, stream?: "stdout" | "stderr"): void;
  };
  /** The monotonic clock. */
  readonly clock: {
    /** Milliseconds (fractional) since the guest's first instruction. */
    nowMs(): number;
  };
  /** The CPU this code runs on. */
  readonly cpu: CpuInfo;
  /** The boot command line (`-append`), `""` if none. Parse it with `parseBootCommandLine`. */
  bootCommandLine(): string;
  /** The physical memory map, in the order the boot loader gave it. */
  memoryMap(): readonly MemoryRegion[];
  /** When things happened during boot, on the `clock.nowMs()` scale. */
  bootTimes(): BootTimes;
  /** This core's JS heap. */
  heapStats(): HeapStats;
  /**
   * Flushes the console and stops the VM; the host sees `code` as the VM's exit status.
   * @throws ToroError `EINVAL` unless `code` is an integer 0..127.
   */
  exit(code: number): never;
}

const E820_TYPES: readonly MemoryRegionType[] = ["ram", "reserved", "acpi", "nvs", "unusable"];

/**
 * Names an E820 memory type: 1 `"ram"`, 2 `"reserved"`, 3 `"acpi"`, 4 `"nvs"`, 5 `"unusable"`;
 * anything else stays a number.
 *
 * @param type - the raw E820 type
 * @returns its name, or the number itself
 * @example
 * ```ts
 * memoryRegionType(1); // "ram"
 * memoryRegionType(20); // 20
 * ```
 */
export function memoryRegionType(type: number): MemoryRegionType {
  return E820_TYPES[type - 1] ?? type;
}

// One Hardware per intrinsics object, so repeated calls are cheap and tests can swap intrinsics.
let cached: { from: Intrinsics; hardware: Hardware } | undefined;

/**
 * The hardware of the VM this code runs in, over the kernel's intrinsics. Call it at the edge (the
 * app's main) and pass the result down to units.
 *
 * @returns the in-image `Hardware` (the same object on every call)
 * @throws ToroError `ENOTIMAGE` when not running inside a Toro image (e.g. on Node).
 * @example
 * ```ts
 * import { hardware } from "@toro/kernel";
 * const hw = hardware();
 * hw.console.write(`booted in ${hw.bootTimes().appStartMs.toFixed(1)} ms\n`);
 * ```
 */
export function hardware(): Hardware {
  const intrinsics = findIntrinsics();
  if (cached !== undefined && cached.from === intrinsics) return cached.hardware;
  if (intrinsics === undefined) {
    throw new ToroError("ENOTIMAGE", "hardware(): not running inside a Toro image", {
      hint: "use createFakeHardware() in tests",
    });
  }
  cached = { from: intrinsics, hardware: hardwareOver(intrinsics) };
  return cached.hardware;
}

function hardwareOver(t: Intrinsics): Hardware {
  const regions: readonly MemoryRegion[] = Object.freeze(
    t.memoryMap.map((r) =>
      Object.freeze({ baseAddress: r.base, lengthBytes: r.length, type: memoryRegionType(r.type) }),
    ),
  );
  const cpu = Object.freeze({ id: t.cpu.id, count: t.cpu.count, vendor: t.cpu.vendor, hypervisor: t.cpu.hypervisor });
  return {
    console: { write: (text, stream) => t.write(stream === "stderr" ? 2 : 1, String(text)) },
    clock: { nowMs: () => t.now() },
    cpu,
    bootCommandLine: () => t.cmdline,
    memoryMap: () => regions,
    bootTimes: () => ({ appStartMs: t.appStartMs }),
    heapStats: () => t.heapStats(),
    exit: (code) => t.exit(checkExitCode(code)),
  };
}

/**
 * Stops the VM with an exit status the host sees (`run-image` returns it). Pending timers and
 * promises are dropped; console output written so far is flushed.
 *
 * @param code - 0 for success, 1..127 for failures
 * @returns never
 * @throws ToroError `EINVAL` unless `code` is an integer 0..127; `ENOTIMAGE` outside an image.
 * @example
 * ```ts
 * import { exit } from "@toro/kernel";
 * if (!ok) exit(2);
 * ```
 */
export function exit(code: number): never {
  checkExitCode(code);
  return hardware().exit(code);
}

/**
 * The boot command line the VM was started with (QEMU `-append`), `""` if none.
 *
 * @returns the raw command line; split it with `parseBootCommandLine`
 * @throws ToroError `ENOTIMAGE` outside an image.
 * @example
 * ```ts
 * import { bootCommandLine, parseBootCommandLine } from "@toro/kernel";
 * const { options } = parseBootCommandLine(bootCommandLine());
 * const port = Number(options.port ?? 8080);
 * ```
 */
export function bootCommandLine(): string {
  return hardware().bootCommandLine();
}
