// FAT on-disk layer (@toro/fs/fat): the File Allocation Table itself — entry access for FAT12/16/32,
// cluster-chain walking with loop and range checks, allocation and freeing, and the FSInfo free-count
// hints (fatgen103 §4 "FAT Data Structure", §5 "FAT32 FSInfo Sector Structure"). Frees and chain cuts
// are deferred until the directory entries that stopped using the clusters are on disk (see
// `applyPending`), so a crash can leave lost clusters but never an entry pointing at a freed one.
// Reaches the disk only through the BlockCache; imports nothing from the VFS and no driver.
import type { BlockCache } from "../cache/block-cache.js";
import { corrupt, fsError } from "../errors.js";
import type { FatGeometry } from "./boot-sector.js";

/** Write-back class of FAT sectors: after file data, before directory entries (see BlockCache). */
export const FAT_ORDER = 1;

// fatgen103 §4: FSInfo signatures and field offsets.
const FSI_LEAD_SIG = 0x41615252;
const FSI_STRUC_SIG = 0x61417272;
const FSI_TRAIL_SIG = 0xaa550000;
const FSI_UNKNOWN = 0xffffffff;

/** The allocation table of one mounted volume. */
export class FatTable {
  /** Clusters free on disk and allocatable now (exact: counted at mount, then kept up to date). */
  freeCount = 0;
  // Deferred FAT writes, cluster -> value: 0 frees a cluster, the end mark cuts a chain. They are the
  // logical contents of the FAT (`get` sees them) but reach the cache only in `applyPending`.
  private readonly pending = new Map<number, number>();
  private pendingFrees = 0;
  private nextFree = 2;
  private fsInfoDirty = false;
  private readonly eoc: number;
  private readonly mask: number;
  private readonly bytesPerSector: number;

  /** @internal use {@link FatTable.load} */
  constructor(
    private readonly cache: BlockCache,
    private readonly geo: FatGeometry,
  ) {
    this.mask = geo.type === 12 ? 0xfff : geo.type === 16 ? 0xffff : 0x0fffffff;
    // Values at or above this mark the end of a chain (fatgen103 §4: 0xFF8 / 0xFFF8 / 0x0FFFFFF8).
    this.eoc = this.mask - 7;
    this.bytesPerSector = geo.bytesPerSector;
  }

  /**
   * Opens the table: reads the FSInfo hints on FAT32 when they are plausible, else counts free
   * clusters by scanning the FAT once.
   */
  static async load(cache: BlockCache, geo: FatGeometry): Promise<FatTable> {
    const t = new FatTable(cache, geo);
    let trusted = false;
    if (geo.type === 32 && geo.fsInfoSector !== 0) {
      const s = new Uint8Array(512);
      await cache.read(geo.fsInfoSector * geo.bytesPerSector, s);
      const v = new DataView(s.buffer);
      if (v.getUint32(0, true) === FSI_LEAD_SIG && v.getUint32(484, true) === FSI_STRUC_SIG && v.getUint32(508, true) === FSI_TRAIL_SIG) {
        const free = v.getUint32(488, true);
        const next = v.getUint32(492, true);
        if (free !== FSI_UNKNOWN && free <= geo.clusterCount) {
          t.freeCount = free;
          trusted = true;
        }
        if (next >= 2 && next <= geo.clusterCount + 1) t.nextFree = next;
      }
    }
    if (!trusted) t.freeCount = await t.countFree();
    return t;
  }

  /** Highest valid cluster number. */
  get lastCluster(): number {
    return this.geo.clusterCount + 1;
  }

  /** Whether `value` (a FAT entry) ends a chain. */
  isEnd(value: number): boolean {
    return value >= this.eoc;
  }

  /** Clusters free once the deferred frees are applied: what a caller may still allocate. */
  get available(): number {
    return this.freeCount + this.pendingFrees;
  }

  /** Whether frees or chain cuts wait for {@link FatTable.applyPending}. */
  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Reads the entry of cluster `n` from the active FAT (deferred changes included). */
  async get(n: number): Promise<number> {
    this.checkCluster(n);
    const deferred = this.pending.get(n);
    if (deferred !== undefined) return deferred;
    return this.read(n);
  }

  // The entry of cluster `n` as the cached FAT holds it (deferred changes not included).
  private async read(n: number): Promise<number> {
    const { offset, size } = this.entryPlace(n, this.geo.mirroringDisabled ? this.geo.activeFat : 0);
    const b = new Uint8Array(size);
    await this.cache.read(offset, b);
    if (this.geo.type === 12) {
      const word = b[0]! | (b[1]! << 8);
      return n & 1 ? word >> 4 : word & 0xfff;
    }
    if (this.geo.type === 16) return b[0]! | (b[1]! << 8);
    // FAT32 entries are 28 bits; the top 4 are reserved (fatgen103 §4).
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) & 0x0fffffff;
  }

  /** Writes the entry of cluster `n` into every FAT copy (or only the active one when mirroring is off). */
  async set(n: number, value: number): Promise<void> {
    this.checkCluster(n);
    // Writing a cluster overrides a deferred change to it (a cut chain that grows again).
    const deferred = this.pending.get(n);
    if (deferred !== undefined) {
      this.pending.delete(n);
      if (deferred === 0) this.pendingFrees--;
    }
    await this.write(n, value);
  }

  private async write(n: number, value: number): Promise<void> {
    const copies = this.geo.mirroringDisabled ? [this.geo.activeFat] : Array.from({ length: this.geo.fatCount }, (_, i) => i);
    for (const copy of copies) {
      const { offset, size } = this.entryPlace(n, copy);
      const b = new Uint8Array(size);
      if (this.geo.type === 12) {
        // FAT12 entries share a byte with their neighbour: read-modify-write the pair.
        await this.cache.read(offset, b);
        const word = b[0]! | (b[1]! << 8);
        const next = n & 1 ? (word & 0x000f) | ((value & 0xfff) << 4) : (word & 0xf000) | (value & 0xfff);
        b[0] = next & 0xff;
        b[1] = next >> 8;
      } else if (this.geo.type === 16) {
        b[0] = value & 0xff;
        b[1] = (value >> 8) & 0xff;
      } else {
        await this.cache.read(offset, b);
        const kept = b[3]! & 0xf0; // preserve the reserved high nibble
        b[0] = value & 0xff;
        b[1] = (value >> 8) & 0xff;
        b[2] = (value >> 16) & 0xff;
        b[3] = kept | ((value >> 24) & 0x0f);
      }
      await this.cache.write(offset, b, FAT_ORDER);
    }
  }

  /**
   * Follows a chain from `first` and returns its clusters in order. A value out of range, a free or
   * bad cluster inside the chain, or a loop is damage: EIO, never a hang.
   */
  async chain(first: number): Promise<number[]> {
    const out: number[] = [];
    if (first === 0) return out;
    const seen = new Set<number>();
    let n = first;
    for (;;) {
      if (n < 2 || n > this.lastCluster) throw corrupt(`cluster ${n} out of range in a chain starting at ${first}`);
      if (seen.has(n)) throw corrupt(`loop at cluster ${n} in a chain starting at ${first}`);
      seen.add(n);
      out.push(n);
      const next = await this.get(n);
      if (this.isEnd(next)) return out;
      if (next === 0) throw corrupt(`free cluster inside the chain starting at ${first}`);
      n = next;
    }
  }

  /**
   * Allocates `count` clusters, links them into a chain (after `after` when given) and returns them.
   * Throws ENOSPC (allocating nothing) when the volume has fewer free clusters.
   */
  async allocate(count: number, after = 0): Promise<number[]> {
    if (count <= 0) return [];
    // A chain cut by a truncation that is not on disk yet grows back into its own old clusters: linking
    // `after` to a fresh cluster now would change the chain the on-disk entry still describes.
    const reused = after !== 0 ? await this.reusableTail(after, count) : [];
    if (count - reused.length > this.available - reused.length) throw fsError("ENOSPC", "no space left on device");
    if (reused.length > 0) {
      this.pending.delete(after);
      for (const c of reused) this.pending.delete(c);
      this.pendingFrees -= reused.length;
      if (reused.length === count) {
        this.pending.set(reused[count - 1]!, this.mask);
        return reused;
      }
    }
    const fresh = await this.allocateFresh(count - reused.length, reused[reused.length - 1] ?? after);
    return [...reused, ...fresh];
  }

  // The clusters (at most `max`) that followed `after` on disk before a deferred cut at `after`.
  private async reusableTail(after: number, max: number): Promise<number[]> {
    const out: number[] = [];
    if (this.pending.get(after) !== this.mask) return out;
    for (let tail = after; out.length < max; ) {
      const next = await this.read(tail);
      if (next < 2 || next > this.lastCluster || this.pending.get(next) !== 0 || out.includes(next)) break;
      out.push(next);
      tail = next;
    }
    return out;
  }

  private async allocateFresh(count: number, after: number): Promise<number[]> {
    if (count > this.freeCount && this.pendingFrees > 0) {
      // Room waits in deferred frees: make the entries that dropped those clusters durable, then free them.
      await this.cache.flush();
      await this.applyPending();
    }
    if (count > this.freeCount) throw fsError("ENOSPC", "no space left on device");
    const got: number[] = [];
    let n = this.nextFree;
    let scanned = 0;
    while (got.length < count && scanned < this.geo.clusterCount) {
      if (n > this.lastCluster) n = 2;
      if (!this.pending.has(n) && (await this.read(n)) === 0) got.push(n);
      n++;
      scanned++;
    }
    if (got.length < count) {
      // The count said there was room but the table disagrees: the count was wrong.
      this.freeCount = await this.countFree();
      throw fsError("ENOSPC", "no space left on device");
    }
    for (let i = 0; i < got.length; i++) await this.set(got[i]!, i + 1 < got.length ? got[i + 1]! : this.mask);
    if (after !== 0) await this.set(after, got[0]!);
    this.freeCount -= count;
    this.nextFree = n > this.lastCluster ? 2 : n;
    this.fsInfoDirty = true;
    return got;
  }

  /**
   * Frees every cluster of `clusters` — deferred: the FAT changes once {@link FatTable.applyPending}
   * runs, after the directory entry that used them is on disk.
   */
  async free(clusters: readonly number[]): Promise<void> {
    for (const c of clusters) {
      this.checkCluster(c);
      if (this.pending.get(c) !== 0) this.pendingFrees++;
      this.pending.set(c, 0);
    }
  }

  /** Marks `cluster` as the end of its chain (a cut: deferred like {@link FatTable.free}). */
  async setEnd(cluster: number): Promise<void> {
    this.checkCluster(cluster);
    if (this.pending.get(cluster) === 0) this.pendingFrees--;
    this.pending.set(cluster, this.mask);
  }

  /**
   * Writes the deferred frees and cuts into the cached FAT. Call it only once the directory entries
   * written before are durable (after a cache flush): fatgen103 leaves ordering to the driver, and
   * freeing first would let a crash leave an entry whose chain holds free clusters.
   */
  async applyPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const entries = [...this.pending].sort((a, b) => a[0] - b[0]);
    this.pending.clear();
    let freed = 0;
    for (const [n, value] of entries) {
      await this.write(n, value);
      if (value === 0) {
        freed++;
        this.nextFree = Math.min(this.nextFree, n);
      }
    }
    this.pendingFrees = 0;
    this.freeCount += freed;
    if (freed > 0) this.fsInfoDirty = true;
  }

  /** Writes the FSInfo free count and next-free hint (FAT32 only) if they changed. */
  async writeFsInfo(): Promise<void> {
    if (!this.fsInfoDirty || this.geo.type !== 32 || this.geo.fsInfoSector === 0) return;
    const at = this.geo.fsInfoSector * this.bytesPerSector;
    const s = new Uint8Array(512);
    await this.cache.read(at, s);
    const v = new DataView(s.buffer);
    if (v.getUint32(0, true) !== FSI_LEAD_SIG || v.getUint32(484, true) !== FSI_STRUC_SIG) return;
    v.setUint32(488, this.freeCount, true);
    v.setUint32(492, this.nextFree, true);
    await this.cache.write(at + 488, s.subarray(488, 496), FAT_ORDER);
    this.fsInfoDirty = false;
  }

  private checkCluster(n: number): void {
    if (!Number.isInteger(n) || n < 2 || n > this.lastCluster) throw corrupt(`cluster ${n} out of range`);
  }

  private entryPlace(n: number, copy: number): { offset: number; size: number } {
    const fatStart = (this.geo.reservedSectors + copy * this.geo.fatSectors) * this.bytesPerSector;
    if (this.geo.type === 12) return { offset: fatStart + n + (n >> 1), size: 2 };
    return { offset: fatStart + n * (this.geo.type / 8), size: this.geo.type / 8 };
  }

  private async countFree(): Promise<number> {
    // One pass over the active FAT in large reads (not entry by entry).
    const copy = this.geo.mirroringDisabled ? this.geo.activeFat : 0;
    const fatStart = (this.geo.reservedSectors + copy * this.geo.fatSectors) * this.bytesPerSector;
    const last = this.lastCluster;
    let free = 0;
    if (this.geo.type === 12) {
      const bytes = new Uint8Array(Math.ceil(((last + 1) * 3) / 2) + 1);
      await this.cache.read(fatStart, bytes.subarray(0, Math.min(bytes.length, this.geo.fatSectors * this.bytesPerSector)));
      for (let n = 2; n <= last; n++) {
        const o = n + (n >> 1);
        const word = bytes[o]! | (bytes[o + 1]! << 8);
        if ((n & 1 ? word >> 4 : word & 0xfff) === 0) free++;
      }
      return free;
    }
    const width = this.geo.type / 8;
    const chunk = new Uint8Array(64 * 1024);
    for (let n = 0; n <= last; ) {
      const entries = Math.min(chunk.length / width, last + 1 - n);
      const view = chunk.subarray(0, entries * width);
      await this.cache.read(fatStart + n * width, view);
      const dv = new DataView(view.buffer, 0, view.length);
      for (let i = 0; i < entries; i++, n++) {
        if (n < 2) continue;
        const value = width === 2 ? dv.getUint16(i * 2, true) : dv.getUint32(i * 4, true) & 0x0fffffff;
        if (value === 0) free++;
      }
    }
    return free;
  }
}
