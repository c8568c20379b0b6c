// A fake `Hardware` for unit tests on Node: a clock you advance, captured console output, a given
// command line and memory map, and an exit that throws `FakeExit` instead of stopping. Pure TS, no
// Node APIs, so tests of any package can use it; it must not import the in-image implementation.
import { checkExitCode } from "./exit-code.js";
import type { CpuInfo, Hardware, HeapStats, MemoryRegion } from "./hardware.js";

/**
 * Thrown by a fake hardware's `exit(code)` so a test can assert on it (a real exit would stop the VM).
 *
 * @example
 * ```ts
 * expect(() => hw.exit(3)).toThrow(FakeExit);
 * ```
 */
export class FakeExit extends Error {
  /** The exit status the code asked for. */
  readonly exitCode: number;

  /**
   * Creates the error for one exit.
   *
   * @param exitCode - the requested exit status
   * @returns the error
   * @example
   * ```ts
   * throw new FakeExit(0);
   * ```
   */
  constructor(exitCode: number) {
    super(`exit(${exitCode}) called`);
    this.name = "FakeExit";
    this.exitCode = exitCode;
  }
}

/** How to build a fake hardware; everything is optional. */
export interface FakeHardwareOptions {
  /** The boot command line; default `""`. */
  cmdline?: string;
  /** The memory map; default one 128 MiB RAM region at 1 MiB. */
  memoryMap?: readonly MemoryRegion[];
  /** The clock's start; default 0. */
  startMs?: number;
  /** `bootTimes().appStartMs`; default `startMs`. */
  appStartMs?: number;
  /** The CPU; default core 0 of 1, `"FakeCPU"`, hypervisor `"FAKE"`. */
  cpu?: Partial<CpuInfo>;
  /** What `heapStats()` returns; default all zero. */
  heapStats?: HeapStats;
}

/** One captured console write. */
export interface ConsoleWrite {
  /** Which stream it went to. */
  stream: "stdout" | "stderr";
  /** The text, as written. */
  text: string;
}

/** A fake `Hardware` plus the controls and records a test needs. */
export interface FakeHardware extends Hardware {
  /** Moves the clock forward by `ms` (must be >= 0). */
  advance(ms: number): void;
  /** Everything written to stdout, concatenated. */
  readonly stdout: string;
  /** Everything written to stderr, concatenated. */
  readonly stderr: string;
  /** Every console write in order, with its stream. */
  readonly writes: readonly ConsoleWrite[];
  /** The code of the first `exit()` call, `undefined` if none. */
  readonly exitCode: number | undefined;
}

/**
 * Builds a fake hardware for tests on Node.
 *
 * @param options - command line, memory map, clock start, CPU and heap figures
 * @returns the fake, with `advance(ms)`, `stdout`, `stderr`, `writes` and `exitCode`
 * @example
 * ```ts
 * const hw = createFakeHardware({ cmdline: "debug" });
 * hw.console.write("hi\n");
 * hw.advance(5);
 * expect(hw.stdout).toBe("hi\n");
 * expect(hw.clock.nowMs()).toBe(5);
 * expect(() => hw.exit(0)).toThrow(FakeExit);
 * ```
 */
export function createFakeHardware(options: FakeHardwareOptions = {}): FakeHardware {
  let nowMs = options.startMs ?? 0;
  const writes: ConsoleWrite[] = [];
  let exitCode: number | undefined;
  const regions = Object.freeze(
    (options.memoryMap ?? [{ baseAddress: 0x100000, lengthBytes: 128 * 1024 * 1024, type: "ram" }]).map((r) =>
      Object.freeze({ ...r }),
    ),
  );
  const cpu = Object.freeze({ id: 0, count: 1, vendor: "FakeCPU", hypervisor: "FAKE", ...options.cpu });
  const appStartMs = options.appStartMs ?? nowMs;
  const heap = options.heapStats ?? { used: 0, free: 0, peak: 0 };
  const joined = (stream: "stdout" | "stderr") =>
    writes
      .filter((w) => w.stream === stream)
      .map((w) => w.text)
      .join("");
  return {
    console: { write: (text, stream = "stdout") => void writes.push({ stream, text: String(text) }) },
    clock: { nowMs: () => nowMs },
    cpu,
    bootCommandLine: () => options.cmdline ?? "",
    memoryMap: () => regions,
    bootTimes: () => ({ appStartMs }),
    heapStats: () => ({ ...heap }),
    exit(code: number): never {
      checkExitCode(code);
      exitCode ??= code;
      throw new FakeExit(code);
    },
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError(`advance(ms): ms must be >= 0, got ${ms}`);
      nowMs += ms;
    },
    get stdout() {
      return joined("stdout");
    },
    get stderr() {
      return joined("stderr");
    },
    writes,
    get exitCode() {
      return exitCode;
    },
  };
}
