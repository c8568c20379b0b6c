// Issue 6 benchmark figures: the fs-bench fixture writes a 32 MiB file sequentially to a 64 MiB FAT32
// disk (mkfs.fat), fsyncs, remounts and reads it back, and times deep path lookups with and without
// the parsed-directory cache. The test checks the file byte-exact with mcopy and prints the figures
// (no thresholds: they depend on the host). The bench engineer can boot the same fixture.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { boot, fixture, link } from "./boot.js";

const env = { ...process.env, MTOOLS_SKIP_CHECK: "1", LC_ALL: "C.UTF-8" };
const dir = mkdtempSync(join(tmpdir(), "toro-fs-bench-"));
const MIB = 32;
const CHUNK_KIB = 256;

let image: string;
beforeAll(async () => {
  image = await link(fixture("fs-bench"));
}, 180_000);

describe.each(["microvm", "q35"] as const)("FAT throughput on %s", (machine) => {
  it("writes and reads a 32 MiB file on a 64 MiB FAT32 disk; mcopy reads it back byte-exact", async () => {
    const disk = join(dir, `${machine}.img`);
    execFileSync("mkfs.fat", ["-C", "-F", "32", disk, String(64 * 1024)], { env, stdio: "pipe" });
    const r = await boot(image, { machine, disks: [{ path: disk }], cmdline: `mib=${MIB} chunk=${CHUNK_KIB}`, memoryMiB: 256, timeoutMs: 170_000 });
    const lines = r.output.split("\n").filter((l) => l.startsWith("fs-bench:"));
    console.log(`${machine} (${r.accel}):\n${lines.join("\n")}`);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/fs-bench: seq-write \d+\.\d MB\/s, seq-read \d+\.\d MB\/s \(fat32, 32 MiB file, 256 KiB requests, 64 MiB disk\)/);
    expect(r.output).toMatch(/fs-bench: stat of a depth-9 path \d+\/s with the directory cache, \d+\/s without/);

    const out = join(dir, `${machine}.out`);
    execFileSync("mcopy", ["-o", "-n", "-i", disk, "::/big.bin", out], { env, stdio: "pipe" });
    const back = readFileSync(out);
    expect(back.length).toBe(MIB * 1024 * 1024);
    const chunk = CHUNK_KIB * 1024;
    for (let k = 0; k * chunk < back.length; k++) {
      const want = (k * 31 + 7) & 0xff;
      const slice = back.subarray(k * chunk, (k + 1) * chunk);
      expect(slice.every((b) => b === want), `chunk ${k}`).toBe(true);
    }
  }, 200_000);
});
