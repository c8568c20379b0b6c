// Memory layer, bottom: where a core's allocator keeps its metadata inside the region it manages.
// Pure arithmetic over numbers and typed arrays; imports nothing from Toro or Node.
//
// Everything another core needs to post a free (magic, geometry, remote-free rings) and everything
// the owner needs to rebuild its state (page table, free-list heads, slab bitmaps, statistics) lives
// at the start of the region itself, so the region is self-describing: any core that can see the
// bytes can attach to it (`attachRegion`) without asking the owner and without a lock.
//
// Region layout (all offsets from the region start, the region start is page aligned):
//   header      HEADER_BYTES: Int32 words (geometry, list heads) + Float64 statistics
//   rings       one remote-free ring per producer core: 128 control bytes + slots * 4
//   page table  PAGE_WORDS Int32 words per arena page
//   bitmaps     BITMAP_WORDS Int32 words per arena page (slab slot bitmaps)
//   (padding to a page boundary)
//   arena       the pages handed out

/** Bytes in a page: the unit of the buddy allocator and of DMA mappings. */
export const PAGE_BYTES = 4096;
/** Largest buddy order: blocks of up to 2^20 pages (4 GiB). */
export const MAX_ORDER = 20;
/** "TMEM" little-endian: marks a formatted region. */
export const MAGIC = 0x4d454d54;
/** Layout version; bump when the layout below changes. */
export const VERSION = 1;

/** Smallest size class in bytes; the slab bitmap has PAGE_BYTES / MIN_SLOT_BYTES bits. */
export const MIN_SLOT_BYTES = 32;
/** Size classes (bytes) served from slab pages; larger requests get whole buddy blocks. */
export const SIZE_CLASSES: readonly number[] = [32, 64, 128, 256, 512, 1024, 2048];

// Header Int32 word indices.
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_OWNER = 2;
export const H_CORES = 3;
export const H_RING_SLOTS = 4;
export const H_PAGES = 5;
export const H_ARENA_OFFSET = 6;
export const H_RINGS_OFFSET = 7;
export const H_TABLE_OFFSET = 8;
export const H_BITMAP_OFFSET = 9;
export const H_BASE_LO = 10;
export const H_BASE_HI = 11;
export const H_REGION_BYTES = 12;
/** Free-list heads per buddy order (page index, -1 = empty): words 16 .. 16 + MAX_ORDER. */
export const H_FREE_HEADS = 16;
/** Partially used slab page list per size class: words 40 .. 40 + SIZE_CLASSES.length. */
export const H_SLAB_HEADS = 40;
/** Statistics as Float64 at this byte offset (8-aligned), S_* indices below. */
export const STATS_BYTE_OFFSET = 256;
export const S_IN_USE = 0;
export const S_PEAK = 1;
export const S_FREE_PAGE_BYTES = 2;
export const S_FREE_BLOCKS = 3;
export const S_LIVE = 4;
export const S_REMOTE_FREES = 5;
export const S_REMOTE_ERRORS = 6;
export const S_REQUESTED = 7;
export const S_ALLOCATIONS = 8;
export const S_FREES = 9;
export const STATS_COUNT = 16;
/** Header size: words + statistics, rounded to a cache line. */
export const HEADER_BYTES = 512;

// Remote-free ring: head (consumer) and tail (producer) on separate 64-byte lines so the two cores
// do not bounce one cache line on every operation.
export const RING_HEAD_WORD = 0;
export const RING_TAIL_WORD = 16;
export const RING_CONTROL_BYTES = 128;

/** Int32 words per page-table entry: info, next, prev, aux. */
export const PAGE_WORDS = 4;
export const P_INFO = 0;
export const P_NEXT = 1;
export const P_PREV = 2;
export const P_AUX = 3;
/** Int32 words of slab bitmap per page (PAGE_BYTES / MIN_SLOT_BYTES bits). */
export const BITMAP_WORDS = PAGE_BYTES / MIN_SLOT_BYTES / 32;

/** Page kinds in the low 4 bits of a page-table `info` word; only block heads have a kind. */
export const KIND_NONE = 0;
export const KIND_FREE = 1;
export const KIND_ALLOC = 2;
export const KIND_SLAB = 3;
export const KIND_POOL = 4;

/** Packs a page-table info word: kind (4 bits), order (5 bits), extra (count, up to 2^22). */
export function packInfo(kind: number, order: number, extra = 0): number {
  return kind | (order << 4) | (extra << 9);
}
export const infoKind = (info: number): number => info & 0xf;
export const infoOrder = (info: number): number => (info >>> 4) & 0x1f;
export const infoExtra = (info: number): number => info >>> 9;

/** The geometry of a formatted region. */
export interface Layout {
  /** Total region bytes. */
  regionBytes: number;
  /** Cores that may post remote frees (one ring each). */
  cores: number;
  /** Slots per remote-free ring (a power of two). */
  ringSlots: number;
  /** Byte offset of the first ring. */
  ringsOffset: number;
  /** Bytes per ring (control + slots). */
  ringBytes: number;
  /** Byte offset of the page table. */
  tableOffset: number;
  /** Byte offset of the slab bitmaps. */
  bitmapOffset: number;
  /** Byte offset of the arena (page aligned). */
  arenaOffset: number;
  /** Pages in the arena. */
  pages: number;
}

/**
 * Computes where everything goes in a region of `regionBytes` bytes. The page table is sized for the
 * arena, which is sized after the table: solve by shrinking the arena until both fit.
 *
 * @returns the layout, or undefined when the region cannot hold even one arena page
 */
export function computeLayout(regionBytes: number, cores: number, ringSlots: number): Layout | undefined {
  const ringBytes = RING_CONTROL_BYTES + ringSlots * 4;
  const ringsOffset = HEADER_BYTES;
  const tableOffset = ringsOffset + cores * ringBytes;
  const perPageMeta = (PAGE_WORDS + BITMAP_WORDS) * 4;
  // Upper bound first, then step down while the metadata pushes the arena past the end.
  let pages = Math.floor((regionBytes - tableOffset) / (PAGE_BYTES + perPageMeta));
  while (pages > 0) {
    const bitmapOffset = tableOffset + pages * PAGE_WORDS * 4;
    const arenaOffset = roundUp(bitmapOffset + pages * BITMAP_WORDS * 4, PAGE_BYTES);
    if (arenaOffset + pages * PAGE_BYTES <= regionBytes) {
      return { regionBytes, cores, ringSlots, ringsOffset, ringBytes, tableOffset, bitmapOffset, arenaOffset, pages };
    }
    pages--;
  }
  return undefined;
}

/** Rounds `n` up to a multiple of `to` (any positive integer). */
export function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/** Smallest k with 2^k >= n (n >= 1). */
export function ceilLog2(n: number): number {
  let k = 0;
  while (2 ** k < n) k++;
  return k;
}
