// Memory layer: an adapter from a core's allocator to the small `DmaAllocator` shape drivers take
// (`allocate(bytes, align) -> { physical, view }`, `free(buffer)`; see @toro/kernel's device face).
// Typed structurally, so this file imports no device types; imports only the allocator and block.
import type { Block } from "./block.js";
import type { CoreAllocator } from "./core-allocator.js";

/** A zeroed DMA buffer: the device's address and the driver's view (plus the block behind it). */
export interface DmaBlock {
  /** Physical address the device uses. */
  readonly physical: number;
  /** The same bytes as the driver sees them. */
  readonly view: Uint8Array;
  /** The allocation behind it. */
  readonly block: Block;
}

/** What drivers need from a DMA allocator. */
export interface DmaAllocatorLike {
  /** Zeroed memory of `bytes` bytes, aligned to `align` (default 16). */
  allocate(bytes: number, align?: number): DmaBlock;
  /** Gives a buffer back. */
  free(buffer: { physical: number }): void;
}

/**
 * Lets drivers allocate DMA buffers from this core's allocator (zeroed, as devices expect).
 *
 * @param memory - the core's allocator
 * @returns a `DmaAllocator` for drivers
 * @example
 * ```ts
 * const dma = dmaAllocator(memory);
 * const ring = dma.allocate(4096, 4096);
 * dma.free(ring);
 * ```
 */
export function dmaAllocator(memory: CoreAllocator): DmaAllocatorLike {
  return {
    allocate(bytes, align = 16) {
      const block = memory.allocate(bytes, { align });
      block.bytes.fill(0);
      return { physical: block.address, view: block.bytes, block };
    },
    free(buffer) {
      memory.free(buffer.physical);
    },
  };
}
