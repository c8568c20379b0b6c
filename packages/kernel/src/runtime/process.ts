// Runtime layer (runs inside the image): a minimal Node-like `process` global — argv from the boot
// command line, exit/exitCode, nextTick, platform. Pure: the kernel functions are parameters.
// Imports only exit-code.ts.
import { checkExitCode } from "../exit-code.js";

/** The subset of Node's `process` the image provides. */
export interface ToroProcess {
  argv: string[];
  env: Record<string, string>;
  platform: string;
  exitCode: number | undefined;
  exit(code?: number): never;
  nextTick(callback: (...args: any[]) => void, ...args: unknown[]): void;
}

/**
 * Builds `process`. `argv` is `["toro", "main.js", ...args]` (the words after `--` on the boot
 * command line). `nextTick` queues a microtask: in Node ticks run before promise jobs; here they
 * share one FIFO with them, which only matters for code that races ticks against promises.
 *
 * @returns the process object
 */
export function createProcess(args: readonly string[], exit: (code: number) => never, enqueueJob: (job: () => void) => void): ToroProcess {
  const proc: ToroProcess = {
    argv: ["toro", "main.js", ...args],
    env: {},
    platform: "toro",
    exitCode: undefined,
    exit(code?: number): never {
      return exit(checkExitCode(code ?? proc.exitCode ?? 0));
    },
    nextTick(callback, ...rest) {
      if (typeof callback !== "function") throw new TypeError('The "callback" argument must be of type function');
      enqueueJob(() => callback(...rest));
    },
  };
  return proc;
}
