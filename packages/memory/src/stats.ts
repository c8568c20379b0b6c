// Memory layer: the statistics record of a core's allocator, read straight from the header of its
// region, so any core (or a debugger) can read any core's figures without asking the owner. Imports
// only the layout; no Node APIs.
import {
  H_ARENA_OFFSET,
  H_MAGIC,
  H_OWNER,
  H_PAGES,
  MAGIC,
  PAGE_BYTES,
  STATS_BYTE_OFFSET,
  STATS_COUNT,
  S_ALLOCATIONS,
  S_FREES,
  S_FREE_BLOCKS,
  S_FREE_PAGE_BYTES,
  S_IN_USE,
  S_LIVE,
  S_PEAK,
  S_REMOTE_ERRORS,
  S_REMOTE_FREES,
  H_FREE_HEADS,
  MAX_ORDER,
} from "./layout.js";

/** One core's memory figures, in bytes unless named otherwise. */
export interface MemoryStats {
  /** The owning core. */
  core: number;
  /** Bytes the allocator manages (without its metadata). */
  totalBytes: number;
  /** Bytes handed out: the capacity of every live block (size class, 2^k pages, pool stride). */
  inUseBytes: number;
  /** `totalBytes - inUseBytes` (includes free slots of slab pages and free pool buffers). */
  freeBytes: number;
  /** The most bytes ever in use at once. */
  peakInUseBytes: number;
  /** Bytes in free page blocks (the buddy allocator's free lists). */
  freePageBytes: number;
  /** Free page blocks: after everything is freed, back to what a fresh region has (coalescing). */
  freeBlockCount: number;
  /** The largest block one allocation can get now. */
  largestFreeBlockBytes: number;
  /** Blocks live now (pool buffers included). */
  liveBlocks: number;
  /** Allocations since creation. */
  allocations: number;
  /** Frees since creation (local and remote). */
  frees: number;
  /** Frees other cores posted and this core took back. */
  remoteFrees: number;
  /** Remote frees that were invalid (dropped). */
  remoteFreeErrors: number;
  /** Bytes of metadata at the region's start (header, rings, page table, bitmaps). */
  metadataBytes: number;
}

/**
 * Reads the statistics of a region formatted by `createCoreAllocator` — from any core: they live in
 * the region's header. Figures are a snapshot (the owner may be changing them as you read).
 *
 * @param bytes - the region's bytes (a view from its first byte)
 * @returns the figures, or undefined when the region is not formatted
 * @example
 * ```ts
 * for (const r of regions) console.log(readStats(r.bytes)?.inUseBytes);
 * ```
 */
export function readStats(bytes: ArrayBufferLike | Uint8Array): MemoryStats | undefined {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const w = new Int32Array(u8.buffer, u8.byteOffset, 128);
  if (Atomics.load(w, H_MAGIC) !== MAGIC) return undefined;
  const s = new Float64Array(u8.buffer, u8.byteOffset + STATS_BYTE_OFFSET, STATS_COUNT);
  const totalBytes = w[H_PAGES]! * PAGE_BYTES;
  let largest = 0;
  for (let k = MAX_ORDER; k >= 0; k--) {
    if (w[H_FREE_HEADS + k] !== -1) {
      largest = 2 ** k * PAGE_BYTES;
      break;
    }
  }
  return {
    core: w[H_OWNER]!,
    totalBytes,
    inUseBytes: s[S_IN_USE]!,
    freeBytes: totalBytes - s[S_IN_USE]!,
    peakInUseBytes: s[S_PEAK]!,
    freePageBytes: s[S_FREE_PAGE_BYTES]!,
    freeBlockCount: s[S_FREE_BLOCKS]!,
    largestFreeBlockBytes: largest,
    liveBlocks: s[S_LIVE]!,
    allocations: s[S_ALLOCATIONS]!,
    frees: s[S_FREES]!,
    remoteFrees: s[S_REMOTE_FREES]!,
    remoteFreeErrors: s[S_REMOTE_ERRORS]!,
    metadataBytes: w[H_ARENA_OFFSET]!,
  };
}
