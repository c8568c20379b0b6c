// Memory layer, in-image glue: this core's allocator over its own DMA region and, once every peer
// formatted its own, the domain that frees blocks of any core. Takes the cores' face (`CoreHardware`
// from @toro/kernel: `coreHardware()` in the image, `createFakeCores()` on Node) as a parameter.
// Imports the allocator, the domain and kernel types; no Node APIs, no global state.
import { ToroError, type CoreHardware } from "@toro/kernel";
import type { Block } from "./block.js";
import { createCoreAllocator, type CoreAllocator } from "./core-allocator.js";
import { createMemoryDomain, type MemoryDomain } from "./memory-domain.js";
import type { MemoryStats } from "./stats.js";

/** Options of `createCoreMemory`. */
export interface CoreMemoryOptions {
  /** Slots per remote-free ring (a power of two); default 1024. */
  ringSlots?: number;
  /** Called when a free another core posted is invalid (dropped and counted). */
  onRemoteFreeError?: (error: ToroError, address: number) => void;
}

/**
 * This core's memory: its allocator (formatted at creation) and, after `attach()`, the domain that
 * frees any core's blocks. `@toro/process`'s `bootCores` calls `attach()` once every core said it is
 * ready and `reclaim()` whenever the doorbell rings.
 */
export interface CoreMemory {
  /** This core's allocator (only this core calls it). */
  readonly allocator: CoreAllocator;
  /** Whether `attach()` ran. */
  readonly attached: boolean;
  /**
   * Attaches to every peer's region (each must be formatted by its owner first).
   *
   * @returns the domain
   */
  attach(): MemoryDomain;
  /**
   * Allocates from this core's region.
   *
   * @returns the block
   */
  allocate(size: number, options?: { align?: number }): Block;
  /**
   * Frees a block of any core: locally, or posted to its owner's ring (after `attach()`).
   *
   * @throws ToroError `EFOREIGN` for another core's block before `attach()`.
   */
  free(block: Block | number): void;
  /**
   * Takes back frees other cores posted (and retries this core's own posts that found a ring full).
   *
   * @returns how many remote frees were taken back
   */
  reclaim(): number;
  /**
   * This core's statistics.
   *
   * @returns the figures of this core's allocator
   */
  stats(): MemoryStats;
}

/**
 * Formats this core's DMA region (`cores.dmaRegions[cores.id]`) as its allocator, with one
 * remote-free ring per core. Attach to the peers later, once they said they are ready.
 *
 * @param cores - the cores' face (`coreHardware()` in the image)
 * @param options - ring size, invalid remote free hook
 * @returns this core's memory
 * @throws ToroError `EINVAL` when this core has no DMA region.
 * @example
 * ```ts
 * import { coreHardware } from "@toro/kernel";
 * const memory = createCoreMemory(coreHardware());
 * const block = memory.allocate(1500);
 * // ... after every core is ready (bootCores does this):
 * memory.attach();
 * memory.free(addressFromAnotherCore); // goes back to its owner
 * ```
 */
export function createCoreMemory(cores: CoreHardware, options: CoreMemoryOptions = {}): CoreMemory {
  const own = cores.dmaRegions[cores.id];
  if (own === undefined || own.core !== cores.id) {
    throw new ToroError("EINVAL", `core ${cores.id} has no DMA region`, { hint: "dmaRegions must hold one region per core" });
  }
  const allocator = createCoreAllocator({
    region: { base: own.base, bytes: cores.map(own.base, own.length) },
    core: cores.id,
    cores: cores.count,
    ...(options.ringSlots === undefined ? {} : { ringSlots: options.ringSlots }),
    ...(options.onRemoteFreeError === undefined ? {} : { onRemoteFreeError: options.onRemoteFreeError }),
  });
  let domain: MemoryDomain | undefined;
  return {
    allocator,
    get attached() {
      return domain !== undefined;
    },
    attach() {
      domain ??= createMemoryDomain({
        local: allocator,
        regions: cores.dmaRegions.filter((r) => r.core !== cores.id).map((r) => ({ base: r.base, bytes: cores.map(r.base, r.length) })),
      });
      return domain;
    },
    allocate: (size, allocateOptions) => allocator.allocate(size, allocateOptions),
    free(block) {
      if (domain !== undefined) domain.free(block);
      else allocator.free(block);
    },
    reclaim() {
      domain?.flush();
      return allocator.reclaim();
    },
    stats: () => allocator.stats(),
  };
}
