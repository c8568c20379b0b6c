// Memory layer, top: one core's allocator over its own physical region — pages (buddy), small size
// classes (slab), fixed-size pools, frees that other cores posted to this core's rings, statistics.
// It is an explicit object the caller creates with its region and core id (no singleton). Imports
// the parts of this package and the error base; no Node APIs, no clock, no global state.
import { ToroError } from "@toro/kernel";
import { Block } from "./block.js";
import { BufferPool, type PoolHost } from "./buffer-pool.js";
import { BuddyPages } from "./buddy.js";
import {
  H_ARENA_OFFSET,
  H_BASE_HI,
  H_BASE_LO,
  H_BITMAP_OFFSET,
  H_CORES,
  H_MAGIC,
  H_OWNER,
  H_PAGES,
  H_REGION_BYTES,
  H_RINGS_OFFSET,
  H_RING_SLOTS,
  H_TABLE_OFFSET,
  H_VERSION,
  KIND_ALLOC,
  KIND_FREE,
  KIND_POOL,
  KIND_SLAB,
  MAGIC,
  MAX_ORDER,
  PAGE_BYTES,
  PAGE_WORDS,
  P_AUX,
  SIZE_CLASSES,
  STATS_BYTE_OFFSET,
  STATS_COUNT,
  S_ALLOCATIONS,
  S_FREES,
  S_IN_USE,
  S_LIVE,
  S_PEAK,
  S_REMOTE_ERRORS,
  S_REMOTE_FREES,
  VERSION,
  ceilLog2,
  computeLayout,
  infoKind,
  infoOrder,
  type Layout,
} from "./layout.js";
import { regionViews, type PhysicalRegion, type RegionViews } from "./region.js";
import { RemoteFreeRing } from "./remote-free-ring.js";
import { SmallBlocks, sizeClassFor } from "./small-blocks.js";
import { readStats, type MemoryStats } from "./stats.js";

/** How to create a core's allocator. */
export interface CoreAllocatorOptions {
  /** The physical memory this core owns; it is formatted (metadata written at its start). */
  region: PhysicalRegion;
  /** The id of the owning core. */
  core: number;
  /** How many cores may post frees to this one (one remote-free ring each); default 1. */
  cores?: number;
  /** Slots per remote-free ring, a power of two; default 1024. */
  ringSlots?: number;
  /** Called when a free posted by another core is invalid (it is dropped and counted). */
  onRemoteFreeError?: (error: ToroError, address: number) => void;
}

/** Options of one allocation. */
export interface AllocateOptions {
  /** Alignment of the physical address, a power of two; default 16 (small) or 4096 (pages). */
  align?: number;
}

/**
 * Creates (formats) the allocator of one core over its physical region. The region's first bytes
 * become the allocator's metadata (see README "Layout"), so other cores can attach to it and post
 * frees without a lock.
 *
 * @param options - the region, the owning core's id and how many cores may free into it
 * @returns the allocator
 * @throws ToroError `EINVAL` on a bad region or options, `ENOMEM` when the region is too small.
 * @example
 * ```ts
 * const memory = createCoreAllocator({ region: { base: dma.base, bytes: hw.mapPhysical(dma.base, dma.length) }, core: 0 });
 * const block = memory.allocate(1500);
 * console.log(block.address.toString(16), memory.stats().inUseBytes);
 * ```
 */
export function createCoreAllocator(options: CoreAllocatorOptions): CoreAllocator {
  return new CoreAllocator(options);
}

/**
 * One core's allocator of physical memory. Single-threaded by design: only its core calls it; other
 * cores free into it through `MemoryDomain` (lock-free rings), and it takes those frees back on its
 * next allocation or on `reclaim()`.
 */
export class CoreAllocator {
  /** The owning core. */
  readonly core: number;
  /** Physical address of the region. */
  readonly base: number;
  /** @internal The region geometry. */
  readonly layout: Layout;
  private readonly views: RegionViews;
  private readonly stats64: Float64Array;
  private readonly buddy: BuddyPages;
  private readonly small: SmallBlocks;
  private readonly rings: RemoteFreeRing[];
  private readonly pools = new Map<number, BufferPool>();
  private nextPoolId = 1;
  private readonly arenaAddress: number;
  private readonly onRemoteFreeError: ((error: ToroError, address: number) => void) | undefined;
  private readonly poolHost: PoolHost;

  /**
   * Use `createCoreAllocator`.
   *
   * @param options - see `CoreAllocatorOptions`
   * @returns the allocator
   * @example
   * ```ts
   * const memory = new CoreAllocator({ region, core: 0 });
   * ```
   */
  constructor(options: CoreAllocatorOptions) {
    const cores = options.cores ?? 1;
    const ringSlots = options.ringSlots ?? 1024;
    if (!Number.isInteger(options.core) || options.core < 0 || options.core >= Math.max(cores, 1)) {
      throw new ToroError("EINVAL", `core ${options.core} is not in 0..${cores - 1}`, { hint: "pass cores >= core + 1" });
    }
    if (!Number.isInteger(cores) || cores < 1 || cores > 1024) {
      throw new ToroError("EINVAL", `cores must be an integer 1..1024, got ${cores}`);
    }
    if (!Number.isInteger(ringSlots) || ringSlots < 2 || ringSlots > 1 << 20 || (ringSlots & (ringSlots - 1)) !== 0) {
      throw new ToroError("EINVAL", `ringSlots must be a power of two 2..2^20, got ${ringSlots}`);
    }
    this.views = regionViews(options.region);
    const layout = computeLayout(this.views.length, cores, ringSlots);
    if (layout === undefined) {
      throw new ToroError("ENOMEM", `region of ${this.views.length} bytes cannot hold the metadata and one page`, {
        hint: "give the core a larger region (the metadata is ~1.2% plus the rings)",
      });
    }
    this.layout = layout;
    this.core = options.core;
    this.base = options.region.base;
    this.arenaAddress = this.base + layout.arenaOffset;
    this.onRemoteFreeError = options.onRemoteFreeError;
    const w = this.views.words;
    this.stats64 = new Float64Array(this.views.buffer, this.views.offset + STATS_BYTE_OFFSET, STATS_COUNT);
    this.stats64.fill(0);
    this.buddy = new BuddyPages(w, layout.tableOffset / 4, layout.pages, this.arenaAddress / PAGE_BYTES, this.stats64);
    this.small = new SmallBlocks(this.buddy, w, layout.tableOffset / 4, layout.bitmapOffset / 4);
    this.buddy.format();
    this.small.format();
    this.rings = [];
    for (let p = 0; p < cores; p++) {
      const ring = new RemoteFreeRing(w, layout.ringsOffset + p * layout.ringBytes, ringSlots);
      ring.reset();
      this.rings.push(ring);
    }
    w[H_OWNER] = this.core;
    w[H_CORES] = cores;
    w[H_RING_SLOTS] = ringSlots;
    w[H_PAGES] = layout.pages;
    w[H_ARENA_OFFSET] = layout.arenaOffset;
    w[H_RINGS_OFFSET] = layout.ringsOffset;
    w[H_TABLE_OFFSET] = layout.tableOffset;
    w[H_BITMAP_OFFSET] = layout.bitmapOffset;
    w[H_BASE_LO] = this.base % 2 ** 32 | 0;
    w[H_BASE_HI] = Math.floor(this.base / 2 ** 32);
    w[H_REGION_BYTES] = layout.regionBytes | 0;
    w[H_VERSION] = VERSION;
    // Magic last, with a release store: a core that sees it sees a formatted region.
    Atomics.store(w, H_MAGIC, MAGIC);
    this.poolHost = {
      makeBlock: (arenaOffset, size, capacity, align) => this.makeBlock(arenaOffset, size, capacity, align, "pool"),
      account: (delta) => this.account(delta),
      reclaim: () => void this.reclaim(),
      release: (pool) => {
        this.pools.delete(pool._id);
        this.buddy.free(pool._page);
      },
    };
  }

  /** Bytes the allocator manages (the arena, without the metadata). */
  get totalBytes(): number {
    return this.layout.pages * PAGE_BYTES;
  }

  /**
   * Allocates `size` bytes of physical memory: a size-class slot up to 2 KiB, else 2^k whole pages.
   * Takes back frees posted by other cores first.
   *
   * @param size - bytes, an integer 1 .. totalBytes
   * @param options - `align`: a power of two for the physical address
   * @returns the block
   * @throws ToroError `EINVAL` (bad size/alignment), `ERANGE` (larger than the region), `ENOMEM`.
   * @example
   * ```ts
   * const desc = memory.allocate(16 * 256, { align: 4096 }); // a virtqueue descriptor table
   * desc.view.setBigUint64(0, BigInt(buffer.address), true);
   * ```
   */
  allocate(size: number, options: AllocateOptions = {}): Block {
    const block = this.tryAllocate(size, options);
    if (block === undefined) {
      throw new ToroError("ENOMEM", `core ${this.core}: no free block for ${size} bytes (largest free ${this.buddy.largestFreeBytes()})`, {
        hint: "free memory sooner, use a buffer pool, or give the core a larger region",
      });
    }
    return block;
  }

  /**
   * Like `allocate`, but returns undefined when memory is exhausted (misuse still throws).
   *
   * @param size - bytes
   * @param options - alignment
   * @returns the block, or undefined when out of memory
   * @example
   * ```ts
   * const block = memory.tryAllocate(9000) ?? memory.allocate(1500);
   * ```
   */
  tryAllocate(size: number, options: AllocateOptions = {}): Block | undefined {
    const align = this.checkRequest(size, options.align);
    this.reclaim();
    const need = Math.max(size, align);
    const c = align <= SIZE_CLASSES[SIZE_CLASSES.length - 1]! ? sizeClassFor(need) : -1;
    if (c !== -1) {
      const offset = this.small.allocate(c);
      if (offset === -1) return undefined;
      this.account(SIZE_CLASSES[c]!);
      return this.makeBlock(offset, size, SIZE_CLASSES[c]!, align, "small");
    }
    const order = ceilLog2(Math.ceil(need / PAGE_BYTES));
    if (order > this.buddy.maxOrder) return undefined;
    const page = this.buddy.allocate(order, KIND_ALLOC);
    if (page === -1) return undefined;
    const capacity = 2 ** order * PAGE_BYTES;
    this.account(capacity);
    return this.makeBlock(page * PAGE_BYTES, size, capacity, align, "pages");
  }

  /**
   * Allocates `count` contiguous pages (rounded up to a power of two), page aligned.
   *
   * @param count - pages, at least 1
   * @returns the block (`size` = count * 4096)
   * @throws ToroError `EINVAL`, `ERANGE`, `ENOMEM` as `allocate`.
   * @example
   * ```ts
   * const ring = memory.allocatePages(4);
   * ```
   */
  allocatePages(count: number): Block {
    return this.allocate(count * PAGE_BYTES, { align: PAGE_BYTES });
  }

  /**
   * Frees a block (or the physical address of one) of this core.
   *
   * @param block - the block, or its physical address
   * @returns nothing
   * @throws ToroError `EFOREIGN` (not this core's arena), `EINTERIOR` (not a block start),
   *   `EDOUBLEFREE` (not allocated); nothing changes when it throws.
   * @example
   * ```ts
   * memory.free(block);
   * memory.free(0x1234_5000); // by physical address, e.g. from a device's used ring
   * ```
   */
  free(block: Block | number): void {
    const address = typeof block === "number" ? block : block.address;
    if (typeof block !== "number" && block._freed) {
      throw new ToroError("EDOUBLEFREE", `block at 0x${address.toString(16)} was already freed`, {
        hint: "free each block exactly once",
      });
    }
    this.freeAddress(address);
    if (typeof block !== "number") block._freed = true;
  }

  /**
   * Resizes a block: in place when it fits its capacity, else moves it (new block, bytes copied,
   * old one freed). The old handle is dead after a move.
   *
   * @param block - a live block of this core
   * @param size - the new size in bytes
   * @returns the block to use from now on (the same one when resized in place)
   * @throws ToroError as `allocate` and `free`; on `ENOMEM` the old block stays valid.
   * @example
   * ```ts
   * let buf = memory.allocate(100);
   * buf = memory.realloc(buf, 5000);
   * ```
   */
  realloc(block: Block, size: number): Block {
    this.checkRequest(size, block.align);
    if (block._freed) {
      throw new ToroError("EDOUBLEFREE", `block at 0x${block.address.toString(16)} was freed`, { hint: "realloc a live block" });
    }
    // Shrink in place only while it keeps more than half the capacity: otherwise move to a smaller class.
    if (block.kind !== "pool" && size <= block.capacity && (size * 2 > block.capacity || block.capacity <= 32)) {
      block.size = size;
      return block;
    }
    if (block.kind === "pool" && size <= block.capacity) {
      block.size = size;
      return block;
    }
    const moved = this.allocate(size, { align: block.align });
    moved.bytes.set(new Uint8Array(block._buffer, block._bufferOffset, Math.min(size, block.size)));
    this.free(block);
    return moved;
  }

  /**
   * Creates a pool of `count` equal buffers of `bufferBytes` each, carved from one block.
   *
   * @param options - `bufferBytes`, `count`, and `align` (power of two, default 64: a cache line)
   * @returns the pool
   * @throws ToroError `EINVAL`, `ERANGE`, `ENOMEM`.
   * @example
   * ```ts
   * const packets = memory.createPool({ bufferBytes: 1536, count: 512 });
   * ```
   */
  createPool(options: { bufferBytes: number; count: number; align?: number }): BufferPool {
    const align = options.align ?? 64;
    this.checkRequest(options.bufferBytes, align);
    if (!Number.isInteger(options.count) || options.count < 1) {
      throw new ToroError("EINVAL", `pool count must be a positive integer, got ${options.count}`);
    }
    const stride = Math.ceil(options.bufferBytes / align) * align;
    const bytes = stride * options.count;
    if (bytes > this.totalBytes) {
      throw new ToroError("ERANGE", `pool of ${bytes} bytes exceeds the region (${this.totalBytes})`, {
        hint: "use fewer or smaller buffers",
      });
    }
    this.reclaim();
    const order = ceilLog2(Math.ceil(bytes / PAGE_BYTES));
    const page = order > this.buddy.maxOrder ? -1 : this.buddy.allocate(order, KIND_POOL);
    if (page === -1) {
      throw new ToroError("ENOMEM", `core ${this.core}: no free block of ${bytes} bytes for the pool`, {
        hint: "create pools early, before memory fragments",
      });
    }
    const id = this.nextPoolId++;
    this.views.words[this.layout.tableOffset / 4 + page * PAGE_WORDS + P_AUX] = id;
    const pool = new BufferPool(this.poolHost, {
      id,
      page,
      arenaOffset: page * PAGE_BYTES,
      address: this.arenaAddress + page * PAGE_BYTES,
      bufferBytes: options.bufferBytes,
      stride,
      count: options.count,
      align,
    });
    this.pools.set(id, pool);
    return pool;
  }

  /**
   * Takes back every free other cores posted to this core's rings. Runs on every allocation too;
   * call it when the core is otherwise idle so remote frees do not wait. Invalid remote frees are
   * dropped, counted (`remoteFreeErrors`) and passed to `onRemoteFreeError`.
   *
   * @returns how many frees were taken back
   * @example
   * ```ts
   * memory.reclaim();
   * ```
   */
  reclaim(): number {
    let n = 0;
    for (const ring of this.rings) {
      n += ring.drain((offset) => {
        const address = this.base + offset;
        try {
          this.freeAddress(address);
          this.stats64[S_REMOTE_FREES]! += 1;
        } catch (error) {
          this.stats64[S_REMOTE_ERRORS]! += 1;
          if (error instanceof ToroError) this.onRemoteFreeError?.(error, address);
          else throw error;
        }
      });
    }
    return n;
  }

  /**
   * True when `address` is inside this core's arena.
   *
   * @param address - a physical address
   * @returns whether this allocator manages it
   * @example
   * ```ts
   * if (memory.owns(addr)) memory.free(addr);
   * ```
   */
  owns(address: number): boolean {
    return address >= this.arenaAddress && address < this.arenaAddress + this.totalBytes;
  }

  /**
   * This core's statistics (read from the region's header, where other cores can read them too).
   *
   * @returns a snapshot
   * @example
   * ```ts
   * const { inUseBytes, peakInUseBytes, largestFreeBlockBytes } = memory.stats();
   * ```
   */
  stats(): MemoryStats {
    return readStats(this.views.u8)!;
  }

  /**
   * The buddy allocator's free blocks as physical `[address, bytes]` pairs (for tests and debugging).
   *
   * @returns the free blocks, smallest order first
   * @example
   * ```ts
   * console.table(memory.freeBlocks());
   * ```
   */
  freeBlocks(): Array<[number, number]> {
    return this.buddy.freeBlocks().map(([p, k]) => [this.arenaAddress + p * PAGE_BYTES, 2 ** k * PAGE_BYTES]);
  }

  private freeAddress(address: number): void {
    if (!Number.isInteger(address) || !this.owns(address)) {
      throw new ToroError("EFOREIGN", `0x${Number(address).toString(16)} is not in core ${this.core}'s memory`, {
        hint: "free a block on the core that owns it, or through a MemoryDomain that routes it",
      });
    }
    const offset = address - this.arenaAddress;
    const page = Math.floor(offset / PAGE_BYTES);
    const head = this.buddy.headOf(page);
    const info = this.buddy.info(head);
    const kind = infoKind(info);
    let capacity: number;
    if (head === -1 || kind === KIND_FREE) {
      throw new ToroError("EDOUBLEFREE", `0x${address.toString(16)} is not allocated (freed twice?)`, {
        hint: "free each block exactly once; keep one owner per block",
      });
    } else if (kind === KIND_ALLOC) {
      if (offset !== head * PAGE_BYTES) throw this.interior(address);
      capacity = 2 ** infoOrder(info) * PAGE_BYTES;
      this.buddy.free(head);
    } else if (kind === KIND_SLAB) {
      capacity = this.small.free(head, offset - head * PAGE_BYTES, address);
    } else if (kind === KIND_POOL) {
      const pool = this.pools.get(this.views.words[this.layout.tableOffset / 4 + head * PAGE_WORDS + P_AUX]!);
      if (pool === undefined) throw new Error("toro/memory: pool page without a pool (corrupt metadata)");
      pool.freeAt(offset - head * PAGE_BYTES, address);
      return; // the pool accounted it
    } else {
      throw new Error(`toro/memory: page kind ${kind} (corrupt metadata)`);
    }
    this.stats64[S_IN_USE]! -= capacity;
    this.stats64[S_LIVE]! -= 1;
    this.stats64[S_FREES]! += 1;
  }

  private interior(address: number): ToroError {
    return new ToroError("EINTERIOR", `0x${address.toString(16)} is inside a block, not its start`, {
      hint: "free the address the allocator returned (block.address)",
    });
  }

  private account(delta: number): void {
    const s = this.stats64;
    s[S_IN_USE]! += delta;
    if (delta > 0) {
      s[S_LIVE]! += 1;
      s[S_ALLOCATIONS]! += 1;
      if (s[S_IN_USE]! > s[S_PEAK]!) s[S_PEAK] = s[S_IN_USE]!;
    } else {
      s[S_LIVE]! -= 1;
      s[S_FREES]! += 1;
    }
  }

  private makeBlock(arenaOffset: number, size: number, capacity: number, align: number, kind: Block["kind"]): Block {
    return new Block({
      address: this.arenaAddress + arenaOffset,
      size,
      capacity,
      owner: this.core,
      kind,
      align,
      buffer: this.views.buffer,
      bufferOffset: this.views.offset + this.layout.arenaOffset + arenaOffset,
    });
  }

  /** Validates a request; returns the alignment to use. */
  private checkRequest(size: number, align: number | undefined): number {
    if (!Number.isInteger(size) || size < 1) {
      throw new ToroError("EINVAL", `allocation size must be a positive integer, got ${size}`, {
        hint: "ask for at least 1 byte",
      });
    }
    if (size > this.totalBytes) {
      throw new ToroError("ERANGE", `${size} bytes is more than core ${this.core}'s whole region (${this.totalBytes})`, {
        hint: "split the buffer, or give the core a larger region",
      });
    }
    const a = align ?? 16;
    if (!Number.isInteger(a) || a < 1 || (a & (a - 1)) !== 0 || a > 2 ** MAX_ORDER * PAGE_BYTES || a > 2 ** 30) {
      throw new ToroError("EINVAL", `alignment must be a power of two up to 1 GiB, got ${a}`);
    }
    return a;
  }
}

