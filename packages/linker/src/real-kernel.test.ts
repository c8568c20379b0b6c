// Links against the real parts of @toro/kernel in this checkout: its TS runtime
// (bundled from source) and, once `pnpm build` has run, its kernel ELF and toro-qjsc. These tests
// fail when it is missing; the image tests of apps/* boot the real thing in QEMU.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { linkImage } from "./link-image.js";
import { readManifest } from "./kernel-files.js";
import { readImagePayload } from "./testing/read-image.js";
import { makeTempApp, type TempApp } from "./testing/temp-app.js";

const kernelPackage = fileURLToPath(new URL("../../kernel", import.meta.url));
const runtimeSource = `${kernelPackage}/src/runtime/index.ts`;
const dist = `${kernelPackage}/dist`;
const elf = `${dist}/toro-kernel.elf`;
const haveRuntime = existsSync(runtimeSource);
const haveKernel = haveRuntime && existsSync(elf) && existsSync(`${dist}/toro-kernel.json`);
// The kernel is built by `pnpm build` before tests (README, .ci/run): its absence is a failure here.
if (!haveKernel) throw new Error(`the kernel is not built (${elf}): run \`pnpm build\` before the tests`);

const APP = {
  "src/main.ts": 'console.log("linked against the real kernel", 6 * 7);\n',
};

let app: TempApp | undefined;
afterEach(() => {
  app?.remove();
  app = undefined;
});

describe("with the real @toro/kernel", () => {
  it("bundles the real runtime to the engine's level without Node built-ins", async () => {
    // The runtime from source, the fake kernel ELF: this checks the runtime's code, not the kernel.
    app = makeTempApp({ files: APP });
    const { sizes } = await linkImage({
      appDir: app.dir,
      sourceCondition: true,
      typecheck: false,
      bytecode: "never",
      kernel: `${app.kernelDist}/toro-kernel.elf`,
    });
    expect(sizes.runtimeBytes).toBeGreaterThan(0);
  });

  it("writes an image readelf accepts, with the payload where its PT_LOAD says", async () => {
    app = makeTempApp({ files: APP, kernelPackage });
    const manifest = readManifest(`${dist}/toro-kernel.json`);
    const result = await linkImage({ appDir: app.dir, sourceCondition: true, typecheck: false });
    const payload = readImagePayload(result.imagePath, manifest.payloadPhdrIndex);
    expect(payload.entries.map((e) => e.name)).toEqual(["runtime.js", "main.js"]);
    if (result.sizes.encoding === "bytecode") expect(payload.engineId).toBe(manifest.engine.id);
    const out = execFileSync("readelf", ["-lW", result.imagePath], { encoding: "utf8" });
    const loads = out.split("\n").filter((l) => l.trim().startsWith("LOAD"));
    expect(loads.some((l) => Number(l.trim().split(/\s+/)[1]) === payload.offset)).toBe(true);
    expect(readFileSync(result.imagePath).length).toBe(result.sizes.imageBytes);
  });
});
