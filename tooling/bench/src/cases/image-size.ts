// Bench case 2, image size (@toro/bench): hello's image with the linker's breakdown, the Linux
// microVM's kernel + initrd, and the original Toro's published size (a constant, not measured).
// Reads results already at hand; boots nothing.
import { existsSync } from "node:fs";
import { linkImage } from "@toro/linker";
import type { BenchContext } from "../context.js";
import { repoRoot } from "../prepare.js";
import type { SizeReport } from "@toro/linker";
import { ORIGINAL_TORO_PUBLISHED_BYTES, type ImageSizeResult, type Skipped } from "../results.js";

// Apps the issue names beside hello; each is measured once it exists in apps/.
const LATER_APPS = ["hello-http", "static-web-server"] as const;

function toroImage(id: string, label: string, s: SizeReport): ImageSizeResult {
  return {
    id,
    label,
    totalBytes: s.imageBytes,
    source: "measured",
    parts: [
      { name: "kernel core (ring 0)", bytes: s.kernel.core },
      { name: "engine (QuickJS)", bytes: s.kernel.engine },
      { name: "libc (musl)", bytes: s.kernel.libc },
      { name: "native runtime", bytes: s.kernel.nativeRuntime },
      { name: "kernel ELF total", bytes: s.kernel.total },
      { name: `runtime.js (${s.encoding})`, bytes: s.runtimeBytes },
      { name: `main.js (${s.encoding})`, bytes: s.app.bytes },
      ...s.app.packages.map((p) => ({ name: `  main.js source from ${p.name}`, bytes: p.bytes })),
      { name: "payload", bytes: s.payloadBytes },
    ],
  };
}

/** Runs the image-size case. */
export async function runSizeCase(ctx: BenchContext): Promise<{ images: ImageSizeResult[]; skipped: Skipped[] }> {
  const images: ImageSizeResult[] = [toroImage("toro-hello", "Toro hello image", ctx.hello.sizes)];
  const skipped: Skipped[] = [];
  for (const app of LATER_APPS) {
    const appDir = `${repoRoot}apps/${app}`;
    if (!existsSync(appDir)) {
      skipped.push({ id: `toro-${app}`, label: `Toro ${app} image`, reason: `not available yet: apps/${app} does not exist` });
      continue;
    }
    ctx.progress.status(`size: linking apps/${app}…`);
    try {
      const linked = await linkImage({ appDir, out: `${repoRoot}tooling/bench/.cache/images/${app}.img`, sourceCondition: true });
      images.push(toroImage(`toro-${app}`, `Toro ${app} image`, linked.sizes));
    } catch (error) {
      skipped.push({ id: `toro-${app}`, label: `Toro ${app} image`, reason: `link failed: ${(error as Error).message}` });
    }
  }
  if ("error" in ctx.linuxVm) {
    skipped.push({ id: "linux-vm", label: "Linux microVM", reason: ctx.linuxVm.error });
  } else {
    const vm = ctx.linuxVm;
    images.push({
      id: "linux-vm",
      label: `Linux microVM (Debian ${vm.kernelRelease} + node ${vm.nodeVersion})`,
      totalBytes: vm.vmlinuzBytes + vm.initrdBytes,
      source: "measured",
      parts: [
        { name: "vmlinuz", bytes: vm.vmlinuzBytes },
        { name: `initrd (${vm.compression})`, bytes: vm.initrdBytes },
        { name: "initrd unpacked", bytes: vm.initrdUncompressedBytes },
      ],
    });
  }
  images.push({
    id: "original-toro",
    label: "original Toro (FreePascal) hello",
    totalBytes: ORIGINAL_TORO_PUBLISHED_BYTES,
    source: "published",
    parts: [],
    note: "published by its authors (~130 KB), not measured here",
  });
  return { images, skipped };
}
