// Memory layer: the `PhysicalRegion` a caller hands in (physical base + the bytes that map it) and
// the typed views the allocator uses over it. Imports only the error base and the layout; no Node
// APIs (a SharedArrayBuffer plays physical memory on Node, `hw.mapPhysical` gives it in the image).
import { ToroError } from "@toro/kernel";
import { PAGE_BYTES } from "./layout.js";

/**
 * A window of physical memory: its physical address and the bytes that map it. In the image it
 * comes from the kernel (`hw.dmaRegion` mapped with `hw.mapPhysical`); on Node a
 * `SharedArrayBuffer` plays physical memory, so worker threads can play cores.
 *
 * @example
 * ```ts
 * const region: PhysicalRegion = { base: 0x1000_0000, bytes: new SharedArrayBuffer(1 << 20) };
 * ```
 */
export interface PhysicalRegion {
  /** Physical address of the first byte; page aligned (4096). */
  base: number;
  /** The bytes: a (Shared)ArrayBuffer, or a Uint8Array view whose byteOffset is 8-byte aligned. */
  bytes: ArrayBufferLike | Uint8Array;
}

/** The views over one region, shared by the allocator's parts. */
export interface RegionViews {
  /** Physical base. */
  base: number;
  /** The underlying buffer. */
  buffer: ArrayBufferLike;
  /** Byte offset of the region inside `buffer`. */
  offset: number;
  /** Region length in bytes. */
  length: number;
  /** Int32 words over the whole region (metadata; Atomics work on it when the buffer is shared). */
  words: Int32Array;
  /** Bytes over the whole region. */
  u8: Uint8Array;
}

/** Checks a region and builds its views; throws `EINVAL` on a misaligned or empty region. */
export function regionViews(region: PhysicalRegion): RegionViews {
  const { base } = region;
  if (!Number.isSafeInteger(base) || base < 0 || base % PAGE_BYTES !== 0) {
    throw new ToroError("EINVAL", `region base ${base} is not a page-aligned physical address`, {
      hint: "pass the base of a 4096-aligned physical range (hw.dmaRegion.base)",
    });
  }
  const u8 = region.bytes instanceof Uint8Array ? region.bytes : new Uint8Array(region.bytes);
  if (u8.byteOffset % 8 !== 0) {
    throw new ToroError("EINVAL", `region view starts at byte offset ${u8.byteOffset}, not 8-byte aligned`, {
      hint: "slice the buffer at a multiple of 8 (better: of 4096)",
    });
  }
  // Regions are addressed with 32-bit offsets in the rings; keep them under 4 GiB.
  if (u8.byteLength === 0 || u8.byteLength > 2 ** 32 - PAGE_BYTES) {
    throw new ToroError("EINVAL", `region of ${u8.byteLength} bytes is empty or 4 GiB or more`, {
      hint: "split large memory into several per-core regions under 4 GiB each",
    });
  }
  const words = new Int32Array(u8.buffer, u8.byteOffset, Math.floor(u8.byteLength / 4));
  return { base, buffer: u8.buffer, offset: u8.byteOffset, length: u8.byteLength, words, u8 };
}
