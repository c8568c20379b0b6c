// The shape of the intrinsics object the kernel's C runtime gives JS (docs/internals.md §4) and where
// the runtime keeps it. Lowest layer of the TS face: imports nothing, so both the hardware face and
// the runtime globals can use it without importing each other.

/** One entry of the PVH memory map as the C runtime hands it over (E820 types: 1 = RAM). */
export interface RawMemoryRegion {
  /** Physical start address. */
  base: number;
  /** Length in bytes. */
  length: number;
  /** E820 type: 1 RAM, 2 reserved, 3 ACPI reclaimable, 4 ACPI NVS, 5 unusable. */
  type: number;
}

/**
 * What the kernel's C runtime defines as `globalThis.__toro` before the first payload entry runs
 * (docs/internals.md §4). Apps should not use it directly: use `hardware()` from `@toro/kernel`.
 */
export interface Intrinsics {
  /** Writes UTF-8 text to the serial console; fd 2 is stderr (same wire). */
  write(fd: 1 | 2, text: string): void;
  /** Monotonic milliseconds since the guest's first instruction (TSC, fractional). */
  now(): number;
  /** `now()` when the kernel started evaluating the first payload entry. */
  appStartMs: number;
  /** Calibrated TSC frequency in Hz. */
  tscHz: number;
  /** The boot command line (`-append`), `""` if none. */
  cmdline: string;
  /** The PVH memory map. */
  memoryMap: readonly RawMemoryRegion[];
  /** Flushes the console and stops the VM with that exit status. */
  exit(code: number): never;
  /** Fills `bytes` from RDSEED/RDRAND; `false` when the CPU has neither. */
  randomFill(bytes: Uint8Array): boolean;
  /** Queues a microtask in the engine's job queue (the same FIFO as promise jobs). */
  enqueueJob(job: () => void): void;
  /** Registers the timer pump: returns 0 (ran one timer), the next deadline, or -1 (none left). */
  setTimerHandler(handler: (nowMs: number) => number): void;
  /** Registers the fatal-error printer; the kernel exits with status 1 after it returns. */
  setErrorHandler(handler: (error: unknown, kind: "uncaughtException" | "unhandledRejection") => void): void;
  /** This core, the number of cores, the CPUID vendor and the hypervisor signature. */
  cpu: { id: number; count: number; vendor: string; hypervisor: string };
  /** This core's engine heap. */
  heapStats(): { used: number; free: number; peak: number };
}

/** The registry key the runtime stores the intrinsics under (a well-known symbol, so bundles share it). */
export const INTRINSICS_KEY = Symbol.for("toro.intrinsics");

/** The intrinsics, wherever they are now (moved by the runtime, or still at `__toro`), or undefined. */
export function findIntrinsics(): Intrinsics | undefined {
  const g = globalThis as Record<PropertyKey, unknown>;
  return (g[INTRINSICS_KEY] ?? g.__toro) as Intrinsics | undefined;
}
