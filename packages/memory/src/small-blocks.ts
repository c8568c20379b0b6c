// Memory layer: size classes for small buffers (32 B .. 2 KiB). Each class carves whole buddy pages
// into equal slots, tracked by a per-page bitmap in the region's metadata (out of band, like the page
// table). A page with free slots sits on its class's partial list; a page whose last slot is freed
// goes straight back to the buddy allocator, so freed memory always coalesces. Imports only the
// layout, the buddy allocator and the error base.
import { ToroError } from "@toro/kernel";
import type { BuddyPages } from "./buddy.js";
import {
  BITMAP_WORDS,
  H_SLAB_HEADS,
  KIND_SLAB,
  PAGE_BYTES,
  PAGE_WORDS,
  P_AUX,
  P_NEXT,
  P_PREV,
  SIZE_CLASSES,
  infoExtra,
  packInfo,
} from "./layout.js";

/** The index of the smallest class that holds `bytes`, or -1 when none does. */
export function sizeClassFor(bytes: number): number {
  for (let c = 0; c < SIZE_CLASSES.length; c++) if (SIZE_CLASSES[c]! >= bytes) return c;
  return -1;
}

/** Slab allocator for the small size classes of one region. */
export class SmallBlocks {
  private readonly buddy: BuddyPages;
  private readonly words: Int32Array;
  private readonly table: number;
  private readonly bitmap: number;

  constructor(buddy: BuddyPages, words: Int32Array, tableWord: number, bitmapWord: number) {
    this.buddy = buddy;
    this.words = words;
    this.table = tableWord;
    this.bitmap = bitmapWord;
  }

  /** Empties every partial list (at format time). */
  format(): void {
    for (let c = 0; c < SIZE_CLASSES.length; c++) this.words[H_SLAB_HEADS + c] = -1;
  }

  /** Allocates one slot of class `c`; returns its arena byte offset, or -1 when out of pages. */
  allocate(c: number): number {
    const w = this.words;
    const size = SIZE_CLASSES[c]!;
    const slots = PAGE_BYTES / size;
    let page = w[H_SLAB_HEADS + c]!;
    if (page === -1) {
      page = this.buddy.allocate(0, KIND_SLAB);
      if (page === -1) return -1;
      w.fill(0, this.bitmap + page * BITMAP_WORDS, this.bitmap + (page + 1) * BITMAP_WORDS);
      w[this.table + page * PAGE_WORDS + P_AUX] = c;
      this.link(page, c);
    }
    const bits = this.bitmap + page * BITMAP_WORDS;
    let slot = -1;
    for (let i = 0; i < BITMAP_WORDS && slot === -1; i++) {
      const word = w[bits + i]!;
      if (word === -1) continue;
      // Lowest clear bit: ~word & (word + 1) isolates it; clz32 turns it into an index.
      const bit = 31 - Math.clz32(~word & (word + 1));
      if (i * 32 + bit < slots) slot = i * 32 + bit;
      else break;
    }
    if (slot === -1) throw new Error("toro/memory: slab page on the partial list is full (corrupt metadata)");
    w[bits + (slot >>> 5)]! |= 1 << (slot & 31);
    const used = infoExtra(this.buddy.info(page)) + 1;
    this.buddy.setInfo(page, packInfo(KIND_SLAB, 0, used));
    if (used === slots) this.unlink(page, c);
    return page * PAGE_BYTES + slot * size;
  }

  /** The class index of slab page `page`. */
  classOf(page: number): number {
    return this.words[this.table + page * PAGE_WORDS + P_AUX]!;
  }

  /**
   * Frees the slot at `offsetInPage` of slab page `page`; returns the slot size.
   * @throws ToroError `EINTERIOR` (not a slot start), `EDOUBLEFREE` (slot not allocated).
   */
  free(page: number, offsetInPage: number, address: number): number {
    const w = this.words;
    const c = this.classOf(page);
    const size = SIZE_CLASSES[c]!;
    const slots = PAGE_BYTES / size;
    if (offsetInPage % size !== 0) {
      throw new ToroError("EINTERIOR", `0x${address.toString(16)} is inside a ${size}-byte block, not its start`, {
        hint: "free the address the allocator returned (block.address)",
      });
    }
    const slot = offsetInPage / size;
    const word = this.bitmap + page * BITMAP_WORDS + (slot >>> 5);
    const mask = 1 << (slot & 31);
    if ((w[word]! & mask) === 0) {
      throw new ToroError("EDOUBLEFREE", `0x${address.toString(16)} is not allocated (freed twice?)`, {
        hint: "free each block exactly once; keep one owner per block",
      });
    }
    w[word]! &= ~mask;
    const used = infoExtra(this.buddy.info(page));
    if (used === slots) this.link(page, c);
    if (used === 1) {
      this.unlink(page, c);
      this.buddy.setInfo(page, packInfo(KIND_SLAB, 0, 0));
      this.buddy.free(page);
    } else {
      this.buddy.setInfo(page, packInfo(KIND_SLAB, 0, used - 1));
    }
    return size;
  }

  private link(page: number, c: number): void {
    const w = this.words;
    const e = this.table + page * PAGE_WORDS;
    const head = w[H_SLAB_HEADS + c]!;
    w[e + P_PREV] = -1;
    w[e + P_NEXT] = head;
    if (head !== -1) w[this.table + head * PAGE_WORDS + P_PREV] = page;
    w[H_SLAB_HEADS + c] = page;
  }

  private unlink(page: number, c: number): void {
    const w = this.words;
    const e = this.table + page * PAGE_WORDS;
    const next = w[e + P_NEXT]!;
    const prev = w[e + P_PREV]!;
    if (prev === -1) w[H_SLAB_HEADS + c] = next;
    else w[this.table + prev * PAGE_WORDS + P_NEXT] = next;
    if (next !== -1) w[this.table + next * PAGE_WORDS + P_PREV] = prev;
    w[e + P_NEXT] = -1;
    w[e + P_PREV] = -1;
  }
}
