// Test support (Node only, never linked into the image): a small site as a FAT image built by the
// real tools (mkfs.fat, mmd, mcopy — dosfstools and mtools), and an HttpServer served on 127.0.0.1
// through Node's `net` and @toro/http's public `fromServer` adapter, for curl.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fromServer, type HttpServer } from "@toro/http";

const env = { ...process.env, MTOOLS_SKIP_CHECK: "1", LC_ALL: "C.UTF-8" };

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

/** The test site: paths (relative to the root) and contents. */
export function siteFiles(bigBytes = 5 * 1024 * 1024): Record<string, Uint8Array> {
  const t = (s: string) => new TextEncoder().encode(s);
  return {
    "index.html": t("<!doctype html><title>toro</title><link rel=stylesheet href=css/site.css><h1>Hello from Toro</h1>\n"),
    "css/site.css": t("h1 { color: rebeccapurple }\n"),
    "js/app.js": t("console.log('hi');\n"),
    "docs/index.html": t("<p>docs</p>\n"),
    "docs/hello world.txt": t("spaces in names\n"),
    "données du site/été ☀.txt": t("unicode names\n"),
    "empty.txt": new Uint8Array(0),
    "big.bin": pattern(bigBytes, 7),
  };
}

/** Builds a FAT32 image of `sizeMiB` with the files, using mkfs.fat, mmd and mcopy; returns the image path. */
export function buildSiteImage(dir: string, files: Record<string, Uint8Array>, sizeMiB = 40): string {
  const img = join(dir, "site.img");
  const src = mkdtempSync(join(tmpdir(), "toro-site-src-"));
  try {
    execFileSync("mkfs.fat", ["-C", "-F", "32", "-n", "SITE", img, String(sizeMiB * 1024)], { env, stdio: "pipe" });
    const dirs = new Set<string>();
    for (const p of Object.keys(files)) {
      const parts = p.split("/");
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
    }
    for (const d of [...dirs].sort((a, b) => a.split("/").length - b.split("/").length)) execFileSync("mmd", ["-i", img, `::/${d}`], { env, stdio: "pipe" });
    for (const [p, content] of Object.entries(files)) {
      const local = join(src, p);
      mkdirSync(dirname(local), { recursive: true });
      writeFileSync(local, content);
      execFileSync("mcopy", ["-i", img, local, `::/${p}`], { env, stdio: "pipe" });
    }
    return img;
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
}

/** Reads an image file's bytes. */
export function readImage(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** Serves `http` on 127.0.0.1 (ephemeral port) through Node's `net`. */
export async function listenOnLoopback(http: HttpServer): Promise<{ port: number; close: () => Promise<void> }> {
  const net = createNetServer({ allowHalfOpen: true });
  http.listen(fromServer(net));
  await new Promise<void>((resolve) => net.listen(0, "127.0.0.1", resolve));
  return {
    port: (net.address() as AddressInfo).port,
    close: async () => {
      http.closeAllConnections();
      await http.close();
    },
  };
}
