// VFS layer (@toro/fs/vfs): the mount table, path resolution (normalisation, "..", longest-prefix
// mount match — mount points compare case-sensitively, names inside a mount follow that filesystem's
// case rules) and the fs/promises-like API apps use. Imports the VFS helpers and the `FileSystem`
// contract only; never a concrete filesystem and never a driver.
import { fsError } from "../errors.js";
import { FileHandle } from "./file-handle.js";
import { parseOpenFlags, type OpenFlag } from "./open-flags.js";
import { joinPath, splitPath } from "./path.js";
import { Dirent, Stats } from "./stats.js";
import type { FileSystem, FsUsage } from "./types.js";
import { utf8Decode } from "./utf8.js";

interface Mount {
  readonly at: string[];
  readonly fs: FileSystem;
  handles: number;
}

/** Deepest directory tree a recursive operation walks before calling the tree damaged. */
const MAX_TREE_DEPTH = 128;

/** Options of {@link Vfs.readFile}. */
export interface ReadFileOptions {
  /** `"utf8"` returns a string instead of bytes. */
  readonly encoding?: "utf8";
  /** Open flag (default `"r"`). */
  readonly flag?: OpenFlag;
}

/** Options of {@link Vfs.writeFile} and {@link Vfs.appendFile}. */
export interface WriteFileOptions {
  /** Open flag (default `"w"` for writeFile, `"a"` for appendFile). */
  readonly flag?: OpenFlag;
}

/** Options of {@link Vfs.rm}. */
export interface RmOptions {
  /** Remove directories and their contents. */
  readonly recursive?: boolean;
  /** Ignore a missing path. */
  readonly force?: boolean;
}

/**
 * A virtual filesystem: a mount table plus an API shaped like Node's `fs/promises`.
 *
 * @example
 * ```ts
 * const vfs = createVfs();
 * vfs.mount("/", await mountFat(disk, { now: () => Date.now() }));
 * vfs.mount("/tmp", createMemoryFileSystem());
 * await vfs.writeFile("/tmp/hello.txt", "hi");
 * console.log(await vfs.readFile("/tmp/hello.txt", "utf8"));
 * ```
 */
export class Vfs {
  private mounts: Mount[] = [];
  private nextFd = 3;

  /**
   * Mounts `fs` at `path` (`"/"` for the root). A mount hides what lies below that path.
   *
   * @param path - absolute mount point
   * @param fs - the filesystem
   * @returns nothing
   * @example
   * ```ts
   * vfs.mount("/data", await mountFat(disk));
   * ```
   */
  mount(path: string, fs: FileSystem): void {
    const at = splitPath(path);
    if (this.mounts.some((m) => sameParts(m.at, at))) throw fsError("EBUSY", "something is already mounted there", joinPath(at));
    this.mounts.push({ at, fs, handles: 0 });
    // Longest prefix first, so resolution takes the deepest mount.
    this.mounts.sort((a, b) => b.at.length - a.at.length);
  }

  /**
   * Flushes and detaches the filesystem mounted at `path`. EBUSY while files on it are open.
   *
   * @param path - the mount point
   * @returns a promise that settles once everything is durable and detached
   * @example
   * ```ts
   * await vfs.unmount("/data");
   * ```
   */
  async unmount(path: string): Promise<void> {
    const at = splitPath(path);
    const m = this.mounts.find((x) => sameParts(x.at, at));
    if (!m) throw fsError("EINVAL", "not a mount point", joinPath(at));
    if (m.handles > 0) throw fsError("EBUSY", `${m.handles} open file(s) on this filesystem`, joinPath(at));
    this.mounts = this.mounts.filter((x) => x !== m);
    await m.fs.close();
  }

  /**
   * Opens a file with a Node-style flag.
   *
   * @param path - the file
   * @param flag - `"r"` (default), `"r+"`, `"w"`, `"wx"`, `"w+"`, `"a"`, `"a+"`, ...
   * @returns a handle; close it when done
   * @example
   * ```ts
   * const fh = await vfs.open("/data/log.txt", "a");
   * await fh.write("started\n");
   * await fh.close();
   * ```
   */
  async open(path: string, flag: OpenFlag = "r"): Promise<FileHandle> {
    const flags = parseOpenFlags(flag);
    const { mount, rest } = this.resolve(path);
    const file = await mount.fs.open(rest, { write: flags.write, create: flags.create, exclusive: flags.exclusive, truncate: flags.truncate });
    mount.handles++;
    return new FileHandle(this.nextFd++, file, flags, () => mount.handles--);
  }

  /**
   * Reads a whole file as bytes.
   *
   * @param path - the file
   * @returns the bytes
   * @example
   * ```ts
   * const png = await vfs.readFile("/www/logo.png");
   * ```
   */
  async readFile(path: string): Promise<Uint8Array>;
  /**
   * Reads a whole file as UTF-8 text.
   *
   * @param path - the file
   * @param options - `"utf8"` or `{ encoding: "utf8" }`
   * @returns the text
   * @example
   * ```ts
   * const html = await vfs.readFile("/www/index.html", "utf8");
   * ```
   */
  async readFile(path: string, options: "utf8" | (ReadFileOptions & { encoding: "utf8" })): Promise<string>;
  /**
   * Reads a whole file as bytes, with an open flag.
   *
   * @param path - the file
   * @param options - `{ flag }`
   * @returns the bytes
   * @example
   * ```ts
   * const bytes = await vfs.readFile("/data/db", { flag: "r+" });
   * ```
   */
  async readFile(path: string, options?: ReadFileOptions): Promise<Uint8Array>;
  async readFile(path: string, options?: "utf8" | ReadFileOptions): Promise<Uint8Array | string> {
    const o = typeof options === "string" ? { encoding: options } : (options ?? {});
    const fh = await this.open(path, o.flag ?? "r");
    try {
      const bytes = await fh.readFile();
      return o.encoding === "utf8" ? utf8Decode(bytes) : bytes;
    } finally {
      await fh.close();
    }
  }

  /**
   * Replaces (or creates) a file with `data`.
   *
   * @param path - the file
   * @param data - bytes or UTF-8 text
   * @param options - open flag (default `"w"`)
   * @returns a promise that settles when written (use `sync` for durability)
   * @example
   * ```ts
   * await vfs.writeFile("/data/config.json", JSON.stringify({ port: 80 }));
   * ```
   */
  async writeFile(path: string, data: Uint8Array | string, options: WriteFileOptions = {}): Promise<void> {
    const fh = await this.open(path, options.flag ?? "w");
    try {
      await fh.writeFile(data);
    } finally {
      await fh.close();
    }
  }

  /**
   * Appends `data` to a file, creating it if needed.
   *
   * @param path - the file
   * @param data - bytes or UTF-8 text
   * @param options - open flag (default `"a"`)
   * @returns a promise that settles when written
   * @example
   * ```ts
   * await vfs.appendFile("/data/log.txt", "one more line\n");
   * ```
   */
  async appendFile(path: string, data: Uint8Array | string, options: WriteFileOptions = {}): Promise<void> {
    await this.writeFile(path, data, { flag: options.flag ?? "a" });
  }

  /**
   * Lists the names in a directory (mount points directly below it included).
   *
   * @param path - the directory
   * @returns the names
   * @example
   * ```ts
   * const names = await vfs.readdir("/www");
   * ```
   */
  async readdir(path: string): Promise<string[]>;
  /**
   * Lists a directory with file types (mount points directly below it included).
   *
   * @param path - the directory
   * @param options - `{ withFileTypes: true }`
   * @returns `Dirent`s
   * @example
   * ```ts
   * for (const d of await vfs.readdir("/www", { withFileTypes: true })) console.log(d.name, d.isDirectory());
   * ```
   */
  async readdir(path: string, options: { withFileTypes: true }): Promise<Dirent[]>;
  /**
   * Lists the names in a directory.
   *
   * @param path - the directory
   * @param options - `{ withFileTypes: false }`
   * @returns the names
   * @example
   * ```ts
   * const names = await vfs.readdir("/www", { withFileTypes: false });
   * ```
   */
  async readdir(path: string, options?: { withFileTypes?: false }): Promise<string[]>;
  async readdir(path: string, options?: { withFileTypes?: boolean }): Promise<string[] | Dirent[]> {
    const { mount, rest, full } = this.resolve(path);
    const entries = await mount.fs.readdir(rest);
    for (const m of this.mounts) {
      if (m.at.length === full.length + 1 && sameParts(m.at.slice(0, -1), full) && !entries.some((e) => e.name === m.at[full.length])) {
        entries.push({ name: m.at[full.length]!, kind: "directory" });
      }
    }
    if (options?.withFileTypes) return entries.map((e) => new Dirent(e.name, joinPath(full), e.kind));
    return entries.map((e) => e.name);
  }

  /**
   * Metadata of a file or directory.
   *
   * @param path - the path
   * @returns Node-shaped stats
   * @example
   * ```ts
   * const { size, mtime } = await vfs.stat("/www/index.html");
   * ```
   */
  async stat(path: string): Promise<Stats> {
    const { mount, rest } = this.resolve(path);
    return new Stats(await mount.fs.stat(rest));
  }

  /**
   * Creates a directory; with `recursive`, also its missing parents (and no error if it exists).
   *
   * @param path - the directory
   * @param options - `{ recursive: true }` to create parents
   * @returns with `recursive`, the first directory created (or `undefined` if none was)
   * @example
   * ```ts
   * await vfs.mkdir("/data/cache/images", { recursive: true });
   * ```
   */
  async mkdir(path: string, options: { recursive?: boolean } = {}): Promise<string | undefined> {
    const full = splitPath(path);
    if (!options.recursive) {
      const { mount, rest } = this.resolve(path);
      await mount.fs.mkdir(rest);
      return undefined;
    }
    let first: string | undefined;
    for (let i = 1; i <= full.length; i++) {
      const p = joinPath(full.slice(0, i));
      const { mount, rest } = this.resolve(p);
      try {
        const st = await mount.fs.stat(rest);
        if (st.kind !== "directory") throw fsError(i === full.length ? "EEXIST" : "ENOTDIR", "not a directory", p);
      } catch (err) {
        if ((err as { code?: string }).code !== "ENOENT") throw err;
        await mount.fs.mkdir(rest);
        if (first === undefined) first = p;
      }
    }
    return first;
  }

  /**
   * Removes an empty directory.
   *
   * @param path - the directory
   * @returns a promise that settles when removed
   * @example
   * ```ts
   * await vfs.rmdir("/data/old");
   * ```
   */
  async rmdir(path: string): Promise<void> {
    const { mount, rest } = this.resolve(path, true);
    await mount.fs.rmdir(rest);
  }

  /**
   * Removes a file.
   *
   * @param path - the file
   * @returns a promise that settles when removed
   * @example
   * ```ts
   * await vfs.unlink("/data/tmp.bin");
   * ```
   */
  async unlink(path: string): Promise<void> {
    const { mount, rest } = this.resolve(path, true);
    await mount.fs.unlink(rest);
  }

  /**
   * Removes a file, or with `recursive` a directory tree, like Node's `fs.rm`.
   *
   * @param path - what to remove
   * @param options - `recursive` for directories, `force` to ignore a missing path
   * @returns a promise that settles when removed
   * @example
   * ```ts
   * await vfs.rm("/data/cache", { recursive: true, force: true });
   * ```
   */
  async rm(path: string, options: RmOptions = {}): Promise<void> {
    return this.rmAt(path, options, 0);
  }

  private async rmAt(path: string, options: RmOptions, depth: number): Promise<void> {
    // A damaged FAT can make a directory contain one of its ancestors: without a bound, a recursive
    // rm would walk that cycle forever.
    if (depth > MAX_TREE_DEPTH) {
      throw fsError("EIO", `directory tree deeper than ${MAX_TREE_DEPTH} levels (a cycle in a damaged filesystem?)`, joinPath(splitPath(path)));
    }
    let st: Stats;
    try {
      st = await this.stat(path);
    } catch (err) {
      if (options.force && (err as { code?: string }).code === "ENOENT") return;
      throw err;
    }
    if (st.isFile()) return this.unlink(path);
    if (!options.recursive) throw fsError("EISDIR", "is a directory (use { recursive: true })", joinPath(splitPath(path)));
    const full = splitPath(path);
    for (const name of await this.readdir(path)) await this.rmAt(joinPath([...full, name]), { recursive: true }, depth + 1);
    await this.rmdir(path);
  }

  /**
   * Renames or moves a file or directory within one filesystem (EXDEV across mounts).
   *
   * @param from - current path
   * @param to - new path; an existing file (or empty directory) there is replaced
   * @returns a promise that settles when done
   * @example
   * ```ts
   * await vfs.rename("/data/upload.tmp", "/data/upload.bin");
   * ```
   */
  async rename(from: string, to: string): Promise<void> {
    const a = this.resolve(from, true);
    const b = this.resolve(to, true);
    if (a.mount !== b.mount) throw fsError("EXDEV", "cannot rename across filesystems", joinPath(a.full));
    await a.mount.fs.rename(a.rest, b.rest);
  }

  /**
   * Sets a file's size.
   *
   * @param path - the file
   * @param length - new size (default 0)
   * @returns a promise that settles when done
   * @example
   * ```ts
   * await vfs.truncate("/data/log.txt", 0);
   * ```
   */
  async truncate(path: string, length = 0): Promise<void> {
    const fh = await this.open(path, "r+");
    try {
      await fh.truncate(length);
    } finally {
      await fh.close();
    }
  }

  /**
   * Makes everything written on every mounted filesystem durable.
   *
   * @returns a promise that settles when durable
   * @example
   * ```ts
   * await vfs.sync();
   * ```
   */
  async sync(): Promise<void> {
    for (const m of this.mounts) await m.fs.sync();
  }

  /**
   * Space on the filesystem holding `path`.
   *
   * @param path - any path on it
   * @returns total and free bytes
   * @example
   * ```ts
   * const { freeBytes } = await vfs.usage("/data");
   * ```
   */
  async usage(path: string): Promise<FsUsage> {
    return this.resolve(path).mount.fs.usage();
  }

  private resolve(path: string, notMountPoint = false): { mount: Mount; rest: string[]; full: string[] } {
    const full = splitPath(path);
    const mount = this.mounts.find((m) => m.at.length <= full.length && sameParts(m.at, full.slice(0, m.at.length)));
    if (!mount) throw fsError("ENOENT", "no filesystem is mounted there", joinPath(full));
    if (notMountPoint && mount.at.length === full.length) throw fsError("EBUSY", "resource busy (a mount point)", joinPath(full));
    return { mount, rest: full.slice(mount.at.length), full };
  }
}

/**
 * Creates an empty VFS; mount filesystems into it.
 *
 * @returns the VFS
 * @example
 * ```ts
 * const vfs = createVfs();
 * vfs.mount("/", createMemoryFileSystem());
 * ```
 */
export function createVfs(): Vfs {
  return new Vfs();
}

function sameParts(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
