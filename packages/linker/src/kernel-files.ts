// Build-time layer of @toro/linker (Node): finds the prebuilt kernel of @toro/kernel as seen from an
// app folder and reads its manifest (docs/internals.md §1). It reads files; it must not import
// esbuild or typescript.
import { createRequire } from "node:module";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ToroError } from "@toro/kernel";

/** The parsed `toro-kernel.json`. */
export interface KernelManifest {
  format: 1;
  payloadPhdrIndex: number;
  payloadAddress: number;
  engine: { name: string; version: string; id: string };
  sizes: { core: number; engine: number; libc: number; runtime: number; total: number };
}

/** Where the kernel files are. */
export interface KernelFiles {
  elfPath: string;
  manifestPath: string;
  /** The host bytecode compiler's path; it may not exist. */
  compilerPath: string;
  /** Declarations of the image's globals, for type-checking apps. */
  globalsPath: string;
}

const REBUILD_HINT = "rebuild @toro/kernel (pnpm build in packages/kernel) or reinstall it";

/**
 * Finds `@toro/kernel` in the node_modules folders from `appDir` up (a pnpm symlink or a workspace
 * link both work) and returns the paths of its dist files. Unlike require.resolve it ignores
 * NODE_PATH and global folders (pnpm's bin shims set NODE_PATH): the kernel in an image must be the
 * one the app depends on, whatever shell it is linked from.
 */
export function locateKernel(appDir: string): KernelFiles {
  for (let dir = resolve(appDir); ; dir = dirname(dir)) {
    const packageDir = join(dir, "node_modules", "@toro", "kernel");
    if (existsSync(join(packageDir, "package.json"))) {
      return kernelFilesFromElf(join(realpathSync(packageDir), "dist", "toro-kernel.elf"));
    }
    if (dirname(dir) === dir) break;
  }
  throw new ToroError("EKERNEL", `cannot find @toro/kernel in node_modules from ${appDir} up`, {
    hint: "add @toro/kernel to the app's dependencies and install, or pass --kernel <file.elf>",
  });
}

/** The manifest and compiler paths that sit beside a given kernel ELF in a kernel dist folder. */
export function kernelFilesFromElf(elfPath: string): KernelFiles {
  const dist = dirname(elfPath);
  const beside = join(dist, "..", "globals.d.ts");
  return {
    elfPath,
    manifestPath: join(dist, "toro-kernel.json"),
    compilerPath: join(dist, "bin", "linux-x64", "toro-qjsc"),
    // A kernel passed by path may be a bare ELF: then the declarations of the kernel this linker
    // depends on serve.
    globalsPath: existsSync(beside) ? beside : ownKernelGlobals(),
  };
}

function ownKernelGlobals(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@toro/kernel/package.json")), "globals.d.ts");
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** Reads and validates a kernel manifest; a ToroError "EKERNEL" says what is wrong. */
export function readManifest(manifestPath: string): KernelManifest {
  if (!existsSync(manifestPath)) {
    throw new ToroError("EKERNEL", `kernel manifest ${manifestPath} does not exist`, { hint: REBUILD_HINT });
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (cause) {
    throw new ToroError("EKERNEL", `kernel manifest ${manifestPath} is not JSON`, { cause, hint: REBUILD_HINT });
  }
  const bad = (what: string): never => {
    throw new ToroError("EKERNEL", `kernel manifest ${manifestPath}: ${what}`, { hint: REBUILD_HINT });
  };
  const m = data as Partial<Record<keyof KernelManifest, unknown>>;
  if (typeof m !== "object" || m === null) return bad("not an object");
  if (m.format !== 1) bad(`format ${JSON.stringify(m.format)}, this linker reads format 1`);
  if (!isCount(m.payloadPhdrIndex)) bad("payloadPhdrIndex is not a count");
  if (!isCount(m.payloadAddress) || (m.payloadAddress as number) % 4096 !== 0) {
    bad("payloadAddress is not a page-aligned address");
  }
  const engine = m.engine as Partial<KernelManifest["engine"]> | undefined;
  if (typeof engine?.name !== "string" || typeof engine.version !== "string") bad("engine.name/version missing");
  if (typeof engine?.id !== "string" || !/^[0-9a-f]{16}$/.test(engine.id)) bad("engine.id is not 16 hex digits");
  const sizes = m.sizes as Partial<Record<keyof KernelManifest["sizes"], unknown>> | undefined;
  for (const key of ["core", "engine", "libc", "runtime", "total"] as const) {
    if (!isCount(sizes?.[key])) bad(`sizes.${key} is not a byte count`);
  }
  return data as KernelManifest;
}
