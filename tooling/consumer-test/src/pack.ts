// Consumer-test tooling (host, Node): packs a workspace package with pnpm exactly as `pnpm publish`
// would (workspace: ranges rewritten, `files` applied) and reads the tarball back. It must not
// import the packages themselves.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { describeResult, runCommand } from "./run-command.js";
import { readTarball, type TarEntry } from "./tarball.js";
import type { WorkspacePackage } from "./workspace-packages.js";

/** A packed package. */
export interface PackedPackage {
  pkg: WorkspacePackage;
  /** The .tgz, absolute. */
  tarball: string;
  /** The gzip'd size: what a user downloads. */
  packedBytes: number;
  /** The sum of the file sizes: what lands in node_modules. */
  unpackedBytes: number;
  entries: TarEntry[];
  /** The tarball's package.json (as published). */
  manifest: Record<string, unknown>;
}

/**
 * Runs `pnpm pack` in the package's folder and reads the result.
 *
 * @param pkg - the package
 * @param destDir - where to write the .tgz
 * @returns the tarball, its sizes, entries and published package.json
 * @throws Error when pnpm pack fails
 * @example
 * ```ts
 * const packed = await packPackage(kernel, tmp);
 * console.log(packed.packedBytes);
 * ```
 */
export async function packPackage(pkg: WorkspacePackage, destDir: string): Promise<PackedPackage> {
  const result = await runCommand("pnpm", ["pack", "--pack-destination", destDir], {
    cwd: pkg.dir,
    env: process.env,
    timeoutMs: 120_000,
  });
  const tarball = join(destDir, `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.version}.tgz`);
  if (result.status !== 0 || !existsSync(tarball)) throw new Error(describeResult(`pnpm pack (${pkg.name})`, result));
  const entries = readTarball(tarball);
  const manifestEntry = entries.find((e) => e.path === "package/package.json");
  if (manifestEntry === undefined) throw new Error(`${tarball} has no package/package.json`);
  return {
    pkg,
    tarball,
    packedBytes: statSync(tarball).size,
    unpackedBytes: entries.reduce((sum, e) => sum + e.sizeBytes, 0),
    entries,
    manifest: JSON.parse(new TextDecoder().decode(manifestEntry.body)) as Record<string, unknown>,
  };
}
