// Static-web-server, handler layer: `createStaticHandler(vfs, options)` turns a directory tree of a
// @toro/fs VFS into an @toro/http handler — GET/HEAD (405 otherwise), index.html for directories,
// Content-Type, Last-Modified and ETag with 304 on revalidation (RFC 9110 §13), single byte ranges
// (206/416), bodies streamed in chunks from a FileHandle. Pure of devices: it runs on Node against
// any VFS (tests use a FAT image made by mkfs.fat + mcopy). Must not import a driver or @toro/net.
import type { Stats, Vfs } from "@toro/fs";
import { formatHttpDate, parseHttpDate, Response, type Handler, type Request } from "@toro/http";
import { contentTypeFor } from "./mime.js";
import { parseRange } from "./range.js";

/** The part of a VFS the handler reads. */
export type StaticFs = Pick<Vfs, "stat" | "open">;

/**
 * Options of {@link createStaticHandler}.
 *
 * @example
 * ```ts
 * const options: StaticOptions = { root: "/www", chunkBytes: 128 * 1024 };
 * ```
 */
export interface StaticOptions {
  /** Directory served as `/` (default `/`). */
  readonly root?: string;
  /** Bytes read from the file per body chunk (default 64 KiB): the most a response holds in memory. */
  readonly chunkBytes?: number;
  /** File served for a directory (default `index.html`). */
  readonly index?: string;
  /** Cache-Control for files (default `no-cache`: always revalidate, cheap with ETag and 304). */
  readonly cacheControl?: string;
}

const ALLOW = "GET, HEAD";

/**
 * Creates a handler that serves files of `vfs` under `options.root`.
 *
 * @param vfs - the filesystem (a `Vfs` from @toro/fs, or anything with its `stat` and `open`)
 * @param options - root, chunk size, index file name, cache policy
 * @returns the handler for `createServer`
 * @example
 * ```ts
 * const vfs = createVfs();
 * vfs.mount("/", await mountFat(disk, { now: () => Date.now() }));
 * createServer(createStaticHandler(vfs, { root: "/" })).listen(listener);
 * ```
 */
export function createStaticHandler(vfs: StaticFs, options: StaticOptions = {}): Handler {
  const root = (options.root ?? "/").replace(/\/+$/, "");
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const index = options.index ?? "index.html";
  const cacheControl = options.cacheControl ?? "no-cache";

  return async (req: Request): Promise<Response> => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405, headers: { Allow: ALLOW } });
    }
    const segments = urlSegments(req.path);
    if (segments === undefined) return new Response("bad request path\n", { status: 400 });
    let path = `${root}/${segments.join("/")}`;
    let stats = await statOrNull(vfs, path);
    if (stats?.isDirectory()) {
      // Relative links in an index page resolve against the slash-terminated URL.
      if (!req.path.endsWith("/")) {
        return new Response(null, { status: 301, headers: { Location: `${req.path}/${req.query ? `?${req.query}` : ""}` } });
      }
      path = `${path.replace(/\/$/, "")}/${index}`;
      stats = await statOrNull(vfs, path);
    }
    if (!stats || !stats.isFile()) return new Response("not found\n", { status: 404 });

    const size = stats.size;
    const mtimeMs = Math.floor(stats.mtimeMs / 1000) * 1000;
    const etag = `"${size.toString(16)}-${mtimeMs.toString(16)}"`;
    const lastModified = formatHttpDate(mtimeMs);
    const headers: Record<string, string> = {
      "Content-Type": contentTypeFor(path),
      "Last-Modified": lastModified,
      ETag: etag,
      "Accept-Ranges": "bytes",
      "Cache-Control": cacheControl,
    };

    if (notModified(req, etag, mtimeMs)) {
      const { ["Content-Type"]: _, ["Accept-Ranges"]: __, ...rest } = headers;
      return new Response(null, { status: 304, headers: rest });
    }

    let start = 0;
    let end = size - 1;
    let status = 200;
    const rangeHeader = req.headers.get("range");
    if (rangeHeader !== null && ifRangeHolds(req.headers.get("if-range"), etag, mtimeMs)) {
      const r = parseRange(rangeHeader, size);
      if (r.kind === "unsatisfiable") {
        return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}`, "Accept-Ranges": "bytes" } });
      }
      if (r.kind === "range") {
        ({ start, end } = r);
        status = 206;
        headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
      }
    }
    const length = end - start + 1;
    headers["Content-Length"] = String(length);
    const body = req.method === "HEAD" || length === 0 ? null : fileChunks(vfs, path, start, length, chunkBytes);
    return new Response(body, { status, headers });
  };
}

/** Decoded, normalised path segments; `undefined` for malformed escapes or NUL bytes. */
function urlSegments(path: string): string[] | undefined {
  const out: string[] = [];
  for (const raw of path.split("/")) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (s.includes("\0") || s.includes("/") || s.includes("\\")) return undefined;
    if (s === "" || s === ".") continue;
    if (s === "..") out.pop(); // never above the root
    else out.push(s);
  }
  return out;
}

async function statOrNull(vfs: StaticFs, path: string): Promise<Stats | null> {
  try {
    return await vfs.stat(path);
  } catch {
    return null;
  }
}

// RFC 9110 §13.2.2: If-None-Match first (weak comparison, §8.8.3.2); If-Modified-Since only without it.
function notModified(req: Request, etag: string, mtimeMs: number): boolean {
  const inm = req.headers.get("if-none-match");
  if (inm !== null) {
    if (inm.trim() === "*") return true;
    const opaque = etag.replace(/^W\//, "");
    return inm.split(",").some((t) => t.trim().replace(/^W\//, "") === opaque);
  }
  const ims = req.headers.get("if-modified-since");
  if (ims === null) return false;
  const t = parseHttpDate(ims.trim());
  return t !== undefined && mtimeMs <= t;
}

// RFC 9110 §13.1.5: the range applies only if the validator still matches (strong comparison).
function ifRangeHolds(ifRange: string | null, etag: string, mtimeMs: number): boolean {
  if (ifRange === null) return true;
  const v = ifRange.trim();
  if (v.startsWith('"') || v.startsWith("W/")) return v === etag;
  return parseHttpDate(v) === mtimeMs;
}

/** Reads `length` bytes from `start`, one chunk at a time; the file is opened on the first pull. */
async function* fileChunks(vfs: StaticFs, path: string, start: number, length: number, chunkBytes: number): AsyncGenerator<Uint8Array> {
  const fh = await vfs.open(path, "r");
  try {
    let position = start;
    let left = length;
    while (left > 0) {
      // A fresh buffer per chunk: the transport may still hold the previous one.
      const buf = new Uint8Array(Math.min(chunkBytes, left));
      const { bytesRead } = await fh.read(buf, 0, buf.length, position);
      if (bytesRead === 0) throw new Error(`${path} shrank while being sent`);
      position += bytesRead;
      left -= bytesRead;
      yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
