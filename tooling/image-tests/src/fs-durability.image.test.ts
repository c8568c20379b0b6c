// Issue 6, durability: the fs-durability fixture writes and fsyncs files on a FAT disk made by
// mkfs.fat, printing a line after each fsync, and keeps writing without fsync. The host kills QEMU
// with SIGKILL (not a clean stop: no guest flush, no QEMU shutdown) a few unsynced rounds after the
// last synced file — each round is ~150 KiB of unsynced appends, files, unlinks and truncations, so
// the guest's block cache has been writing back on its own when the kill lands. Then
// `fsck.fat -n` may find at most what a crash legally leaves (lost clusters, a file chain longer than
// its size, a stale FSInfo count, FAT copies caught between writes — see `fsckVerdict`), and every
// file announced as synced reads back intact with mcopy. QEMU is spawned here, with @toro/vm's
// arguments, so the kill is ours; it is always killed.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildQemuArgs, chooseAccel, findQemu, probeKvm } from "@toro/vm";
import { beforeAll, describe, expect, it } from "vitest";
// Shared with @toro/fs's own crash tests (test support, not part of its public API).
import { fsckVerdict } from "../../../packages/fs/src/test-support/crash.js";
import { fixture, link } from "./boot.js";

const env = { ...process.env, MTOOLS_SKIP_CHECK: "1", LC_ALL: "C.UTF-8" };
const dir = mkdtempSync(join(tmpdir(), "toro-fs-durability-"));
const SYNCED = 20;

function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

interface Synced {
  readonly name: string;
  readonly length: number;
  readonly hash: string;
}

/** Boots the fixture on `disk` and SIGKILLs QEMU at the line `unsynced <killAt>`; returns what was announced. */
async function runAndKill(image: string, disk: string, machine: "microvm" | "q35", killAt: number): Promise<{ synced: Synced[]; output: string; signal: string | null }> {
  const qemu = await findQemu();
  const accel = chooseAccel("auto", await probeKvm()).accel;
  const args = buildQemuArgs({ image, machine, accel, disks: [{ path: disk }], cmdline: `synced=${SYNCED}` });
  const child = spawn(qemu, args, { stdio: ["ignore", "pipe", "pipe"] });
  const killNow = (): boolean => child.kill("SIGKILL");
  process.once("exit", killNow);
  const synced: Synced[] = [];
  let output = "";
  let pending = "";
  const guard = setTimeout(killNow, 150_000); // a stuck guest must not hang the suite
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      const m = /^synced (\S+) (\d+) ([0-9a-f]{8})\r?$/.exec(line);
      if (m !== null) synced.push({ name: m[1]!, length: Number(m[2]), hash: m[3]! });
      if (line.replace(/\r$/, "") === `unsynced ${killAt}`) killNow();
    }
  });
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const signal = await new Promise<string | null>((resolve) => child.on("close", (_code, sig) => resolve(sig)));
  clearTimeout(guard);
  process.off("exit", killNow);
  return { synced, output, signal };
}

let image: string;
beforeAll(async () => {
  image = await link(fixture("fs-durability"));
}, 180_000);

// The kill round differs per run so the cut lands at different points of the write-back cycle.
describe.each([
  ["microvm", 32, 48 * 1024, SYNCED + 9],
  ["microvm", 16, 32 * 1024, SYNCED + 14],
  ["microvm", 12, 4 * 1024, SYNCED + 6],
  ["q35", 32, 48 * 1024, SYNCED + 11],
] as const)("SIGKILL mid-write on %s, FAT%i", (machine, type, kib, killAt) => {
  it("leaves at most lost clusters, and every fsynced file intact", async () => {
    const disk = join(dir, `${machine}-fat${type}.img`);
    execFileSync("mkfs.fat", ["-C", "-F", String(type), disk, String(kib)], { env, stdio: "pipe" });
    const run = await runAndKill(image, disk, machine, killAt);
    expect(run.output).toContain("fs-durability: mounted");
    expect(run.output).not.toContain("FAIL");
    expect(run.signal).toBe("SIGKILL");
    expect(run.synced.length).toBe(SYNCED);

    const fsck = spawnSync("fsck.fat", ["-n", disk], { env });
    const report = `${fsck.stdout.toString()}${fsck.stderr.toString()}`;
    console.log(`${machine} FAT${type}: fsck.fat -n exit ${fsck.status}\n${report}`);
    expect(fsckVerdict(fsck.status ?? -1, report), report).toEqual([]);

    const copy = join(dir, `${machine}-fat${type}.out`);
    for (const f of run.synced) {
      execFileSync("mcopy", ["-o", "-n", "-i", disk, `::/synced/${f.name}`, copy], { env, stdio: "pipe" });
      const back = readFileSync(copy);
      expect({ name: f.name, length: back.length, hash: fnv1a(back) }).toEqual({ name: f.name, length: f.length, hash: f.hash });
    }
  }, 200_000);
});
