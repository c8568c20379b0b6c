// Process layer, in-image glue: what every core runs at start so the cores can work together. Core 0
// lays out the shared region (a header, then one RPC ring and `channels` app rings per ordered core
// pair; zeroed memory is a set of empty rings), every core publishes "ready" once its memory is
// formatted and its rings are served, waits — on its doorbell, never polling — until every peer
// is ready, then attaches to the peers' memory. The doorbell handler wakes every channel end and
// takes back remote frees. Receives the cores' face, the scheduler and the memory as parameters;
// imports the channel, ring and RPC parts and kernel types; no Node APIs, no global state.
//
// Threads cannot carry closures across cores: each core runs its own copy of the program in its own
// engine, so cross-core work is an entry registered by name (the same table on every core, built at
// module load) with JSON arguments, and its result comes back as JSON.
import { ToroError, type CoreHardware } from "@toro/kernel";
import { coreLinks } from "./core-links.js";
import { CoreRpc, type Entries, type RemoteThread } from "./core-rpc.js";
import { CrossCoreReceiver, CrossCoreSender, type Doorbell } from "./cross-core-channel.js";
import type { Scheduler, SchedulerStats } from "./scheduler.js";
import { SpscRing, ringBytes } from "./spsc-ring.js";

/** What `bootCores` needs of a core's memory (`createCoreMemory` from `@toro/memory` fits). */
export interface CoreMemoryHooks {
  /** Attaches to every peer's (formatted) region; called once all cores are ready. */
  attach(): unknown;
  /** Takes back frees other cores posted; called when the doorbell rings. */
  reclaim(): number;
}

/** Options of `bootCores`. */
export interface BootCoresOptions {
  /** This core's face (`coreHardware()` in the image, `createFakeCores()` on Node). */
  hw: CoreHardware;
  /** This core's scheduler. */
  scheduler: Scheduler;
  /** The entries other cores may spawn here, by name (the same table on every core). */
  entries: Entries;
  /** This core's memory, already formatted (`createCoreMemory(hw)`); attached once all are ready. */
  memory?: CoreMemoryHooks;
  /** App channel rings per ordered pair of cores (`sender(peer, slot)`); default 1. Core 0's value wins. */
  channels?: number;
  /** Data bytes per ring, a power of two; default the largest up to 16384 that fits. Core 0's value wins. */
  ringCapacity?: number;
}

/** Per-core figures of the cross-core layer. */
export interface CoreNodeStats {
  /** This core. */
  core: number;
  /** Doorbells this core handled. */
  doorbells: number;
  /** Remote frees taken back from doorbell handlers. */
  reclaimed: number;
  /** The scheduler's figures. */
  scheduler: SchedulerStats;
}

/** This core, joined to its peers: cross-core spawn, channels, `main`. */
export interface CoreNode {
  /** This core. */
  readonly id: number;
  /** Number of cores. */
  readonly count: number;
  /** This core's scheduler. */
  readonly scheduler: Scheduler;
  /** The RPC endpoint under `spawn`. */
  readonly rpc: CoreRpc;
  /**
   * Runs entry `entry` with JSON `args` in a new thread on `options.core` (this core too).
   *
   * @returns a handle: `join()` from a thread, `done` elsewhere
   * @throws ToroError `ENOENT` for an unknown core (or, on join, an unknown entry).
   */
  spawn<T>(entry: string, args: unknown[], options: { core: number; name?: string }): RemoteThread<T>;
  /**
   * The sending end of app channel `slot` toward `peer` (one per core, cached).
   *
   * @throws ToroError `EINVAL` for this core, an unknown peer or slot.
   */
  sender<T>(peer: number, slot?: number): CrossCoreSender<T>;
  /**
   * The receiving end of app channel `slot` from `peer` (one per core, cached).
   *
   * @throws ToroError `EINVAL` for this core, an unknown peer or slot.
   */
  receiver<T>(peer: number, slot?: number): CrossCoreReceiver<T>;
  /**
   * On core 0: runs `fn` in a thread named "main", then stops serving (the doorbell handler is
   * removed, so the VM ends once nothing else is pending) and gives `fn`'s result. On every other
   * core: serves spawns and channels and never settles.
   *
   * @returns `fn`'s result on core 0
   */
  main<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Removes the doorbell handler (the core stops reacting to peers). */
  shutdown(): void;
  /**
   * This core's figures.
   *
   * @returns doorbells, reclaimed frees, scheduler stats
   */
  stats(): CoreNodeStats;
}

const MAGIC = 0x5452_4353; // "TRCS"
const W_MAGIC = 0;
const W_COUNT = 1;
const W_CAPACITY = 2;
const W_CHANNELS = 3;
const W_READY = 64; // one word per core
const HEADER_BYTES = 4096;
const MAX_CAPACITY = 16384;
const MIN_CAPACITY = 256;

/**
 * Bytes of shared memory `bootCores` lays out for `cores` cores.
 *
 * @param cores - number of cores
 * @param channels - app channel rings per ordered pair
 * @param ringCapacity - data bytes per ring
 * @returns bytes, header included
 * @example
 * ```ts
 * sharedLayoutBytes(4, 1, 16384); // fits in the image's 1 MiB shared region
 * ```
 */
export function sharedLayoutBytes(cores: number, channels: number, ringCapacity: number): number {
  return HEADER_BYTES + cores * cores * (1 + channels) * ringBytes(ringCapacity);
}

function chooseCapacity(cores: number, channels: number, length: number, wanted: number | undefined): number {
  let capacity = wanted ?? MAX_CAPACITY;
  if (wanted === undefined) {
    while (capacity > MIN_CAPACITY && sharedLayoutBytes(cores, channels, capacity) > length) capacity /= 2;
  }
  if (sharedLayoutBytes(cores, channels, capacity) > length) {
    throw new ToroError("ENOSPC", `the shared region (${length} bytes) cannot hold rings for ${cores} cores`, {
      hint: "use fewer app channels or a smaller ringCapacity",
    });
  }
  return capacity;
}

/**
 * Joins this core to its peers; every core calls it at start, with the same entries. Core 0 lays out
 * the shared region; each core publishes "ready" once its memory is formatted and its RPC listeners
 * run, waits (woken by doorbells) until every core is ready, then attaches to the peers' memory.
 * Closures cannot cross cores: register entries by name at module load and spawn them by name.
 *
 * @param options - the cores' face, scheduler, entries, memory, channel layout
 * @returns this core's node, once every core is ready
 * @throws ToroError `ENOSPC` when the shared region is too small; `EINVAL` when the cores disagree.
 * @example
 * ```ts
 * const hw = coreHardware();
 * const memory = createCoreMemory(hw);
 * const entries = { square: (n: number) => n * n };
 * const node = await bootCores({ hw, scheduler, entries, memory });
 * await node.main(async () => {
 *   console.log(await node.spawn<number>("square", [7], { core: 1 }).join()); // 49
 * });
 * ```
 */
export async function bootCores(options: BootCoresOptions): Promise<CoreNode> {
  const { hw, scheduler } = options;
  const shared = hw.map(hw.sharedRegion.base, hw.sharedRegion.length);
  const words = new Int32Array(shared.buffer, shared.byteOffset, HEADER_BYTES / 4);
  if (W_READY + hw.count > HEADER_BYTES / 4) {
    throw new ToroError("EINVAL", `too many cores for the shared header: ${hw.count}`);
  }
  let wake: (() => void) | undefined;
  let doorbells = 0;
  let reclaimed = 0;
  const ends: { notify(): void }[] = [];
  hw.onDoorbell(() => {
    doorbells++;
    for (const end of ends) end.notify();
    if (options.memory !== undefined) reclaimed += options.memory.reclaim();
    wake?.();
  });
  const ringPeers = (): void => {
    for (let peer = 0; peer < hw.count; peer++) if (peer !== hw.id) hw.doorbell(peer);
  };
  // Resolves when `ready()` holds; re-checked on every doorbell (set before the first check, and
  // handlers run from the event loop, never in the middle of this code: no lost wake-up).
  const until = (ready: () => boolean): Promise<void> =>
    new Promise<void>((resolve) => {
      const check = (): void => {
        if (!ready()) return;
        wake = undefined;
        resolve();
      };
      wake = check;
      check();
    });

  if (hw.id === 0) {
    const channels = options.channels ?? 1;
    if (!Number.isInteger(channels) || channels < 0 || channels > 64) {
      throw new ToroError("EINVAL", `channels must be an integer 0..64, got ${channels}`);
    }
    words[W_COUNT] = hw.count;
    words[W_CAPACITY] = chooseCapacity(hw.count, channels, hw.sharedRegion.length, options.ringCapacity);
    words[W_CHANNELS] = channels;
    Atomics.store(words, W_MAGIC, MAGIC); // publishes the layout words above
    ringPeers();
  }
  await until(() => Atomics.load(words, W_MAGIC) === MAGIC);
  if (words[W_COUNT] !== hw.count) {
    throw new ToroError("EINVAL", `core 0 laid out ${words[W_COUNT]} cores, this core sees ${hw.count}`);
  }
  const capacity = words[W_CAPACITY]!;
  const channels = words[W_CHANNELS]!;
  const size = ringBytes(capacity);
  const linksOffset = shared.byteOffset + HEADER_BYTES;
  const channelsOffset = linksOffset + hw.count * hw.count * size;
  const doorbell: Doorbell = { ring: (core) => void hw.doorbell(core) };
  const links = coreLinks({ shared: shared.buffer, offset: linksOffset, cores: hw.count, ringCapacity: capacity, core: hw.id, scheduler, doorbell });
  const rpc = new CoreRpc({ scheduler, entries: options.entries, links });
  ends.push(rpc);
  rpc.start();

  Atomics.store(words, W_READY + hw.id, 1);
  ringPeers();
  await until(() => {
    for (let core = 0; core < hw.count; core++) if (Atomics.load(words, W_READY + core) !== 1) return false;
    return true;
  });
  options.memory?.attach();
  rpc.notify(); // drain what peers sent before this core listened

  const channelRing = (from: number, to: number, slot: number): SpscRing => {
    if (from === to || from < 0 || to < 0 || from >= hw.count || to >= hw.count || !Number.isInteger(slot) || slot < 0 || slot >= channels) {
      throw new ToroError("EINVAL", `no app channel ${slot} from core ${from} to core ${to}`, {
        hint: `peers are 0..${hw.count - 1} except this core; slots 0..${channels - 1} (bootCores channels option)`,
      });
    }
    return new SpscRing(shared.buffer, channelsOffset + ((from * hw.count + to) * channels + slot) * size, size);
  };
  const senders = new Map<string, CrossCoreSender<unknown>>();
  const receivers = new Map<string, CrossCoreReceiver<unknown>>();
  let served: Promise<never> | undefined;

  const node: CoreNode = {
    id: hw.id,
    count: hw.count,
    scheduler,
    rpc,
    spawn<T>(entry: string, args: unknown[], spawnOptions: { core: number; name?: string }): RemoteThread<T> {
      const name = spawnOptions.name ?? entry;
      if (spawnOptions.core !== hw.id) return rpc.spawn<T>(spawnOptions.core, entry, args, name);
      const fn = options.entries[entry];
      if (fn === undefined) throw new ToroError("ENOENT", `no entry named "${entry}"`);
      // The same JSON trip as a remote spawn, so an entry behaves alike wherever it runs.
      const copy = JSON.parse(JSON.stringify(args)) as unknown[];
      const thread = scheduler.spawn(async () => (await fn(...copy)) as T, { name });
      return { core: hw.id, entry, done: thread.done, join: () => thread.join() };
    },
    sender<T>(peer: number, slot = 0): CrossCoreSender<T> {
      const key = `${peer}:${slot}`;
      let end = senders.get(key);
      if (end === undefined) {
        end = new CrossCoreSender<unknown>({ ring: channelRing(hw.id, peer, slot), scheduler, doorbell, peer });
        senders.set(key, end);
        ends.push(end);
      }
      return end as CrossCoreSender<T>;
    },
    receiver<T>(peer: number, slot = 0): CrossCoreReceiver<T> {
      const key = `${peer}:${slot}`;
      let end = receivers.get(key);
      if (end === undefined) {
        end = new CrossCoreReceiver<unknown>({ ring: channelRing(peer, hw.id, slot), scheduler, doorbell, peer });
        receivers.set(key, end);
        ends.push(end);
      }
      return end as CrossCoreReceiver<T>;
    },
    async main<T>(fn: () => T | Promise<T>): Promise<T> {
      if (hw.id !== 0) {
        served ??= new Promise<never>(() => undefined);
        return served;
      }
      try {
        return await scheduler.spawn(fn, { name: "main" }).done;
      } finally {
        node.shutdown();
      }
    },
    shutdown() {
      hw.onDoorbell(null);
    },
    stats: () => ({ core: hw.id, doorbells, reclaimed, scheduler: scheduler.stats() }),
  };
  return node;
}
