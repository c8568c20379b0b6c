// Test kit (@toro/virtio/testing): a virtio device model for Node tests, transport-independent: the
// status and feature registers, per-queue setup, device configuration with a generation counter,
// and interrupts. The front ends in fake-mmio.ts and fake-pci.ts expose it as registers on a fake
// machine. A test supplies the device's behaviour in `onNotify`. Imports the test queue only.
import { DeviceQueue, type PhysicalMemory } from "./device-queue.js";

/** What a fake device offers and does. */
export interface FakeVirtioDeviceOptions {
  /** Virtio device type (1 net, 2 block, 3 console). */
  readonly deviceType: number;
  /** Offered feature bits (VERSION_1 is added unless `legacyOnly`). */
  readonly features: bigint;
  /** Initial device configuration bytes. */
  readonly config: Uint8Array;
  /** Maximum size of each queue (their count is the number of queues). */
  readonly queueMaxSizes: readonly number[];
  /** Called when the driver notifies queue `index`. */
  readonly onNotify?: (index: number, device: FakeVirtioDevice) => void;
  /** Refuse FEATURES_OK (clear it on write). */
  readonly refuseFeatures?: boolean;
  /** Do not offer VERSION_1 (a legacy-only device). */
  readonly legacyOnly?: boolean;
}

/** Per-queue registers as the driver programmed them. */
export interface FakeQueueState {
  /** Size the driver chose. */
  size: number;
  /** Descriptor table address. */
  descriptors: number;
  /** Driver area address. */
  driverArea: number;
  /** Device area address. */
  deviceArea: number;
  /** MSI-X entry (PCI) or 0xffff. */
  msixVector: number;
  /** Enabled by the driver. */
  ready: boolean;
}

/**
 * A transport-independent virtio device model.
 *
 * @example
 * ```ts
 * const dev = new FakeVirtioDevice(machine.physical, { deviceType: 2, features: 0n, config, queueMaxSizes: [64],
 *   onNotify: (i, d) => { for (const c of d.queue(i).takeAvailable()) d.queue(i).complete(c.head, 0); d.interruptQueue(); } });
 * ```
 */
export class FakeVirtioDevice {
  /** The options it was built with. */
  readonly options: FakeVirtioDeviceOptions;
  /** Offered features. */
  readonly deviceFeatures: bigint;
  /** Features the driver wrote. */
  driverFeatures = 0n;
  /** The status byte. */
  status = 0;
  /** Configuration bytes. */
  config: Uint8Array;
  /** Configuration generation. */
  generation = 0;
  /** Queue registers. */
  queueState: FakeQueueState[];
  /** Notifications received, per queue. */
  notifications: number[];
  /** Number of resets (status written 0). */
  resets = 0;
  /** Interrupts raised. */
  interrupts = 0;
  /** Set by the front end: delivers an interrupt (cause bit 0 used buffer, bit 1 config). */
  raiseInterrupt: (cause: number) => void = () => {};
  readonly #memory: PhysicalMemory;
  #queues: (DeviceQueue | undefined)[] = [];

  /**
   * Builds the model.
   *
   * @param memory - the fake machine's physical memory
   * @param options - what it offers and does
   * @returns the model
   * @example
   * ```ts
   * new FakeVirtioDevice(machine.physical, { deviceType: 3, features: 0n, config: new Uint8Array(12), queueMaxSizes: [16, 16] });
   * ```
   */
  constructor(memory: PhysicalMemory, options: FakeVirtioDeviceOptions) {
    this.#memory = memory;
    this.options = options;
    this.deviceFeatures = options.legacyOnly === true ? options.features & ~(1n << 32n) : options.features | (1n << 32n);
    this.config = Uint8Array.from(options.config);
    this.queueState = options.queueMaxSizes.map(() => freshQueue());
    this.notifications = options.queueMaxSizes.map(() => 0);
  }

  /** True when the driver negotiated EVENT_IDX. */
  get eventIdx(): boolean {
    return (this.driverFeatures & (1n << 29n)) !== 0n;
  }

  /**
   * The device side of queue `index` (after the driver enabled it).
   *
   * @param index - queue index
   * @returns its device-side model
   * @example
   * ```ts
   * dev.queue(0).takeAvailable();
   * ```
   */
  queue(index: number): DeviceQueue {
    const q = this.#queues[index];
    if (q === undefined) throw new Error(`queue ${index} is not enabled`);
    return q;
  }

  /**
   * Handles a status write (0 resets; FEATURES_OK may be refused).
   *
   * @param value - the byte written
   * @returns nothing
   * @example
   * ```ts
   * dev.writeStatus(0);
   * ```
   */
  writeStatus(value: number): void {
    if (value === 0) {
      this.status = 0;
      this.driverFeatures = 0n;
      this.queueState = this.options.queueMaxSizes.map(() => freshQueue());
      this.#queues = [];
      this.resets++;
      return;
    }
    this.status = this.options.refuseFeatures === true ? value & ~8 : value;
  }

  /**
   * Enables queue `index` with the programmed addresses.
   *
   * @param index - queue index
   * @returns nothing
   * @example
   * ```ts
   * dev.enableQueue(0);
   * ```
   */
  enableQueue(index: number): void {
    const s = this.queueState[index];
    if (s === undefined) return;
    s.ready = true;
    this.#queues[index] = new DeviceQueue(this.#memory, s, { eventIdx: this.eventIdx });
  }

  /**
   * Records a notification and runs the behaviour.
   *
   * @param index - the queue notified
   * @returns nothing
   * @example
   * ```ts
   * dev.notify(0);
   * ```
   */
  notify(index: number): void {
    if (this.notifications[index] === undefined) return;
    this.notifications[index]++;
    this.options.onNotify?.(index, this);
  }

  /**
   * Raises a used-buffer interrupt.
   *
   * @returns nothing
   * @example
   * ```ts
   * if (dev.queue(0).complete(head, 0)) dev.interruptQueue();
   * ```
   */
  interruptQueue(): void {
    this.interrupts++;
    this.raiseInterrupt(1);
  }

  /**
   * Changes configuration bytes (bumping the generation) and raises a config interrupt.
   *
   * @param offset - where
   * @param bytes - the new bytes
   * @returns nothing
   * @example
   * ```ts
   * dev.setConfig(6, Uint8Array.of(0, 0)); // virtio-net: link down
   * ```
   */
  setConfig(offset: number, bytes: Uint8Array): void {
    this.config.set(bytes, offset);
    this.generation = (this.generation + 1) & 0xff;
    this.interrupts++;
    this.raiseInterrupt(2);
  }

  /**
   * Sets DEVICE_NEEDS_RESET and raises a config interrupt.
   *
   * @returns nothing
   * @example
   * ```ts
   * dev.requestReset();
   * ```
   */
  requestReset(): void {
    this.status |= 64;
    this.raiseInterrupt(2);
  }

  /**
   * Reads configuration bytes little-endian (out of range reads 0).
   *
   * @param offset - where
   * @param width - bytes
   * @returns the value
   * @example
   * ```ts
   * dev.readConfig(0, 4);
   * ```
   */
  readConfig(offset: number, width: number): number {
    let v = 0;
    for (let i = width - 1; i >= 0; i--) v = v * 256 + (this.config[offset + i] ?? 0);
    return v;
  }

  /**
   * Writes configuration bytes little-endian (out of range writes are dropped).
   *
   * @param offset - where
   * @param width - bytes
   * @param value - the value
   * @returns nothing
   * @example
   * ```ts
   * dev.writeConfig(0, 1, 1);
   * ```
   */
  writeConfig(offset: number, width: number, value: number): void {
    for (let i = 0; i < width; i++) if (offset + i < this.config.length) this.config[offset + i] = Math.floor(value / 256 ** i) & 0xff;
  }
}

function freshQueue(): FakeQueueState {
  return { size: 0, descriptors: 0, driverArea: 0, deviceArea: 0, msixVector: 0xffff, ready: false };
}
