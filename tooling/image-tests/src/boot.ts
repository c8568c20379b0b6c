// Test helpers for image tests: link a fixture or app with @toro/linker, boot it with @toro/vm, and
// always stop the VM. Host-side test code; imports the public APIs only.
import { existsSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { linkImage } from "@toro/linker";
import { runImage, type RunImageOptions, type RunResult } from "@toro/vm";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const kernelElf = join(repoRoot, "packages/kernel/dist/toro-kernel.elf");
const outDir = mkdtempSync(join(tmpdir(), "toro-image-tests-"));

/** Links the app in `appDir` (monorepo packages resolved from source) and returns the image path. */
export async function link(appDir: string): Promise<string> {
  if (!existsSync(kernelElf)) {
    throw new Error(`the kernel is not built (${kernelElf} is missing): run \`pnpm build\` first`);
  }
  const name = appDir.split("/").filter(Boolean).pop() ?? "app";
  const result = await linkImage({ appDir, out: join(outDir, `${name}.img`), sourceCondition: true });
  return result.imagePath;
}

/** The folder of a fixture app under tooling/image-tests/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** Boots an image with a generous timeout (q35 under nested KVM takes seconds to start). */
export function boot(image: string, options: Omit<RunImageOptions, "image"> = {}): Promise<RunResult> {
  return runImage({ image, timeoutMs: 60_000, notes: null, ...options });
}
