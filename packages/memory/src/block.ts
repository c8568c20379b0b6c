// Memory layer: the handle of one allocation — where it is physically and the bytes over it. Imports
// only the error base; it does not know which allocator part (pages, slab, pool) made it.
import { ToroError } from "@toro/kernel";

/** Where a block came from; decides how `free` returns it. */
export type BlockKind = "pages" | "small" | "pool";

/**
 * One allocation of physical memory: its physical `address` (hand it to a device), its size, and
 * views over its bytes. The views are created on first use and cover exactly `size` bytes.
 *
 * @example
 * ```ts
 * const block = memory.allocate(1500, { align: 64 });
 * block.bytes.set(frame);
 * device.post(block.address, block.size);
 * memory.free(block);
 * ```
 */
export class Block {
  /** Physical address of the first byte. */
  readonly address: number;
  /** Bytes the caller may use (what it asked for; `realloc` may change it). */
  size: number;
  /** Bytes reserved for this block (size class, 2^k pages or pool stride); at least `size`. */
  readonly capacity: number;
  /** The core whose allocator owns the memory. */
  readonly owner: number;
  /** Which allocator part made it. */
  readonly kind: BlockKind;
  /** The alignment it was asked for (the address may be more aligned); `realloc` keeps it. */
  readonly align: number;
  /** @internal Byte offset in the owner's region buffer. */
  readonly _bufferOffset: number;
  /** @internal */
  readonly _buffer: ArrayBufferLike;
  /** @internal Set when freed through this handle. */
  _freed = false;
  private _bytes: Uint8Array | undefined;
  private _view: DataView | undefined;

  /**
   * Made by allocators; not for direct use.
   *
   * @param init - the block's fields
   * @returns the handle
   * @example
   * ```ts
   * // Blocks come from CoreAllocator.allocate(), allocatePages() and BufferPool.allocate().
   * ```
   */
  constructor(init: {
    address: number;
    size: number;
    capacity: number;
    owner: number;
    kind: BlockKind;
    align: number;
    buffer: ArrayBufferLike;
    bufferOffset: number;
  }) {
    this.address = init.address;
    this.size = init.size;
    this.capacity = init.capacity;
    this.owner = init.owner;
    this.kind = init.kind;
    this.align = init.align;
    this._buffer = init.buffer;
    this._bufferOffset = init.bufferOffset;
  }

  /** The block's bytes (`size` of them). Throws `EFREED` after the block was freed through this handle. */
  get bytes(): Uint8Array {
    this.check();
    if (this._bytes === undefined || this._bytes.byteLength !== this.size) {
      this._bytes = new Uint8Array(this._buffer, this._bufferOffset, this.size);
    }
    return this._bytes;
  }

  /** A DataView over the block's bytes. Throws `EFREED` after the block was freed through this handle. */
  get view(): DataView {
    this.check();
    if (this._view === undefined || this._view.byteLength !== this.size) {
      this._view = new DataView(this._buffer, this._bufferOffset, this.size);
    }
    return this._view;
  }

  /** True once freed through this handle (a free by address elsewhere is not seen here). */
  get freed(): boolean {
    return this._freed;
  }

  private check(): void {
    if (this._freed) {
      throw new ToroError("EFREED", `block at 0x${this.address.toString(16)} was freed`, {
        hint: "do not keep views of a block after freeing it",
      });
    }
  }
}
