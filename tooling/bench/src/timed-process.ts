// Bench harness (@toro/bench), the edge that runs things: spawns one process (QEMU or node), times
// the first appearance of a line on its stdout and its exit, and always stops it (timeout, error,
// Ctrl-C, the bench exiting). The only file that spawns measured processes. Must not import the
// renderers or the cases.
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";

/** What to run and what to wait for. */
export interface TimedRunOptions {
  command: string;
  args: string[];
  /** The text whose first appearance on stdout is timed. */
  match: string;
  timeoutMs: number;
  /**
   * Called once when `match` appears, with the process id and a function that stops the process.
   * The idle case measures here; the run ends when the process exits.
   */
  onMatch?: (pid: number, stop: () => void) => void;
}

/** How one run went. Times are host wall milliseconds from just before spawn. */
export interface TimedRun {
  firstMatchMs: number | null;
  exitMs: number;
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  output: string;
  stderr: string;
}

const live = new Set<ChildProcess>();

/** SIGKILLs every process this module started that is still running (Ctrl-C, fatal errors). */
export function killAll(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}
process.on("exit", killAll);

/** Spawns, times and always reaps one process. Rejects only when the process cannot be started. */
export function timedRun(options: TimedRunOptions): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // stdin from /dev/null: QEMU's stdio chardev then leaves the terminal alone.
    const child = spawn(options.command, options.args, { stdio: ["ignore", "pipe", "pipe"] });
    live.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let seen = "";
    let firstMatchMs: number | null = null;
    let timedOut = false;
    let spawnError: Error | undefined;
    const stop = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);

    child.stdout!.on("data", (chunk: Buffer) => {
      out.push(chunk);
      if (firstMatchMs !== null) return;
      // Keep only a tail long enough to catch a match split across chunks.
      seen = (seen + chunk.toString("latin1")).slice(-(options.match.length + chunk.length));
      if (seen.includes(options.match)) {
        firstMatchMs = performance.now() - started;
        try {
          options.onMatch?.(child.pid ?? -1, stop);
        } catch {
          stop();
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => {
      spawnError = error;
    });
    child.on("close", (status, signal) => {
      const exitMs = performance.now() - started;
      clearTimeout(timer);
      live.delete(child);
      if (spawnError !== undefined && child.pid === undefined) {
        reject(spawnError);
        return;
      }
      resolve({
        firstMatchMs,
        exitMs,
        status,
        signal,
        timedOut,
        output: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}
