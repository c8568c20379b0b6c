// Process layer: lays out one SPSC ring per ordered pair of cores in one shared-memory area and
// builds this core's channel ends toward every peer. Zeroed memory is a set of empty rings, so no
// core has to format anything before another core writes (shared memory is zeroed at boot, and a
// new SharedArrayBuffer is zeroed). Imports the ring and the channel ends; no Node APIs.
import { ToroError } from "@toro/kernel";
import { CrossCoreReceiver, CrossCoreSender, type Doorbell } from "./cross-core-channel.js";
import type { CoreLink } from "./core-rpc.js";
import type { Scheduler } from "./scheduler.js";
import { SpscRing, ringBytes } from "./spsc-ring.js";

/** Where the rings live and how big they are. */
export interface CoreLinksOptions {
  /** Shared memory visible to every core, zeroed before first use. */
  shared: ArrayBufferLike;
  /** Byte offset of the ring area in `shared` (multiple of 8); default 0. */
  offset?: number;
  /** Number of cores. */
  cores: number;
  /** Data bytes per ring, a power of two; default 16384. */
  ringCapacity?: number;
  /** This core. */
  core: number;
  /** This core's scheduler. */
  scheduler: Scheduler;
  /** Rings other cores. */
  doorbell: Doorbell;
}

/**
 * Bytes of shared memory `coreLinks` needs for `cores` cores.
 *
 * @param cores - number of cores
 * @param ringCapacity - data bytes per ring (default 16384)
 * @returns bytes
 * @example
 * ```ts
 * const shared = new SharedArrayBuffer(coreLinksBytes(4));
 * ```
 */
export function coreLinksBytes(cores: number, ringCapacity = 16384): number {
  return cores * cores * ringBytes(ringCapacity);
}

/**
 * This core's links to every other core: ring (from, to) sits at index from * cores + to.
 *
 * @param options - shared area, cores, this core, scheduler, doorbell
 * @returns one `CoreLink` per peer, by core id (for `CoreRpc`)
 * @throws ToroError `EINVAL` when the area is too small.
 * @example
 * ```ts
 * const links = coreLinks({ shared, cores: 4, core: me, scheduler, doorbell });
 * const rpc = new CoreRpc({ scheduler, entries, links });
 * ```
 */
export function coreLinks(options: CoreLinksOptions): Map<number, CoreLink> {
  const capacity = options.ringCapacity ?? 16384;
  const base = options.offset ?? 0;
  const size = ringBytes(capacity);
  if (base + coreLinksBytes(options.cores, capacity) > options.shared.byteLength) {
    throw new ToroError("EINVAL", `shared area of ${options.shared.byteLength} bytes is too small for ${options.cores} cores`, {
      hint: "size it with coreLinksBytes(cores, ringCapacity)",
    });
  }
  const ring = (from: number, to: number): SpscRing => new SpscRing(options.shared, base + (from * options.cores + to) * size, size);
  const links = new Map<number, CoreLink>();
  for (let peer = 0; peer < options.cores; peer++) {
    if (peer === options.core) continue;
    const common = { scheduler: options.scheduler, doorbell: options.doorbell, peer };
    links.set(peer, {
      sender: new CrossCoreSender({ ring: ring(options.core, peer), ...common }),
      receiver: new CrossCoreReceiver({ ring: ring(peer, options.core), ...common }),
    });
  }
  return links;
}
