// Block-cache layer (@toro/fs/cache): a bounded, write-back cache of fixed-size blocks over any
// `BlockDevice`, addressed in bytes so filesystems need not care about sector sizes. Imports only the
// `BlockDevice` interface and the error helpers: never a filesystem, the VFS or a driver.
import type { BlockDevice } from "@toro/devices";
import { ToroError } from "@toro/kernel";

/** Options of {@link BlockCache}. */
export interface BlockCacheOptions {
  /** Bytes per cached block: a multiple of the device's sector size (default 4096, or the sector size if larger). */
  readonly blockSizeBytes?: number;
  /** Most blocks kept in memory (default 256, i.e. 1 MiB of 4 KiB blocks). At least 4. */
  readonly capacityBlocks?: number;
  /** Blocks fetched in one request when reads are sequential (default 16; 1 disables read-ahead). */
  readonly readAheadBlocks?: number;
}

/** Counters of a {@link BlockCache}, for tests and benchmarks. */
export interface BlockCacheStats {
  /** Block lookups served from memory. */
  hits: number;
  /** Block lookups that went to the device (or allocated a fresh block for a full overwrite). */
  misses: number;
  /** Blocks fetched ahead of a sequential reader. */
  readAheadBlocks: number;
  /** Dirty blocks written to the device. */
  writtenBlocks: number;
  /** Clean blocks dropped to stay within the capacity. */
  evictions: number;
}

interface Entry {
  readonly data: Uint8Array;
  dirty: boolean;
  /** Write-back class: lower classes reach the device first on flush (data < FAT < directories). */
  order: number;
  /** Bumped by every write, so a write-back only cleans what it actually wrote. */
  version: number;
}

/**
 * A write-back block cache with dirty tracking, LRU eviction, sequential read-ahead and ordered
 * flushes. Flushing writes dirty blocks by ascending `order` class (coalescing neighbours into one
 * request), with a device flush between classes, then flushes the device: a filesystem that writes
 * file data as class 0, allocation tables as class 1 and directory entries as class 2 can lose at most
 * unreferenced clusters when power fails mid-flush.
 *
 * @example
 * ```ts
 * const cache = new BlockCache(disk, { capacityBlocks: 64 });
 * const boot = new Uint8Array(512);
 * await cache.read(0, boot);
 * await cache.write(510, new Uint8Array([0x55, 0xaa]));
 * await cache.flush();
 * ```
 */
export class BlockCache {
  /** Bytes per block. */
  readonly blockSizeBytes: number;
  /** Total bytes of the device. */
  readonly sizeBytes: number;
  /** Hit/miss/write counters. */
  readonly stats: BlockCacheStats = { hits: 0, misses: 0, readAheadBlocks: 0, writtenBlocks: 0, evictions: 0 };
  private readonly device: BlockDevice;
  private readonly capacity: number;
  private readonly readAhead: number;
  private readonly sectorSize: number;
  // A Map iterates in insertion order: re-inserting on every touch makes its first key the LRU block.
  private readonly entries = new Map<number, Entry>();
  private readonly loading = new Map<number, Promise<void>>();
  private lastBlockRead = -2;

  /**
   * Creates a cache over `device`.
   *
   * @param device - the disk
   * @param options - block size, capacity and read-ahead
   * @returns the cache
   * @example
   * ```ts
   * const cache = new BlockCache(disk, { blockSizeBytes: 4096, capacityBlocks: 128, readAheadBlocks: 8 });
   * ```
   */
  constructor(device: BlockDevice, options: BlockCacheOptions = {}) {
    this.device = device;
    this.sectorSize = device.info.sectorSize;
    const wanted = options.blockSizeBytes ?? Math.max(4096, this.sectorSize);
    if (!Number.isInteger(wanted) || wanted <= 0 || wanted % this.sectorSize !== 0) {
      throw new ToroError("EINVAL", `block size ${wanted} is not a multiple of the sector size ${this.sectorSize}`);
    }
    this.blockSizeBytes = wanted;
    this.capacity = Math.max(4, options.capacityBlocks ?? 256);
    this.readAhead = Math.max(1, Math.min(options.readAheadBlocks ?? 16, this.capacity >> 1));
    this.sizeBytes = device.info.sectorCount * this.sectorSize;
  }

  /** Number of blocks currently held (clean and dirty). */
  get cachedBlocks(): number {
    return this.entries.size;
  }

  /** Number of dirty blocks waiting to be written. */
  get dirtyBlocks(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.dirty) n++;
    return n;
  }

  /**
   * Copies `target.length` bytes starting at byte `offset` of the device into `target`.
   *
   * @param offset - byte offset on the device
   * @param target - where the bytes go
   * @returns a promise that settles once the bytes are copied
   * @example
   * ```ts
   * const sector = new Uint8Array(512);
   * await cache.read(512 * 32, sector);
   * ```
   */
  async read(offset: number, target: Uint8Array): Promise<void> {
    this.checkRange(offset, target.length);
    let done = 0;
    while (done < target.length) {
      const at = offset + done;
      const block = Math.floor(at / this.blockSizeBytes);
      const within = at - block * this.blockSizeBytes;
      const entry = await this.get(block, true);
      const n = Math.min(target.length - done, entry.data.length - within);
      target.set(entry.data.subarray(within, within + n), done);
      done += n;
    }
  }

  /**
   * Copies `data` into the cache at byte `offset` and marks the blocks dirty; the device sees them on
   * {@link BlockCache.flush} or when they are evicted.
   *
   * @param offset - byte offset on the device
   * @param data - the bytes
   * @param order - write-back class (0 = file data, 1 = allocation tables, 2 = directories)
   * @returns a promise that settles once the bytes are in the cache
   * @example
   * ```ts
   * await cache.write(4096, new TextEncoder().encode("hello"), 0);
   * ```
   */
  async write(offset: number, data: Uint8Array, order = 0): Promise<void> {
    if (this.device.info.readOnly) throw new ToroError("EROFS", "EROFS: the device is read-only");
    this.checkRange(offset, data.length);
    let done = 0;
    while (done < data.length) {
      const at = offset + done;
      const block = Math.floor(at / this.blockSizeBytes);
      const within = at - block * this.blockSizeBytes;
      const length = this.blockLength(block);
      const n = Math.min(data.length - done, length - within);
      // A write covering the whole block needs no read of the old contents.
      const entry = await this.get(block, !(within === 0 && n === length));
      entry.data.set(data.subarray(done, done + n), within);
      entry.dirty = true;
      entry.version++;
      entry.order = Math.max(entry.order, order);
      done += n;
    }
  }

  /**
   * Writes every dirty block (by ascending class, neighbours coalesced) and then flushes the device,
   * so everything written before the call is durable when it settles.
   *
   * @returns a promise that settles when the data is on stable storage
   * @example
   * ```ts
   * await cache.flush();
   * ```
   */
  async flush(): Promise<void> {
    await this.writeBack();
    await this.device.flush();
  }

  /**
   * Drops every clean block (dirty blocks are kept), e.g. after the device changed underneath.
   *
   * @returns nothing
   * @example
   * ```ts
   * await cache.flush();
   * cache.dropClean();
   * ```
   */
  dropClean(): void {
    for (const [k, e] of this.entries) if (!e.dirty) this.entries.delete(k);
  }

  private checkRange(offset: number, length: number): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + length > this.sizeBytes) {
      throw new ToroError("EIO", `EIO: access of ${length} bytes at ${offset} is outside the ${this.sizeBytes}-byte device`);
    }
  }

  private blockLength(block: number): number {
    return Math.min(this.blockSizeBytes, this.sizeBytes - block * this.blockSizeBytes);
  }

  private async get(block: number, needContents: boolean): Promise<Entry> {
    for (;;) {
      const hit = this.entries.get(block);
      if (hit) {
        this.stats.hits++;
        this.entries.delete(block);
        this.entries.set(block, hit);
        if (needContents) this.lastBlockRead = block;
        return hit;
      }
      const pending = this.loading.get(block);
      if (pending) {
        await pending;
        continue;
      }
      this.stats.misses++;
      if (!needContents) {
        const entry: Entry = { data: new Uint8Array(this.blockLength(block)), dirty: false, order: 0, version: 0 };
        await this.insert(block, entry);
        return entry;
      }
      await this.load(block);
    }
  }

  private async load(first: number): Promise<void> {
    // Sequential reader: fetch the following blocks in the same request (up to the first one we hold).
    const blockCount = Math.ceil(this.sizeBytes / this.blockSizeBytes);
    let count = 1;
    if (first === this.lastBlockRead + 1) {
      while (
        count < this.readAhead &&
        first + count < blockCount &&
        !this.entries.has(first + count) &&
        !this.loading.has(first + count)
      ) {
        count++;
      }
    }
    this.lastBlockRead = first;
    const start = first * this.blockSizeBytes;
    const length = Math.min(count * this.blockSizeBytes, this.sizeBytes - start);
    const promise = (async () => {
      const buffer = new Uint8Array(length);
      await this.deviceCall(() => this.device.read(start / this.sectorSize, buffer));
      for (let i = 0; i < count; i++) {
        const b = first + i;
        if (this.entries.has(b)) continue;
        const from = i * this.blockSizeBytes;
        await this.insert(b, { data: buffer.slice(from, from + this.blockLength(b)), dirty: false, order: 0, version: 0 });
      }
      this.stats.readAheadBlocks += count - 1;
    })();
    for (let i = 0; i < count; i++) this.loading.set(first + i, promise);
    try {
      await promise;
    } finally {
      for (let i = 0; i < count; i++) if (this.loading.get(first + i) === promise) this.loading.delete(first + i);
    }
  }

  private async insert(block: number, entry: Entry): Promise<void> {
    this.entries.set(block, entry);
    while (this.entries.size > this.capacity) {
      let victim: number | undefined;
      for (const [k, e] of this.entries) {
        if (!e.dirty && k !== block) {
          victim = k;
          break;
        }
      }
      if (victim === undefined) {
        // Only dirty blocks left: write them all back in order, then the LRU ones become clean.
        await this.writeBack();
        continue;
      }
      this.entries.delete(victim);
      this.stats.evictions++;
    }
  }

  private async writeBack(): Promise<void> {
    const dirty = [...this.entries].filter(([, e]) => e.dirty);
    if (dirty.length === 0) return;
    dirty.sort((a, b) => a[1].order - b[1].order || a[0] - b[0]);
    const classes = new Set(dirty.map(([, e]) => e.order)).size;
    let i = 0;
    let classesDone = 0;
    while (i < dirty.length) {
      // Coalesce a run of neighbouring blocks of the same class into one device write.
      let j = i + 1;
      while (j < dirty.length && dirty[j]![0] === dirty[j - 1]![0] + 1 && dirty[j]![1].order === dirty[i]![1].order) j++;
      const run = dirty.slice(i, j);
      // Read the class now: writing a run resets its entries' classes to 0.
      const runOrder = dirty[i]![1].order;
      const versions = run.map(([, e]) => e.version);
      const total = run.reduce((s, [, e]) => s + e.data.length, 0);
      const buffer = new Uint8Array(total);
      let at = 0;
      for (const [, e] of run) {
        buffer.set(e.data, at);
        at += e.data.length;
      }
      const startBlock = run[0]![0];
      await this.deviceCall(() => this.device.write((startBlock * this.blockSizeBytes) / this.sectorSize, buffer));
      run.forEach(([, e], k) => {
        // Written again while the request was in flight: still dirty.
        if (e.version !== versions[k]) return;
        e.dirty = false;
        e.order = 0;
      });
      this.stats.writtenBlocks += run.length;
      const classEnds = j === dirty.length || dirty[j]![1].order !== runOrder;
      i = j;
      if (classEnds && ++classesDone < classes) await this.device.flush(); // barrier between classes
    }
  }

  private async deviceCall(op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (err) {
      if (err instanceof ToroError) throw err;
      throw new ToroError("EIO", "EIO: block device request failed", { cause: err });
    }
  }
}
