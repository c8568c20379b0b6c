// Bench harness (@toro/bench): the Linux microVM baseline's artifacts — builds them with
// linux-vm/build.sh on first use (Debian packages, cached under .cache/linux-vm) and reads the
// manifest. Spawns only that script; must not import the renderers.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** What build.sh produced. */
export interface LinuxVm {
  vmlinuz: string;
  initrd: string;
  kernelRelease: string;
  nodeVersion: string;
  compression: string;
  vmlinuzBytes: number;
  initrdBytes: number;
  initrdUncompressedBytes: number;
}

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const cacheDir = `${benchDir}.cache/linux-vm`;

/** Builds (or reuses) the Linux microVM; returns it, or the reason it cannot be had. */
export function ensureLinuxVm(onProgress: (text: string) => void): LinuxVm | { error: string } {
  const manifestPath = `${cacheDir}/manifest.json`;
  if (!existsSync(manifestPath)) {
    onProgress("building the Linux microVM baseline from Debian packages (once; cached in tooling/bench/.cache)…");
    const r = spawnSync("bash", [`${benchDir}linux-vm/build.sh`], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
    if (r.status !== 0) {
      const tail = (r.stderr ?? "").trim().split("\n").slice(-3).join(" | ");
      return { error: `linux-vm/build.sh failed (${r.status ?? r.signal}): ${tail}` };
    }
  }
  try {
    const m = JSON.parse(readFileSync(manifestPath, "utf8")) as Omit<LinuxVm, "vmlinuz" | "initrd">;
    return { ...m, vmlinuz: `${cacheDir}/vmlinuz`, initrd: `${cacheDir}/initrd` };
  } catch (error) {
    return { error: `cannot read ${manifestPath}: ${String(error)}` };
  }
}
