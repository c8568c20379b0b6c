// Model-based property tests: random operation sequences run on the VFS (over FAT12/16/32 and the
// memory filesystem) and on a plain Map model must agree on every result and error code; the FAT
// images must then pass fsck.fat -n.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mountFat } from "../fat/fat-file-system.js";
import { createMemoryFileSystem } from "../memfs/memory-file-system.js";
import { createMemoryBlockDevice } from "../memory-block-device.js";
import { fsckFat, makeImage } from "../test-support/fat-tools.js";
import { createVfs, type Vfs } from "./vfs.js";

type Model = Map<string, Uint8Array | "dir">;
type Op =
  | { op: "write" | "append"; path: string; data: Uint8Array }
  | { op: "mkdir" | "unlink" | "rmdir" | "read"; path: string }
  | { op: "truncate"; path: string; size: number }
  | { op: "rename"; path: string; to: string };

const names = ["a", "b", "Long Name.txt", "c.d"];
const pathArb = fc.oneof(fc.constantFrom(...names), fc.tuple(fc.constantFrom(...names), fc.constantFrom(...names)).map(([x, y]) => `${x}/${y}`));
const dataArb = fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 0, max: 3000 }).map((n) => new Uint8Array(n).map((_, i) => (i * 7 + n) & 0xff)));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom("write" as const, "append" as const), path: pathArb, data: dataArb }),
  fc.record({ op: fc.constantFrom("mkdir" as const, "unlink" as const, "rmdir" as const, "read" as const), path: pathArb }),
  fc.record({ op: fc.constant("truncate" as const), path: pathArb, size: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ op: fc.constant("rename" as const), path: pathArb, to: pathArb }),
);

class Fail extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

function parentCheck(m: Model, path: string): void {
  const slash = path.lastIndexOf("/");
  if (slash < 0) return;
  const parent = m.get(path.slice(0, slash));
  if (parent === undefined) throw new Fail("ENOENT");
  if (parent !== "dir") throw new Fail("ENOTDIR");
}

/** Applies `o` to the model; returns the read result or throws Fail(code). */
function applyModel(m: Model, o: Op): Uint8Array | undefined {
  parentCheck(m, o.path);
  const cur = m.get(o.path);
  const children = (p: string): string[] => [...m.keys()].filter((k) => k.startsWith(`${p}/`));
  switch (o.op) {
    case "write":
    case "append": {
      if (cur === "dir") throw new Fail("EISDIR");
      const base = o.op === "append" && cur ? cur : new Uint8Array(0);
      const next = new Uint8Array(base.length + o.data.length);
      next.set(base);
      next.set(o.data, base.length);
      m.set(o.path, next);
      return undefined;
    }
    case "read":
      if (cur === undefined) throw new Fail("ENOENT");
      if (cur === "dir") throw new Fail("EISDIR");
      return cur;
    case "mkdir":
      if (cur !== undefined) throw new Fail("EEXIST");
      m.set(o.path, "dir");
      return undefined;
    case "unlink":
      if (cur === undefined) throw new Fail("ENOENT");
      if (cur === "dir") throw new Fail("EISDIR");
      m.delete(o.path);
      return undefined;
    case "rmdir":
      if (cur === undefined) throw new Fail("ENOENT");
      if (cur !== "dir") throw new Fail("ENOTDIR");
      if (children(o.path).length > 0) throw new Fail("ENOTEMPTY");
      m.delete(o.path);
      return undefined;
    case "truncate": {
      if (cur === undefined) throw new Fail("ENOENT");
      if (cur === "dir") throw new Fail("EISDIR");
      const next = new Uint8Array(o.size);
      next.set(cur.subarray(0, o.size));
      m.set(o.path, next);
      return undefined;
    }
    case "rename": {
      if (cur === undefined) throw new Fail("ENOENT");
      if (cur === "dir" && o.to.startsWith(`${o.path}/`)) throw new Fail("EINVAL");
      parentCheck(m, o.to);
      if (o.to === o.path) return undefined;
      const dst = m.get(o.to);
      if (dst !== undefined) {
        if (cur === "dir" && dst !== "dir") throw new Fail("ENOTDIR");
        if (cur !== "dir" && dst === "dir") throw new Fail("EISDIR");
        if (dst === "dir" && children(o.to).length > 0) throw new Fail("ENOTEMPTY");
      }
      const moved = [o.path, ...children(o.path)];
      const saved = moved.map((k) => [k, m.get(k)!] as const);
      for (const k of moved) m.delete(k);
      m.delete(o.to);
      for (const [k, v] of saved) m.set(o.to + k.slice(o.path.length), v);
      return undefined;
    }
  }
}

async function applyReal(vfs: Vfs, o: Op): Promise<Uint8Array | undefined> {
  const p = `/${o.path}`;
  switch (o.op) {
    case "write":
      return void (await vfs.writeFile(p, o.data));
    case "append":
      return void (await vfs.appendFile(p, o.data));
    case "read":
      return vfs.readFile(p);
    case "mkdir":
      return void (await vfs.mkdir(p));
    case "unlink":
      return void (await vfs.unlink(p));
    case "rmdir":
      return void (await vfs.rmdir(p));
    case "truncate":
      return void (await vfs.truncate(p, o.size));
    case "rename":
      return void (await vfs.rename(p, `/${o.to}`));
  }
}

async function snapshot(vfs: Vfs, dir = "", out: Model = new Map()): Promise<Model> {
  for (const d of await vfs.readdir(`/${dir}`, { withFileTypes: true })) {
    const p = dir ? `${dir}/${d.name}` : d.name;
    if (d.isDirectory()) {
      out.set(p, "dir");
      await snapshot(vfs, p, out);
    } else {
      out.set(p, await vfs.readFile(`/${p}`));
    }
  }
  return out;
}

const outcome = async (f: () => unknown): Promise<{ code?: string; value?: unknown }> => {
  try {
    const v = await f();
    return v instanceof Uint8Array ? { value: Array.from(v) } : {};
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === undefined) throw err; // a crash, not a filesystem error
    return { code };
  }
};

async function check(vfs: Vfs, ops: Op[]): Promise<void> {
  const model: Model = new Map();
  for (const o of ops) {
    const want = await outcome(() => applyModel(model, o));
    const got = await outcome(() => applyReal(vfs, o));
    expect(got, JSON.stringify({ ...o, data: undefined })).toEqual(want);
  }
  const real = await snapshot(vfs);
  expect([...real.keys()].sort()).toEqual([...model.keys()].sort());
  for (const [k, v] of model) expect(v === "dir" ? v : Array.from(v), k).toEqual(real.get(k) === "dir" ? "dir" : Array.from(real.get(k) as Uint8Array));
}

describe("random operation sequences agree with a model", () => {
  it("on the memory filesystem", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
        const vfs = createVfs();
        vfs.mount("/", createMemoryFileSystem());
        await check(vfs, ops);
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    [12, 1024, 1, 40],
    [16, 16 * 1024, 4, 15],
    [32, 40 * 1024, 1, 8],
  ] as const)("on FAT%i, and fsck.fat -n accepts the result", async (type, kib, spc, runs) => {
    const image = makeImage(type, kib, {}, ["-s", String(spc)]);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
        const dev = createMemoryBlockDevice(image.slice());
        const fat = await mountFat(dev, { now: () => Date.UTC(2024, 1, 29, 23, 59, 59), cache: { capacityBlocks: 4, blockSizeBytes: 1024 } });
        const vfs = createVfs();
        vfs.mount("/", fat);
        await check(vfs, ops);
        await vfs.unmount("/");
        const fsck = fsckFat(dev.bytes);
        expect(fsck.status, fsck.output).toBe(0);
        // A fresh mount sees the same tree.
        const again = createVfs();
        again.mount("/", await mountFat(createMemoryBlockDevice(dev.bytes.slice()), { readOnly: true }));
        const model: Model = new Map();
        for (const o of ops) await outcome(() => applyModel(model, o));
        expect([...(await snapshot(again)).keys()].sort()).toEqual([...model.keys()].sort());
      }),
      { numRuns: runs },
    );
  });
});
