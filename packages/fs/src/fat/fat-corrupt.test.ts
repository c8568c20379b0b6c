// Damaged images: loops, out-of-range clusters and random corruption give EIO-style typed errors —
// never a crash (an error without a code) and never a hang.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ToroError } from "@toro/kernel";
import { createMemoryBlockDevice } from "../memory-block-device.js";
import { makeImage, pattern } from "../test-support/fat-tools.js";
import { createVfs, type Vfs } from "../vfs/vfs.js";
import { parseBootSector } from "./boot-sector.js";
import { mountFat } from "./fat-file-system.js";

const enc = new TextEncoder();
const image = makeImage(16, 16 * 1024, { "big.bin": pattern(5000, 2), "dir/inner.txt": enc.encode("inner"), "small.txt": enc.encode("s") });
const geo = (() => {
  const r = parseBootSector(image, image.length);
  if (!r.ok) throw new Error(r.error);
  return r.value;
})();

/** Byte offset of the root directory entry named `short11`. */
function rootEntry(img: Uint8Array, short11: string): number {
  const start = geo.rootDirSector * 512;
  for (let o = start; o < start + geo.rootEntryCount * 32; o += 32) {
    if (String.fromCharCode(...img.subarray(o, o + 11)) === short11) return o;
  }
  throw new Error(`no ${short11}`);
}
const fat16 = (img: Uint8Array, n: number, value: number): void => {
  for (let copy = 0; copy < geo.fatCount; copy++) {
    const o = (geo.reservedSectors + copy * geo.fatSectors) * 512 + n * 2;
    img[o] = value & 0xff;
    img[o + 1] = value >> 8;
  }
};
const firstCluster = (img: Uint8Array, entry: number): number => img[entry + 26]! | (img[entry + 27]! << 8);

async function vfsOver(img: Uint8Array): Promise<Vfs> {
  const vfs = createVfs();
  vfs.mount("/", await mountFat(createMemoryBlockDevice(img), { now: () => 0 }));
  return vfs;
}

describe("damaged FAT images", () => {
  it("a loop in a file's cluster chain is EIO", async () => {
    const img = image.slice();
    const e = rootEntry(img, "BIG     BIN");
    const c = firstCluster(img, e);
    fat16(img, c + 2, c); // the third cluster points back at the first
    await expect((await vfsOver(img)).readFile("/big.bin")).rejects.toMatchObject({ code: "EIO" });
  });

  it("an out-of-range cluster is EIO, for files and directories", async () => {
    const img = image.slice();
    img[rootEntry(img, "SMALL   TXT") + 26] = 0xf0;
    img[rootEntry(img, "SMALL   TXT") + 27] = 0xff;
    const vfs = await vfsOver(img);
    await expect(vfs.readFile("/small.txt")).rejects.toMatchObject({ code: "EIO" });
    const d = rootEntry(img, "DIR        ");
    fat16(img, firstCluster(img, d), 1); // a reserved value inside a directory chain
    await expect((await vfsOver(img)).readdir("/dir")).rejects.toMatchObject({ code: "EIO" });
  });

  it("a file larger than its chain is EIO, and a bad boot sector refuses to mount", async () => {
    const img = image.slice();
    img[rootEntry(img, "SMALL   TXT") + 30] = 0x10; // size 1 MiB on a one-cluster chain
    await expect((await vfsOver(img)).readFile("/small.txt")).rejects.toMatchObject({ code: "EIO" });
    const bad = image.slice();
    bad[510] = 0;
    await expect(mountFat(createMemoryBlockDevice(bad))).rejects.toMatchObject({ code: "EIO" });
    await expect(mountFat(createMemoryBlockDevice(new Uint8Array(512)))).rejects.toMatchObject({ code: "EIO" });
  });

  it("a directory that contains itself (a cycle) makes a recursive rm fail with EIO, not loop", async () => {
    const img = image.slice();
    const dirCluster = firstCluster(img, rootEntry(img, "DIR        "));
    const dirStart = (geo.firstDataSector + (dirCluster - 2) * geo.sectorsPerCluster) * 512;
    // Find a free slot in /dir and put an entry there that names /dir's own cluster.
    let slot = dirStart;
    while (img[slot] !== 0 && img[slot] !== 0xe5) slot += 32;
    img.set(img.subarray(dirStart, dirStart + 32), slot); // a copy of ".": a directory entry for dirCluster
    img.set(enc.encode("LOOP       "), slot);
    const vfs = await vfsOver(img);
    expect(await vfs.readdir("/dir/loop/loop")).toContain("LOOP"); // the cycle is really there
    await expect(vfs.rm("/dir", { recursive: true })).rejects.toMatchObject({ code: "EIO" });
  });

  it("random corruption of metadata gives typed errors and terminates", async () => {
    const metaEnd = geo.firstDataSector * 512 + 8 * geo.bytesPerCluster;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(metaEnd - 1), fc.nat(255)), { minLength: 1, maxLength: 30 }), async (edits) => {
        const img = image.slice();
        for (const [at, v] of edits) img[at] = v;
        const expectTyped = async (f: () => Promise<unknown>): Promise<void> => {
          try {
            await f();
          } catch (err) {
            expect(err).toBeInstanceOf(ToroError);
          }
        };
        let vfs: Vfs | undefined;
        await expectTyped(async () => (vfs = await vfsOver(img)));
        if (!vfs) return;
        const v = vfs;
        // Walk at most 6 levels and 300 directories: a directory entry may point at an ancestor (a
        // cycle in the tree), which would otherwise make the walk exponential.
        let budget = 300;
        const walk = async (dir: string, depth: number): Promise<void> => {
          if (depth > 6 || --budget < 0) return;
          for (const d of await v.readdir(dir, { withFileTypes: true })) {
            const p = `${dir === "/" ? "" : dir}/${d.name}`;
            if (d.isDirectory()) await expectTyped(() => walk(p, depth + 1));
            else await expectTyped(() => v.readFile(p));
          }
        };
        await expectTyped(() => walk("/", 0));
        await expectTyped(() => v.writeFile("/new file.txt", pattern(3000)));
        await expectTyped(() => v.mkdir("/newdir/sub", { recursive: true }));
        await expectTyped(() => v.rm("/dir", { recursive: true }));
        await expectTyped(() => v.sync());
      }),
      { numRuns: 200 },
    );
  });
});
