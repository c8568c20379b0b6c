// Build-time layer of @toro/linker (Node): the link pipeline — check the entry, type-check, bundle
// app and runtime, compile to bytecode when safe, write payload and image, report sizes. It
// composes the other files of this package and must not import anything of the image side except
// ToroError.
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { ToroError } from "@toro/kernel";
import { assembleImage, writeFileAtomic } from "./assemble-image.js";
import { bundleApp, bundleRuntime } from "./bundle.js";
import { compileToBytecode, probeCompiler } from "./compile-bytecode.js";
import { findPayloadHeader, readElf64 } from "./elf.js";
import { readManifest } from "./kernel-files.js";
import { encodePayload, type PayloadEntry } from "./payload.js";
import { resolveOptions, type LinkImageOptions } from "./resolve-options.js";
import { packageSizes, type SizeReport } from "./size-report.js";
import { typecheckApp } from "./typecheck.js";

/**
 * What {@link linkImage} produced.
 *
 * @example
 * ```ts
 * const result: LinkImageResult = await linkImage({ appDir: "apps/hello" });
 * if (result.bytecodeSkipped) console.warn(`shipping source: ${result.bytecodeSkipped}`);
 * ```
 */
export interface LinkImageResult {
  /** Absolute path of the image written. */
  imagePath: string;
  /** Where the image's bytes go. */
  sizes: SizeReport;
  /** Why the JS was embedded as source, when bytecode was possible to ask for but not used. */
  bytecodeSkipped?: string;
}

/**
 * Links a TypeScript app and the units it imports into one bootable image: type-checks it, bundles
 * it with esbuild (tree-shaken, at the engine's language level), compiles it to QuickJS bytecode
 * when a matching compiler is at hand (else embeds source), and writes kernel + payload as one file.
 *
 * @param options - app folder, entry, output, kernel, bytecode policy, type-check switch, progress callback
 * @returns the image path and its size report
 * @throws ToroError with code "ENOENT" (missing entry), "ESYNTAX", "ETYPE", "EBUNDLE" (bundling,
 *   Node built-ins, syntax too new for the engine), "EKERNEL" (kernel missing or inconsistent),
 *   "EBYTECODE" (bytecode "always" without a usable compiler); each with a `hint`
 * @example
 * ```ts
 * import { linkImage, formatSizeReport } from "@toro/linker";
 *
 * const { imagePath, sizes } = await linkImage({ appDir: "apps/hello", onProgress: console.error });
 * console.log(imagePath);
 * console.log(formatSizeReport(sizes));
 * ```
 */
export async function linkImage(options: LinkImageOptions = {}): Promise<LinkImageResult> {
  const o = resolveOptions(options);
  const show = (path: string): string => relative(o.appDir, path) || path;

  // Kernel files first: a broken kernel should fail in a second, not after bundling.
  if (!existsSync(o.kernel.elfPath)) {
    throw new ToroError("EKERNEL", `kernel ELF ${o.kernel.elfPath} does not exist`, {
      hint: "build @toro/kernel (pnpm build in packages/kernel) or reinstall it",
    });
  }
  const manifest = readManifest(o.kernel.manifestPath);
  const kernel = new Uint8Array(readFileSync(o.kernel.elfPath));
  findPayloadHeader(readElf64(kernel), manifest.payloadPhdrIndex, manifest.payloadAddress);

  if (o.typecheck) {
    o.onProgress(`type-checking ${show(o.entryPath)}…`);
    typecheckApp({
      appDir: o.appDir,
      entryPath: o.entryPath,
      sourceCondition: o.sourceCondition,
      globalsPath: o.kernel.globalsPath,
    });
  }

  o.onProgress(`bundling ${show(o.entryPath)}…`);
  const bundleInput = { appDir: o.appDir, sourceCondition: o.sourceCondition, onWarning: o.onProgress };
  const [app, runtime] = await Promise.all([
    bundleApp({ ...bundleInput, entryPath: o.entryPath }),
    bundleRuntime(bundleInput),
  ]);

  let bytecodeSkipped: string | undefined;
  let compilerPath: string | undefined;
  if (o.bytecode !== "never") {
    const status = await probeCompiler(o.kernel.compilerPath, manifest.engine.id);
    if (status.usable) compilerPath = status.path;
    else if (o.bytecode === "always") {
      throw new ToroError("EBYTECODE", `cannot compile to bytecode: ${status.reason}`, {
        hint: "build @toro/kernel on linux-x64 (it builds toro-qjsc), or link with --bytecode auto to embed source",
      });
    } else {
      bytecodeSkipped = status.reason;
      o.onProgress(`embedding JS source, not bytecode: ${status.reason}`);
    }
  }

  const encode = new TextEncoder();
  const entries: PayloadEntry[] = [];
  const programs = [
    { name: "runtime.js", kind: "script", code: runtime.code },
    { name: "main.js", kind: "module", code: app.code },
  ] as const;
  if (compilerPath !== undefined) o.onProgress("compiling to bytecode…");
  for (const program of programs) {
    const body =
      compilerPath === undefined
        ? encode.encode(program.code)
        : await compileToBytecode({ compilerPath, kind: program.kind, name: program.name, source: program.code });
    entries.push({
      kind: program.kind,
      encoding: compilerPath === undefined ? "source" : "bytecode",
      name: program.name,
      body,
    });
  }
  const payload = encodePayload(entries, compilerPath === undefined ? null : manifest.engine.id);
  const image = assembleImage(kernel, manifest, payload);

  o.onProgress(`writing ${show(o.outPath)}…`);
  writeFileAtomic(o.outPath, image.bytes);

  const sizes: SizeReport = {
    kernel: {
      core: manifest.sizes.core,
      engine: manifest.sizes.engine,
      libc: manifest.sizes.libc,
      nativeRuntime: manifest.sizes.runtime,
      total: kernel.length,
    },
    encoding: compilerPath === undefined ? "source" : "bytecode",
    runtimeBytes: entries[0]?.body.length ?? 0,
    app: {
      bytes: entries[1]?.body.length ?? 0,
      sourceBytes: encode.encode(app.code).length,
      packages: packageSizes(app.metafile, o.appDir),
    },
    payloadBytes: payload.length,
    imageBytes: image.bytes.length,
  };
  return bytecodeSkipped === undefined
    ? { imagePath: o.outPath, sizes }
    : { imagePath: o.outPath, sizes, bytecodeSkipped };
}
