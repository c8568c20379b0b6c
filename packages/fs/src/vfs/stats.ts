// VFS value layer (@toro/fs/vfs): Node-shaped `Stats` and `Dirent` built from what filesystems
// report, so code written for `node:fs/promises` keeps working. Pure; imports only VFS contract types.
import type { NodeKind, NodeStat } from "./types.js";

/**
 * The file-type tests `Stats` and `Dirent` share. `kind` is only declared here, so each subclass
 * keeps its own fields, in the same order, as before.
 */
abstract class NodeKindTests {
  /** File or directory: what the `is…()` tests read. */
  protected abstract readonly kind: NodeKind;

  /**
   * Whether this is a regular file.
   *
   * @returns `true` for files
   * @example
   * ```ts
   * (await vfs.stat("/a.txt")).isFile();
   * ```
   */
  isFile(): boolean {
    return this.kind === "file";
  }

  /**
   * Whether this is a directory.
   *
   * @returns `true` for directories
   * @example
   * ```ts
   * (await vfs.stat("/www")).isDirectory();
   * ```
   */
  isDirectory(): boolean {
    return this.kind === "directory";
  }

  /**
   * Whether this is a symbolic link (never, on these filesystems).
   *
   * @returns `false`
   * @example
   * ```ts
   * (await vfs.stat("/a.txt")).isSymbolicLink(); // false
   * ```
   */
  isSymbolicLink(): boolean {
    return false;
  }
}

/**
 * File metadata shaped like Node's `fs.Stats`.
 *
 * @example
 * ```ts
 * const st = await vfs.stat("/www/index.html");
 * if (st.isFile()) console.log(st.size, st.mtime.toISOString());
 * ```
 */
export class Stats extends NodeKindTests {
  /** Bytes (0 for directories). */
  readonly size: number;
  /** POSIX mode bits: type and permissions (0o100644 files, 0o40755 directories, no write bits when read-only). */
  readonly mode: number;
  /** Always 1: these filesystems have no hard links. */
  readonly nlink = 1;
  /** Preferred I/O size. */
  readonly blksize = 4096;
  /** 512-byte blocks, rounded up. */
  readonly blocks: number;
  /** Last modification, ms since the Unix epoch. */
  readonly mtimeMs: number;
  /** Last access, ms since the Unix epoch. */
  readonly atimeMs: number;
  /** Last status change (FAT keeps none: the modification time). */
  readonly ctimeMs: number;
  /** Creation, ms since the Unix epoch. */
  readonly birthtimeMs: number;
  /** File or directory: what the `is…()` tests read. */
  protected readonly kind: NodeKind;

  /**
   * Wraps a filesystem's metadata.
   *
   * @param s - what the filesystem reported
   * @returns the stats
   * @example
   * ```ts
   * new Stats({ kind: "file", size: 3, mtimeMs: 0, atimeMs: 0, birthtimeMs: 0, readOnly: false }).isFile(); // true
   * ```
   */
  constructor(s: NodeStat) {
    super();
    this.kind = s.kind;
    this.size = s.size;
    const perms = s.kind === "directory" ? 0o755 : s.readOnly ? 0o444 : 0o644;
    this.mode = (s.kind === "directory" ? 0o040000 : 0o100000) | perms;
    this.blocks = Math.ceil(s.size / 512);
    this.mtimeMs = s.mtimeMs;
    this.atimeMs = s.atimeMs;
    this.ctimeMs = s.mtimeMs;
    this.birthtimeMs = s.birthtimeMs;
  }

  /** @returns the modification time as a `Date` @example `st.mtime.getTime()` */
  get mtime(): Date {
    return new Date(this.mtimeMs);
  }
  /** @returns the access time as a `Date` @example `st.atime.getTime()` */
  get atime(): Date {
    return new Date(this.atimeMs);
  }
  /** @returns the status-change time as a `Date` @example `st.ctime.getTime()` */
  get ctime(): Date {
    return new Date(this.ctimeMs);
  }
  /** @returns the creation time as a `Date` @example `st.birthtime.getTime()` */
  get birthtime(): Date {
    return new Date(this.birthtimeMs);
  }
}

/**
 * A directory entry shaped like Node's `fs.Dirent` (from `readdir(path, { withFileTypes: true })`).
 *
 * @example
 * ```ts
 * for (const d of await vfs.readdir("/www", { withFileTypes: true })) if (d.isDirectory()) console.log(d.name);
 * ```
 */
export class Dirent extends NodeKindTests {
  /**
   * Creates an entry.
   *
   * @param name - the name inside its directory
   * @param parentPath - the directory's absolute path
   * @param kind - file or directory
   * @returns the entry
   * @example
   * ```ts
   * new Dirent("index.html", "/www", "file").isFile(); // true
   * ```
   */
  constructor(
    /** The name inside its directory. */
    readonly name: string,
    /** The absolute path of the directory holding it. */
    readonly parentPath: string,
    protected readonly kind: NodeKind,
  ) {
    super();
  }
}
