// VFS path layer (@toro/fs/vfs): POSIX path normalisation into name arrays — empty parts and "."
// dropped, ".." resolved lexically (FAT and the memory filesystem have no symbolic links, so lexical
// resolution is exact), never above the root. Pure; imports only the error helpers.
import { fsError } from "../errors.js";

/**
 * Normalises `path` (relative paths are taken from the root) into its names.
 *
 * @param path - e.g. `"/www/./css/../index.html"`
 * @returns the names, e.g. `["www", "index.html"]`; `[]` for the root
 * @example
 * ```ts
 * splitPath("/a/b/../c"); // ["a", "c"]
 * ```
 */
export function splitPath(path: string): string[] {
  if (typeof path !== "string") throw fsError("EINVAL", "path must be a string");
  if (path.includes("\u0000")) throw fsError("EINVAL", "path contains a NUL character", path.replace(/\u0000/g, "\\0"));
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out;
}

/**
 * Joins names back into an absolute path.
 *
 * @param parts - names
 * @returns `"/"` followed by the names joined with `"/"`
 * @example
 * ```ts
 * joinPath(["www", "index.html"]); // "/www/index.html"
 * ```
 */
export function joinPath(parts: readonly string[]): string {
  return "/" + parts.join("/");
}
