// Bench harness (@toro/bench): builds what the cases boot — links apps/hello and the idle app with
// @toro/linker (monorepo sources, bytecode as link-image does) and writes the bare PVH kernel —
// into tooling/bench/.cache/images. Needs the built kernel (`pnpm build`); must not boot anything.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { linkImage, type LinkImageResult } from "@toro/linker";
import { buildBarePvhKernel } from "@toro/vm";
import { HELLO_LINE } from "./results.js";

/** The monorepo root. */
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const imagesDir = fileURLToPath(new URL("../.cache/images", import.meta.url));

/** The images every case may need. */
export interface Prepared {
  hello: LinkImageResult;
  idle: LinkImageResult;
  barePvh: string;
}

/** Links the apps and writes the bare kernel; throws with a hint when the kernel is not built. */
export async function prepare(onProgress: (text: string) => void): Promise<Prepared> {
  const kernelElf = `${repoRoot}packages/kernel/dist/toro-kernel.elf`;
  if (!existsSync(kernelElf)) throw new Error(`the kernel is not built (${kernelElf} is missing): run \`pnpm build\` first`);
  mkdirSync(imagesDir, { recursive: true });
  onProgress("linking apps/hello…");
  const hello = await linkImage({ appDir: `${repoRoot}apps/hello`, out: `${imagesDir}/hello.img`, sourceCondition: true });
  onProgress("linking tooling/bench/apps/idle…");
  const idle = await linkImage({
    appDir: fileURLToPath(new URL("../apps/idle", import.meta.url)),
    out: `${imagesDir}/idle.img`,
    sourceCondition: true,
  });
  // The bare kernel prints hello's first line, so both are timed to the same moment.
  const barePvh = `${imagesDir}/bare-pvh.elf`;
  writeFileSync(barePvh, buildBarePvhKernel({ message: `${HELLO_LINE}\n`, exitCode: 0, elfClass: 64 }));
  return { hello, idle, barePvh };
}
