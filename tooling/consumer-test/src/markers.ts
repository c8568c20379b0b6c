// Consumer-test tooling (host, Node): marker names that show a package's code inside an image. The
// linker minifies syntax only, so function and class names survive into the engine's bytecode (as
// atoms) or source; a package's exported function names are its markers. It must not import the
// workspace's packages.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The local names a built package exports from dist/index.js (esbuild's closing `export { ... }`),
 * at least 8 characters long and absent from every file in `exclude` (so a name the kernel also
 * uses is no evidence).
 *
 * @param packageDir - the package folder (with dist/index.js)
 * @param exclude - files whose text disqualifies a name (e.g. the kernel's dist files)
 * @returns the marker names, possibly empty
 * @example
 * ```ts
 * const markers = exportMarkers("packages/devices", ["packages/kernel/dist/index.js"]);
 * ```
 */
export function exportMarkers(packageDir: string, exclude: readonly string[]): string[] {
  const index = join(packageDir, "dist", "index.js");
  if (!existsSync(index)) throw new Error(`${index} is missing: run pnpm build`);
  const text = readFileSync(index, "utf8");
  // The closing export statement: the last `export {` of the file (tsup/esbuild write exactly one).
  const start = text.lastIndexOf("export {");
  const block = start === -1 ? "" : text.slice(start + "export {".length, text.indexOf("}", start));
  const excluded = exclude.map((f) => readFileSync(f, "utf8")).join("\n");
  return block
    .split(",")
    .map((part) => part.trim().split(/\s+as\s+/)[0]?.trim() ?? "")
    .filter((name) => name.length >= 8 && /^[A-Za-z_$][\w$]*$/.test(name) && !excluded.includes(name));
}

/**
 * Which of the markers occur in a file's bytes (as ASCII).
 *
 * @param file - an image
 * @param markers - names to look for
 * @returns the markers found
 * @example
 * ```ts
 * expect(markersIn("dist/my-service.img", markers)).toEqual([]);
 * ```
 */
export function markersIn(file: string, markers: readonly string[]): string[] {
  const text = readFileSync(file).toString("latin1");
  return markers.filter((m) => text.includes(m));
}
