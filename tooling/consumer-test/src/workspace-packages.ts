// Consumer-test tooling (host, Node): the workspace's public packages (packages/* without
// "private": true), read from their package.json files. New units are picked up without editing
// the tests. It must not import the packages themselves.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo's root folder. */
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** A public workspace package. */
export interface WorkspacePackage {
  /** `@toro/kernel`, ... */
  name: string;
  version: string;
  /** The package folder, absolute. */
  dir: string;
  /** Its parsed package.json. */
  manifest: Record<string, unknown> & {
    bin?: Record<string, string>;
    dependencies?: Record<string, string>;
    files?: string[];
  };
}

/**
 * Lists the packages under packages/ that are published (not private), sorted by name.
 *
 * @returns one entry per public package
 * @example
 * ```ts
 * publicPackages().map((p) => p.name); // ["@toro/create-app", "@toro/devices", "@toro/kernel", ...]
 * ```
 */
export function publicPackages(): WorkspacePackage[] {
  const root = join(repoRoot, "packages");
  return readdirSync(root)
    .filter((d) => existsSync(join(root, d, "package.json")))
    .map((d) => {
      const manifest = JSON.parse(readFileSync(join(root, d, "package.json"), "utf8")) as WorkspacePackage["manifest"];
      return { name: String(manifest["name"]), version: String(manifest["version"]), dir: join(root, d), manifest };
    })
    .filter((p) => p.manifest["private"] !== true)
    .sort((a, b) => a.name.localeCompare(b.name));
}
