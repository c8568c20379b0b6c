// Consumer-test tooling (host, Node): runs one command the way a user's shell would and captures
// what it printed. On a timeout it kills the command's whole process group, so no npm, pnpm or
// QEMU child outlives a test. It must not import the workspace's packages.
import { spawn } from "node:child_process";

/** What a command did. */
export interface CommandResult {
  /** The exit status; null when it was killed. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time it took. */
  durationMs: number;
  timedOut: boolean;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill it after this long. */
  timeoutMs: number;
}

/**
 * Runs `command args...` (no shell) and resolves when it exits.
 *
 * @param command - the program, looked up on env.PATH
 * @param args - its arguments
 * @param options - working folder, environment and timeout
 * @returns its status, output and duration
 * @example
 * ```ts
 * const r = await runCommand("npm", ["init", "-y"], { cwd: dir, env, timeoutMs: 60_000 });
 * if (r.status !== 0) throw new Error(describeResult("npm init -y", r));
 * ```
 */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group: a timeout kills npm and everything it started
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, durationMs: performance.now() - started, timedOut });
    });
  });
}

/**
 * Sends SIGKILL to a process group (ignoring one that is already gone).
 *
 * @param pid - the group leader's pid (a child spawned with `detached: true`)
 * @returns nothing
 * @example
 * ```ts
 * killGroup(child.pid);
 * ```
 */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already exited.
  }
}

/**
 * A failure message with the command's status and the tail of its output.
 *
 * @param what - the command line, for the message
 * @param result - what it did
 * @returns a multi-line message
 * @example
 * ```ts
 * expect(r.status, describeResult("npx link-image", r)).toBe(0);
 * ```
 */
export function describeResult(what: string, result: CommandResult): string {
  const tail = (text: string) => text.split("\n").slice(-40).join("\n");
  return [
    `${what}: ${result.timedOut ? "timed out" : `exit ${result.status}`} after ${Math.round(result.durationMs)} ms`,
    `--- stdout\n${tail(result.stdout)}`,
    `--- stderr\n${tail(result.stderr)}`,
  ].join("\n");
}
