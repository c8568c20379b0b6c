// Build-time layer of @toro/linker (Node): the size report of a linked image — what the kernel,
// the runtime and each package contribute — and its table form. It reads package.json files to name
// packages; it must not import esbuild (only its metafile type) or typescript.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import type { Metafile } from "esbuild";

/**
 * Bytes one package contributes to the app bundle.
 *
 * @example
 * ```ts
 * const unit: PackageSize = { name: "@toro/net", bytes: 41_200 };
 * ```
 */
export interface PackageSize {
  /** The package name from its package.json; `"(app)"` for the app's own files. */
  name: string;
  /** JS source bytes in the bundle, after tree-shaking. */
  bytes: number;
}

/**
 * Where the bytes of an image go. All sizes are in bytes.
 *
 * @example
 * ```ts
 * const { sizes } = await linkImage({ appDir: "apps/hello" });
 * const biggest = sizes.app.packages[0]; // e.g. { name: "(app)", bytes: 1234 }
 * ```
 */
export interface SizeReport {
  /** The kernel's parts, from its manifest, and the size of its ELF file. */
  kernel: {
    /** The ring-0 core: boot, interrupts, halt, privileged I/O. */
    core: number;
    /** The JS engine, QuickJS. */
    engine: number;
    /** The C library, musl. */
    libc: number;
    /** The C glue between the engine and the core (intrinsics, event loop). */
    nativeRuntime: number;
    /** The kernel ELF file as linked against. */
    total: number;
  };
  /** How the JS entries are stored. */
  encoding: "bytecode" | "source";
  /** The JS runtime entry (the globals), as stored in the payload. */
  runtimeBytes: number;
  /** The app's module, main.js. */
  app: {
    /** The app entry as stored in the payload. */
    bytes: number;
    /** The bundled JS source. */
    sourceBytes: number;
    /** Per package, largest first; the bytes esbuild adds between modules are not attributed. */
    packages: PackageSize[];
  };
  /** The payload: header, entry table, names, runtime.js and main.js. */
  payloadBytes: number;
  /** The image file: kernel ELF, padding to a page, payload. */
  imageBytes: number;
}

function packageNameOf(file: string, appRoot: string, cache: Map<string, string | null>): string | null {
  let dir = dirname(file);
  const seen: string[] = [];
  for (;;) {
    const cached = cache.get(dir);
    if (cached !== undefined) {
      for (const d of seen) cache.set(d, cached);
      return cached;
    }
    seen.push(dir);
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      let name: string | null = null;
      try {
        const data = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown };
        if (typeof data.name === "string") name = data.name;
      } catch {
        // An unreadable package.json names nothing: keep walking up.
      }
      if (dir === appRoot) name = "(app)";
      if (name !== null) {
        for (const d of seen) cache.set(d, name);
        return name;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      for (const d of seen) cache.set(d, null);
      return null;
    }
    dir = parent;
  }
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Groups the bytes each input file contributes to the bundle by package (the nearest package.json
 * with a name, so pnpm's node_modules/.pnpm paths and workspace packages both work; the app's own
 * package is "(app)"). Inputs without a file (esbuild's stdin) count as "(app)".
 */
export function packageSizes(metafile: Metafile, appDir: string): PackageSize[] {
  const appRoot = real(appDir);
  const cache = new Map<string, string | null>();
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue;
      // esbuild names non-file inputs "<stdin>" or "namespace:path".
      const isFile = !input.startsWith("<") && (isAbsolute(input) || !/^[a-z-]+:/.test(input));
      const abs = isFile ? real(resolve(appRoot, input)) : null;
      const name =
        abs === null
          ? "(app)"
          : (packageNameOf(abs, appRoot, cache) ?? (abs.startsWith(appRoot + sep) ? "(app)" : input));
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

/**
 * The report as an aligned text table, for people.
 *
 * @param report - the report from linkImage
 * @returns the table, lines joined with "\n", no trailing newline
 * @example
 * ```ts
 * const { sizes } = await linkImage({ appDir: "apps/hello" });
 * console.log(formatSizeReport(sizes));
 * ```
 */
export function formatSizeReport(report: SizeReport): string {
  const rows: [string, number][] = [
    ["kernel core", report.kernel.core],
    ["engine (QuickJS)", report.kernel.engine],
    ["libc (musl)", report.kernel.libc],
    ["native runtime", report.kernel.nativeRuntime],
    ["kernel ELF total", report.kernel.total],
    [`runtime.js (${report.encoding})`, report.runtimeBytes],
    [`main.js (${report.encoding})`, report.app.bytes],
  ];
  const packageRows: [string, number][] = report.app.packages.map((p) => [`  ${p.name}`, p.bytes]);
  const tail: [string, number][] = [
    ["payload", report.payloadBytes],
    ["image", report.imageBytes],
  ];
  const all = [...rows, ...packageRows, ...tail];
  const width = Math.max(...all.map(([label]) => label.length), 20);
  const line = ([label, bytes]: [string, number]): string =>
    `${label.padEnd(width)}  ${bytes.toLocaleString("en-US").padStart(11)} B`;
  return [
    ...rows.map(line),
    `main.js source by package (${report.app.sourceBytes.toLocaleString("en-US")} B of JS):`,
    ...packageRows.map(line),
    ...tail.map(line),
  ].join("\n");
}
