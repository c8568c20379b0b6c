// Short names outside ASCII and the parsed-directory cache. mtools stores a name that fits 8.3 in the
// OEM code page only (`données` becomes the short entry `DONNÉES` + the NT lowercase bit, no long
// name); @toro/fs must find it in any case, and decode it per the code page it is told (CP850 default).
import { describe, expect, it } from "vitest";
import { createMemoryBlockDevice } from "../memory-block-device.js";
import { makeImage, mcopyOut, mdirBare } from "../test-support/fat-tools.js";
import type { FileSystem } from "../vfs/types.js";
import { mountFat } from "./fat-file-system.js";

const enc = new TextEncoder();
const RO = { write: false, create: false, exclusive: false, truncate: false };
const RW = { write: true, create: true, exclusive: false, truncate: false };

async function text(fs: FileSystem, path: string[]): Promise<string> {
  const f = await fs.open(path, RO);
  const out = new Uint8Array(f.size());
  await f.read(0, out);
  await f.close();
  return new TextDecoder().decode(out);
}

describe("8.3 names in the OEM code page (made by mmd/mcopy)", () => {
  const image = makeImage(16, 16 * 1024, {
    "données/été.txt": enc.encode("summer"),
    "ÉTÉ/Ça.txt": enc.encode("ça"),
    "À.TXT": enc.encode("a grave"), // À is 0xB7 in CP850 and does not exist in CP437
  });

  it("stores them as short names only, as the issue describes", () => {
    // mdir lowercases ASCII only, hence "donnÉes"; the entry is "DONN\x90ES " + directory + NT lowercase.
    expect(mdirBare(image, "").map((l) => l.replace(/^::\//, "")).sort()).toEqual(["donnÉes/", "ÉTÉ/", "À.TXT"].sort());
    const at = Buffer.from(image).indexOf(Buffer.from("DONN\x90ES    ", "latin1"));
    expect(at).toBeGreaterThan(0);
    expect([image[at + 11], image[at + 12]]).toEqual([0x10, 0x08]);
    expect(image[at - 32 + 11]).not.toBe(0x0f); // no long-name entry before it
  });

  it("finds and lists them case-insensitively (CP850 by default)", async () => {
    const fs = await mountFat(createMemoryBlockDevice(image.slice()), { readOnly: true });
    expect((await fs.readdir([])).map((e) => e.name).sort()).toEqual(["données", "ÉTÉ", "À.TXT"].sort());
    expect(await text(fs, ["données", "été.txt"])).toBe("summer");
    expect(await text(fs, ["DONNÉES", "ÉTÉ.TXT"])).toBe("summer");
    expect(await text(fs, ["été", "ça.txt"])).toBe("ça");
    expect(await text(fs, ["à.txt"])).toBe("a grave");
    expect((await fs.stat(["Données"])).kind).toBe("directory");
  });

  it("decodes per CP437 when told, where the code pages differ", async () => {
    const fs = await mountFat(createMemoryBlockDevice(image.slice()), { readOnly: true, codePage: 437 });
    // 0xB7 is ╖ in CP437; the letters both pages share still match.
    expect((await fs.readdir([])).map((e) => e.name).sort()).toEqual(["données", "ÉTÉ", "╖.TXT"].sort());
    expect(await text(fs, ["données", "été.txt"])).toBe("summer");
    await expect(mountFat(createMemoryBlockDevice(image.slice()), { codePage: 1252 as never })).rejects.toMatchObject({ code: "EINVAL" });
  });

  it("writes into such a directory; mcopy reads the file back", async () => {
    const dev = createMemoryBlockDevice(image.slice());
    const fs = await mountFat(dev, { now: () => Date.UTC(2024, 0, 1) });
    const f = await fs.open(["DONNÉES", "nouveau fichier.txt"], RW);
    await f.write(0, enc.encode("écrit par toro"));
    await f.close();
    await fs.close();
    expect(new TextDecoder().decode(mcopyOut(dev.bytes, "données/nouveau fichier.txt"))).toBe("écrit par toro");
  });
});

describe("the parsed-directory cache", () => {
  const deep = ["a", "b", "c", "d", "e", "f"];
  const image = makeImage(32, 40 * 1024, { [`${deep.join("/")}/leaf.txt`]: enc.encode("leaf") });

  it("stops re-reading every directory on the path for each lookup", async () => {
    const reads = async (directoryCacheEntries: number): Promise<number> => {
      const dev = createMemoryBlockDevice(image.slice());
      // A block cache too small to hold the path: only the directory cache can spare the reads.
      const fs = await mountFat(dev, { readOnly: true, directoryCacheEntries, cache: { blockSizeBytes: 512, capacityBlocks: 4, readAheadBlocks: 1 } });
      await fs.stat([...deep, "leaf.txt"]);
      const before = dev.stats.reads;
      for (let i = 0; i < 50; i++) await fs.stat([...deep, "leaf.txt"]);
      return dev.stats.reads - before;
    };
    expect(await reads(0)).toBeGreaterThan(50 * deep.length);
    expect(await reads(16)).toBe(0);
  });

  it("sees every change: sizes after writes, removed and re-created directories, renames", async () => {
    const dev = createMemoryBlockDevice(image.slice());
    const fs = await mountFat(dev, { now: () => Date.UTC(2024, 0, 1), directoryCacheEntries: 2 });
    const f = await fs.open(["a", "grow.bin"], RW);
    await f.write(0, new Uint8Array(10_000));
    await f.close();
    expect((await fs.stat(["a", "grow.bin"])).size).toBe(10_000);
    expect((await fs.readdir(["a"])).map((e) => e.name).sort()).toEqual(["b", "grow.bin"]);
    await fs.mkdir(["x"]);
    await fs.mkdir(["x", "inner"]);
    await fs.rmdir(["x", "inner"]);
    await fs.rmdir(["x"]);
    await fs.mkdir(["y"]); // may reuse the clusters of x or x/inner
    expect(await fs.readdir(["y"])).toEqual([]);
    await fs.rename(["a", "b"], ["moved"]);
    expect((await fs.readdir(["moved", "c", "d", "e", "f"])).map((e) => e.name)).toEqual(["leaf.txt"]);
    await expect(fs.stat(["a", "b"])).rejects.toMatchObject({ code: "ENOENT" });
    await fs.close();
    const again = await mountFat(createMemoryBlockDevice(dev.bytes.slice()), { readOnly: true, directoryCacheEntries: 0 });
    expect((await again.stat(["a", "grow.bin"])).size).toBe(10_000);
    expect(await text(again, ["moved", "c", "d", "e", "f", "leaf.txt"])).toBe("leaf");
  });
});
