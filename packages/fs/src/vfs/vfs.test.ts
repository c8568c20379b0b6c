import { encodeUtf8 } from "@toro/kernel";
import { describe, expect, it } from "vitest";
import { mountFat } from "../fat/fat-file-system.js";
import { createMemoryFileSystem } from "../memfs/memory-file-system.js";
import { createMemoryBlockDevice } from "../memory-block-device.js";
import { fsckFat, makeImage, mcopyOut } from "../test-support/fat-tools.js";
import { splitPath } from "./path.js";
import { utf8Decode } from "./utf8.js";
import { createVfs, type Vfs } from "./vfs.js";

const fatImage = makeImage(16, 16 * 1024, { "www/index.html": new TextEncoder().encode("<h1>disk</h1>") });

async function setups(): Promise<Array<[string, Vfs]>> {
  const mem = createVfs();
  mem.mount("/", createMemoryFileSystem({ now: () => 1_700_000_000_000 }));
  const fat = createVfs();
  fat.mount("/", await mountFat(createMemoryBlockDevice(fatImage.slice()), { now: () => 1_700_000_000_000 }));
  return [
    ["memory", mem],
    ["fat16", fat],
  ];
}

describe("splitPath", () => {
  it("normalises . and .. and never climbs above the root", () => {
    expect(splitPath("/a/./b/../c/")).toEqual(["a", "c"]);
    expect(splitPath("../../x")).toEqual(["x"]);
    expect(splitPath("/")).toEqual([]);
    expect(() => splitPath("/a\u0000b")).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });
});

describe("utf8", () => {
  it("round-trips, including astral characters", () => {
    const s = "héllo ☃ 😀 \u0000 end";
    expect(utf8Decode(encodeUtf8(s))).toBe(s);
    expect(Buffer.from(encodeUtf8(s)).toString("utf8")).toBe(s);
    expect(utf8Decode(Uint8Array.of(0xff, 0x41, 0xc3))).toBe("\ufffdA\ufffd");
  });
});

describe.each(["memory", "fat16"])("the fs/promises-like API on %s", (which) => {
  const get = async (): Promise<Vfs> => (await setups()).find(([n]) => n === which)![1];

  it("writes, reads, appends and stats files", async () => {
    const vfs = await get();
    await vfs.mkdir("/data/logs/today", { recursive: true });
    expect(await vfs.mkdir("/data/logs", { recursive: true })).toBeUndefined();
    await vfs.writeFile("/data/logs/today/../a.txt", "hello");
    await vfs.appendFile("/data/logs/a.txt", " world");
    expect(await vfs.readFile("/data/logs/a.txt", "utf8")).toBe("hello world");
    expect(await vfs.readFile("data/./logs/a.txt")).toEqual(encodeUtf8("hello world"));
    const st = await vfs.stat("/data/logs/a.txt");
    expect(st.isFile()).toBe(true);
    expect(st.size).toBe(11);
    expect(Math.abs(st.mtimeMs - 1_700_000_000_000)).toBeLessThan(2000);
    expect((await vfs.stat("/data")).isDirectory()).toBe(true);
    const listing = await vfs.readdir("/data/logs", { withFileTypes: true });
    expect(listing.map((d) => [d.name, d.isDirectory()]).sort()).toEqual([
      ["a.txt", false],
      ["today", true],
    ]);
    expect(listing[0]!.parentPath).toBe("/data/logs");
  });

  it("gives Node's error codes", async () => {
    const vfs = await get();
    await vfs.writeFile("/f.txt", "x");
    await vfs.mkdir("/d");
    await vfs.writeFile("/d/inner.txt", "y");
    await expect(vfs.readFile("/missing")).rejects.toMatchObject({ code: "ENOENT" });
    await expect(vfs.readFile("/f.txt/x")).rejects.toMatchObject({ code: "ENOTDIR" });
    await expect(vfs.readFile("/d")).rejects.toMatchObject({ code: "EISDIR" });
    await expect(vfs.mkdir("/d")).rejects.toMatchObject({ code: "EEXIST" });
    await expect(vfs.mkdir("/f.txt/sub", { recursive: true })).rejects.toMatchObject({ code: "ENOTDIR" });
    await expect(vfs.writeFile("/f.txt", "z", { flag: "wx" })).rejects.toMatchObject({ code: "EEXIST" });
    await expect(vfs.rmdir("/d")).rejects.toMatchObject({ code: "ENOTEMPTY" });
    await expect(vfs.rmdir("/f.txt")).rejects.toMatchObject({ code: "ENOTDIR" });
    await expect(vfs.unlink("/d")).rejects.toMatchObject({ code: "EISDIR" });
    await expect(vfs.rm("/d")).rejects.toMatchObject({ code: "EISDIR" });
    await expect(vfs.rename("/d", "/d/inside")).rejects.toMatchObject({ code: "EINVAL" });
    await expect(vfs.rename("/f.txt", "/d")).rejects.toMatchObject({ code: "EISDIR" });
    await expect(vfs.open("/f.txt", "q" as "r")).rejects.toMatchObject({ code: "EINVAL" });
    await vfs.rm("/d", { recursive: true });
    await vfs.rm("/d", { force: true });
    await expect(vfs.stat("/d")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("handles: positions, positional I/O, append mode, modes, truncate, close", async () => {
    const vfs = await get();
    const fh = await vfs.open("/h.bin", "w+");
    await fh.write("abcdef");
    await fh.write(Uint8Array.of(0x58), 0, 1, 1); // positional: position stays at 6
    await fh.write("gh");
    const buf = new Uint8Array(8);
    expect((await fh.read(buf, 0, 8, 0)).bytesRead).toBe(8);
    expect(utf8Decode(buf)).toBe("aXcdefgh");
    await fh.truncate(3);
    expect((await fh.stat()).size).toBe(3);
    await fh.write("Z", 0, 1, 5); // a hole reads as zeros
    expect(Array.from(await vfs.readFile("/h.bin"))).toEqual([97, 88, 99, 0, 0, 90]);
    await fh.sync();
    await fh.close();
    await fh.close(); // closing twice is harmless
    await expect(fh.read(buf)).rejects.toMatchObject({ code: "EBADF" });

    const ro = await vfs.open("/h.bin", "r");
    await expect(ro.write("x")).rejects.toMatchObject({ code: "EBADF" });
    await ro.close();
    const wo = await vfs.open("/h.bin", "a");
    await expect(wo.read(buf)).rejects.toMatchObject({ code: "EBADF" });
    await wo.write("!", 0, 1, 0); // append mode ignores the position
    await wo.close();
    expect(utf8Decode(await vfs.readFile("/h.bin")).endsWith("Z!")).toBe(true);
    await vfs.truncate("/h.bin", 1);
    expect(await vfs.readFile("/h.bin", "utf8")).toBe("a");
  });

  it("renames files and directories, replacing files", async () => {
    const vfs = await get();
    await vfs.mkdir("/a/b", { recursive: true });
    await vfs.writeFile("/a/b/file.txt", "1");
    await vfs.writeFile("/other.txt", "2");
    await vfs.rename("/a/b", "/moved");
    expect(await vfs.readFile("/moved/file.txt", "utf8")).toBe("1");
    await vfs.rename("/other.txt", "/moved/file.txt");
    expect(await vfs.readFile("/moved/file.txt", "utf8")).toBe("2");
    expect(await vfs.readdir("/")).not.toContain("other.txt");
    expect(await vfs.readdir("/a")).toEqual([]);
  });

  it("keeps an unlinked file readable through an open handle", async () => {
    const vfs = await get();
    await vfs.writeFile("/u.txt", "still here");
    const fh = await vfs.open("/u.txt", "r");
    await vfs.unlink("/u.txt");
    await expect(vfs.stat("/u.txt")).rejects.toMatchObject({ code: "ENOENT" });
    expect(await fh.readFile("utf8")).toBe("still here");
    await fh.close();
  });
});

describe("mounts", () => {
  it("resolves the deepest mount, lists mount points and refuses cross-mount renames", async () => {
    const vfs = createVfs();
    const dev = createMemoryBlockDevice(fatImage.slice());
    vfs.mount("/", createMemoryFileSystem());
    vfs.mount("/disk", await mountFat(dev, { now: () => Date.UTC(2024, 0, 1) }));
    expect(() => vfs.mount("/disk/", createMemoryFileSystem())).toThrow(expect.objectContaining({ code: "EBUSY" }));
    expect(await vfs.readdir("/")).toEqual(["disk"]);
    expect(await vfs.readFile("/disk/www/index.html", "utf8")).toBe("<h1>disk</h1>");
    // FAT is case-insensitive (but case-preserving); the mount table and the memory fs are not.
    expect(await vfs.readFile("/disk/WWW/Index.HTML", "utf8")).toBe("<h1>disk</h1>");
    await expect(vfs.readFile("/DISK/www/index.html")).rejects.toMatchObject({ code: "ENOENT" });
    await vfs.writeFile("/note.txt", "mem");
    await expect(vfs.rename("/note.txt", "/disk/note.txt")).rejects.toMatchObject({ code: "EXDEV" });
    await expect(vfs.rmdir("/disk")).rejects.toMatchObject({ code: "EBUSY" });
    await vfs.writeFile("/disk/www/New File.txt", "persisted");
    const fh = await vfs.open("/disk/www/New File.txt");
    await expect(vfs.unmount("/disk")).rejects.toMatchObject({ code: "EBUSY" });
    await fh.close();
    await vfs.unmount("/disk"); // flushes
    await expect(vfs.readFile("/disk/www/index.html")).rejects.toMatchObject({ code: "ENOENT" });
    expect(new TextDecoder().decode(mcopyOut(dev.bytes, "www/New File.txt"))).toBe("persisted");
    expect(fsckFat(dev.bytes).status).toBe(0);
  });

  it("mounts read-only images and refuses writes with EROFS", async () => {
    const vfs = createVfs();
    vfs.mount("/", await mountFat(createMemoryBlockDevice(fatImage.slice(), { readOnly: true })));
    await expect(vfs.writeFile("/x.txt", "no")).rejects.toMatchObject({ code: "EROFS" });
    await expect(vfs.mkdir("/x")).rejects.toMatchObject({ code: "EROFS" });
    expect(await vfs.readFile("/www/index.html", "utf8")).toBe("<h1>disk</h1>");
  });
});
