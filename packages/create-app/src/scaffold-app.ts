// Host tool layer (@toro/create-app, Node): writes the template into a new folder. It refuses to
// write into a folder that already holds files, so it never overwrites a user's work. It must not
// parse command lines or print (run-cli.ts does).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ToroError } from "@toro/kernel";
import { appTemplate } from "./template.js";
import { starterVersions, type StarterVersions } from "./versions.js";

/** Options of {@link scaffoldApp}. */
export interface ScaffoldOptions {
  /** The folder to create (it may exist if it is empty). */
  dir: string;
  /** The package name. Default: the folder's name. */
  name?: string;
  /** The `@toro` version ranges. Default: those this starter was released with. */
  versions?: StarterVersions;
  /** The package manager the app's README speaks of. Default: "npm". */
  packageManager?: "npm" | "pnpm";
}

/** What {@link scaffoldApp} wrote. */
export interface ScaffoldResult {
  /** The app folder, absolute. */
  dir: string;
  /** The package name. */
  name: string;
  /** The files written, relative to `dir`, in the order written. */
  files: string[];
}

/**
 * Creates a new microservice folder from the template.
 *
 * @param options - the folder, and optionally the name, versions and package manager
 * @returns the absolute folder, the package name and the files written
 * @throws ToroError "EEXIST" when the folder exists and is not empty, "EINVALIDNAME" for a bad
 * package name, "EVERSIONS" when no versions are given and this starter is an unpublished checkout
 * @example
 * ```ts
 * const app = scaffoldApp({ dir: "my-service" });
 * console.log(`created ${app.dir}: ${app.files.join(", ")}`);
 * ```
 */
export function scaffoldApp(options: ScaffoldOptions): ScaffoldResult {
  const dir = resolve(options.dir);
  const name = options.name ?? basename(dir);
  // Validate everything before the first write: a failed run leaves nothing behind.
  const files = appTemplate({
    name,
    versions: options.versions ?? starterVersions(),
    packageManager: options.packageManager ?? "npm",
  });
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new ToroError("EEXIST", `${dir} already exists and is not empty`, {
      hint: "choose a new folder name, or empty that folder",
    });
  }
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return { dir, name, files: Object.keys(files) };
}
