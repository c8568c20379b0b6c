// The static handler against @toro/fs over a FAT image made by mkfs.fat + mcopy: direct handler calls
// for the protocol rules (RFC 9110 §13 conditionals, §14 ranges, §15 statuses), and real curl over
// 127.0.0.1 for whole-site byte-exact downloads, keep-alive, revalidation and ranges.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMemoryBlockDevice, createVfs, mountFat } from "@toro/fs";
import { createServer, Request, type Handler } from "@toro/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaticHandler } from "./static-handler.js";
import { buildSiteImage, listenOnLoopback, readImage, siteFiles } from "./test-support/site.js";

const files = siteFiles();
const dir = mkdtempSync(join(tmpdir(), "toro-sws-"));
let handler: Handler;
let port = 0;
let close: () => Promise<void>;
let reads = 0;

beforeAll(async () => {
  const device = createMemoryBlockDevice(readImage(buildSiteImage(dir, files)), { readOnly: true });
  const read = device.read.bind(device);
  device.read = (sector: number, buf: Uint8Array) => {
    reads += buf.length;
    return read(sector, buf);
  };
  const vfs = createVfs();
  vfs.mount("/", await mountFat(device, { readOnly: true }));
  handler = createStaticHandler(vfs, { chunkBytes: 32 * 1024 });
  ({ port, close } = await listenOnLoopback(createServer(handler, { onError: () => {} })));
}, 60_000);
afterAll(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}, method = "GET") => handler(new Request(method, path, { headers: { host: "t", ...headers } }));

describe("createStaticHandler", () => {
  it("serves files with their Content-Type, validators and length; index.html for directories", async () => {
    const r = await get("/css/site.css");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(r.headers.get("content-length")).toBe(String(files["css/site.css"]!.length));
    expect(r.headers.get("etag")).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(r.headers.get("last-modified")).toMatch(/ GMT$/);
    expect(await r.text()).toBe("h1 { color: rebeccapurple }\n");
    expect(await (await get("/")).text()).toContain("Hello from Toro");
    expect(await (await get("/docs/")).text()).toBe("<p>docs</p>\n");
    const redirect = await get("/docs?x=1");
    expect([redirect.status, redirect.headers.get("location")]).toEqual([301, "/docs/?x=1"]);
    expect(await (await get("/donn%C3%A9es%20du%20site/%C3%A9t%C3%A9%20%E2%98%80.txt")).text()).toBe("unicode names\n");
    expect((await get("/empty.txt")).headers.get("content-length")).toBe("0");
  });

  it("answers 404, 405 (with Allow) and 400, and never leaves the root", async () => {
    expect((await get("/nope.html")).status).toBe(404);
    expect((await get("/css/")).status).toBe(404); // a directory without index.html
    const post = await get("/", {}, "POST");
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
    expect((await get("/%E0%A4%A")).status).toBe(400);
    expect(await (await get("/../../css/../index.html")).text()).toContain("Hello from Toro");
  });

  it("revalidates with If-None-Match and If-Modified-Since (304), If-None-Match first", async () => {
    const first = await get("/index.html");
    const etag = first.headers.get("etag")!;
    const lm = first.headers.get("last-modified")!;
    const inm = await get("/index.html", { "If-None-Match": `"other", W/${etag}` });
    expect(inm.status).toBe(304);
    expect(inm.headers.get("etag")).toBe(etag);
    expect((await get("/index.html", { "If-Modified-Since": lm })).status).toBe(304);
    expect((await get("/index.html", { "If-Modified-Since": "Thu, 01 Jan 1981 00:00:00 GMT" })).status).toBe(200);
    expect((await get("/index.html", { "If-None-Match": '"other"', "If-Modified-Since": lm })).status).toBe(200);
  });

  it("serves single byte ranges (206), ignores several, refuses unsatisfiable ones (416), honours If-Range", async () => {
    const big = files["big.bin"]!;
    const r = await get("/big.bin", { Range: "bytes=100-199" });
    expect(r.status).toBe(206);
    expect(r.headers.get("content-range")).toBe(`bytes 100-199/${big.length}`);
    expect(Buffer.compare(await r.bytes(), big.subarray(100, 200))).toBe(0);
    const tail = await get("/big.bin", { Range: "bytes=-10" });
    expect(Buffer.compare(await tail.bytes(), big.subarray(big.length - 10))).toBe(0);
    const bad = await get("/big.bin", { Range: `bytes=${big.length}-` });
    expect([bad.status, bad.headers.get("content-range")]).toEqual([416, `bytes */${big.length}`]);
    expect((await get("/index.html", { Range: "bytes=0-1,4-5" })).status).toBe(200);
    expect((await get("/big.bin", { Range: "bytes=0-1", "If-Range": '"stale"' })).status).toBe(200);
  });

  it("streams: a response holds at most one chunk, and reads only as it is consumed", async () => {
    const before = reads;
    const r = await get("/big.bin");
    expect(reads - before).toBeLessThan(64 * 1024); // nothing read before the body is pulled
    const it = (r.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value).toHaveLength(32 * 1024);
    await it.return?.();
  });
});

function curl(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    execFile("curl", ["--silent", "--show-error", "--max-time", "20", ...args], { encoding: "buffer", maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr: stderr.toString() });
    });
  });
}
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("served to curl", () => {
  it("every file of the site comes back byte-exact over one keep-alive connection", async () => {
    const paths = Object.keys(files);
    const urls = paths.map((p) => `http://127.0.0.1:${port}/${p.split("/").map(encodeURIComponent).join("/")}`);
    const outs = paths.map((_, i) => join(dir, `out-${i}`));
    const r = await curl(["-v", "--fail", ...urls.flatMap((u, i) => ["-o", outs[i]!, u])]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/Re-using existing connection|Reusing existing/g)?.length).toBe(paths.length - 1);
    const { readFileSync } = await import("node:fs");
    paths.forEach((p, i) => expect(sha(readFileSync(outs[i]!)), p).toBe(sha(files[p]!)));
  });

  it("HEAD, a conditional GET (304) and a range (206) through curl", async () => {
    const head = await curl(["-I", `http://127.0.0.1:${port}/big.bin`]);
    expect(head.stdout.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head.stdout.toString()).toContain(`Content-Length: ${files["big.bin"]!.length}\r\n`);
    const etag = /ETag: (\S+)/.exec(head.stdout.toString())![1]!;
    const cond = await curl(["-i", "-H", `If-None-Match: ${etag}`, `http://127.0.0.1:${port}/big.bin`]);
    expect(cond.stdout.toString()).toMatch(/^HTTP\/1\.1 304 Not Modified\r\n/);
    const range = await curl(["-r", "1000-1999", `http://127.0.0.1:${port}/big.bin`]);
    expect(sha(range.stdout)).toBe(sha(files["big.bin"]!.subarray(1000, 2000)));
    const missing = await curl(["-i", `http://127.0.0.1:${port}/missing`]);
    expect(missing.stdout.toString()).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
  });
});
