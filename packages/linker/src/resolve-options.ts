// Build-time layer of @toro/linker (Node): turns the user's link options into absolute paths and
// settled defaults (entry, output, kernel files). It reads the app's package.json; it must not
// import esbuild or typescript.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { ToroError } from "@toro/kernel";
// Only for the {@link linkImage} links in the docs.
import type { linkImage } from "./link-image.js";
import { kernelFilesFromElf, locateKernel, type KernelFiles } from "./kernel-files.js";

/**
 * Options of {@link linkImage}; every field has a default.
 *
 * @example
 * ```ts
 * const options: LinkImageOptions = { appDir: "apps/hello", bytecode: "never", typecheck: false };
 * await linkImage(options);
 * ```
 */
export interface LinkImageOptions {
  /** The app folder (holds package.json). Default: the current directory. */
  appDir?: string;
  /** The entry file, relative to appDir. Default: package.json `toro.entry`, else src/main.ts, else main.ts. */
  entry?: string;
  /** The image file to write, relative to appDir. Default: dist/<package name without scope>.img. */
  out?: string;
  /**
   * The kernel: the path of a `toro-kernel.elf` whose dist folder also holds `toro-kernel.json` and
   * `bin/linux-x64/toro-qjsc`. Default: the one of `@toro/kernel` as resolved from appDir.
   */
  kernel?: string;
  /** Ship engine bytecode: "auto" when a matching compiler is usable (default), "always" or "never". */
  bytecode?: "auto" | "always" | "never";
  /** Type-check the app before bundling. Default: true. */
  typecheck?: boolean;
  /** Resolve packages through their "toro-source" export condition (apps inside the Toro monorepo). */
  sourceCondition?: boolean;
  /** Called with one line per step ("bundling…"), and once with the reason when bytecode is skipped. */
  onProgress?: (message: string) => void;
}

/** Options with every default settled. */
export interface ResolvedOptions {
  appDir: string;
  entryPath: string;
  outPath: string;
  kernel: KernelFiles;
  bytecode: "auto" | "always" | "never";
  typecheck: boolean;
  sourceCondition: boolean;
  onProgress: (message: string) => void;
}

interface AppPackage {
  name?: unknown;
  toro?: { entry?: unknown };
}

function readAppPackage(appDir: string): AppPackage {
  const path = join(appDir, "package.json");
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8")) as AppPackage;
  } catch (cause) {
    throw new ToroError("EINVAL", `${path} is not valid JSON`, { cause, hint: "fix the app's package.json" });
  }
}

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();

function resolveEntry(appDir: string, option: string | undefined, pkg: AppPackage): string {
  const configured = option ?? (typeof pkg.toro?.entry === "string" ? pkg.toro.entry : undefined);
  if (configured !== undefined) {
    const path = resolve(appDir, configured);
    if (!isFile(path)) {
      const from = option !== undefined ? "the entry given" : 'package.json "toro.entry"';
      throw new ToroError("ENOENT", `entry ${relative(appDir, path) || path} (${from}) does not exist in ${appDir}`, {
        hint: `create ${relative(appDir, path)}, or name another entry: link-image <entry> or "toro": { "entry": "..." } in package.json`,
      });
    }
    return path;
  }
  for (const candidate of ["src/main.ts", "main.ts"]) {
    const path = join(appDir, candidate);
    if (isFile(path)) return path;
  }
  throw new ToroError("ENOENT", `no entry file in ${appDir}: neither src/main.ts nor main.ts exists`, {
    hint: 'create src/main.ts, or name the entry: link-image <entry> or "toro": { "entry": "..." } in package.json',
  });
}

/** Settles the defaults of the link options; a missing entry is a ToroError "ENOENT". */
export function resolveOptions(options: LinkImageOptions): ResolvedOptions {
  const appDir = resolve(options.appDir ?? process.cwd());
  const pkg = readAppPackage(appDir);
  const entryPath = resolveEntry(appDir, options.entry, pkg);
  const name = typeof pkg.name === "string" && pkg.name !== "" ? pkg.name.replace(/^@[^/]+\//, "") : basename(appDir);
  const outPath = resolve(appDir, options.out ?? join("dist", `${name}.img`));
  const kernel = options.kernel !== undefined ? kernelFilesFromElf(resolve(appDir, options.kernel)) : locateKernel(appDir);
  return {
    appDir,
    entryPath,
    outPath,
    kernel,
    bytecode: options.bytecode ?? "auto",
    typecheck: options.typecheck ?? true,
    sourceCondition: options.sourceCondition ?? false,
    onProgress: options.onProgress ?? (() => {}),
  };
}
