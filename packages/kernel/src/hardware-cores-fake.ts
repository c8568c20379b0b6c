// Fake cores for tests on Node: N `CoreHardware` objects in one JS thread over the same simulated
// physical memory (one SharedArrayBuffer per region, so worker threads could share it too), with
// doorbells that run the target core's handler as a microtask, and cores a test brings online late.
// Pure TS, no Node APIs; it must not import the in-image implementation.
import { ToroError } from "./errors.js";
import type { CoreHardware, CoreRegion } from "./hardware-cores.js";

/** How to build fake cores; everything is optional. */
export interface FakeCoresOptions {
  /** Number of cores; default 2. */
  count?: number;
  /** Bytes of the shared region; default 1 MiB. */
  sharedBytes?: number;
  /** Bytes of each core's DMA region; default 1 MiB. */
  dmaBytes?: number;
  /** Which cores start online; default all. */
  online?: readonly number[];
}

/** One fake core: its `CoreHardware` plus what a test inspects. */
export interface FakeCore extends CoreHardware {
  /** Doorbells this core received so far. */
  readonly doorbellsReceived: number;
  /** Whether a doorbell handler is registered. */
  readonly hasDoorbellHandler: boolean;
}

/** A set of fake cores over one simulated memory. */
export interface FakeCores {
  /** The cores, index = id. */
  readonly cores: readonly FakeCore[];
  /** Marks a core online (as when the kernel's INIT/SIPI reached it). */
  setOnline(core: number): void;
}

const SHARED_BASE = 0x0010_0000;
const DMA_BASE = 0x1000_0000;

/**
 * Builds `count` fake cores for tests on Node: same shared region and DMA regions for all, a
 * doorbell that runs the target's handler as a microtask (rings to a core with no handler are
 * dropped, like an IPI to a core that ignores the vector).
 *
 * @param options - core count, region sizes, which cores start online
 * @returns the cores and a control to bring one online
 * @example
 * ```ts
 * const { cores } = createFakeCores({ count: 2 });
 * cores[1]!.onDoorbell(() => console.log("ding"));
 * cores[0]!.doorbell(1); // "ding" after the current job
 * ```
 */
export function createFakeCores(options: FakeCoresOptions = {}): FakeCores {
  const count = options.count ?? 2;
  const sharedBytes = options.sharedBytes ?? 1 << 20;
  const dmaBytes = options.dmaBytes ?? 1 << 20;
  const memory: { base: number; bytes: SharedArrayBuffer }[] = [];
  memory.push({ base: SHARED_BASE, bytes: new SharedArrayBuffer(sharedBytes) });
  const dmaRegions: CoreRegion[] = [];
  for (let core = 0; core < count; core++) {
    const base = DMA_BASE + core * Math.ceil(dmaBytes / 4096) * 4096 * 2;
    memory.push({ base, bytes: new SharedArrayBuffer(dmaBytes) });
    dmaRegions.push(Object.freeze({ core, base, length: dmaBytes }));
  }
  Object.freeze(dmaRegions);
  const online = new Set(options.online ?? Array.from({ length: count }, (_, i) => i));
  const handlers: ((() => void) | null)[] = Array.from({ length: count }, () => null);
  const received = new Array<number>(count).fill(0);
  const map = (base: number, length: number): Uint8Array => {
    const r = memory.find((m) => base >= m.base && base + length <= m.base + m.bytes.byteLength);
    if (r === undefined) throw new ToroError("EFAULT", `cannot map physical 0x${base.toString(16)}+${length}`);
    return new Uint8Array(r.bytes, base - r.base, length);
  };
  const cores = Array.from({ length: count }, (_, id): FakeCore => ({
    id,
    count,
    sharedRegion: Object.freeze({ base: SHARED_BASE, length: sharedBytes }),
    dmaRegions,
    online: (core) => online.has(core),
    doorbell(core) {
      if (!Number.isInteger(core) || core < 0 || core >= count) {
        throw new ToroError("ERANGE", `doorbell(${core}): no such core (${count} cores)`);
      }
      if (!online.has(core)) return false;
      // A microtask, like the fake machine's IRQs (no Node or DOM globals in this file).
      void Promise.resolve().then(() => {
        received[core]!++;
        handlers[core]?.();
      });
      return true;
    },
    onDoorbell(handler) {
      handlers[id] = handler;
    },
    map,
    get doorbellsReceived() {
      return received[id]!;
    },
    get hasDoorbellHandler() {
      return handlers[id] !== null;
    },
  }));
  return {
    cores,
    setOnline(core) {
      online.add(core);
    },
  };
}
