// A first-fit allocator of DMA-able memory over one window of physical memory (the kernel's DMA
// region). The stand-in until @toro/memory's per-core pools land; both implement `DmaAllocator`.
// Pure TS: imports only errors and the interface types; nothing Node-only.
import { ToroError } from "./errors.js";
import type { DmaAllocator, DmaBuffer, DeviceHardware } from "./hardware-io.js";

interface Block {
  offset: number;
  length: number;
}

/**
 * Builds a first-fit allocator over `memory`, whose first byte is at physical address `physicalBase`.
 * Blocks are zeroed when handed out; freed neighbours merge.
 *
 * @param memory - the window the driver sees (e.g. `hw.physical.map(hw.dmaRegion.base, hw.dmaRegion.length)`)
 * @param physicalBase - the physical address of `memory[0]`
 * @returns the allocator
 * @example
 * ```ts
 * const dma = createDmaAllocator(new Uint8Array(1 << 20), 0x2000_0000);
 * const ring = dma.allocate(4096, 4096); // { physical: 0x2000_0000, view }
 * dma.free(ring);
 * ```
 */
export function createDmaAllocator(memory: Uint8Array, physicalBase: number): DmaAllocator {
  // Free blocks sorted by offset; used blocks by physical address (to check frees).
  const free: Block[] = [{ offset: 0, length: memory.length }];
  const used = new Map<number, number>();
  return {
    allocate(bytes: number, align = 16): DmaBuffer {
      if (!Number.isInteger(bytes) || bytes <= 0 || !Number.isInteger(align) || align <= 0 || (align & (align - 1)) !== 0) {
        throw new ToroError("EINVAL", `dma.allocate(${bytes}, ${align}): need a positive size and a power-of-two alignment`);
      }
      for (let i = 0; i < free.length; i++) {
        const block = free[i]!;
        const physical = physicalBase + block.offset;
        const pad = (align - (physical % align)) % align;
        if (pad + bytes > block.length) continue;
        const offset = block.offset + pad;
        const rest = block.length - pad - bytes;
        const pieces: Block[] = [];
        if (pad > 0) pieces.push({ offset: block.offset, length: pad });
        if (rest > 0) pieces.push({ offset: offset + bytes, length: rest });
        free.splice(i, 1, ...pieces);
        used.set(physicalBase + offset, bytes);
        const view = memory.subarray(offset, offset + bytes);
        view.fill(0);
        return { physical: physicalBase + offset, view };
      }
      throw new ToroError("ENOMEM", `no ${bytes}-byte DMA block aligned to ${align} is free`, {
        hint: "free buffers you no longer use, or give the VM a larger DMA region",
      });
    },
    free(buffer: DmaBuffer): void {
      const length = used.get(buffer.physical);
      if (length === undefined) {
        throw new ToroError("EINVAL", `dma.free: 0x${buffer.physical.toString(16)} is not an allocated block`);
      }
      used.delete(buffer.physical);
      const offset = buffer.physical - physicalBase;
      let i = free.findIndex((b) => b.offset > offset);
      if (i < 0) i = free.length;
      free.splice(i, 0, { offset, length });
      // Merge with the next, then with the previous neighbour.
      const next = free[i + 1];
      if (next !== undefined && offset + length === next.offset) {
        free[i]!.length += next.length;
        free.splice(i + 1, 1);
      }
      const prev = free[i - 1];
      if (prev !== undefined && prev.offset + prev.length === offset) {
        prev.length += free[i]!.length;
        free.splice(i, 1);
      }
    },
  };
}

/**
 * The allocator over a machine's whole DMA region (`hw.dmaRegion`), mapped once.
 *
 * @param hw - the device hardware
 * @returns a first-fit allocator over `hw.dmaRegion`
 * @example
 * ```ts
 * const dma = dmaAllocatorFor(deviceHardware());
 * ```
 */
export function dmaAllocatorFor(hw: DeviceHardware): DmaAllocator {
  return createDmaAllocator(hw.physical.map(hw.dmaRegion.base, hw.dmaRegion.length), hw.dmaRegion.base);
}
