// Issue 6 end to end: the host builds a FAT image of a small site with mkfs.fat + mmd + mcopy (HTML,
// CSS, a 5 MB binary, names with spaces and Unicode), boots apps/static-web-server on it with a port
// forward, fetches every file with curl and compares sha256; conditional (304) and range (206/416)
// requests behave; keep-alive reuses one connection. The VM is always stopped (AbortController).
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pattern } from "../../../packages/fs/src/test-support/fat-tools.js";
import { boot, link, repoRoot } from "./boot.js";

const env = { ...process.env, MTOOLS_SKIP_CHECK: "1", LC_ALL: "C.UTF-8" };
const dir = mkdtempSync(join(tmpdir(), "toro-sws-image-"));

const text = (s: string) => new TextEncoder().encode(s);
const files: Record<string, Uint8Array> = {
  "index.html": text("<!doctype html><h1>Hello from Toro</h1>\n"),
  "css/site.css": text("h1 { color: rebeccapurple }\n"),
  "docs/read me.txt": text("a name with spaces\n"),
  "données du site/été ☀.txt": text("unicode names\n"),
  "media/big.bin": pattern(5 * 1024 * 1024, 99),
};

function buildSite(): string {
  const img = join(dir, "site.img");
  execFileSync("mkfs.fat", ["-C", "-F", "32", img, String(48 * 1024)], { env, stdio: "pipe" });
  for (const d of ["css", "docs", "données du site", "media"]) execFileSync("mmd", ["-i", img, `::/${d}`], { env, stdio: "pipe" });
  for (const [p, content] of Object.entries(files)) {
    const local = join(dir, "src", p);
    mkdirSync(dirname(local), { recursive: true });
    writeFileSync(local, content);
    execFileSync("mcopy", ["-i", img, local, `::/${p}`], { env, stdio: "pipe" });
  }
  return img;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function curl(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    execFile("curl", ["--silent", "--show-error", "--max-time", "60", ...args], { encoding: "buffer", maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr: stderr.toString() });
    });
  });
}
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const url = (port: number, p: string) => `http://127.0.0.1:${port}/${p.split("/").map(encodeURIComponent).join("/")}`;

let image: string;
let disk: string;
beforeAll(async () => {
  disk = buildSite();
  image = await link(join(repoRoot, "apps/static-web-server"));
}, 180_000);

describe.each(["microvm", "q35"] as const)("static-web-server on %s", (machine) => {
  const modern = machine === "microvm" ? ["-global", "virtio-mmio.force-legacy=false"] : [];
  const stop = new AbortController();
  let port = 0;
  let run: Promise<unknown>;

  beforeAll(async () => {
    port = await freePort();
    let ready!: () => void;
    const up = new Promise<void>((r) => (ready = r));
    let output = "";
    run = boot(image, {
      machine,
      disks: [{ path: disk, readonly: true }],
      ports: [{ host: port, guest: 80, hostAddress: "127.0.0.1" }],
      extraArgs: modern,
      timeoutMs: 170_000,
      signal: stop.signal,
      onOutput: (chunk) => {
        output += chunk;
        if (output.includes("static-web-server: serving")) ready();
      },
    }).catch(() => undefined);
    await Promise.race([up, run.then(() => Promise.reject(new Error(`the VM stopped before serving:\n${output}`)))]);
  }, 120_000);
  afterAll(async () => {
    stop.abort();
    await run;
  });

  it("serves every file byte-exact (sha256) over one keep-alive connection", async () => {
    const paths = Object.keys(files);
    const outs = paths.map((_, i) => join(dir, `${machine}-out-${i}`));
    const r = await curl(["-v", "--fail", ...paths.flatMap((p, i) => ["-o", outs[i]!, url(port, p)])]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/Re-using existing connection|Reusing existing/g)?.length).toBe(paths.length - 1);
    paths.forEach((p, i) => expect(sha(readFileSync(outs[i]!)), p).toBe(sha(files[p]!)));
  }, 120_000);

  it("answers HEAD, 304 on revalidation, 206 and 416 for ranges, 404 and 405", async () => {
    const head = (await curl(["-I", url(port, "media/big.bin")])).stdout.toString();
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toContain(`Content-Length: ${5 * 1024 * 1024}\r\n`);
    expect(head).toContain("Content-Type: application/octet-stream\r\n");
    const etag = /ETag: (\S+)/.exec(head)![1]!;
    const lm = /Last-Modified: ([^\r]+)/.exec(head)![1]!;
    expect((await curl(["-i", "-H", `If-None-Match: ${etag}`, url(port, "media/big.bin")])).stdout.toString()).toMatch(/^HTTP\/1\.1 304 /);
    expect((await curl(["-i", "-H", `If-Modified-Since: ${lm}`, url(port, "index.html")])).stdout.toString()).toMatch(/^HTTP\/1\.1 304 /);
    const range = await curl(["-i", "-r", "1000000-1999999", url(port, "media/big.bin")]);
    expect(range.stdout.toString("latin1")).toMatch(/^HTTP\/1\.1 206 Partial Content\r\n[\s\S]*Content-Range: bytes 1000000-1999999\/5242880\r\n/);
    const body = (await curl(["-r", "1000000-1999999", url(port, "media/big.bin")])).stdout;
    expect(sha(body)).toBe(sha(files["media/big.bin"]!.subarray(1000000, 2000000)));
    expect((await curl(["-i", "-r", "9999999-", url(port, "media/big.bin")])).stdout.toString()).toMatch(/^HTTP\/1\.1 416 /);
    expect((await curl(["-i", url(port, "nope")])).stdout.toString()).toMatch(/^HTTP\/1\.1 404 /);
    expect((await curl(["-i", "-X", "DELETE", url(port, "index.html")])).stdout.toString()).toMatch(/^HTTP\/1\.1 405 [\s\S]*Allow: GET, HEAD\r\n/);
    expect((await curl(["-i", url(port, "css")])).stdout.toString()).toMatch(/^HTTP\/1\.1 301 [\s\S]*Location: \/css\/\r\n/);
  }, 120_000);
});
