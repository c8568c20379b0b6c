// Crash consistency of the FAT driver: every state a power cut could leave on the disk (after any
// request, or with any single request of the last unflushed batch alone) passes `fsck.fat -n` with at
// most lost clusters, and every file synced before the cut reads back intact. Reproduces the ordering
// bug where freeing clusters (FAT class) reached the disk before the directory entry that stopped
// using them: a crash in between left entries pointing at free or reused clusters (cross-links).
import { describe, expect, it } from "vitest";
import { crashStates, fsckQuiet, fsckVerdict, recordingDevice } from "../test-support/crash.js";
import { diffBytes, makeImage, pattern } from "../test-support/fat-tools.js";
import type { FileSystem } from "../vfs/types.js";
import { createMemoryBlockDevice } from "../memory-block-device.js";
import { mountFat } from "./fat-file-system.js";

const RW = { write: true, create: true, exclusive: false, truncate: false };
const RO = { write: false, create: false, exclusive: false, truncate: false };

async function readFile(fs: FileSystem, path: string[]): Promise<Uint8Array> {
  const f = await fs.open(path, RO);
  const out = new Uint8Array(f.size());
  await f.read(0, out);
  await f.close();
  return out;
}

describe.each([
  ["FAT16", 16, 16 * 1024, ["-s", "4"]],
  ["FAT32", 32, 40 * 1024, ["-s", "1"]],
] as const)("a crash at any point on %s", (_name, type, kib, mkfs) => {
  it("leaves at most lost clusters, and synced files intact", async () => {
    const base = makeImage(type, kib, { "d/a.bin": pattern(3000, 1), "d/b.bin": pattern(5000, 2), "d/keep.txt": pattern(700, 3) }, [...mkfs]);
    const dev = recordingDevice(base);
    const fs = await mountFat(dev, { now: () => Date.UTC(2024, 0, 1), cache: { capacityBlocks: 8 } });
    // Each synced file and the log index after which its contents are durable.
    const synced: { path: string[]; data: Uint8Array; at: number }[] = [];

    await fs.unlink(["d", "a.bin"]);
    const b = await fs.open(["d", "b.bin"], RW);
    await b.truncate(600); // shrink, then grow again over the old clusters
    await b.write(600, pattern(2000, 4));
    await b.sync();
    synced.push({ path: ["d", "b.bin"], data: new Uint8Array([...pattern(5000, 2).subarray(0, 600), ...pattern(2000, 4)]), at: dev.log.length });
    await b.close();
    await fs.mkdir(["d", "sub"]);
    const c = await fs.open(["d", "sub", "c.bin"], RW);
    await c.write(0, pattern(9000, 5));
    await c.sync();
    synced.push({ path: ["d", "sub", "c.bin"], data: pattern(9000, 5), at: dev.log.length });
    await c.close();
    // Unsynced work after the last sync: appends, replacing a file by rename, deletions, growth past
    // the cache (evictions write back mid-way).
    const log = await fs.open(["d", "log.txt"], RW);
    for (let i = 0; i < 6; i++) await log.write(i * 1500, pattern(1500, 10 + i));
    await fs.rename(["d", "keep.txt"], ["d", "kept.txt"]);
    await fs.unlink(["d", "sub", "c.bin"]);
    synced.pop(); // c.bin is gone by the end, so it is only checked in states before the unlink
    const e = await fs.open(["d", "e.bin"], RW);
    await e.write(0, pattern(40_000, 6));
    await e.truncate(100);
    await fs.close();

    const states = crashStates(base, dev.log);
    expect(states.length).toBeGreaterThan(10);
    for (const s of states) {
      const r = fsckQuiet(s.image);
      expect(fsckVerdict(r.status, r.output), `${s.label}:\n${r.output}`).toEqual([]);
      const back = await mountFat(createMemoryBlockDevice(s.image.slice()), { readOnly: true });
      for (const f of synced) {
        if (s.index < f.at) continue;
        expect(diffBytes(await readFile(back, f.path), f.data), `${f.path.join("/")} ${s.label}`).toBe("");
      }
    }
  }, 120_000);
});
