// VirtIO core layer (@toro/virtio): byte layout of a split virtqueue (virtio 1.2 §2.7): descriptor
// table, available (driver) ring, used (device) ring. Shared by the driver side and the test device
// model so both agree on every offset. Pure constants and arithmetic.

/** Descriptor flags (virtio 1.2 §2.7.5). */
export const DescFlag = {
  /** The chain continues in `next`. */
  NEXT: 1,
  /** The device writes this buffer (otherwise it reads it). */
  WRITE: 2,
  /** The buffer is a table of descriptors (§2.7.5.3). */
  INDIRECT: 4,
} as const;

/** Bytes per descriptor: addr u64, len u32, flags u16, next u16. */
export const DESCRIPTOR_BYTES = 16;

/** Offsets of the three areas of a split queue of `size` descriptors placed in one block. */
export interface RingLayout {
  /** Queue size (power of two, 1..32768). */
  readonly size: number;
  /** Offset of the available ring (after the table; 2-byte aligned). */
  readonly availOffset: number;
  /** Offset of the used ring (4-byte aligned). */
  readonly usedOffset: number;
  /** Total bytes. */
  readonly totalBytes: number;
}

/**
 * Lays out a split queue in one block: table (16·n), available ring (6 + 2·n), used ring (6 + 8·n).
 *
 * @param size - queue size
 * @returns the offsets and total size
 * @example
 * ```ts
 * ringLayout(256); // { size: 256, availOffset: 4096, usedOffset: 4616, totalBytes: 6670 }
 * ```
 */
export function ringLayout(size: number): RingLayout {
  const availOffset = DESCRIPTOR_BYTES * size;
  const usedOffset = (availOffset + 6 + 2 * size + 3) & ~3;
  return { size, availOffset, usedOffset, totalBytes: usedOffset + 6 + 8 * size };
}

/**
 * Whether an index update from `old` to `next` crosses `event` (virtio 1.2 §2.7.7.2,
 * the `vring_need_event` rule): all values are 16-bit ring indices.
 *
 * @param event - the other side's event index
 * @param next - the new index
 * @param old - the index at the last notification
 * @returns true when the other side asked to hear about this update
 * @example
 * ```ts
 * needEvent(5, 6, 5); // true: index 5 was just published
 * ```
 */
export function needEvent(event: number, next: number, old: number): boolean {
  return ((next - event - 1) & 0xffff) < ((next - old) & 0xffff);
}
