// Consumer-test tooling (host, Node): reads the entries of an npm tarball (gzip'd ustar) without a
// tar binary, so the checks see exactly the names and modes npm will unpack. Test support only;
// it must not import the workspace's packages.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** One file in a tarball. */
export interface TarEntry {
  /** The path inside the tarball, e.g. `package/dist/index.js`. */
  path: string;
  /** Unix permission bits, e.g. 0o755. */
  mode: number;
  sizeBytes: number;
  /** The file's bytes. */
  body: Uint8Array;
}

function field(block: Uint8Array, offset: number, length: number): string {
  const bytes = block.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end));
}

const octal = (text: string): number => Number.parseInt(text.trim() || "0", 8);

/**
 * Lists the regular files of a `.tgz` (POSIX ustar, as npm and pnpm write them).
 *
 * @param tarballPath - the .tgz file
 * @returns its regular files with their modes, sizes and bytes
 * @example
 * ```ts
 * const names = readTarball("toro-kernel-0.1.0.tgz").map((e) => e.path);
 * ```
 */
export function readTarball(tarballPath: string): TarEntry[] {
  const tar = gunzipSync(readFileSync(tarballPath));
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const size = octal(field(header, 124, 12));
    const type = String.fromCharCode(header[156] ?? 0x30);
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    longName = undefined;
    if (type === "L") longName = field(body, 0, size); // GNU long name for the next entry
    else if (type === "0" || type === "\0") {
      entries.push({ path: name, mode: octal(field(header, 100, 8)) & 0o7777, sizeBytes: size, body });
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}
