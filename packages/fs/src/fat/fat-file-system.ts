// FAT filesystem layer (@toro/fs/fat): implements the VFS `FileSystem` contract on a FAT12/16/32
// volume — lookup (case-insensitive over long and short names, fatgen103 §7), readdir, mkdir, rmdir,
// unlink, rename, open. Every operation is serialised: the volume is one shared structure. Imports the
// FAT layers and the VFS contract types; never the VFS implementation or a driver.
import type { BlockDevice } from "@toro/devices";
import { ToroError } from "@toro/kernel";
import type { BlockCacheOptions } from "../cache/block-cache.js";
import { fsError } from "../errors.js";
import type { DirEntryInfo, FileSystem, FsUsage, NodeStat, OpenFile, OpenOptions } from "../vfs/types.js";
import type { OemCodePage } from "./code-page.js";
import { ATTR, encodeLongEntries, encodeShortEntry, findByName, type DirRecord } from "./dir-entry.js";
import { FatOpenFile, nodeChain, nodeFromRecord, resizeNode, statOf, writeNodeEntry, type FatFileHost, type FatNode } from "./fat-file.js";
import { toFatTimestamp } from "./fat-time.js";
import { DATA_ORDER, FatVolume, type LoadedDir } from "./fat-volume.js";
import { planShortName } from "./short-name.js";

/** Options of {@link mountFat}. */
export interface FatMountOptions {
  /** Wall-clock time in ms since the Unix epoch, for timestamps (default: always 1980-01-01). */
  readonly now?: () => number;
  /** Refuse every change with EROFS (also implied by a read-only device). */
  readonly readOnly?: boolean;
  /** Block cache settings. */
  readonly cache?: BlockCacheOptions;
  /**
   * OEM code page of short (8.3) names, for names that fit 8.3 but are not ASCII (`données` made by
   * `mmd` is stored as the short name `DONNÉES` only). Default 850, as mtools writes; Linux's vfat
   * driver defaults to 437. The two agree on the accented lowercase letters and É, Ç, Ä, Å, Æ, Ö, Ü, Ñ.
   */
  readonly codePage?: OemCodePage;
  /** Most directories kept parsed in memory (default 64; 0 turns the directory cache off). */
  readonly directoryCacheEntries?: number;
}

const FAT_EPOCH_MS = 315532800000; // 1980-01-01T00:00:00Z

/**
 * Mounts the FAT12/16/32 volume on `device` (a whole-disk filesystem, no partition table). A damaged
 * boot sector or FAT is refused with EIO.
 *
 * @param device - the disk
 * @param options - clock, read-only flag, cache settings
 * @returns the filesystem, ready to mount in a VFS
 * @example
 * ```ts
 * const fat = await mountFat(disk, { now: () => Date.now() });
 * const vfs = createVfs();
 * vfs.mount("/", fat);
 * ```
 */
export async function mountFat(device: BlockDevice, options: FatMountOptions = {}): Promise<FileSystem> {
  if (options.codePage !== undefined && options.codePage !== 437 && options.codePage !== 850) {
    throw fsError("EINVAL", `unsupported code page ${String(options.codePage)}`, undefined, "use 437 or 850");
  }
  const volume = await FatVolume.mount(device, {
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.codePage === undefined ? {} : { codePage: options.codePage }),
    ...(options.directoryCacheEntries === undefined ? {} : { directoryCacheEntries: options.directoryCacheEntries }),
  });
  return new FatFileSystem(volume, options.now ?? (() => FAT_EPOCH_MS), options.readOnly === true || device.info.readOnly);
}

const upper = (s: string): string => s.toUpperCase();

function findRecord(dir: LoadedDir, name: string): DirRecord | undefined {
  return findByName(dir.scan, name);
}

const isDir = (r: { attr: number }): boolean => (r.attr & ATTR.DIRECTORY) !== 0;

class FatFileSystem implements FileSystem, FatFileHost {
  readonly type: string;
  readonly caseSensitive = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly openNodes = new Map<string, FatNode>();
  private unmounted = false;

  constructor(
    readonly volume: FatVolume,
    readonly now: () => number,
    readonly readOnly: boolean,
  ) {
    this.type = `fat${volume.geo.type}`;
  }

  run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.unmounted) throw fsError("EIO", "filesystem is unmounted");
      return op();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  checkWritable(): void {
    if (this.readOnly) throw fsError("EROFS", "read-only filesystem");
  }

  async release(node: FatNode): Promise<void> {
    if (--node.refs > 0) return;
    if (node.detached) {
      await this.volume.table.free(await nodeChain(this.volume, node));
    } else {
      this.openNodes.delete(node.key);
    }
  }

  stat(path: readonly string[]): Promise<NodeStat> {
    return this.run(async () => {
      if (path.length === 0) return { kind: "directory", size: 0, mtimeMs: FAT_EPOCH_MS, atimeMs: FAT_EPOCH_MS, birthtimeMs: FAT_EPOCH_MS, readOnly: false };
      const { dir, record } = await this.lookup(path);
      if (!record) throw fsError("ENOENT", "no such file or directory", join(path));
      const node = this.openNodes.get(`${dir.ref}:${record.slot}`);
      return statOf(node ? node.fields : record);
    });
  }

  readdir(path: readonly string[]): Promise<DirEntryInfo[]> {
    return this.run(async () => {
      const dir = await this.loadDirAt(path);
      return dir.scan.records.map((r) => ({ name: r.name, kind: isDir(r) ? "directory" : "file" }));
    });
  }

  mkdir(path: readonly string[]): Promise<void> {
    return this.run(async () => {
      this.checkWritable();
      if (path.length === 0) throw fsError("EEXIST", "file already exists", "/");
      const { dir, record, name } = await this.lookup(path);
      if (record) throw fsError("EEXIST", "file already exists", join(path));
      const v = this.volume;
      const [cluster] = await v.table.allocate(1);
      v.forgetDir(cluster!);
      const t = toFatTimestamp(this.now());
      const stamp = { createDate: t.date, createTime: t.time, createTenths: t.tenths, accessDate: t.date, writeDate: t.date, writeTime: t.time };
      // fatgen103 §6: "." points at the directory itself, ".." at the parent (0 when it is the root).
      const body = new Uint8Array(v.geo.bytesPerCluster);
      const dotName = (s: string): Uint8Array => Uint8Array.from((s + "           ").slice(0, 11), (c) => c.charCodeAt(0));
      const parentRef = dir.ref === v.rootRef ? 0 : dir.ref;
      body.set(encodeShortEntry({ shortName: dotName("."), attr: ATTR.DIRECTORY, ntCase: 0, firstCluster: cluster!, size: 0, ...stamp }), 0);
      body.set(encodeShortEntry({ shortName: dotName(".."), attr: ATTR.DIRECTORY, ntCase: 0, firstCluster: parentRef, size: 0, ...stamp }), 32);
      await v.cache.write(v.clusterOffset(cluster!), body, DATA_ORDER);
      await this.insertEntry(dir, name, { attr: ATTR.DIRECTORY, firstCluster: cluster!, size: 0, ...stamp });
    });
  }

  rmdir(path: readonly string[]): Promise<void> {
    return this.run(async () => {
      this.checkWritable();
      if (path.length === 0) throw fsError("EBUSY", "cannot remove the root directory", "/");
      const { dir, record } = await this.lookup(path);
      if (!record) throw fsError("ENOENT", "no such file or directory", join(path));
      if (!isDir(record)) throw fsError("ENOTDIR", "not a directory", join(path));
      const inner = await this.volume.loadDir(record.firstCluster);
      if (inner.scan.records.length > 0) throw fsError("ENOTEMPTY", "directory not empty", join(path));
      await this.volume.deleteRecord(dir, record);
      this.volume.forgetDir(record.firstCluster);
      await this.volume.table.free(inner.chain);
    });
  }

  unlink(path: readonly string[]): Promise<void> {
    return this.run(async () => {
      this.checkWritable();
      const { dir, record } = await this.lookup(path);
      if (!record) throw fsError("ENOENT", "no such file or directory", join(path));
      if (isDir(record)) throw fsError("EISDIR", "illegal operation on a directory", join(path));
      await this.removeFile(dir, record);
    });
  }

  rename(from: readonly string[], to: readonly string[]): Promise<void> {
    return this.run(async () => {
      this.checkWritable();
      if (from.length === 0 || to.length === 0) throw fsError("EBUSY", "cannot rename the root directory", "/");
      const src = await this.lookup(from);
      if (!src.record) throw fsError("ENOENT", "no such file or directory", join(from));
      const srcIsDir = isDir(src.record);
      if (srcIsDir && to.length > from.length && from.every((p, i) => upper(p) === upper(to[i]!))) {
        throw fsError("EINVAL", "cannot move a directory into itself", join(to));
      }
      const dst = await this.lookup(to);
      let target = dst.dir;
      if (dst.record) {
        const same = dst.dir.ref === src.dir.ref && dst.record.slot === src.record.slot;
        if (same && dst.name === src.record.name) return;
        if (!same) {
          if (srcIsDir && !isDir(dst.record)) throw fsError("ENOTDIR", "not a directory", join(to));
          if (!srcIsDir && isDir(dst.record)) throw fsError("EISDIR", "illegal operation on a directory", join(to));
          if (isDir(dst.record)) {
            const inner = await this.volume.loadDir(dst.record.firstCluster);
            if (inner.scan.records.length > 0) throw fsError("ENOTEMPTY", "directory not empty", join(to));
            await this.volume.deleteRecord(dst.dir, dst.record);
            this.volume.forgetDir(dst.record.firstCluster);
            await this.volume.table.free(inner.chain);
          } else {
            await this.removeFile(dst.dir, dst.record);
          }
        }
      }
      // The source directory may be the target directory: reload after the deletions above.
      const source = dst.dir.ref === src.dir.ref ? dst.dir : src.dir;
      const record = findRecord(source, from[from.length - 1]!)!;
      const node = this.openNodes.get(`${source.ref}:${record.slot}`);
      const fields = node ? node.fields : nodeFromRecord(source.ref, record, 0).fields;
      // Remove the old name first so a case-only rename can reuse its short name.
      await this.volume.deleteRecord(source, record);
      if (target.ref === source.ref) target = source;
      const slot = await this.insertEntry(target, dst.name, fields, fields.shortName);
      if (node) {
        this.openNodes.delete(node.key);
        node.parentRef = target.ref;
        node.slot = slot;
        node.key = `${target.ref}:${slot}`;
        node.entryOffset = this.volume.slotOffset(target, slot);
        this.openNodes.set(node.key, node);
      }
      if (srcIsDir && target.ref !== source.ref) {
        // The moved directory's ".." must name its new parent (fatgen103 §6).
        const inner = await this.volume.loadDir(fields.firstCluster);
        const parentRef = target.ref === this.volume.rootRef ? 0 : target.ref;
        const dotdot = inner.bytes.slice(32, 64);
        new DataView(dotdot.buffer).setUint16(20, parentRef >>> 16, true);
        new DataView(dotdot.buffer).setUint16(26, parentRef & 0xffff, true);
        await this.volume.writeSlots(inner, 1, [dotdot]);
      }
    });
  }

  open(path: readonly string[], options: OpenOptions): Promise<OpenFile> {
    return this.run(async () => {
      if (options.write || options.create || options.truncate) this.checkWritable();
      if (path.length === 0) throw fsError("EISDIR", "illegal operation on a directory", "/");
      const { dir, record, name } = await this.lookup(path);
      let rec = record;
      if (rec) {
        if (options.create && options.exclusive) throw fsError("EEXIST", "file already exists", join(path));
        if (isDir(rec)) throw fsError("EISDIR", "illegal operation on a directory", join(path));
      } else {
        if (!options.create) throw fsError("ENOENT", "no such file or directory", join(path));
        const t = toFatTimestamp(this.now());
        const slot = await this.insertEntry(dir, name, {
          attr: ATTR.ARCHIVE,
          firstCluster: 0,
          size: 0,
          createDate: t.date,
          createTime: t.time,
          createTenths: t.tenths,
          accessDate: t.date,
          writeDate: t.date,
          writeTime: t.time,
        });
        rec = dir.scan.records.find((r) => r.slot === slot)!;
      }
      const key = `${dir.ref}:${rec.slot}`;
      let node = this.openNodes.get(key);
      if (!node) {
        node = nodeFromRecord(dir.ref, rec, this.volume.slotOffset(dir, rec.slot));
        this.openNodes.set(key, node);
      }
      if (options.write && (node.fields.attr & ATTR.READ_ONLY) !== 0) {
        throw fsError("EROFS", "file is marked read-only", join(path));
      }
      node.refs++;
      if (options.truncate && node.fields.size > 0) {
        await resizeNode(this.volume, node, 0);
        const t = toFatTimestamp(this.now());
        node.fields.writeDate = t.date;
        node.fields.writeTime = t.time;
        await writeNodeEntry(this.volume, node);
      }
      return new FatOpenFile(this, node);
    });
  }

  sync(): Promise<void> {
    return this.run(async () => {
      if (this.readOnly) return;
      await this.volume.sync();
    });
  }

  usage(): Promise<FsUsage> {
    return this.run(async () => {
      const bpc = this.volume.geo.bytesPerCluster;
      return { totalBytes: this.volume.geo.clusterCount * bpc, freeBytes: this.volume.table.available * bpc };
    });
  }

  async close(): Promise<void> {
    await this.sync();
    await this.run(async () => {
      this.unmounted = true;
    });
  }

  // --- helpers (called inside run) ---

  private async loadDirAt(path: readonly string[]): Promise<LoadedDir> {
    let dir = await this.volume.loadDir(this.volume.rootRef);
    for (let i = 0; i < path.length; i++) {
      const r = findRecord(dir, path[i]!);
      if (!r) throw fsError("ENOENT", "no such file or directory", join(path.slice(0, i + 1)));
      if (!isDir(r)) throw fsError("ENOTDIR", "not a directory", join(path.slice(0, i + 1)));
      if (r.firstCluster === 0) throw new ToroError("EIO", `EIO: directory '${join(path.slice(0, i + 1))}' has no cluster`);
      dir = await this.volume.loadDir(r.firstCluster);
    }
    return dir;
  }

  private async lookup(path: readonly string[]): Promise<{ dir: LoadedDir; record: DirRecord | undefined; name: string }> {
    const dir = await this.loadDirAt(path.slice(0, -1));
    const name = path[path.length - 1]!;
    return { dir, record: findRecord(dir, name), name };
  }

  private async removeFile(dir: LoadedDir, record: DirRecord): Promise<void> {
    const node = this.openNodes.get(`${dir.ref}:${record.slot}`);
    await this.volume.deleteRecord(dir, record);
    if (node) {
      // Open handles keep the data until the last close (POSIX unlink semantics).
      await nodeChain(this.volume, node);
      node.detached = true;
      this.openNodes.delete(node.key);
    } else {
      await this.volume.table.free(await this.volume.table.chain(record.firstCluster));
    }
  }

  private async insertEntry(
    dir: LoadedDir,
    name: string,
    f: Omit<FatNode["fields"], "shortName" | "ntCase">,
    oldShort?: Uint8Array,
  ): Promise<number> {
    const oldKey = oldShort ? String.fromCharCode(...oldShort) : undefined;
    const plan = planShortName(name, (k) => dir.scan.shortKeys.has(k) && k !== oldKey);
    const longs = plan.needsLongName ? encodeLongEntries(name, plan.shortName) : [];
    const slot = await this.volume.reserveSlots(dir, longs.length + 1);
    const short = encodeShortEntry({ ...f, shortName: plan.shortName, ntCase: plan.ntCase });
    await this.volume.writeSlots(dir, slot, [...longs, short]);
    return slot + longs.length;
  }
}

function join(path: readonly string[]): string {
  return "/" + path.join("/");
}
