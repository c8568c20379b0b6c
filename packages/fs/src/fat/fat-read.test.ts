// Real peers: images made by mkfs.fat and filled by mmd/mcopy are read byte-exact.
import { describe, expect, it } from "vitest";
import { createMemoryBlockDevice } from "../memory-block-device.js";
import { diffBytes, makeImage, pattern, type Tree } from "../test-support/fat-tools.js";
import type { FileSystem } from "../vfs/types.js";
import { mountFat } from "./fat-file-system.js";

const enc = new TextEncoder();

async function readAll(fs: FileSystem, path: string): Promise<Uint8Array> {
  const f = await fs.open(path.split("/").filter(Boolean), { write: false, create: false, exclusive: false, truncate: false });
  const out = new Uint8Array(f.size());
  let at = 0;
  // Odd-sized reads cross cluster and block boundaries.
  while (at < out.length) at += await f.read(at, out.subarray(at, Math.min(out.length, at + 7777)));
  expect(await f.read(at, new Uint8Array(10))).toBe(0);
  await f.close();
  return out;
}

const tree = (bytesPerCluster: number): Tree => ({
  "hello.txt": enc.encode("hello, world\n"),
  "README": enc.encode("8.3 upper"),
  "empty.dat": new Uint8Array(0),
  "one-cluster.bin": pattern(bytesPerCluster, 7),
  "A Long File Name With Spaces.html": enc.encode("<h1>spaces</h1>"),
  "Ünïcödé – ☃ snow.txt": enc.encode("unicode"),
  "MixedCase.Txt": enc.encode("mixed"),
  docs: "dir",
  "docs/nested": "dir",
  "docs/nested/deeper": "dir",
  "docs/nested/deeper/file.css": enc.encode("body{}"),
  "docs/big.bin": pattern(300_000 + 13, 3),
});

describe.each([
  [12, 1024, 512],
  [16, 16 * 1024, 2048],
  [32, 40 * 1024, 512],
] as const)("FAT%i made by mkfs.fat + mcopy", (type, kib, bpc) => {
  const files = tree(bpc);
  const image = makeImage(type, kib, files, ["-s", String(bpc / 512)]);

  it("mounts with the right type and lists the root", async () => {
    const fs = await mountFat(createMemoryBlockDevice(image.slice()), { readOnly: true });
    expect(fs.type).toBe(`fat${type}`);
    const names = (await fs.readdir([])).map((e) => `${e.name}${e.kind === "directory" ? "/" : ""}`).sort();
    expect(names).toEqual(
      ["hello.txt", "README", "empty.dat", "one-cluster.bin", "A Long File Name With Spaces.html", "Ünïcödé – ☃ snow.txt", "MixedCase.Txt", "docs/"].sort(),
    );
    expect((await fs.readdir(["docs"])).map((e) => e.name).sort()).toEqual(["big.bin", "nested"]);
  });

  it("reads every file byte-exact", async () => {
    const fs = await mountFat(createMemoryBlockDevice(image.slice()), { readOnly: true, cache: { capacityBlocks: 8 } });
    for (const [path, content] of Object.entries(files)) {
      if (content === "dir") {
        expect((await fs.stat(path.split("/"))).kind).toBe("directory");
        continue;
      }
      expect(diffBytes(await readAll(fs, path), content), path).toBe("");
      const st = await fs.stat(path.split("/"));
      expect(st.kind).toBe("file");
      expect(st.size).toBe(content.length);
      expect(st.mtimeMs).toBeGreaterThan(Date.UTC(2000, 0, 1));
    }
  });

  it("matches names case-insensitively and by short name", async () => {
    const fs = await mountFat(createMemoryBlockDevice(image.slice()), { readOnly: true });
    expect(await readAll(fs, "HELLO.TXT")).toEqual(files["hello.txt"]);
    expect(await readAll(fs, "DOCS/NESTED/DEEPER/FILE.CSS")).toEqual(files["docs/nested/deeper/file.css"]);
    expect(await readAll(fs, "ALONGF~1.HTM")).toEqual(files["A Long File Name With Spaces.html"]);
  });

  it("reports missing names and wrong kinds with Node codes", async () => {
    const fs = await mountFat(createMemoryBlockDevice(image.slice()), { readOnly: true });
    const ro = { write: false, create: false, exclusive: false, truncate: false };
    await expect(fs.open(["nope.txt"], ro)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(fs.open(["hello.txt", "x"], ro)).rejects.toMatchObject({ code: "ENOTDIR" });
    await expect(fs.open(["docs"], ro)).rejects.toMatchObject({ code: "EISDIR" });
    await expect(fs.readdir(["hello.txt"])).rejects.toMatchObject({ code: "ENOTDIR" });
    await expect(fs.mkdir(["x"])).rejects.toMatchObject({ code: "EROFS" });
  });
});
