// Host tool layer (@toro/vm): turns the run-image command line into runImage options. Pure (no
// process, no I/O) so it is unit-tested; cli.ts does the I/O. Must not import @toro/kernel.
import { parseArgs } from "node:util";
import { RunImageError } from "./errors.js";
import type { Accel, Machine, RunImageOptions } from "./options.js";
import type { runImage } from "./run-image.js";
import { parseDurationMs, parseMemoryMiB, parsePortForward } from "./parse-units.js";

/**
 * The text `run-image --help` prints.
 *
 * @example
 * ```ts
 * process.stdout.write(USAGE);
 * ```
 */
export const USAGE = `Usage: run-image <image> [options]

Boots a Toro image (a PVH ELF) in QEMU, streams its serial console to stdout and exits with the
guest's exit code.

Options:
  --machine microvm|q35   machine type (default microvm; q35 has PCI)
  --accel auto|kvm|tcg    accelerator (default auto: KVM when /dev/kvm is usable, else TCG)
  --memory SIZE           guest memory, e.g. 128M or 1G (default 128M)
  --cpus N                number of vCPUs (default 1)
  --append "TEXT"         boot command line passed to the guest
  --timeout DURATION      stop the VM after e.g. 30s, 500ms, 2m (default: no limit)
  --port HOST:GUEST       forward a host TCP port to the guest (repeatable; udp:HOST:GUEST for UDP)
  --disk FILE             attach a raw disk image as virtio-blk (repeatable)
  --quiet                 do not print run-image's notes or QEMU's warnings (the console still streams)
  -h, --help              show this help

Exit status: the guest's exit code; 124 when the timeout stopped the VM; 125 when the VM stopped
without reporting a code (reset, triple fault, QEMU killed); 2 on usage or start-up errors.
`;

/**
 * What the command line asks for: help, or a run.
 *
 * @example
 * ```ts
 * const command: CliCommand = parseCliArgs(process.argv.slice(2));
 * if (command.kind === "run") await runImage(command.options);
 * ```
 */
export type CliCommand =
  | {
      /** Print {@link USAGE} and exit 0. */
      kind: "help";
    }
  | {
      /** Boot an image. */
      kind: "run";
      /** The options for {@link runImage}, without the console and signal wiring the CLI adds. */
      options: RunImageOptions;
      /** `--quiet`: do not print run-image's notes or QEMU's warnings. */
      quiet: boolean;
    };

/**
 * Parses run-image's arguments (without `node` and the script path).
 *
 * @param argv - the arguments, e.g. `process.argv.slice(2)`.
 * @returns `{ kind: "help" }` or `{ kind: "run", options, quiet }`.
 * @throws {@link RunImageError} `EINVAL` on unknown options, a missing image or malformed values.
 * @example
 * ```ts
 * parseCliArgs(["dist/hello.img", "--timeout", "30s", "--machine", "q35"]);
 * // { kind: "run", quiet: false, options: { image: "dist/hello.img", timeoutMs: 30000, machine: "q35", ... } }
 * ```
 */
export function parseCliArgs(argv: string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        machine: { type: "string" },
        accel: { type: "string" },
        memory: { type: "string" },
        cpus: { type: "string" },
        append: { type: "string" },
        timeout: { type: "string" },
        port: { type: "string", multiple: true },
        disk: { type: "string", multiple: true },
        quiet: { type: "boolean", short: "q" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw usageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: "help" };
  if (positionals.length !== 1) {
    throw usageError(positionals.length === 0 ? "missing the image to boot" : `expected one image, got ${positionals.length}: ${positionals.join(" ")}`);
  }

  const options: RunImageOptions = { image: positionals[0]! };
  if (values.machine !== undefined) options.machine = oneOf<Machine>("--machine", values.machine, ["microvm", "q35"]);
  if (values.accel !== undefined) options.accel = oneOf<Accel>("--accel", values.accel, ["auto", "kvm", "tcg"]);
  if (values.memory !== undefined) options.memoryMiB = parseMemoryMiB(values.memory);
  if (values.cpus !== undefined) {
    if (!/^\d+$/.test(values.cpus) || Number(values.cpus) < 1) throw usageError(`--cpus must be a positive integer, got "${values.cpus}"`);
    options.cpus = Number(values.cpus);
  }
  if (values.append !== undefined) options.cmdline = values.append;
  if (values.timeout !== undefined) options.timeoutMs = parseDurationMs(values.timeout);
  if (values.port !== undefined) options.ports = values.port.map(parsePortForward);
  if (values.disk !== undefined) options.disks = values.disk.map((path) => ({ path }));
  return { kind: "run", options, quiet: values.quiet === true };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usageError(`${flag} must be one of ${allowed.join(", ")}; got "${value}"`);
}

function usageError(message: string): RunImageError {
  return new RunImageError("EINVAL", message, "run `run-image --help` for usage");
}
