// Runtime layer (runs inside the image): wires the globals to the kernel's intrinsics and registers
// the timer pump and the fatal-error printer (docs/internals.md §4). The only runtime file that
// touches globalThis; it must not import the hardware face (apps and units use that explicitly).
import { ToroError } from "../errors.js";
import { INTRINSICS_KEY, type Intrinsics } from "../intrinsics.js";
import { parseBootCommandLine } from "../boot-command-line.js";
import { createConsole, type ToroConsole } from "./console.js";
import { createCrypto, type ToroCrypto } from "./crypto.js";
import { formatFatalError } from "./error-report.js";
import { createProcess, type ToroProcess } from "./process.js";
import { TextDecoder, TextEncoder } from "./text-encoding.js";
import { TimerQueue, type Timeout } from "./timers.js";

/** The globals the runtime defines, by name. */
export interface RuntimeGlobals {
  console: ToroConsole;
  setTimeout(callback: (...args: any[]) => void, delayMs?: number, ...args: unknown[]): Timeout;
  setInterval(callback: (...args: any[]) => void, delayMs?: number, ...args: unknown[]): Timeout;
  setImmediate(callback: (...args: any[]) => void, ...args: unknown[]): Timeout;
  clearTimeout(timer: unknown): void;
  clearInterval(timer: unknown): void;
  clearImmediate(timer: unknown): void;
  queueMicrotask(callback: () => void): void;
  performance: { readonly timeOrigin: number; now(): number };
  TextEncoder: typeof TextEncoder;
  TextDecoder: typeof TextDecoder;
  crypto: ToroCrypto;
  process: ToroProcess;
}

/** A started runtime: its globals and the two handlers it registered with the kernel. */
export interface Runtime {
  globals: RuntimeGlobals;
  timers: TimerQueue;
  pump(nowMs: number): number;
  reportError(error: unknown, kind: "uncaughtException" | "unhandledRejection"): void;
}

/**
 * Builds the globals over `intrinsics` and registers the timer pump and the error printer with
 * it, without touching globalThis (tests call this with fake intrinsics).
 *
 * @returns the runtime
 */
export function startRuntime(intrinsics: Intrinsics): Runtime {
  const t = intrinsics;
  const timers = new TimerQueue(() => t.now());
  const process = createProcess(parseBootCommandLine(t.cmdline).args, (code) => t.exit(code), (job) => t.enqueueJob(job));
  const timeOrigin = Math.max(0, Date.now() - t.now());
  const globals: RuntimeGlobals = {
    console: createConsole((fd, text) => t.write(fd, text), () => t.now()),
    setTimeout: (callback, delayMs, ...args) => timers.add(callback, delayMs, args, false),
    setInterval: (callback, delayMs, ...args) => timers.add(callback, delayMs, args, true),
    // An immediate is a timer due at once: it runs after the timers already due, before later ones.
    setImmediate: (callback, ...args) => timers.add(callback, 0, args, false, true),
    clearTimeout: (timer) => timers.clear(timer),
    clearInterval: (timer) => timers.clear(timer),
    clearImmediate: (timer) => timers.clear(timer),
    queueMicrotask(callback) {
      if (typeof callback !== "function") throw new TypeError('The "callback" argument must be of type function');
      t.enqueueJob(callback);
    },
    // performance.now() counts from the guest's first instruction, so it doubles as boot time.
    performance: { timeOrigin, now: () => t.now() },
    TextEncoder,
    TextDecoder,
    crypto: createCrypto((bytes) => t.randomFill(bytes)),
    process,
  };
  const pump = (nowMs: number): number => {
    const next = timers.pump(nowMs);
    // Nothing left to wait for: honour process.exitCode as Node does when its loop empties.
    if (next < 0 && process.exitCode !== undefined && process.exitCode !== 0) {
      const code = process.exitCode;
      t.exit(Number.isInteger(code) && code >= 0 && code <= 127 ? code : 1);
    }
    return next;
  };
  const reportError = (error: unknown, kind: "uncaughtException" | "unhandledRejection") => {
    try {
      t.write(2, formatFatalError(error, kind));
    } catch {
      t.write(2, `Uncaught error (it could not be printed)\n`);
    }
  };
  t.setTimerHandler(pump);
  t.setErrorHandler(reportError);
  return { globals, timers, pump, reportError };
}

/**
 * Installs the image's globals: takes the kernel's intrinsics from `globalThis.__toro` (moving them
 * to `globalThis[Symbol.for("toro.intrinsics")]` and deleting `__toro`), then defines `console`,
 * `setTimeout`/`setInterval`/`setImmediate` and their `clear*`, `queueMicrotask`, `performance`,
 * `TextEncoder`/`TextDecoder`, `crypto` and `process` as non-enumerable globals, and registers the
 * timer pump and the fatal-error printer. The linker's `runtime.js` entry calls it once before the
 * app runs; a second call does nothing.
 *
 * @returns nothing
 * @throws ToroError `ENOTIMAGE` when there are no intrinsics (not inside a Toro image).
 * @example
 * ```ts
 * import { installGlobals } from "@toro/kernel/runtime";
 * installGlobals();
 * ```
 */
export function installGlobals(): void {
  const g = globalThis as unknown as Record<PropertyKey, unknown>;
  const intrinsics = g.__toro as Intrinsics | undefined;
  if (intrinsics === undefined) {
    if (g[INTRINSICS_KEY] !== undefined) return;
    throw new ToroError("ENOTIMAGE", "installGlobals(): no kernel intrinsics (globalThis.__toro) found", {
      hint: "this runs inside a Toro image; in tests use startRuntime(createFakeIntrinsics())",
    });
  }
  define(g, INTRINSICS_KEY, intrinsics);
  delete g.__toro;
  const { globals } = startRuntime(intrinsics);
  for (const name of Object.keys(globals) as (keyof RuntimeGlobals)[]) define(g, name, globals[name]);
}

function define(target: object, key: PropertyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}
