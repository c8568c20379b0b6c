#!/usr/bin/env node
// Host tool layer (@toro/vm): the `run-image` command. Parses arguments, runs the VM with the
// console on stdout, and maps the outcome to an exit status. Must not import @toro/kernel.
import { parseCliArgs, USAGE } from "./cli-args.js";
import { RunImageError } from "./errors.js";
import { runImage } from "./run-image.js";

const EXIT_TIMEOUT = 124; // as timeout(1)
const EXIT_NO_CODE = 125;
const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<number> {
  const command = parseCliArgs(argv);
  if (command.kind === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  // Ctrl-C or a kill stops the VM first, then run-image exits.
  const controller = new AbortController();
  const interrupted: NodeJS.Signals[] = [];
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      interrupted.push(sig);
      controller.abort(new Error(`run-image: ${sig}, VM stopped`));
    });
  }
  try {
    const result = await runImage({
      ...command.options,
      stream: process.stdout,
      notes: command.quiet ? null : process.stderr,
      signal: controller.signal,
    });
    if (result.timedOut) {
      const seconds = Number(((command.options.timeoutMs ?? 0) / 1000).toFixed(3));
      process.stderr.write(`run-image: timed out after ${seconds}s, VM stopped\n`);
      return EXIT_TIMEOUT;
    }
    if (result.exitCode !== null) return result.exitCode;
    const how = result.signal !== null ? `QEMU was killed by ${result.signal}` : `the VM stopped without reporting an exit code (reset or triple fault; QEMU status ${result.qemuStatus})`;
    process.stderr.write(`run-image: ${how}\n`);
    return EXIT_NO_CODE;
  } catch (err) {
    if (interrupted.length > 0) {
      process.stderr.write(`run-image: interrupted (${interrupted[0]}), VM stopped\n`);
      return 130;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof RunImageError) {
      process.stderr.write(`run-image: ${err.message}\n  hint: ${err.hint}\n`);
    } else {
      process.stderr.write(`run-image: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = EXIT_USAGE;
  },
);
