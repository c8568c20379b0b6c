// Real peers: what @toro/fs writes is read back byte-exact by mcopy and passes `fsck.fat -n`.
import { describe, expect, it } from "vitest";
import { createMemoryBlockDevice } from "../memory-block-device.js";
import { diffBytes, fsckFat, makeImage, mcopyMany, mcopyOut, mdirBare, pattern } from "../test-support/fat-tools.js";
import type { FileSystem } from "../vfs/types.js";
import { mountFat } from "./fat-file-system.js";

const enc = new TextEncoder();
const W = { write: true, create: true, exclusive: false, truncate: true };
const split = (p: string): string[] => p.split("/").filter(Boolean);

async function put(fs: FileSystem, path: string, data: Uint8Array): Promise<void> {
  const f = await fs.open(split(path), W);
  // Several writes of odd sizes, across cluster boundaries.
  for (let at = 0; at < data.length; at += 5000) await f.write(at, data.subarray(at, Math.min(data.length, at + 5000)));
  await f.close();
}

const clock = (): (() => number) => {
  let t = Date.UTC(2024, 4, 17, 12, 30, 0);
  return () => (t += 2000);
};

describe.each([
  [12, 1024, 1],
  [16, 16 * 1024, 4],
  [32, 40 * 1024, 1],
] as const)("FAT%i written by @toro/fs", (type, kib, spc) => {
  it("is accepted by fsck.fat -n and read back byte-exact by mcopy", async () => {
    const dev = createMemoryBlockDevice(makeImage(type, kib, {}, ["-s", String(spc)]));
    const fs = await mountFat(dev, { now: clock(), cache: { capacityBlocks: 16 } });
    const files: Record<string, Uint8Array> = {
      "index.html": enc.encode("<h1>hi</h1>"),
      "UPPER.TXT": enc.encode("upper"),
      "Mixed Case Name.Html": enc.encode("mixed"),
      "Long File Name 1.txt": enc.encode("one"),
      "Long File Name 2.txt": enc.encode("two"),
      "Long File Name 3.txt": enc.encode("three"),
      "Ünïcödé ☃.txt": enc.encode("snow"),
      "empty.bin": new Uint8Array(0),
      "cluster.bin": pattern(512 * spc, 5),
      "site/css/main.css": enc.encode("body { margin: 0 }"),
      "site/big.bin": pattern(type === 12 ? 200_000 : 700_001, 9),
      "a.very.dotted.name.tar.gz": enc.encode("dots"),
    };
    await fs.mkdir(["site"]);
    await fs.mkdir(["site", "css"]);
    await fs.mkdir(["site", "old"]);
    for (const [p, d] of Object.entries(files)) await put(fs, p, d);
    // Many entries: the directory must grow past one cluster.
    await fs.mkdir(["many"]);
    for (let i = 0; i < 40; i++) await put(fs, `many/file number ${i}.txt`, enc.encode(`#${i}`));
    for (let i = 0; i < 40; i += 3) await fs.unlink(["many", `file number ${i}.txt`]);
    // Overwrite, truncate, rename, remove.
    await put(fs, "index.html", enc.encode("<h1>hello again</h1>"));
    const t = await fs.open(["cluster.bin"], { ...W, truncate: false });
    await t.truncate(100);
    await t.close();
    files["cluster.bin"] = files["cluster.bin"]!.slice(0, 100);
    await fs.rename(["UPPER.TXT"], ["site", "css", "moved.txt"]);
    await fs.rename(["site", "old"], ["renamed dir"]);
    await fs.rmdir(["renamed dir"]);
    await put(fs, "gone.txt", enc.encode("bye"));
    await fs.unlink(["gone.txt"]);
    await fs.sync();

    const image = dev.bytes;
    const fsck = fsckFat(image);
    expect(fsck.output).not.toMatch(/Free cluster summary wrong|lost|Bad|differ|invalid/i);
    expect(fsck.status, fsck.output).toBe(0);
    files["index.html"] = enc.encode("<h1>hello again</h1>");
    files["site/css/moved.txt"] = enc.encode("upper");
    delete files["UPPER.TXT"];
    const paths = Object.keys(files);
    const many = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 !== 0);
    const got = mcopyMany(image, [...paths, ...many.map((i) => `many/file number ${i}.txt`)]);
    paths.forEach((p, i) => expect(diffBytes(got[i]!, files[p]!), p).toBe(""));
    many.forEach((n, i) => expect(new TextDecoder().decode(got[paths.length + i])).toBe(`#${n}`));
    const root = mdirBare(image, "").map((l) => l.replace(/^::\//, ""));
    expect(root.sort()).toEqual(
      ["index.html", "Mixed Case Name.Html", "Long File Name 1.txt", "Long File Name 2.txt", "Long File Name 3.txt", "Ünïcödé ☃.txt", "empty.bin", "cluster.bin", "site/", "many/", "a.very.dotted.name.tar.gz"].sort(),
    );

    // Remount: everything reads back through our own reader too, with the timestamps we wrote.
    const again = await mountFat(createMemoryBlockDevice(image.slice()), { readOnly: true });
    const st = await again.stat(["index.html"]);
    expect(st.size).toBe(files["index.html"]!.length);
    expect(st.mtimeMs).toBeGreaterThan(Date.UTC(2024, 4, 17, 12, 30));
    expect(st.mtimeMs).toBeLessThan(Date.UTC(2024, 4, 18));
  });

  it("generates ~N short names and lowercase-8.3 names without long entries", async () => {
    const dev = createMemoryBlockDevice(makeImage(type, kib, {}, ["-s", String(spc)]));
    const fs = await mountFat(dev, { now: clock() });
    for (const n of ["Long File Name 1.txt", "Long File Name 2.txt", "readme.md", "x"]) await put(fs, n, enc.encode(n));
    await fs.sync();
    const short = (await (await mountFat(createMemoryBlockDevice(dev.bytes.slice()))).readdir([])).map((e) => e.name);
    expect(short.sort()).toEqual(["Long File Name 1.txt", "Long File Name 2.txt", "readme.md", "x"].sort());
    // mcopy can address them by their generated short names.
    expect(new TextDecoder().decode(mcopyOut(dev.bytes, "LONGFI~1.TXT"))).toBe("Long File Name 1.txt");
    expect(new TextDecoder().decode(mcopyOut(dev.bytes, "LONGFI~2.TXT"))).toBe("Long File Name 2.txt");
  });

  it("says ENOSPC when full, and stays consistent", async () => {
    const dev = createMemoryBlockDevice(makeImage(type, kib, {}, ["-s", String(spc)]));
    const fs = await mountFat(dev, { now: clock() });
    const free = (await fs.usage()).freeBytes;
    const f = await fs.open(["fill.bin"], W);
    await f.write(0, new Uint8Array(free - 512 * spc));
    await expect(f.write(free, new Uint8Array(512 * spc * 2))).rejects.toMatchObject({ code: "ENOSPC" });
    await f.close();
    expect((await fs.usage()).freeBytes).toBe(512 * spc);
    await fs.unlink(["fill.bin"]);
    await fs.sync();
    expect((await fs.usage()).freeBytes).toBe(free);
    const fsck = fsckFat(dev.bytes);
    expect(fsck.status, fsck.output).toBe(0);
  });
});
