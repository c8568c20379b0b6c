// Memory filesystem layer (@toro/fs/memfs): a case-sensitive tree held in RAM, for tests and for
// apps that want a scratch area. Implements the VFS `FileSystem` contract; imports only the contract
// types and the error helpers (no cache, no device, no FAT).
import { fsError } from "../errors.js";
import type { DirEntryInfo, FileSystem, FsUsage, NodeStat, OpenFile, OpenOptions } from "../vfs/types.js";

interface Times {
  mtimeMs: number;
  atimeMs: number;
  birthtimeMs: number;
}
interface FileNode extends Times {
  kind: "file";
  data: Uint8Array;
  size: number;
}
interface DirNode extends Times {
  kind: "directory";
  children: Map<string, Node>;
}
type Node = FileNode | DirNode;

/** Options of {@link createMemoryFileSystem}. */
export interface MemoryFileSystemOptions {
  /** Wall-clock time in ms since the Unix epoch, for timestamps (default: always 0). */
  readonly now?: () => number;
  /** Most bytes of file data it will hold before ENOSPC (default: unlimited). */
  readonly capacityBytes?: number;
}

/**
 * Creates an empty in-memory filesystem (case-sensitive, POSIX rename and unlink semantics).
 *
 * @param options - clock and capacity
 * @returns the filesystem, ready to mount in a VFS
 * @example
 * ```ts
 * const vfs = createVfs();
 * vfs.mount("/tmp", createMemoryFileSystem({ capacityBytes: 8 << 20 }));
 * ```
 */
export function createMemoryFileSystem(options: MemoryFileSystemOptions = {}): FileSystem {
  const now = options.now ?? (() => 0);
  const capacity = options.capacityBytes ?? Number.POSITIVE_INFINITY;
  let used = 0;
  let closed = false;
  const stamp = (): Times => {
    const t = now();
    return { mtimeMs: t, atimeMs: t, birthtimeMs: t };
  };
  const root: DirNode = { kind: "directory", children: new Map(), ...stamp() };
  const join = (p: readonly string[]): string => "/" + p.join("/");

  const walk = (path: readonly string[]): Node | undefined => {
    if (closed) throw fsError("EIO", "filesystem is unmounted");
    let node: Node = root;
    for (let i = 0; i < path.length; i++) {
      if (node.kind !== "directory") throw fsError("ENOTDIR", "not a directory", join(path.slice(0, i)));
      const next: Node | undefined = node.children.get(path[i]!);
      if (!next) return undefined;
      node = next;
    }
    return node;
  };
  const parentOf = (path: readonly string[]): DirNode => {
    const p = walk(path.slice(0, -1));
    if (!p) throw fsError("ENOENT", "no such file or directory", join(path));
    if (p.kind !== "directory") throw fsError("ENOTDIR", "not a directory", join(path));
    return p;
  };
  const existing = (path: readonly string[]): Node => {
    const n = walk(path);
    if (!n) throw fsError("ENOENT", "no such file or directory", join(path));
    return n;
  };
  const checkName = (path: readonly string[]): string => {
    const name = path[path.length - 1];
    if (name === undefined) throw fsError("EBUSY", "operation not allowed on the root", "/");
    return name;
  };
  const statOf = (n: Node): NodeStat => ({
    kind: n.kind,
    size: n.kind === "file" ? n.size : 0,
    mtimeMs: n.mtimeMs,
    atimeMs: n.atimeMs,
    birthtimeMs: n.birthtimeMs,
    readOnly: false,
  });
  const resize = (f: FileNode, size: number): void => {
    const grow = Math.max(0, size - f.size);
    if (used + grow > capacity) throw fsError("ENOSPC", "no space left on device");
    if (size > f.data.length) {
      const bigger = new Uint8Array(Math.max(size, f.data.length * 2, 64));
      bigger.set(f.data.subarray(0, f.size));
      f.data = bigger;
    } else if (size < f.size) {
      f.data.fill(0, size, f.size); // so a later grow reads zeros
    }
    used += size - f.size;
    f.size = size;
  };

  const openFile = (f: FileNode): OpenFile => {
    let open = true;
    const check = (): void => {
      if (!open) throw fsError("EBADF", "file handle is closed");
    };
    return {
      size: () => f.size,
      stat: async () => (check(), statOf(f)),
      read: async (position, target) => {
        check();
        const n = Math.max(0, Math.min(target.length, f.size - position));
        target.set(f.data.subarray(position, position + n));
        return n;
      },
      write: async (position, data) => {
        check();
        if (position + data.length > f.size) resize(f, position + data.length);
        f.data.set(data, position);
        f.mtimeMs = now();
        return data.length;
      },
      truncate: async (size) => {
        check();
        if (!Number.isInteger(size) || size < 0) throw fsError("EINVAL", `invalid length ${size}`);
        resize(f, size);
        f.mtimeMs = now();
      },
      sync: async () => check(),
      close: async () => {
        check();
        open = false;
      },
    };
  };

  return {
    type: "memory",
    caseSensitive: true,
    readOnly: false,
    async stat(path) {
      return statOf(existing(path));
    },
    async readdir(path): Promise<DirEntryInfo[]> {
      const d = existing(path);
      if (d.kind !== "directory") throw fsError("ENOTDIR", "not a directory", join(path));
      return [...d.children].map(([name, n]) => ({ name, kind: n.kind }));
    },
    async mkdir(path) {
      if (path.length === 0) throw fsError("EEXIST", "file already exists", "/");
      const parent = parentOf(path);
      const name = checkName(path);
      if (parent.children.has(name)) throw fsError("EEXIST", "file already exists", join(path));
      parent.children.set(name, { kind: "directory", children: new Map(), ...stamp() });
      parent.mtimeMs = now();
    },
    async rmdir(path) {
      const name = checkName(path);
      const parent = parentOf(path);
      const d = existing(path);
      if (d.kind !== "directory") throw fsError("ENOTDIR", "not a directory", join(path));
      if (d.children.size > 0) throw fsError("ENOTEMPTY", "directory not empty", join(path));
      parent.children.delete(name);
    },
    async unlink(path) {
      const name = checkName(path);
      const parent = parentOf(path);
      const f = existing(path);
      if (f.kind !== "file") throw fsError("EISDIR", "illegal operation on a directory", join(path));
      parent.children.delete(name);
      used -= f.size; // open handles keep their node; its bytes no longer count
    },
    async rename(from, to) {
      const fromName = checkName(from);
      const toName = checkName(to);
      const src = existing(from);
      const srcParent = parentOf(from);
      const dstParent = parentOf(to);
      if (src.kind === "directory" && to.length > from.length && from.every((p, i) => p === to[i])) {
        throw fsError("EINVAL", "cannot move a directory into itself", join(to));
      }
      const dst = dstParent.children.get(toName);
      if (dst === src) return;
      if (dst) {
        if (src.kind === "directory" && dst.kind !== "directory") throw fsError("ENOTDIR", "not a directory", join(to));
        if (src.kind === "file" && dst.kind === "directory") throw fsError("EISDIR", "illegal operation on a directory", join(to));
        if (dst.kind === "directory" && dst.children.size > 0) throw fsError("ENOTEMPTY", "directory not empty", join(to));
        if (dst.kind === "file") used -= dst.size;
      }
      srcParent.children.delete(fromName);
      dstParent.children.set(toName, src);
    },
    async open(path, o: OpenOptions) {
      if (path.length === 0) throw fsError("EISDIR", "illegal operation on a directory", "/");
      const parent = parentOf(path);
      const name = checkName(path);
      let n = parent.children.get(name);
      if (n) {
        if (o.create && o.exclusive) throw fsError("EEXIST", "file already exists", join(path));
        if (n.kind === "directory") throw fsError("EISDIR", "illegal operation on a directory", join(path));
        if (o.truncate) {
          resize(n, 0);
          n.mtimeMs = now();
        }
      } else {
        if (!o.create) throw fsError("ENOENT", "no such file or directory", join(path));
        n = { kind: "file", data: new Uint8Array(0), size: 0, ...stamp() };
        parent.children.set(name, n);
      }
      return openFile(n);
    },
    async sync() {},
    async usage(): Promise<FsUsage> {
      return { totalBytes: capacity, freeBytes: capacity - used };
    },
    async close() {
      closed = true;
    },
  };
}
