// Test support (Node only, never shipped): crash simulation for durability tests. A recording
// `BlockDevice` logs every write and flush; `crashStates` replays what a disk could hold if power
// failed at any point (everything before the last completed flush, plus any in-order prefix of the
// writes after it); `fsckVerdict` reads `fsck.fat -n` output and says whether it found only what a
// crash may legally leave behind.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BlockDevice } from "@toro/devices";
import { createMemoryBlockDevice, type MemoryBlockDevice } from "../memory-block-device.js";
import { tempDir } from "./fat-tools.js";

/** One request seen by a {@link RecordingDevice}. */
export type DiskEvent = { readonly kind: "write"; readonly sector: number; readonly data: Uint8Array } | { readonly kind: "flush" };

/** A RAM disk that logs every write (a copy of its data) and flush. */
export interface RecordingDevice extends BlockDevice {
  readonly disk: MemoryBlockDevice;
  readonly log: DiskEvent[];
}

/** Wraps a copy of `image` in a recording device. */
export function recordingDevice(image: Uint8Array): RecordingDevice {
  const disk = createMemoryBlockDevice(image.slice());
  const log: DiskEvent[] = [];
  return {
    disk,
    log,
    info: disk.info,
    read: (sector, buffer) => disk.read(sector, buffer),
    async write(sector, data) {
      log.push({ kind: "write", sector, data: data.slice() });
      await disk.write(sector, data);
    },
    async flush() {
      log.push({ kind: "flush" });
      await disk.flush();
    },
  };
}

/** A disk as a crash could leave it. */
export interface CrashState {
  readonly label: string;
  /** Index in the log of the last write that may be included: every flush before it completed. */
  readonly index: number;
  readonly image: Uint8Array;
}

/**
 * The disk contents after a crash at every point of `log` applied to `base`: after each write, and —
 * since a disk may complete the writes between two flushes in any order — also with each single write
 * of an epoch applied alone on top of the previous epochs.
 */
export function crashStates(base: Uint8Array, log: readonly DiskEvent[], sectorSize = 512): CrashState[] {
  const out: CrashState[] = [];
  const state = base.slice();
  let epochStart = state.slice();
  let epoch: Extract<DiskEvent, { kind: "write" }>[] = [];
  log.forEach((e, i) => {
    if (e.kind === "flush") {
      epochStart = state.slice();
      epoch = [];
      return;
    }
    state.set(e.data, e.sector * sectorSize);
    epoch.push(e);
    out.push({ label: `after request ${i}`, index: i, image: state.slice() });
    if (epoch.length > 1) {
      const alone = epochStart.slice();
      alone.set(e.data, e.sector * sectorSize);
      out.push({ label: `request ${i} alone in its epoch`, index: i, image: alone });
    }
  });
  return out;
}

/** Runs `fsck.fat -n` (no changes, not verbose) on an image; returns its status and output. */
export function fsckQuiet(image: Uint8Array): { status: number; output: string } {
  const tmp = tempDir();
  try {
    const img = join(tmp.path, "disk.img");
    writeFileSync(img, image);
    const r = spawnSync("fsck.fat", ["-n", img]);
    return { status: r.status ?? -1, output: `${r.stdout.toString()}${r.stderr.toString()}` };
  } finally {
    tmp.cleanup();
  }
}

/**
 * Reads `fsck.fat -n` (dosfstools 4.x) output. A crash may leave behind, and only this:
 * - clusters marked used that no entry reaches ("Reclaimed N unused clusters"; "... in N chains"),
 * - a file whose chain is longer than its size ("File size is S bytes, cluster chain length is > L
 *   bytes. Truncating file to S bytes."): the clusters past the size are lost clusters too, and the
 *   bytes the entry vouches for are untouched,
 * - a stale FAT32 FSInfo free count ("Free cluster summary wrong (a vs. really b)"),
 * - FAT copies that differ while the first is intact ("FATs differ but appear to be intact. Using
 *   first FAT."): the copies are written one after the other.
 * fsck.fat exits 0 when it found nothing and 1 when it found (and, with -n, did not fix) something; any
 * other status, or any other complaint (a free cluster inside a chain, a cross-link, a bad entry,
 * "Contains a free cluster", ...), is damage. Returns the lines that are not allowed (empty: fine).
 */
export function fsckVerdict(status: number, output: string): string[] {
  if (status !== 0 && status !== 1) return [`fsck.fat exited with ${status}`];
  const allowed = [
    /^Reclaimed \d+ unused clusters? \(\d+ bytes\)( in \d+ chains?)?\.$/,
    /^ {2}File size is \d+ bytes, cluster chain length is > \d+ bytes\.$/,
    /^ {2}Truncating file to \d+ bytes\.$/,
    /^Free cluster summary wrong \(\d+ vs\. really \d+\)$/,
    /^ {2}Auto-correcting\.$/,
    /^FATs differ but appear to be intact\.$/,
    /^ {2}Using first FAT\.$/,
    /^Leaving filesystem unchanged\.$/,
    /^Perform changes \? \(y\/n\) n$/,
    // The banner, the summary, and the path line that precedes a file's complaint.
    /^fsck\.fat \d/,
    /^\/\S.*$/,
    /^.*: \d+ files, \d+\/\d+ clusters$/,
  ];
  const lines = output.split("\n").filter((l) => l.trim() !== "");
  const bad = lines.filter((l) => !allowed.some((re) => re.test(l)));
  if (status === 1 && lines.length === 0) bad.push("fsck.fat exited 1 without saying why");
  return bad;
}
