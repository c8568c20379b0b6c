// Memory layer: the buddy page allocator, the bottom of a core's allocator. It hands out blocks of
// 2^k pages, each aligned to its own size in *physical* address space, and merges a freed block with
// its free buddy until it cannot. Imports only the layout; it knows nothing of slabs or pools (they
// are clients that mark the pages they get with their own kind).
//
// Why buddy and not boundary tags: (1) the metadata is out of band (a page table at the start of the
// region), so a device writing past a DMA buffer cannot corrupt the allocator, and a freed block
// needs no header in front of it (page-aligned DMA buffers stay page-aligned); (2) blocks are
// naturally aligned, which gives alignment on request for free; (3) the buddy of a block is
// computed, so merging is O(log n) with no search; (4) the state is a flat table of Int32 words in
// the shared region, so it is reconstructible and readable by any core. The price is internal
// fragmentation (a request is rounded to a power of two pages), which the size classes and the
// fixed-size pools above absorb for small and repeated sizes.
import {
  H_FREE_HEADS,
  KIND_FREE,
  KIND_NONE,
  MAX_ORDER,
  PAGE_BYTES,
  PAGE_WORDS,
  P_INFO,
  P_NEXT,
  P_PREV,
  S_FREE_BLOCKS,
  S_FREE_PAGE_BYTES,
  infoKind,
  infoOrder,
  packInfo,
} from "./layout.js";

/** The buddy allocator over one arena; page indices are relative to the arena's first page. */
export class BuddyPages {
  readonly pages: number;
  readonly maxOrder: number;
  /** Physical page frame number of arena page 0: alignment is judged in physical space. */
  private readonly basePfn: number;
  private readonly words: Int32Array;
  private readonly table: number;
  private readonly stats: Float64Array;

  constructor(words: Int32Array, tableWord: number, pages: number, basePfn: number, stats: Float64Array) {
    this.words = words;
    this.table = tableWord;
    this.pages = pages;
    this.basePfn = basePfn;
    this.stats = stats;
    let maxOrder = 0;
    while (maxOrder < MAX_ORDER && 2 ** (maxOrder + 1) <= pages) maxOrder++;
    this.maxOrder = maxOrder;
  }

  /** Formats the table: every page NONE, then the arena carved into maximal aligned free blocks. */
  format(): void {
    const w = this.words;
    for (let k = 0; k <= MAX_ORDER; k++) w[H_FREE_HEADS + k] = -1;
    for (let i = 0; i < this.pages; i++) {
      const e = this.table + i * PAGE_WORDS;
      w[e + P_INFO] = KIND_NONE;
      w[e + P_NEXT] = -1;
      w[e + P_PREV] = -1;
      w[e + 3] = 0;
    }
    this.stats[S_FREE_PAGE_BYTES] = 0;
    this.stats[S_FREE_BLOCKS] = 0;
    let i = 0;
    while (i < this.pages) {
      let k = this.maxOrder;
      while (k > 0 && ((this.basePfn + i) % 2 ** k !== 0 || i + 2 ** k > this.pages)) k--;
      this.pushFree(i, k);
      i += 2 ** k;
    }
  }

  /** Allocates 2^order pages; returns the first page index, or -1 when no block is large enough. */
  allocate(order: number, kind: number): number {
    let k = order;
    while (k <= this.maxOrder && this.words[H_FREE_HEADS + k] === -1) k++;
    if (k > this.maxOrder) return -1;
    const page = this.words[H_FREE_HEADS + k]!;
    this.unlinkFree(page, k);
    // Split down: the upper half of each split goes back on the free list of the order below.
    while (k > order) {
      k--;
      this.pushFree(page + 2 ** k, k);
    }
    this.setInfo(page, packInfo(kind, order));
    return page;
  }

  /** Frees the block whose head is `page` (the caller has checked it is an allocated head). */
  free(page: number): void {
    let k = infoOrder(this.info(page));
    let head = page;
    this.setInfo(head, KIND_NONE);
    while (k < this.maxOrder) {
      const buddy = (this.basePfn + head) / 2 ** k % 2 === 0 ? head + 2 ** k : head - 2 ** k;
      if (buddy < 0 || buddy + 2 ** k > this.pages) break;
      const info = this.info(buddy);
      if (infoKind(info) !== KIND_FREE || infoOrder(info) !== k) break;
      this.unlinkFree(buddy, k);
      this.setInfo(buddy, KIND_NONE);
      head = Math.min(head, buddy);
      k++;
    }
    this.pushFree(head, k);
  }

  /**
   * The head of the block (free or not) containing `page`, or -1. Only block heads carry a kind,
   * so the head is the first aligned page below `page` whose block reaches it.
   */
  headOf(page: number): number {
    for (let k = 0; k <= this.maxOrder; k++) {
      const head = page - ((this.basePfn + page) % 2 ** k);
      if (head < 0) return -1;
      const info = this.info(head);
      if (infoKind(info) !== KIND_NONE && infoOrder(info) >= k) return head;
    }
    return -1;
  }

  /** Bytes of the largest free block. */
  largestFreeBytes(): number {
    for (let k = this.maxOrder; k >= 0; k--) {
      if (this.words[H_FREE_HEADS + k] !== -1) return 2 ** k * PAGE_BYTES;
    }
    return 0;
  }

  /** The free blocks as [page, order] pairs, for tests and debugging. */
  freeBlocks(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let k = 0; k <= this.maxOrder; k++) {
      for (let p = this.words[H_FREE_HEADS + k]!; p !== -1; p = this.words[this.table + p * PAGE_WORDS + P_NEXT]!) {
        out.push([p, k]);
      }
    }
    return out;
  }

  /** The page-table info word of `page`. */
  info(page: number): number {
    return this.words[this.table + page * PAGE_WORDS + P_INFO]!;
  }

  /** Sets the info word of `page`. */
  setInfo(page: number, info: number): void {
    this.words[this.table + page * PAGE_WORDS + P_INFO] = info;
  }

  private pushFree(page: number, k: number): void {
    const w = this.words;
    const e = this.table + page * PAGE_WORDS;
    const head = w[H_FREE_HEADS + k]!;
    w[e + P_INFO] = packInfo(KIND_FREE, k);
    w[e + P_PREV] = -1;
    w[e + P_NEXT] = head;
    if (head !== -1) w[this.table + head * PAGE_WORDS + P_PREV] = page;
    w[H_FREE_HEADS + k] = page;
    this.stats[S_FREE_PAGE_BYTES]! += 2 ** k * PAGE_BYTES;
    this.stats[S_FREE_BLOCKS]! += 1;
  }

  private unlinkFree(page: number, k: number): void {
    const w = this.words;
    const e = this.table + page * PAGE_WORDS;
    const next = w[e + P_NEXT]!;
    const prev = w[e + P_PREV]!;
    if (prev === -1) w[H_FREE_HEADS + k] = next;
    else w[this.table + prev * PAGE_WORDS + P_NEXT] = next;
    if (next !== -1) w[this.table + next * PAGE_WORDS + P_PREV] = prev;
    this.stats[S_FREE_PAGE_BYTES]! -= 2 ** k * PAGE_BYTES;
    this.stats[S_FREE_BLOCKS]! -= 1;
  }
}
