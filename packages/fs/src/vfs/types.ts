// VFS contract layer (@toro/fs/vfs): what every filesystem implementation (FAT, memory, later ext2)
// gives the VFS. Paths arrive already normalised as arrays of names (no ".", "..", or empty parts);
// mount points, open flags and file handles are the VFS's business. Imports nothing.

/** What a name refers to. */
export type NodeKind = "file" | "directory";

/** Metadata of a file or directory, as a filesystem reports it. */
export interface NodeStat {
  /** File or directory. */
  readonly kind: NodeKind;
  /** Bytes (0 for directories). */
  readonly size: number;
  /** Last modification, ms since the Unix epoch. */
  readonly mtimeMs: number;
  /** Last access, ms since the Unix epoch (FAT keeps only the day). */
  readonly atimeMs: number;
  /** Creation, ms since the Unix epoch. */
  readonly birthtimeMs: number;
  /** `true` for files marked read-only (FAT's ATTR_READ_ONLY). */
  readonly readOnly: boolean;
}

/** One name in a directory listing. */
export interface DirEntryInfo {
  /** The name inside its directory. */
  readonly name: string;
  /** File or directory. */
  readonly kind: NodeKind;
}

/** How a file is opened (the VFS derives this from Node-style flags like `"r+"` or `"wx"`). */
export interface OpenOptions {
  /** Writes will be made (the filesystem checks it is writable). */
  readonly write: boolean;
  /** Create the file if it does not exist. */
  readonly create: boolean;
  /** With `create`: fail with EEXIST if it exists. */
  readonly exclusive: boolean;
  /** Cut the file to 0 bytes on open. */
  readonly truncate: boolean;
}

/** An open file as a filesystem implements it: positional I/O only (the VFS keeps positions). */
export interface OpenFile {
  /** Current size in bytes. */
  size(): number;
  /** Metadata of the open file (still valid after it was unlinked). */
  stat(): Promise<NodeStat>;
  /** Reads up to `target.length` bytes at `position`; returns how many were read (0 at end of file). */
  read(position: number, target: Uint8Array): Promise<number>;
  /** Writes all of `data` at `position` (growing the file, zero-filling any gap); returns `data.length`. */
  write(position: number, data: Uint8Array): Promise<number>;
  /** Sets the size, cutting or zero-extending. */
  truncate(size: number): Promise<void>;
  /** Makes this file's data and metadata durable. */
  sync(): Promise<void>;
  /** Releases the file; the handle must not be used afterwards. */
  close(): Promise<void>;
}

/** Space on a filesystem. */
export interface FsUsage {
  /** Bytes of the data area. */
  readonly totalBytes: number;
  /** Bytes not allocated. */
  readonly freeBytes: number;
}

/**
 * A filesystem the VFS can mount. Every method takes a normalised path relative to the filesystem's
 * root and rejects with a `ToroError` carrying a Node code (ENOENT, EEXIST, ENOTDIR, EISDIR,
 * ENOTEMPTY, ENOSPC, EROFS, EINVAL, EIO).
 *
 * @example
 * ```ts
 * const fs: FileSystem = createMemoryFileSystem();
 * await fs.mkdir(["www"]);
 * const f = await fs.open(["www", "index.html"], { write: true, create: true, exclusive: false, truncate: true });
 * ```
 */
export interface FileSystem {
  /** A short name of the implementation: "fat12", "fat16", "fat32", "memory". */
  readonly type: string;
  /** Whether names differing only in case are different files (FAT: no, it only preserves case). */
  readonly caseSensitive: boolean;
  /** Whether every change is refused with EROFS. */
  readonly readOnly: boolean;
  /** Metadata of the node at `path` (`[]` is the root). */
  stat(path: readonly string[]): Promise<NodeStat>;
  /** Names in the directory at `path`, in on-disk order (without "." and ".."). */
  readdir(path: readonly string[]): Promise<DirEntryInfo[]>;
  /** Creates a directory; its parent must exist. */
  mkdir(path: readonly string[]): Promise<void>;
  /** Removes an empty directory. */
  rmdir(path: readonly string[]): Promise<void>;
  /** Removes a file (open handles keep working until closed). */
  unlink(path: readonly string[]): Promise<void>;
  /** Moves or renames, replacing a file, or an empty directory, at `to` (POSIX rename rules). */
  rename(from: readonly string[], to: readonly string[]): Promise<void>;
  /** Opens (and maybe creates or truncates) a file. */
  open(path: readonly string[], options: OpenOptions): Promise<OpenFile>;
  /** Makes everything written so far durable. */
  sync(): Promise<void>;
  /** Space used and free. */
  usage(): Promise<FsUsage>;
  /** Flushes and detaches; later calls fail with EIO. */
  close(): Promise<void>;
}
