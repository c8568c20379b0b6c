// Public entry of @toro/memory: per-core allocators of physical (DMA-able) memory. Re-exports only;
// no side effects. Layer: above @toro/kernel (errors), below drivers and @toro/process users.
export { Block, type BlockKind } from "./block.js";
export { BufferPool } from "./buffer-pool.js";
export { CoreAllocator, createCoreAllocator, type AllocateOptions, type CoreAllocatorOptions } from "./core-allocator.js";
export { MemoryDomain, createMemoryDomain, type MemoryDomainOptions } from "./memory-domain.js";
export { PAGE_BYTES, SIZE_CLASSES } from "./layout.js";
export type { PhysicalRegion } from "./region.js";
export { readStats, type MemoryStats } from "./stats.js";
export { dmaAllocator, type DmaAllocatorLike, type DmaBlock } from "./dma-allocator.js";
export { createCoreMemory, type CoreMemory, type CoreMemoryOptions } from "./core-memory.js";
