// Test support of @toro/linker (not exported): builds an app folder in a temp dir with a fake
// @toro/kernel installed in its node_modules (runtime, kernel ELF, manifest, optionally a fake
// compiler) and the fixture unit packages linked in. Tests only; production code must not import it.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFakeKernelElf, FAKE_COMPILER_SCRIPT, fakeManifest } from "./fake-kernel.js";
import type { KernelManifest } from "../kernel-files.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** The runtime module of the fake kernel package; its marker shows it reached the image. */
export const FAKE_RUNTIME_SOURCE = `export function installGlobals() {
  globalThis.__fakeRuntime = "MARKER_RUNTIME_INSTALLED";
}
export function unusedRuntimeHelper() {
  return "MARKER_RUNTIME_UNUSED";
}
`;

/** Options of {@link makeTempApp}. */
export interface TempAppOptions {
  /** A fixture app under src/fixtures/apps to copy in. */
  fixture?: string;
  /** Files to write, relative to the app folder. */
  files?: Record<string, string>;
  /** Install the fake toro-qjsc. */
  compiler?: boolean;
  manifest?: KernelManifest;
  kernelElf?: Uint8Array;
  /** Link this real @toro/kernel package folder into node_modules instead of the fake one. */
  kernelPackage?: string;
}

/** A temp app folder; call `remove()` when done. */
export interface TempApp {
  dir: string;
  kernelDist: string;
  remove: () => void;
}

/** Creates the app folder. */
export function makeTempApp(options: TempAppOptions = {}): TempApp {
  const dir = mkdtempSync(join(tmpdir(), "toro-linker-test-"));
  if (options.fixture !== undefined) cpSync(join(FIXTURES, "apps", options.fixture), dir, { recursive: true });
  else writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "@scope/test-app", type: "module" }));
  for (const [path, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const modules = join(dir, "node_modules");
  mkdirSync(join(modules, "@fixture"), { recursive: true });
  for (const unit of ["unit-a", "unit-b"]) {
    symlinkSync(join(FIXTURES, "packages", unit), join(modules, "@fixture", unit), "dir");
  }
  const kernelPkg = join(modules, "@toro", "kernel");
  const kernelDist = join(kernelPkg, "dist");
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  if (options.kernelPackage !== undefined) {
    mkdirSync(dirname(kernelPkg), { recursive: true });
    symlinkSync(options.kernelPackage, kernelPkg, "dir");
    return { dir, kernelDist, remove };
  }
  mkdirSync(join(kernelDist, "bin", "linux-x64"), { recursive: true });
  writeFileSync(
    join(kernelPkg, "package.json"),
    JSON.stringify({
      name: "@toro/kernel",
      type: "module",
      sideEffects: false,
      exports: { "./runtime": "./runtime.js", "./package.json": "./package.json" },
    }),
  );
  writeFileSync(join(kernelPkg, "runtime.js"), FAKE_RUNTIME_SOURCE);
  writeFileSync(join(kernelDist, "toro-kernel.elf"), options.kernelElf ?? buildFakeKernelElf());
  writeFileSync(join(kernelDist, "toro-kernel.json"), JSON.stringify(options.manifest ?? fakeManifest()));
  if (options.compiler === true) {
    const compiler = join(kernelDist, "bin", "linux-x64", "toro-qjsc");
    writeFileSync(compiler, FAKE_COMPILER_SCRIPT);
    chmodSync(compiler, 0o755);
  }
  return { dir, kernelDist, remove };
}
