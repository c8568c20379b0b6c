// Bench app (tooling/bench/apps/alloc), the comparison allocator: what one writes in an afternoon — a
// bump pointer over one ArrayBuffer plus an exact-size free list, no coalescing, no alignment beyond
// 8 bytes, no physical addresses, no statistics, no misuse checks. It hands out the same kind of
// view (`Uint8Array` over the block) so both sides pay for one view object per allocation. Pure.

/** One block of the naive allocator. */
export interface NaiveBlock {
  offset: number;
  size: number;
  bytes: Uint8Array;
}

/** Bump allocation with exact-size free lists; memory freed at one size is never reused at another. */
export class NaiveAllocator {
  private readonly buffer: ArrayBuffer;
  private top = 0;
  private readonly free = new Map<number, number[]>();

  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(bytes);
  }

  /** A block of `size` bytes; throws when the arena is exhausted (there is no coalescing). */
  allocate(size: number): NaiveBlock {
    const list = this.free.get(size);
    let offset = list === undefined ? undefined : list.pop();
    if (offset === undefined) {
      offset = this.top;
      const next = offset + ((size + 7) & ~7);
      if (next > this.buffer.byteLength) throw new RangeError("naive allocator: out of memory");
      this.top = next;
    }
    return { offset, size, bytes: new Uint8Array(this.buffer, offset, size) };
  }

  /** Puts the block on its size's free list (no double-free check). */
  release(block: NaiveBlock): void {
    let list = this.free.get(block.size);
    if (list === undefined) {
      list = [];
      this.free.set(block.size, list);
    }
    list.push(block.offset);
  }
}
