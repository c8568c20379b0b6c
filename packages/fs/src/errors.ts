// Error helpers of @toro/fs (bottom layer of the package): build `ToroError`s with Node's filesystem
// codes so callers can switch on `err.code` exactly as with `node:fs`. Imports only @toro/kernel's
// error base; no other file of this package.
import { ToroError } from "@toro/kernel";

/** The Node error codes @toro/fs raises. */
export type FsErrorCode =
  | "ENOENT"
  | "EEXIST"
  | "ENOTDIR"
  | "EISDIR"
  | "ENOTEMPTY"
  | "ENOSPC"
  | "EROFS"
  | "EBADF"
  | "EINVAL"
  | "EIO"
  | "EBUSY"
  | "ENAMETOOLONG"
  | "EFBIG"
  | "EXDEV";

/** @internal Builds a `ToroError` whose message starts like Node's (`ENOENT: ..., open '/x'`). */
export function fsError(code: FsErrorCode, message: string, path?: string, hint?: string): ToroError {
  const text = path === undefined ? `${code}: ${message}` : `${code}: ${message}, '${path}'`;
  return new ToroError(code, text, hint === undefined ? undefined : { hint });
}

/** @internal An on-disk structure is damaged: always EIO, never a crash. */
export function corrupt(what: string): ToroError {
  return new ToroError("EIO", `EIO: damaged filesystem: ${what}`, {
    hint: "check the image with `fsck.fat -n` and repair it with `fsck.fat -a`",
  });
}
