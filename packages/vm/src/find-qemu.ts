// Host tool layer (@toro/vm): finds the QEMU binary on PATH, or explains how to install it.
// Reads the file system only; must not import @toro/kernel.
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { RunImageError } from "./errors.js";

/**
 * The QEMU system emulator run-image uses.
 *
 * @example
 * ```ts
 * const qemu = await findQemu(QEMU_BINARY);
 * ```
 */
export const QEMU_BINARY = "qemu-system-x86_64";

/**
 * The command that installs QEMU on Debian and Ubuntu, with `sudo` when not running as root.
 *
 * @param isRoot - whether the current user is root (uid 0).
 * @returns the install command line.
 * @example
 * ```ts
 * qemuInstallCommand(false); // "sudo apt-get install -y qemu-system-x86"
 * ```
 */
export function qemuInstallCommand(isRoot: boolean): string {
  return `${isRoot ? "" : "sudo "}apt-get install -y qemu-system-x86`;
}

/**
 * Locates QEMU: a name containing `/` must be an executable file; a bare name is searched on PATH.
 *
 * @param name - binary name or path; default `qemu-system-x86_64`.
 * @param searchPath - the PATH to search; default `process.env.PATH`.
 * @returns the absolute (or given) path of an executable QEMU.
 * @throws {@link RunImageError} `ENOQEMU` with the install command as the hint.
 * @example
 * ```ts
 * const qemu = await findQemu(); // "/usr/bin/qemu-system-x86_64"
 * ```
 */
export async function findQemu(name: string = QEMU_BINARY, searchPath: string = process.env.PATH ?? ""): Promise<string> {
  const candidates = name.includes("/") ? [name] : searchPath.split(delimiter).filter((dir) => dir !== "").map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: keep looking
    }
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  throw new RunImageError(
    "ENOQEMU",
    `${name} not found${name.includes("/") ? "" : " on PATH"}: QEMU is needed to boot images`,
    `install it with: ${qemuInstallCommand(isRoot)}`,
  );
}
