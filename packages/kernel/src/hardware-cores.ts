// The typed face of the cores (docs/internals.md §7): how many there are, which one this is, whether
// a peer is online, the doorbell IPI between cores, the shared region and every core's DMA region,
// as the `CoreHardware` interface cross-core code (`@toro/process`, `@toro/memory`) receives as a
// parameter, and its in-image implementation over `__toro.hw`. Imports only errors and intrinsics;
// must not import the runtime globals or anything Node-only.
import { ToroError } from "./errors.js";
import type { PhysicalRange } from "./hardware-io.js";
import { findIntrinsics } from "./intrinsics.js";

/** One core's DMA region: physical memory its allocator owns (zeroed at boot, formatted by its owner). */
export interface CoreRegion {
  /** The owning core. */
  readonly core: number;
  /** Physical start address (page aligned). */
  readonly base: number;
  /** Length in bytes. */
  readonly length: number;
}

/**
 * The cores as cross-core code sees them. In the image it is {@link coreHardware}; on Node,
 * `createFakeCores()` gives one per simulated core, all over the same simulated memory.
 */
export interface CoreHardware {
  /** This core's index, 0 for the boot core. */
  readonly id: number;
  /** How many cores the VM runs. */
  readonly count: number;
  /** Zeroed physical memory every core may map (1 MiB in the image), for lock-free channels. */
  readonly sharedRegion: PhysicalRange;
  /** Every core's DMA region, index = core. */
  readonly dmaRegions: readonly CoreRegion[];
  /**
   * Whether core `core` has started (reached ring 3). A core that is not online has not run the
   * program yet: leave messages in shared memory; it reads them when it starts.
   */
  online(core: number): boolean;
  /**
   * Rings core `core`'s doorbell (an IPI): its `onDoorbell` handler runs from its event loop.
   * Spurious rings are harmless; rings to one core may coalesce into one handler call.
   *
   * @returns true when rung, false when that core is not online yet
   * @throws ToroError `ERANGE` when the core does not exist.
   */
  doorbell(core: number): boolean;
  /**
   * Sets (or, with `null`, removes) this core's doorbell handler. A registered handler keeps the
   * core's event loop alive (core 0 ends the VM only after it is removed and nothing else is left).
   */
  onDoorbell(handler: (() => void) | null): void;
  /**
   * A view of physical memory: the shared region or any core's DMA region (and RAM generally).
   *
   * @throws ToroError `EFAULT` when the range cannot be mapped.
   */
  map(base: number, length: number): Uint8Array;
}

/** The §7 members of `__toro.hw`. */
interface CoreIntrinsics {
  mapPhysical(base: number, length: number): ArrayBuffer;
  sharedRegion: { base: number; length: number };
  doorbellVector: number;
  doorbell(core: number): void;
  coreOnline(core: number): boolean;
  dmaRegions: { core: number; base: number; length: number }[];
  setIrqHandler(vector: number, fn: (() => void) | null): void;
}

let cached: { from: object; hardware: CoreHardware } | undefined;

/**
 * The cores of the VM this code runs in, over the kernel's `__toro.hw` intrinsics. Every core runs
 * the same program; `id` tells them apart. Call it at the edge and pass it to `bootCores` and
 * `createCoreMemory`.
 *
 * @returns the in-image `CoreHardware` of this core (the same object on every call)
 * @throws ToroError `ENOTIMAGE` outside an image; `ENOTSUP` when the kernel has no core intrinsics.
 * @example
 * ```ts
 * import { coreHardware } from "@toro/kernel";
 * const cores = coreHardware();
 * if (cores.id === 0) console.log(`${cores.count} cores`);
 * ```
 */
export function coreHardware(): CoreHardware {
  const intrinsics = findIntrinsics() as
    | (ReturnType<typeof findIntrinsics> & { hw?: Partial<CoreIntrinsics> })
    | undefined;
  if (intrinsics === undefined) {
    throw new ToroError("ENOTIMAGE", "coreHardware(): not running inside a Toro image", {
      hint: "use createFakeCores() in tests",
    });
  }
  const hw = intrinsics.hw;
  if (hw === undefined || typeof hw.doorbell !== "function" || hw.sharedRegion === undefined) {
    throw new ToroError("ENOTSUP", "coreHardware(): this kernel has no core intrinsics (__toro.hw.doorbell)", {
      hint: "rebuild @toro/kernel with the issue 3 intrinsics",
    });
  }
  if (cached !== undefined && cached.from === hw) return cached.hardware;
  cached = { from: hw, hardware: coreHardwareOver(hw as CoreIntrinsics, intrinsics.cpu) };
  return cached.hardware;
}

function coreHardwareOver(hw: CoreIntrinsics, cpu: { id: number; count: number }): CoreHardware {
  const count = cpu.count;
  const dmaRegions = Object.freeze(
    hw.dmaRegions.map((r) => Object.freeze({ core: r.core, base: r.base, length: r.length })),
  );
  const sharedRegion = Object.freeze({ base: hw.sharedRegion.base, length: hw.sharedRegion.length });
  return {
    id: cpu.id,
    count,
    sharedRegion,
    dmaRegions,
    online: (core) => core >= 0 && core < count && hw.coreOnline(core),
    doorbell(core) {
      if (!Number.isInteger(core) || core < 0 || core >= count) {
        throw new ToroError("ERANGE", `doorbell(${core}): no such core (${count} cores)`);
      }
      // The kernel throws RangeError for a core that is not online yet; ask first (cheap, no trap).
      if (!hw.coreOnline(core)) return false;
      hw.doorbell(core);
      return true;
    },
    onDoorbell: (handler) => hw.setIrqHandler(hw.doorbellVector, handler),
    map(base, length) {
      try {
        return new Uint8Array(hw.mapPhysical(base, length));
      } catch (cause) {
        throw new ToroError("EFAULT", `cannot map physical 0x${base.toString(16)}+${length}`, { cause });
      }
    },
  };
}
