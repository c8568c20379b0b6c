// VirtIO core layer (@toro/virtio): device initialization (virtio 1.2 §3.1.1: reset, ACKNOWLEDGE,
// DRIVER, features, FEATURES_OK, queues, DRIVER_OK), consistent config reads (§2.5.1 generation
// counter), interrupt dispatch and reset of a broken device. Transport-independent; imports the
// kernel's face and this package's queue and transport types.
import { ToroError, type DmaAllocator } from "@toro/kernel";
import { negotiateFeatures, VirtioFeature, VirtioStatus } from "./features.js";
import type { InterruptCause, VirtioTransport } from "./transport.js";
import { SplitVirtqueue } from "./virtqueue.js";

/** Options of {@link openVirtioDevice}. */
export interface OpenVirtioOptions {
  /** Memory for rings. */
  readonly dma: DmaAllocator;
  /** Device-specific features the driver can use (ring features are added by this function). */
  readonly wantedFeatures: bigint;
  /** Features the driver cannot work without (VERSION_1 is always required). */
  readonly requiredFeatures?: bigint;
  /** Queues to set up: indices 0..queues-1. */
  readonly queues: number;
  /** Largest queue size to use (the device's maximum is the other bound); default 256. */
  readonly maxQueueSize?: number;
  /** Called from the event loop when the device interrupts. */
  readonly onInterrupt: (cause: InterruptCause) => void;
}

/** Reads device configuration fields. */
export interface ConfigReader {
  /** Reads one byte. */
  u8(offset: number): number;
  /** Reads a little-endian 16-bit field. */
  u16(offset: number): number;
  /** Reads a little-endian 32-bit field. */
  u32(offset: number): number;
  /** Reads a little-endian 64-bit field as two 32-bit reads (safe integers only). */
  u64(offset: number): number;
}

// A device whose generation keeps changing is broken; this bounds the retry loop.
const MAX_CONFIG_TRIES = 16;
// Reads of the status register before we give up waiting for a reset to finish.
const MAX_RESET_POLLS = 1000;

/**
 * A virtio device after feature negotiation, with its queues set up.
 *
 * @example
 * ```ts
 * const dev = openVirtioDevice(transport, { dma, wantedFeatures: 0n, queues: 1, onInterrupt: () => poll() });
 * const capacity = dev.readConfig((c) => c.u64(0));
 * dev.ready();
 * ```
 */
export class VirtioDevice {
  /** The transport. */
  readonly transport: VirtioTransport;
  /** The accepted features. */
  readonly features: bigint;
  readonly #queues: SplitVirtqueue<unknown>[];
  #closed = false;

  /**
   * Wraps an initialized device; use {@link openVirtioDevice} to make one.
   *
   * @param transport - the transport
   * @param features - the accepted features
   * @param queues - the queues set up
   * @returns the device
   * @example
   * ```ts
   * const dev = openVirtioDevice(transport, options);
   * ```
   */
  constructor(transport: VirtioTransport, features: bigint, queues: SplitVirtqueue<unknown>[]) {
    this.transport = transport;
    this.features = features;
    this.#queues = queues;
  }

  /**
   * Whether a feature was accepted.
   *
   * @param feature - the feature's bit mask
   * @returns true when negotiated
   * @example
   * ```ts
   * if (dev.has(1n << 9n)) supportsFlush();
   * ```
   */
  has(feature: bigint): boolean {
    return (this.features & feature) === feature;
  }

  /**
   * Queue `index`, typed by the driver's token.
   *
   * @param index - queue index
   * @returns the queue
   * @example
   * ```ts
   * const rx = dev.queue<RxBuffer>(0);
   * ```
   */
  queue<T>(index: number): SplitVirtqueue<T> {
    const q = this.#queues[index];
    if (q === undefined) throw new ToroError("EINVAL", `queue ${index} was not set up`);
    return q as SplitVirtqueue<T>;
  }

  /**
   * Reads configuration fields consistently: retries while the generation counter changes.
   *
   * @param read - reads the fields it needs through the reader
   * @returns what `read` returned
   * @throws ToroError `EIO` when the generation never settles.
   * @example
   * ```ts
   * const mac = dev.readConfig((c) => [0, 1, 2, 3, 4, 5].map((i) => c.u8(i)));
   * ```
   */
  readConfig<T>(read: (reader: ConfigReader) => T): T {
    const t = this.transport;
    const reader: ConfigReader = {
      u8: (o) => t.readConfig(o, 1),
      u16: (o) => t.readConfig(o, 2),
      u32: (o) => t.readConfig(o, 4) >>> 0,
      u64: (o) => (t.readConfig(o + 4, 4) >>> 0) * 2 ** 32 + (t.readConfig(o, 4) >>> 0),
    };
    for (let i = 0; i < MAX_CONFIG_TRIES; i++) {
      const before = t.configGeneration();
      const value = read(reader);
      if (t.configGeneration() === before) return value;
    }
    throw new ToroError("EIO", "device configuration never settled (generation kept changing)");
  }

  /**
   * Sets DRIVER_OK: the device may now use the queues. Notify only after this.
   *
   * @returns nothing
   * @example
   * ```ts
   * dev.ready();
   * rx.kick();
   * ```
   */
  ready(): void {
    this.transport.setStatus(this.transport.status() | VirtioStatus.DRIVER_OK);
  }

  /**
   * Whether the device asked to be reset (DEVICE_NEEDS_RESET, virtio 1.2 §2.1.2).
   *
   * @returns true when it did
   * @example
   * ```ts
   * if (dev.needsReset()) dev.reset();
   * ```
   */
  needsReset(): boolean {
    return (this.transport.status() & VirtioStatus.DEVICE_NEEDS_RESET) !== 0;
  }

  /**
   * Resets the device (it stops touching memory), removes the interrupt handler and frees the rings.
   * Tokens still in flight are returned so the driver can fail them.
   *
   * @returns the tokens of every chain that never completed, queue by queue
   * @example
   * ```ts
   * for (const token of dev.reset()) (token as Request).reject(new ToroError("EIO", "device reset"));
   * ```
   */
  reset(): unknown[] {
    if (this.#closed) return [];
    this.#closed = true;
    resetTransport(this.transport);
    this.transport.disableInterrupts();
    const tokens: unknown[] = [];
    for (const q of this.#queues) {
      tokens.push(...q.drain());
      q.destroy();
    }
    return tokens;
  }

  /** True after {@link reset}. */
  get closed(): boolean {
    return this.#closed;
  }
}

function resetTransport(t: VirtioTransport): void {
  t.setStatus(0);
  // virtio 1.2 §2.4.2 / §4.2.3.1: the reset is complete when status reads back 0.
  for (let i = 0; i < MAX_RESET_POLLS; i++) if (t.status() === 0) return;
}

/**
 * Initializes a device (virtio 1.2 §3.1.1) up to, not including, DRIVER_OK: reset, negotiate
 * features (VERSION_1 required; EVENT_IDX and INDIRECT_DESC taken when offered), route the
 * interrupt and set up `queues` split queues. Any failure sets FAILED and rethrows.
 *
 * @param transport - a virtio-pci or virtio-mmio transport
 * @param options - allocator, features, queue count and size, interrupt handler
 * @returns the device; read its config, then call `ready()`
 * @throws ToroError `ENOTSUP` (missing features), `EIO` (FEATURES_OK refused), `ENODEV` (missing queue).
 * @example
 * ```ts
 * const dev = openVirtioDevice(transport, { dma, wantedFeatures: 1n << 5n, queues: 2, onInterrupt: () => service() });
 * ```
 */
export function openVirtioDevice(transport: VirtioTransport, options: OpenVirtioOptions): VirtioDevice {
  const t = transport;
  const queues: SplitVirtqueue<unknown>[] = [];
  try {
    resetTransport(t);
    if (t.status() !== 0) throw new ToroError("EIO", "the device did not finish its reset");
    t.setStatus(VirtioStatus.ACKNOWLEDGE);
    t.setStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER);
    const wanted = options.wantedFeatures | VirtioFeature.RING_EVENT_IDX | VirtioFeature.RING_INDIRECT_DESC;
    const features = negotiateFeatures(t.deviceFeatures(), wanted, options.requiredFeatures ?? 0n);
    t.setDriverFeatures(features);
    t.setStatus(VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER | VirtioStatus.FEATURES_OK);
    // virtio 1.2 §3.1.1 step 6: the device may refuse the subset.
    if ((t.status() & VirtioStatus.FEATURES_OK) === 0) throw new ToroError("EIO", "the device refused the negotiated features");
    t.enableInterrupts(options.onInterrupt);
    const maxSize = options.maxQueueSize ?? 256;
    for (let index = 0; index < options.queues; index++) {
      const deviceMax = t.queueMaxSize(index);
      if (deviceMax === 0) throw new ToroError("ENODEV", `the device has no queue ${index}`);
      // Largest power of two within both bounds (split queues need a power of two, §2.7).
      let size = 1;
      while (size * 2 <= Math.min(deviceMax, maxSize)) size *= 2;
      const q = new SplitVirtqueue<unknown>({
        index,
        size,
        dma: options.dma,
        eventIdx: (features & VirtioFeature.RING_EVENT_IDX) !== 0n,
        indirect: (features & VirtioFeature.RING_INDIRECT_DESC) !== 0n,
        notify: () => t.notify(index),
      });
      queues.push(q);
      t.enableQueue(index, q.addresses);
    }
    return new VirtioDevice(t, features, queues);
  } catch (error) {
    t.setStatus(t.status() | VirtioStatus.FAILED);
    t.disableInterrupts();
    for (const q of queues) q.destroy();
    throw error;
  }
}
