// Driver layer (@toro/virtio-console): a virtio console (virtio 1.2 §5.3) as a `CharDevice` on port
// 0: receiveq0 (queue 0) and transmitq0 (queue 1), no MULTIPORT. Output resolves when the device
// consumed it; input buffers are kept posted and delivered in order. Imports devices, virtio and the
// kernel's face.
import { ToroError, type DeviceHardware, type DmaAllocator, type DmaBuffer } from "@toro/kernel";
import type { CharDevice, DeviceDriver, FoundDevice } from "@toro/devices";
import {
  startVirtioDriver,
  startVirtioDriverOn,
  virtioDriverEntry,
  type SplitVirtqueue,
  type VirtioDevice,
  type VirtioDriverSpec,
  type VirtioTransport,
} from "@toro/virtio";

const RX = 0;
const TX = 1;
// One transmit buffer carries at most this much; longer writes are split.
const TX_CHUNK = 4096;

/** Options of the virtio-console driver. */
export interface VirtioConsoleOptions {
  /** Where buffers come from. */
  readonly dma: DmaAllocator;
  /** Largest queue to use; default 64. */
  readonly maxQueueSize?: number;
  /** Bytes per receive buffer; default 512. */
  readonly receiveBufferBytes?: number;
}

interface TxToken {
  readonly buffer: DmaBuffer;
  readonly done: () => void;
  readonly fail: (error: unknown) => void;
}

/**
 * A virtio console port.
 *
 * @example
 * ```ts
 * const port = await virtioConsole(hw, found, { dma });
 * await port.write(new TextEncoder().encode("hello\n"));
 * ```
 */
export class VirtioConsole implements CharDevice {
  readonly #dev: VirtioDevice;
  readonly #rx: SplitVirtqueue<DmaBuffer>;
  readonly #tx: SplitVirtqueue<TxToken>;
  readonly #dma: DmaAllocator;
  readonly #waiting: (() => void)[] = [];
  readonly #early: Uint8Array[] = [];
  #receiver: ((data: Uint8Array) => void) | undefined;
  #failure: ToroError | undefined;

  /**
   * Wraps an initialized device; use {@link createVirtioConsole} or {@link virtioConsole}.
   *
   * @param dev - the initialized virtio device (not yet DRIVER_OK)
   * @param options - allocator and sizes
   * @returns the port
   * @example
   * ```ts
   * const port = await createVirtioConsole(transport, { dma });
   * ```
   */
  constructor(dev: VirtioDevice, options: VirtioConsoleOptions) {
    this.#dev = dev;
    this.#dma = options.dma;
    this.#rx = dev.queue<DmaBuffer>(RX);
    this.#tx = dev.queue<TxToken>(TX);
    dev.ready();
    const bytes = options.receiveBufferBytes ?? 512;
    for (let i = 0; i < this.#rx.size; i++) {
      const b = this.#dma.allocate(bytes, 16);
      this.#rx.add({ readable: [], writable: [{ physical: b.physical, length: b.view.length }] }, b);
    }
    this.#rx.kick();
  }

  /**
   * Writes bytes to the port.
   *
   * @param data - the bytes
   * @returns resolves when the device has consumed all of them
   * @throws ToroError `EIO` after a device failure or close.
   * @example
   * ```ts
   * await port.write(new TextEncoder().encode("ready\n"));
   * ```
   */
  async write(data: Uint8Array): Promise<void> {
    const parts: Promise<void>[] = [];
    for (let at = 0; at < data.length; at += TX_CHUNK) parts.push(this.#send(data.subarray(at, at + TX_CHUNK)));
    await Promise.all(parts);
  }

  /**
   * Sets the receiver of incoming bytes; bytes that arrived before are delivered first.
   *
   * @param handler - called with each chunk, in order
   * @returns nothing
   * @example
   * ```ts
   * port.onData((bytes) => console.log(new TextDecoder().decode(bytes)));
   * ```
   */
  onData(handler: (data: Uint8Array) => void): void {
    this.#receiver = handler;
    for (const chunk of this.#early.splice(0)) handler(chunk);
  }

  /**
   * Resets the device and frees its memory; pending writes fail with `EIO`.
   *
   * @returns resolves when closed
   * @example
   * ```ts
   * await port.close();
   * ```
   */
  async close(): Promise<void> {
    this.#fail(new ToroError("EIO", "the console was closed"));
  }

  /**
   * Services both queues after an interrupt (called by the interrupt handler).
   *
   * @param configChanged - whether the interrupt may be a configuration change
   * @returns nothing
   * @example
   * ```ts
   * port.service(false);
   * ```
   */
  service(configChanged: boolean): void {
    if (this.#failure !== undefined) return;
    if (configChanged && this.#dev.needsReset()) {
      this.#fail(new ToroError("EIO", "the console asked to be reset (DEVICE_NEEDS_RESET)"));
      return;
    }
    try {
      for (const { token } of this.#tx.takeUsed()) {
        this.#dma.free(token.buffer);
        token.done();
      }
      const received = this.#rx.takeUsed();
      for (const { token: buffer, length } of received) {
        if (length === 0) continue;
        const chunk = buffer.view.slice(0, length);
        if (this.#receiver === undefined) this.#early.push(chunk);
        else this.#receiver(chunk);
      }
      for (const { token: buffer } of received) this.#rx.add({ readable: [], writable: [{ physical: buffer.physical, length: buffer.view.length }] }, buffer);
      if (received.length > 0) this.#rx.kick();
    } catch (error) {
      this.#fail(new ToroError("EIO", "the console broke the virtio protocol and was reset", { cause: error }));
      return;
    }
    for (const attempt of this.#waiting.splice(0)) attempt();
  }

  #send(chunk: Uint8Array): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (chunk.length === 0) return Promise.resolve();
    const buffer = this.#dma.allocate(chunk.length, 16);
    buffer.view.set(chunk);
    return new Promise<void>((resolve, reject) => {
      const token: TxToken = { buffer, done: resolve, fail: reject };
      const attempt = () => {
        if (this.#failure !== undefined) {
          this.#dma.free(buffer);
          reject(this.#failure);
          return;
        }
        if (!this.#tx.add({ readable: [{ physical: buffer.physical, length: chunk.length }], writable: [] }, token)) {
          this.#waiting.push(attempt);
          return;
        }
        this.#tx.kick();
      };
      attempt();
    });
  }

  #fail(error: ToroError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    for (const token of this.#dev.reset()) {
      const t = token as DmaBuffer | TxToken;
      if ("done" in t) {
        this.#dma.free(t.buffer);
        t.fail(error);
      } else this.#dma.free(t);
    }
    for (const attempt of this.#waiting.splice(0)) attempt();
  }
}

const VIRTIO_CONSOLE: VirtioDriverSpec<VirtioConsole, VirtioConsoleOptions> = {
  name: "virtio-console",
  kind: "char",
  deviceType: 3,
  description: "a console",
  transitionalDeviceId: 0x1003,
  wantedFeatures: 0n,
  queues: 2,
  defaultMaxQueueSize: 64,
  create: (dev, options) => new VirtioConsole(dev, options),
};

/**
 * Brings up a virtio console over a transport (port 0 only).
 *
 * @param transport - virtio-pci or virtio-mmio transport of a console (type 3)
 * @param options - allocator and sizes
 * @returns the port, receiving
 * @throws ToroError `ENODEV` when the transport is not a console; virtio init errors.
 * @example
 * ```ts
 * const port = await createVirtioConsole(transport, { dma });
 * ```
 */
export function createVirtioConsole(transport: VirtioTransport, options: VirtioConsoleOptions): Promise<VirtioConsole> {
  return startVirtioDriver(VIRTIO_CONSOLE, transport, options);
}

/**
 * Brings up a discovered virtio console (PCI or MMIO).
 *
 * @param hw - the device hardware
 * @param device - from `discoverDevices`
 * @param options - allocator and sizes
 * @returns the port
 * @example
 * ```ts
 * const port = await virtioConsole(hw, discoverDevices(hw).find((d) => virtioDeviceType(d) === 3)!, { dma });
 * ```
 */
export function virtioConsole(hw: DeviceHardware, device: FoundDevice, options: VirtioConsoleOptions): Promise<VirtioConsole> {
  return startVirtioDriverOn(VIRTIO_CONSOLE, hw, device, options);
}

/**
 * The virtio-console entry for a driver registry (kind `"char"`; ids 0x1af4:0x1043 and transitional 0x1003).
 *
 * @param hw - the device hardware
 * @param options - allocator and sizes
 * @returns the driver
 * @example
 * ```ts
 * const port = await createDriverRegistry<CharDevice>([virtioConsoleDriver(hw, { dma })]).bindFirst(discoverDevices(hw), "char");
 * ```
 */
export function virtioConsoleDriver(hw: DeviceHardware, options: VirtioConsoleOptions): DeviceDriver<CharDevice> {
  return virtioDriverEntry(VIRTIO_CONSOLE, hw, options);
}
