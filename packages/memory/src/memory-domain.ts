// Memory layer: one core's view of every core's memory, to free a block wherever it came from. A
// local block goes to this core's allocator; a block of another core is posted to that core's
// remote-free ring for this core (single producer: only this core writes it), with no lock. The
// owner takes it back on its next allocation or `reclaim()`. Imports the allocator, the ring and the
// layout; no Node APIs.
import { ToroError } from "@toro/kernel";
import type { Block } from "./block.js";
import type { CoreAllocator } from "./core-allocator.js";
import {
  H_ARENA_OFFSET,
  H_CORES,
  H_MAGIC,
  H_OWNER,
  H_PAGES,
  H_RINGS_OFFSET,
  H_RING_SLOTS,
  MAGIC,
  PAGE_BYTES,
  RING_CONTROL_BYTES,
} from "./layout.js";
import { regionViews, type PhysicalRegion } from "./region.js";
import { RemoteFreeRing } from "./remote-free-ring.js";

/** Another core's region as seen from this core: where it is and the ring this core posts to. */
interface Peer {
  owner: number;
  arenaStart: number;
  arenaEnd: number;
  base: number;
  ring: RemoteFreeRing;
}

/** How to create a core's memory domain. */
export interface MemoryDomainOptions {
  /** This core's allocator. */
  local: CoreAllocator;
  /** Every core's region (already formatted by its owner), in any order; this core's may be included. */
  regions: readonly PhysicalRegion[];
}

/**
 * Creates this core's view of all cores' memory, to free blocks of any core without a lock.
 *
 * @param options - this core's allocator and every core's region
 * @returns the domain
 * @throws ToroError `EINVAL` when a region is not formatted or has no ring for this core.
 * @example
 * ```ts
 * const domain = createMemoryDomain({ local: memory, regions: allCoreRegions });
 * domain.free(blockFromAnotherCore.address); // posted to its owner's ring
 * ```
 */
export function createMemoryDomain(options: MemoryDomainOptions): MemoryDomain {
  return new MemoryDomain(options);
}

/** Frees any core's memory from this core; see `createMemoryDomain`. */
export class MemoryDomain {
  /** This core's allocator. */
  readonly local: CoreAllocator;
  private readonly peers: Peer[] = [];
  // Frees that found their ring full, retried in order before any newer free to the same owner.
  private readonly pending = new Map<number, number[]>();
  private pendingCount = 0;
  private posted = 0;

  /**
   * Use `createMemoryDomain`.
   *
   * @param options - see `MemoryDomainOptions`
   * @returns the domain
   * @example
   * ```ts
   * const domain = new MemoryDomain({ local: memory, regions });
   * ```
   */
  constructor(options: MemoryDomainOptions) {
    this.local = options.local;
    const me = this.local.core;
    for (const region of options.regions) {
      if (region.base === this.local.base) continue;
      const v = regionViews(region);
      const w = v.words;
      if (Atomics.load(w, H_MAGIC) !== MAGIC) {
        throw new ToroError("EINVAL", `region at 0x${region.base.toString(16)} is not formatted`, {
          hint: "let its owner core call createCoreAllocator() first, then attach",
        });
      }
      if (w[H_CORES]! <= me) {
        throw new ToroError("EINVAL", `core ${w[H_OWNER]}'s region has rings for ${w[H_CORES]} cores, not for core ${me}`, {
          hint: "create every core's allocator with cores = the number of cores",
        });
      }
      const slots = w[H_RING_SLOTS]!;
      const ringBytes = RING_CONTROL_BYTES + slots * 4;
      const arenaStart = region.base + w[H_ARENA_OFFSET]!;
      this.peers.push({
        owner: w[H_OWNER]!,
        base: region.base,
        arenaStart,
        arenaEnd: arenaStart + w[H_PAGES]! * PAGE_BYTES,
        ring: new RemoteFreeRing(w, w[H_RINGS_OFFSET]! + me * ringBytes, slots),
      });
    }
  }

  /**
   * The core that owns `address`, or -1 when no known core does.
   *
   * @param address - a physical address
   * @returns the owner's core id, or -1
   * @example
   * ```ts
   * domain.ownerOf(block.address); // 2
   * ```
   */
  ownerOf(address: number): number {
    if (this.local.owns(address)) return this.local.core;
    return this.peerOf(address)?.owner ?? -1;
  }

  /**
   * Frees a block of any core: locally at once, or posted to its owner's ring (kept and retried
   * in order if the ring is full). Remote frees are validated by the owner when it takes them back.
   *
   * @param block - a block or its physical address
   * @returns nothing
   * @throws ToroError `EFOREIGN` when no core owns the address; local misuse as `CoreAllocator.free`.
   * @example
   * ```ts
   * domain.free(packet); // whichever core allocated it
   * ```
   */
  free(block: Block | number): void {
    const address = typeof block === "number" ? block : block.address;
    if (this.local.owns(address)) {
      this.local.free(block);
      return;
    }
    const peer = this.peerOf(address);
    if (peer === undefined) {
      throw new ToroError("EFOREIGN", `0x${Number(address).toString(16)} belongs to no core's memory`, {
        hint: "free addresses the allocators returned",
      });
    }
    if (typeof block !== "number") block._freed = true;
    const queued = this.pending.get(peer.owner);
    if (queued !== undefined && queued.length > 0 && !this.retry(peer, queued)) {
      queued.push(address - peer.base);
      this.pendingCount++;
      return;
    }
    if (peer.ring.push(address - peer.base)) {
      this.posted++;
      return;
    }
    if (queued === undefined) this.pending.set(peer.owner, [address - peer.base]);
    else queued.push(address - peer.base);
    this.pendingCount++;
  }

  /**
   * Retries frees that found a ring full; call it now and then (e.g. when idle) if `pendingFrees` > 0.
   *
   * @returns frees still waiting for ring space
   * @example
   * ```ts
   * while (domain.flush() > 0) await sleep(1);
   * ```
   */
  flush(): number {
    for (const peer of this.peers) {
      const queued = this.pending.get(peer.owner);
      if (queued !== undefined && queued.length > 0) this.retry(peer, queued);
    }
    return this.pendingCount;
  }

  /** Frees waiting for ring space on this core. */
  get pendingFrees(): number {
    return this.pendingCount;
  }

  /** Frees this core posted to other cores' rings so far. */
  get postedFrees(): number {
    return this.posted;
  }

  private retry(peer: Peer, queued: number[]): boolean {
    let i = 0;
    while (i < queued.length && peer.ring.push(queued[i]!)) i++;
    queued.splice(0, i);
    this.pendingCount -= i;
    this.posted += i;
    return queued.length === 0;
  }

  private peerOf(address: number): Peer | undefined {
    for (const p of this.peers) if (address >= p.arenaStart && address < p.arenaEnd) return p;
    return undefined;
  }
}
