// Memory layer: fixed-size buffer pools (packets, disk blocks). A pool takes one buddy block up front
// and carves it into `count` buffers of one stride, so allocating and freeing are O(1) stack
// operations with no fragmentation. The pool's free stack is owner-local JS state: other cores never
// touch it (they post frees to the owner's ring, and the page table marks the block as this pool's,
// so the owner routes them here). Imports only the block handle and the error base.
import { ToroError } from "@toro/kernel";
import { Block } from "./block.js";

/** What a pool needs from its allocator (internal). */
export interface PoolHost {
  /** Makes a block handle for `bytes` at arena offset `arenaOffset`. */
  makeBlock(arenaOffset: number, size: number, capacity: number, align: number): Block;
  /** Accounts `delta` bytes in use (positive on allocate, negative on free). */
  account(delta: number): void;
  /** Takes back frees other cores posted (some may be this pool's buffers). */
  reclaim(): void;
  /** Gives the backing block back (on destroy). */
  release(pool: BufferPool): void;
}

/**
 * A pool of equal buffers carved from one block of this core's physical memory. Get one from
 * `CoreAllocator.createPool`.
 *
 * @example
 * ```ts
 * const rx = memory.createPool({ bufferBytes: 2048, count: 256 });
 * const buf = rx.allocate();
 * nic.postReceive(buf.address, buf.capacity);
 * rx.free(buf); // or memory.free(buf.address), from any core through the domain
 * ```
 */
export class BufferPool {
  /** Bytes per buffer (the requested size rounded up to the alignment). */
  readonly stride: number;
  /** The size each buffer reports (what was asked for). */
  readonly bufferBytes: number;
  /** Buffers in the pool. */
  readonly count: number;
  /** Alignment of every buffer. */
  readonly align: number;
  /** @internal Arena offset of the backing block. */
  readonly _arenaOffset: number;
  /** @internal Arena page of the backing block. */
  readonly _page: number;
  /** @internal Pool id in the page table. */
  readonly _id: number;
  /** @internal Physical address of the backing block. */
  readonly _arenaAddress: number;
  private readonly host: PoolHost;
  private readonly stack: Int32Array;
  private top: number;
  private readonly out: Uint8Array;
  private destroyed = false;

  /**
   * @internal Made by `CoreAllocator.createPool`; not for direct use.
   *
   * @param host - the allocator's hooks
   * @param init - geometry of the pool
   * @returns the pool
   * @example
   * ```ts
   * const pool = memory.createPool({ bufferBytes: 512, count: 64 });
   * ```
   */
  constructor(
    host: PoolHost,
    init: { id: number; page: number; arenaOffset: number; address: number; bufferBytes: number; stride: number; count: number; align: number },
  ) {
    this.host = host;
    this._id = init.id;
    this._page = init.page;
    this._arenaOffset = init.arenaOffset;
    this._arenaAddress = init.address;
    this.bufferBytes = init.bufferBytes;
    this.stride = init.stride;
    this.count = init.count;
    this.align = init.align;
    this.stack = new Int32Array(init.count);
    // Lowest buffers first: reuse stays cache- and TLB-friendly.
    for (let i = 0; i < init.count; i++) this.stack[i] = init.count - 1 - i;
    this.top = init.count;
    this.out = new Uint8Array(init.count);
  }

  /** Buffers free now. */
  get available(): number {
    return this.top;
  }

  /**
   * Takes a buffer, or returns undefined when the pool is empty (after taking back remote frees).
   *
   * @returns a block of `bufferBytes` bytes (capacity `stride`), or undefined
   * @example
   * ```ts
   * const buf = pool.tryAllocate() ?? dropPacket();
   * ```
   */
  tryAllocate(): Block | undefined {
    this.alive();
    // Empty: buffers freed on other cores may be waiting in the rings.
    if (this.top === 0) this.host.reclaim();
    if (this.top === 0) return undefined;
    const i = this.stack[--this.top]!;
    this.out[i] = 1;
    this.host.account(this.stride);
    return this.host.makeBlock(this._arenaOffset + i * this.stride, this.bufferBytes, this.stride, this.align);
  }

  /**
   * Takes a buffer.
   *
   * @returns a block of `bufferBytes` bytes (capacity `stride`)
   * @throws ToroError `ENOMEM` when every buffer is in use.
   * @example
   * ```ts
   * const sector = blockPool.allocate();
   * ```
   */
  allocate(): Block {
    const b = this.tryAllocate();
    if (b === undefined) {
      throw new ToroError("ENOMEM", `buffer pool of ${this.count} x ${this.stride} bytes is empty`, {
        hint: "free buffers sooner, or create the pool with a larger count",
      });
    }
    return b;
  }

  /**
   * Returns a buffer to the pool.
   *
   * @param block - a block from this pool
   * @returns nothing
   * @throws ToroError `EFOREIGN` (not this pool's), `EINTERIOR`, `EDOUBLEFREE`.
   * @example
   * ```ts
   * pool.free(buf);
   * ```
   */
  free(block: Block): void {
    this.freeAt(block.address - this._arenaAddress, block.address);
    block._freed = true;
  }

  /** @internal Frees the buffer at `offset` bytes into the backing block. */
  freeAt(offset: number, address: number): void {
    this.alive();
    if (offset < 0 || offset >= this.count * this.stride) {
      throw new ToroError("EFOREIGN", `0x${address.toString(16)} is not a buffer of this pool`, {
        hint: "free a block to the pool (or allocator) it came from",
      });
    }
    if (offset % this.stride !== 0) {
      throw new ToroError("EINTERIOR", `0x${address.toString(16)} is inside a pool buffer, not its start`, {
        hint: "free the address the pool returned (block.address)",
      });
    }
    const i = offset / this.stride;
    if (this.out[i] === 0) {
      throw new ToroError("EDOUBLEFREE", `pool buffer 0x${address.toString(16)} is not allocated (freed twice?)`, {
        hint: "free each buffer exactly once",
      });
    }
    this.out[i] = 0;
    this.stack[this.top++] = i;
    this.host.account(-this.stride);
  }

  /**
   * Gives the pool's memory back to the allocator.
   *
   * @returns nothing
   * @throws ToroError `EBUSY` while any buffer is still out.
   * @example
   * ```ts
   * pool.destroy();
   * ```
   */
  destroy(): void {
    this.alive();
    if (this.top !== this.count) {
      throw new ToroError("EBUSY", `buffer pool still has ${this.count - this.top} buffers out`, {
        hint: "free every buffer before destroying the pool",
      });
    }
    this.destroyed = true;
    this.host.release(this);
  }

  private alive(): void {
    if (this.destroyed) {
      throw new ToroError("EDESTROYED", "buffer pool was destroyed", { hint: "create a new pool" });
    }
  }
}
