// Test support, Node only (never bundled into an image, not a public entry): fake kernel intrinsics
// whose `run()` simulates the C event loop of docs/internals.md §4 — evaluate the entry, drain
// jobs, call the timer pump, jump a fake clock to the next deadline, stop when none remain.
// Jobs go to Node's own microtask queue (the same FIFO as Node's promise jobs), and a drain is a
// wait for Node's next macrotask. Unhandled rejections are not tracked (vitest reports them).
import { FakeExit } from "../fake-hardware.js";
import type { Intrinsics, RawMemoryRegion } from "../intrinsics.js";

/** What `run()` ended with. */
export interface FakeLoopResult {
  exitCode: number;
  /** Why the loop stopped. */
  reason: "done" | "exit" | "uncaughtException";
}

/** Fake intrinsics plus the loop driver and records. */
export interface FakeIntrinsics extends Intrinsics {
  /** The fake clock, in ms; `run()` moves it to each next deadline. */
  clockMs: number;
  /** Every console write, in order. */
  readonly writes: { fd: 1 | 2; text: string }[];
  readonly stdout: string;
  readonly stderr: string;
  /** Runs `entry` as the first macrotask, then the loop until it stops. */
  run(entry: () => unknown, options?: { maxSteps?: number }): Promise<FakeLoopResult>;
}

/** Options of createFakeIntrinsics. */
export interface FakeIntrinsicsOptions {
  cmdline?: string;
  startMs?: number;
  memoryMap?: RawMemoryRegion[];
  /** What randomFill does; default: fills from Math.random and returns true. */
  randomFill?: (bytes: Uint8Array) => boolean;
}

/** Builds fake intrinsics for Node tests. */
export function createFakeIntrinsics(options: FakeIntrinsicsOptions = {}): FakeIntrinsics {
  let timerHandler: ((nowMs: number) => number) | undefined;
  let errorHandler: ((error: unknown, kind: "uncaughtException" | "unhandledRejection") => void) | undefined;
  let stopped: FakeLoopResult | undefined;
  const fatal = (error: unknown) => {
    if (stopped !== undefined) return;
    if (error instanceof FakeExit) {
      stopped = { exitCode: error.exitCode, reason: "exit" };
      return;
    }
    errorHandler?.(error, "uncaughtException");
    stopped = { exitCode: 1, reason: "uncaughtException" };
  };
  const fake: FakeIntrinsics = {
    clockMs: options.startMs ?? 0,
    writes: [],
    get stdout() {
      return fake.writes.filter((w) => w.fd === 1).map((w) => w.text).join("");
    },
    get stderr() {
      return fake.writes.filter((w) => w.fd === 2).map((w) => w.text).join("");
    },
    write: (fd, text) => void fake.writes.push({ fd, text }),
    now: () => fake.clockMs,
    appStartMs: options.startMs ?? 0,
    tscHz: 1e9,
    cmdline: options.cmdline ?? "",
    memoryMap: options.memoryMap ?? [{ base: 0x100000, length: 0x8000000, type: 1 }],
    exit(code: number): never {
      throw new FakeExit(code);
    },
    randomFill:
      options.randomFill ??
      ((bytes) => {
        for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
        return true;
      }),
    enqueueJob(job) {
      queueMicrotask(() => {
        if (stopped !== undefined) return;
        try {
          job();
        } catch (error) {
          fatal(error);
        }
      });
    },
    setTimerHandler: (handler) => void (timerHandler = handler),
    setErrorHandler: (handler) => void (errorHandler = handler),
    cpu: { id: 0, count: 1, vendor: "FakeCPU", hypervisor: "FAKE" },
    heapStats: () => ({ used: 0, free: 0, peak: 0 }),
    async run(entry, { maxSteps = 10_000 } = {}) {
      stopped = undefined;
      try {
        entry();
      } catch (error) {
        fatal(error);
      }
      for (let step = 0; step < maxSteps; step++) {
        // A drain: Node runs every queued microtask (ours and its promise jobs) before a macrotask.
        await new Promise((resolve) => setImmediate(resolve));
        if (stopped !== undefined) return stopped;
        let next: number;
        try {
          next = timerHandler === undefined ? -1 : timerHandler(fake.clockMs);
        } catch (error) {
          fatal(error);
          continue;
        }
        if (next > 0) fake.clockMs = Math.max(fake.clockMs, next);
        else if (next < 0) return { exitCode: 0, reason: "done" };
      }
      throw new Error(`fake event loop: still running after ${maxSteps} steps (a setInterval never cleared?)`);
    },
  };
  return fake;
}
