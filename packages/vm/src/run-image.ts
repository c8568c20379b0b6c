// Host tool layer (@toro/vm): boots an image in QEMU, streams its serial console, and reports how
// it ended. The only module that spawns processes; it always stops the VM it started (timeout,
// abort, a throwing callback, the host process exiting). Must not import @toro/kernel.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { chooseAccel, probeKvm } from "./accel.js";
import { RunImageError } from "./errors.js";
import { decodeExitStatus } from "./exit-status.js";
import { findQemu } from "./find-qemu.js";
import { checkImage } from "./image-check.js";
import type { RunImageOptions, RunResult } from "./options.js";
import { buildQemuArgs } from "./qemu-args.js";

/**
 * Boots a Toro image (any PVH ELF) in QEMU and resolves when QEMU exits. The serial console is
 * streamed to `onOutput` and `stream` as it arrives and collected in the result. With `accel:
 * "auto"` KVM is used when /dev/kvm is usable, else TCG with a one-line note.
 *
 * @param options - the image and how to run it; see {@link RunImageOptions}.
 * @returns the guest's exit code, QEMU's status, the console output and timings.
 * @throws {@link RunImageError} `ENOENT`/`ENOTELF` (bad image), `ENOQEMU` (QEMU missing, with the install
 *   command), `ENOKVM` (`accel: "kvm"` unusable), `EQEMU` (QEMU refused to start), `EINVAL` (bad option);
 *   rejects with the signal's reason when `options.signal` aborts (the VM is stopped first).
 * @example
 * ```ts
 * import { runImage } from "@toro/vm";
 * const result = await runImage({ image: "dist/hello.img", timeoutMs: 30_000, stream: process.stdout });
 * if (result.timedOut) console.error("stuck");
 * else process.exitCode = result.exitCode ?? 1;
 * ```
 */
export async function runImage(options: RunImageOptions): Promise<RunResult> {
  options.signal?.throwIfAborted();
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new RunImageError("EINVAL", `timeoutMs must be positive, got ${options.timeoutMs}`, "omit it for no limit");
  }
  await checkImage(options.image);
  const qemu = await findQemu(options.qemuPath);
  const requested = options.accel ?? "auto";
  const choice = chooseAccel(requested, requested === "tcg" ? { usable: false, reason: "not probed" } : await probeKvm());
  const notes = options.notes === undefined ? process.stderr : options.notes;
  if (choice.note !== undefined) notes?.write(`${choice.note}\n`);
  const args = buildQemuArgs({ ...options, accel: choice.accel });
  options.signal?.throwIfAborted();
  return supervise(qemu, args, choice.accel, options, notes);
}

function supervise(
  qemu: string,
  args: string[],
  accel: "kvm" | "tcg",
  options: RunImageOptions,
  notes: RunImageOptions["notes"],
): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const started = performance.now();
    // stdin is /dev/null: the stdio chardev then never puts a terminal into raw mode.
    const child = spawn(qemu, args, { stdio: ["ignore", "pipe", "pipe"] });
    const outputChunks: Buffer[] = [];
    const stderrChunks: Buffer[] = [];
    const decoder = new TextDecoder(); // streaming: a UTF-8 sequence may span two chunks
    let timedOut = false;
    let failure: { error: unknown } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let exited = false;
    let stopping = false;

    const stop = (): void => {
      if (exited || child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill("SIGTERM");
      // QEMU shuts down cleanly on SIGTERM; a wedged one gets SIGKILL after the grace period.
      killTimer ??= setTimeout(() => child.kill("SIGKILL"), options.killGraceMs ?? 2000);
    };
    // If the host process exits (test runner, Ctrl-C in a parent), the VM must not outlive it.
    const killOnExit = (): void => {
      child.kill("SIGKILL");
    };
    process.on("exit", killOnExit);

    const timeout =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop();
          }, options.timeoutMs);
    const onAbort = (): void => {
      failure ??= { error: options.signal?.reason };
      stop();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });

    child.stdout.on("data", (chunk: Buffer) => {
      outputChunks.push(chunk);
      try {
        options.stream?.write(chunk);
        const text = decoder.decode(chunk, { stream: true });
        if (text !== "") options.onOutput?.(text);
      } catch (error) {
        failure ??= { error };
        stop();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderrChunks.push(chunk);
      // Once we stop the VM, QEMU's "terminating on signal" line is our doing, not news.
      if (!stopping) notes?.write(chunk);
    });

    child.on("error", (error: NodeJS.ErrnoException) => {
      // spawn itself failed (the binary vanished or is not executable): there is no VM to stop.
      failure ??= {
        error: new RunImageError("ENOQEMU", `cannot start ${qemu}: ${error.code ?? error.message}`, "check the QEMU installation", { cause: error }),
      };
    });

    child.on("close", (status: number | null, signal: NodeJS.Signals | null) => {
      exited = true;
      const durationMs = performance.now() - started;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      process.off("exit", killOnExit);
      options.signal?.removeEventListener("abort", onAbort);
      if (failure !== undefined) {
        reject(failure.error);
        return;
      }
      const output = Buffer.concat(outputChunks).toString("utf8");
      const qemuStderr = Buffer.concat(stderrChunks).toString("utf8");
      const startupError = qemuStartupError(status, output, qemuStderr);
      if (startupError !== undefined && !timedOut) {
        reject(new RunImageError("EQEMU", `QEMU failed: ${startupError}`, "see QEMU's message; check the image is a PVH ELF and the options are valid"));
        return;
      }
      resolve({
        exitCode: timedOut ? null : decodeExitStatus(status),
        qemuStatus: status,
        signal,
        timedOut,
        output,
        qemuStderr,
        accel,
        durationMs,
        command: [qemu, ...args],
      });
    });
  });
}

// QEMU exits with status 1 on its own errors, which is also what a guest exit(0) looks like. Tell
// them apart by QEMU's error line on stderr (warnings do not count) and a silent guest.
function qemuStartupError(status: number | null, output: string, stderr: string): string | undefined {
  if (status !== 1 || output !== "") return undefined;
  const line = stderr
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "" && !/warning:/i.test(l));
  return line === undefined ? undefined : line.replace(/^qemu-system-x86_64:\s*/, "");
}
