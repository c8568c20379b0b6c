// Test support (Node only, never shipped): builds FAT images with the real tools (mkfs.fat, mmd,
// mcopy from dosfstools and mtools), reads files back with mcopy and checks images with fsck.fat -n.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const env = { ...process.env, MTOOLS_SKIP_CHECK: "1", MTOOLS_NO_VFAT: "0", LC_ALL: "C.UTF-8" };

/** A temporary directory removed by `cleanup()`. */
export function tempDir(): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), "toro-fs-"));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Content of a test image: directories (ending in "/") and files. */
export type Tree = Record<string, Uint8Array | "dir">;

/**
 * Makes a FAT image of `sizeKiB` KiB with `mkfs.fat -F type` and fills it with mmd/mcopy.
 * Returns the image bytes.
 */
export function makeImage(type: 12 | 16 | 32, sizeKiB: number, tree: Tree = {}, mkfsArgs: string[] = []): Uint8Array {
  const tmp = tempDir();
  try {
    const img = join(tmp.path, "disk.img");
    execFileSync("mkfs.fat", ["-C", "-F", String(type), ...mkfsArgs, img, String(sizeKiB)], { env, stdio: "pipe" });
    const full: Tree = { ...tree };
    for (const path of Object.keys(tree)) {
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) full[parts.slice(0, i).join("/")] ??= "dir";
    }
    // Parents before children: sort by depth, then name.
    const depth = (p: string): number => p.split("/").length;
    const entries = Object.entries(full).sort(([a], [b]) => depth(a) - depth(b) || a.localeCompare(b));
    for (const [path, content] of entries) {
      if (content === "dir") {
        execFileSync("mmd", ["-i", img, `::/${path}`], { env, stdio: "pipe" });
      } else {
        const src = join(tmp.path, "src", path);
        mkdirSync(dirname(src), { recursive: true });
        writeFileSync(src, content);
        execFileSync("mcopy", ["-i", img, src, `::/${path}`], { env, stdio: "pipe" });
      }
    }
    return new Uint8Array(readFileSync(img));
  } finally {
    tmp.cleanup();
  }
}

/** Reads one file out of an image with mcopy. */
export function mcopyOut(image: Uint8Array, path: string): Uint8Array {
  return mcopyMany(image, [path])[0]!;
}

/** Reads several files out of an image with mcopy (the image is written to disk once). */
export function mcopyMany(image: Uint8Array, paths: readonly string[]): Uint8Array[] {
  const tmp = tempDir();
  try {
    const img = join(tmp.path, "disk.img");
    writeFileSync(img, image);
    const out = join(tmp.path, "out");
    return paths.map((path) => {
      execFileSync("mcopy", ["-o", "-n", "-i", img, `::/${path}`, out], { env, stdio: "pipe" });
      return new Uint8Array(readFileSync(out));
    });
  } finally {
    tmp.cleanup();
  }
}

/** Lists a directory of an image with `mdir -b` (bare paths). */
export function mdirBare(image: Uint8Array, path: string): string[] {
  const tmp = tempDir();
  try {
    const img = join(tmp.path, "disk.img");
    writeFileSync(img, image);
    const out = execFileSync("mdir", ["-b", "-i", img, `::/${path}`], { env, stdio: "pipe" }).toString("utf8");
    return out.split("\n").filter((l) => l.length > 0);
  } finally {
    tmp.cleanup();
  }
}

/** Runs `fsck.fat -n` (never modifies); returns its exit status and output. */
export function fsckFat(image: Uint8Array): { status: number; output: string } {
  const tmp = tempDir();
  try {
    const img = join(tmp.path, "disk.img");
    writeFileSync(img, image);
    const r = spawnSync("fsck.fat", ["-n", "-v", img], { env });
    return { status: r.status ?? -1, output: `${r.stdout.toString()}${r.stderr.toString()}` };
  } finally {
    tmp.cleanup();
  }
}

/** Deterministic pseudo-random bytes. */
export function pattern(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Byte equality without vitest's slow deep-equal of large typed arrays: "" or the first difference. */
export function diffBytes(actual: Uint8Array, expected: Uint8Array): string {
  if (actual.length !== expected.length) return `length ${actual.length} != ${expected.length}`;
  if (Buffer.compare(Buffer.from(actual.buffer, actual.byteOffset, actual.length), Buffer.from(expected.buffer, expected.byteOffset, expected.length)) === 0) return "";
  const at = actual.findIndex((b, i) => b !== expected[i]);
  return `first difference at byte ${at}`;
}
