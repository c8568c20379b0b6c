// FAT volume layer (@toro/fs/fat): a mounted volume's geometry, cache and allocation table, and the
// byte-level I/O every higher FAT operation needs — cluster data, whole directories, directory slots
// (fatgen103 §6: the FAT12/16 root is a fixed region, every other directory a cluster chain) — and a
// bounded cache of parsed directories, so a lookup does not re-read every directory on its path. Imports
// the cache and FAT on-disk helpers only; never the VFS or a driver.
import type { BlockDevice } from "@toro/devices";
import { BlockCache, type BlockCacheOptions } from "../cache/block-cache.js";
import { corrupt, fsError } from "../errors.js";
import { parseBootSector, type FatGeometry } from "./boot-sector.js";
import type { OemCodePage } from "./code-page.js";
import { DELETED, ENTRY_SIZE, patchScan, scanDirectory, type DirRecord, type DirScan } from "./dir-entry.js";
import { FatTable } from "./fat-table.js";

/** Write-back class of directory sectors: last, once the data and the FAT they point to are out. */
export const DIR_ORDER = 2;
/** Write-back class of file data. */
export const DATA_ORDER = 0;

// fatgen103 §6: a directory holds at most 65536 entries (2 MiB).
const MAX_DIR_BYTES = 65536 * ENTRY_SIZE;

/** A directory loaded in memory: its bytes, where they live, and the parsed entries (parsed lazily). */
export class LoadedDir {
  private parsed: DirScan | undefined;

  constructor(
    /** First cluster, or 0 for the fixed FAT12/16 root. */
    readonly ref: number,
    readonly chain: number[],
    public bytes: Uint8Array,
    private readonly codePage: OemCodePage,
  ) {}

  /** The parsed entries, rescanned after a change that {@link LoadedDir.changed} reported. */
  get scan(): DirScan {
    this.parsed ??= scanDirectory(this.bytes, this.codePage);
    return this.parsed;
  }

  /** Drops the parsed entries: the bytes changed. */
  changed(): void {
    this.parsed = undefined;
  }

  /** Rewrites one short entry in memory without changing its name (size, cluster, times). */
  patchShortEntry(slot: number, entry: Uint8Array): void {
    this.bytes.set(entry, slot * ENTRY_SIZE);
    if (this.parsed !== undefined && !patchScan(this.parsed, slot, entry, this.codePage)) this.parsed = undefined;
  }
}

/** Options of {@link FatVolume.mount}. */
export interface FatVolumeOptions {
  /** Block cache settings. */
  readonly cache?: BlockCacheOptions;
  /** Code page of short names (default 850). */
  readonly codePage?: OemCodePage;
  /** Most directories kept parsed in memory (default 64; 0 turns the directory cache off). */
  readonly directoryCacheEntries?: number;
}

// The parsed-directory cache also stops at this many bytes of directory contents.
const DIR_CACHE_MAX_BYTES = 4 * 1024 * 1024;

/** A mounted FAT volume: geometry, cache, FAT, and raw cluster/directory I/O. */
export class FatVolume {
  /** Parsed directories by ref, least recently used first. Each is the single live copy of its directory. */
  private readonly dirs = new Map<number, LoadedDir>();
  private dirBytes = 0;
  /** Directory cache counters, for tests and benchmarks. */
  readonly dirStats = { hits: 0, misses: 0 };

  private constructor(
    readonly geo: FatGeometry,
    readonly cache: BlockCache,
    readonly table: FatTable,
    readonly codePage: OemCodePage,
    private readonly dirCapacity: number,
  ) {}

  /** Reads and validates the boot sector and the FAT; throws EIO for a damaged volume. */
  static async mount(device: BlockDevice, options: FatVolumeOptions = {}): Promise<FatVolume> {
    const deviceBytes = device.info.sectorSize * device.info.sectorCount;
    if (deviceBytes < 512) throw corrupt("device smaller than one boot sector");
    const cache = new BlockCache(device, options.cache);
    const boot = new Uint8Array(512);
    await cache.read(0, boot);
    const parsed = parseBootSector(boot, deviceBytes);
    if (!parsed.ok) throw corrupt(`bad boot sector: ${parsed.error}`);
    const table = await FatTable.load(cache, parsed.value);
    const capacity = options.directoryCacheEntries ?? 64;
    if (!Number.isInteger(capacity) || capacity < 0) throw fsError("EINVAL", `directoryCacheEntries must be a non-negative integer, got ${capacity}`);
    return new FatVolume(parsed.value, cache, table, options.codePage ?? 850, capacity);
  }

  /** The directory reference of the root. */
  get rootRef(): number {
    return this.geo.type === 32 ? this.geo.rootCluster : 0;
  }

  /** Byte offset of cluster `n` on the device. */
  clusterOffset(n: number): number {
    return (this.geo.firstDataSector + (n - 2) * this.geo.sectorsPerCluster) * this.geo.bytesPerSector;
  }

  /**
   * Returns a whole directory, from the parsed-directory cache when it holds it. Every change to a
   * directory goes through this class (slots, deletions, growth, short-entry rewrites), which keeps the
   * cached copy equal to what the block cache holds.
   */
  async loadDir(ref: number): Promise<LoadedDir> {
    const cached = this.dirs.get(ref);
    if (cached !== undefined) {
      this.dirStats.hits++;
      this.dirs.delete(ref);
      this.dirs.set(ref, cached);
      return cached;
    }
    this.dirStats.misses++;
    const dir = await this.readDir(ref);
    this.remember(dir);
    return dir;
  }

  /** Forgets the cached copy of directory `ref` (its clusters were freed or reused). */
  forgetDir(ref: number): void {
    const d = this.dirs.get(ref);
    if (d === undefined) return;
    this.dirs.delete(ref);
    this.dirBytes -= d.bytes.length;
  }

  /** Patches the cached copy of directory `ref` after its short entry at `slot` was rewritten. */
  patchCachedEntry(ref: number, slot: number, entry: Uint8Array): void {
    this.dirs.get(ref)?.patchShortEntry(slot, entry);
  }

  private async readDir(ref: number): Promise<LoadedDir> {
    if (ref === 0) {
      if (this.geo.type === 32) throw corrupt("directory entry points at cluster 0");
      const bytes = new Uint8Array(this.geo.rootEntryCount * ENTRY_SIZE);
      await this.cache.read(this.geo.rootDirSector * this.geo.bytesPerSector, bytes);
      return new LoadedDir(ref, [], bytes, this.codePage);
    }
    const chain = await this.table.chain(ref);
    const bpc = this.geo.bytesPerCluster;
    if (chain.length * bpc > MAX_DIR_BYTES) throw corrupt(`directory at cluster ${ref} is larger than 2 MiB`);
    const bytes = new Uint8Array(chain.length * bpc);
    await this.readClusters(chain, 0, bytes);
    return new LoadedDir(ref, chain, bytes, this.codePage);
  }

  private remember(dir: LoadedDir): void {
    this.forgetDir(dir.ref);
    if (this.dirCapacity === 0 || dir.bytes.length > DIR_CACHE_MAX_BYTES / 4) return;
    this.dirs.set(dir.ref, dir);
    this.dirBytes += dir.bytes.length;
    for (const [ref, d] of this.dirs) {
      if (this.dirs.size <= this.dirCapacity && this.dirBytes <= DIR_CACHE_MAX_BYTES) break;
      this.dirs.delete(ref);
      this.dirBytes -= d.bytes.length;
    }
  }

  // A change made through a copy that is not the cached one (it was evicted and reloaded while the
  // caller held it) makes the cached copy stale: drop it, the block cache has the truth.
  private touched(dir: LoadedDir, grownBy = 0): void {
    const cached = this.dirs.get(dir.ref);
    if (cached === dir) this.dirBytes += grownBy;
    else if (cached !== undefined) this.forgetDir(dir.ref);
  }

  /**
   * Makes everything written so far durable: data, FAT, directories (one cache flush, which orders
   * them), then the deferred frees and the FSInfo hints in a second flush once no entry uses them.
   */
  async sync(): Promise<void> {
    if (this.table.hasPending) {
      await this.cache.flush();
      await this.table.applyPending();
    }
    await this.table.writeFsInfo();
    await this.cache.flush();
  }

  /** Device byte offset of directory slot `slot`. */
  slotOffset(dir: LoadedDir, slot: number): number {
    const at = slot * ENTRY_SIZE;
    if (dir.ref === 0) return this.geo.rootDirSector * this.geo.bytesPerSector + at;
    const cluster = dir.chain[Math.floor(at / this.geo.bytesPerCluster)];
    if (cluster === undefined) throw corrupt(`directory slot ${slot} beyond the directory's chain`);
    return this.clusterOffset(cluster) + (at % this.geo.bytesPerCluster);
  }

  /** Writes consecutive entries starting at `slot`, in memory and through the cache. */
  async writeSlots(dir: LoadedDir, slot: number, entries: readonly Uint8Array[]): Promise<void> {
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      dir.bytes.set(e, (slot + i) * ENTRY_SIZE);
      await this.cache.write(this.slotOffset(dir, slot + i), e, DIR_ORDER);
    }
    dir.changed();
    this.touched(dir);
  }

  /** Marks the long-name slots and the short slot of `record` deleted (0xE5, fatgen103 §6). */
  async deleteRecord(dir: LoadedDir, record: DirRecord): Promise<void> {
    for (let s = record.slot - record.longSlots; s <= record.slot; s++) {
      const at = s * ENTRY_SIZE;
      dir.bytes[at] = DELETED;
      await this.cache.write(this.slotOffset(dir, s), dir.bytes.subarray(at, at + 1), DIR_ORDER);
    }
    dir.changed();
    this.touched(dir);
  }

  /**
   * Finds `count` consecutive free slots, growing a cluster-chain directory by zeroed clusters when
   * needed. The fixed FAT12/16 root cannot grow: ENOSPC.
   */
  async reserveSlots(dir: LoadedDir, count: number): Promise<number> {
    const free = dir.scan.freeSlots;
    let run = 0;
    for (let s = 0; s < free.length; s++) {
      run = free[s] ? run + 1 : 0;
      if (run === count) return s - count + 1;
    }
    if (dir.ref === 0) throw fsError("ENOSPC", "the root directory is full (FAT12/16 roots have a fixed size)");
    const bpc = this.geo.bytesPerCluster;
    const slotsPerCluster = bpc / ENTRY_SIZE;
    const start = free.length - run;
    const needed = Math.ceil((count - run) / slotsPerCluster);
    if (dir.bytes.length + needed * bpc > MAX_DIR_BYTES) throw fsError("ENOSPC", "directory has reached 65536 entries");
    const added = await this.table.allocate(needed, dir.chain[dir.chain.length - 1] ?? 0);
    for (const c of added) await this.cache.write(this.clusterOffset(c), new Uint8Array(bpc), DATA_ORDER);
    dir.chain.push(...added);
    const grown = new Uint8Array(dir.bytes.length + needed * bpc);
    grown.set(dir.bytes);
    dir.bytes = grown;
    dir.changed();
    this.touched(dir, needed * bpc);
    return start;
  }

  /** Reads `target.length` bytes at byte `position` of the data held by `chain`. */
  async readClusters(chain: readonly number[], position: number, target: Uint8Array): Promise<void> {
    await this.clusterIo(chain, position, target.length, (offset, from, length) =>
      this.cache.read(offset, target.subarray(from, from + length)),
    );
  }

  /** Writes `data` at byte `position` of the data held by `chain` (which must be long enough). */
  async writeClusters(chain: readonly number[], position: number, data: Uint8Array): Promise<void> {
    await this.clusterIo(chain, position, data.length, (offset, from, length) =>
      this.cache.write(offset, data.subarray(from, from + length), DATA_ORDER),
    );
  }

  private async clusterIo(
    chain: readonly number[],
    position: number,
    length: number,
    op: (offset: number, from: number, length: number) => Promise<void>,
  ): Promise<void> {
    const bpc = this.geo.bytesPerCluster;
    let done = 0;
    while (done < length) {
      const at = position + done;
      let index = Math.floor(at / bpc);
      const first = chain[index];
      if (first === undefined) throw corrupt("file data beyond its cluster chain");
      // Coalesce physically contiguous clusters into one request (the cache splits it into blocks).
      let last = first;
      let span = bpc - (at % bpc);
      while (done + span < length && chain[index + 1] === last + 1) {
        last++;
        index++;
        span += bpc;
      }
      const n = Math.min(span, length - done);
      await op(this.clusterOffset(first) + (at % bpc), done, n);
      done += n;
    }
  }
}
