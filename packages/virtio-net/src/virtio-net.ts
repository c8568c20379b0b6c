// Driver layer (@toro/virtio-net): a virtio network device (virtio 1.2 §5.1) as a `NetDevice`: MAC,
// link status and MTU from config, receive buffers kept refilled, transmit with several frames in
// flight and completion reclaim, checksum offload when offered (VIRTIO_NET_F_CSUM / GUEST_CSUM). No
// mergeable buffers, no GSO: every frame fits one buffer. Imports devices, virtio and the kernel's
// face; never @toro/net.
import { ToroError, type DeviceHardware, type DmaAllocator, type DmaBuffer } from "@toro/kernel";
import type { DeviceDriver, FoundDevice, NetDevice, NetDeviceCapabilities, NetFrameOptions } from "@toro/devices";
import {
  startVirtioDriver,
  startVirtioDriverOn,
  virtioDriverEntry,
  type SplitVirtqueue,
  type VirtioDevice,
  type VirtioDriverSpec,
  type VirtioTransport,
} from "@toro/virtio";

// virtio 1.2 §5.1.3 feature bits.
const F_CSUM = 1n << 0n;
const F_GUEST_CSUM = 1n << 1n;
const F_MTU = 1n << 3n;
const F_MAC = 1n << 5n;
const F_STATUS = 1n << 16n;
// §5.1.6: struct virtio_net_hdr is 12 bytes with VERSION_1 (num_buffers always present).
const HEADER_BYTES = 12;
const HDR_F_NEEDS_CSUM = 1;
const ETHERNET_HEADER = 14;
const VLAN_TAG = 4;
const RX = 0;
const TX = 1;

/** Options of the virtio-net driver. */
export interface VirtioNetOptions {
  /** Where receive buffers and transmit copies come from. */
  readonly dma: DmaAllocator;
  /** Largest queue to use; default 128. */
  readonly maxQueueSize?: number;
  /** Receive buffers to keep posted; default: the receive queue's size. */
  readonly receiveBuffers?: number;
  /** The MAC to use when the device has none (VIRTIO_NET_F_MAC absent); default 52:54:00:12:34:56. */
  readonly fallbackMac?: Uint8Array;
}

/** Frame counters of a {@link VirtioNet}. */
export interface VirtioNetStats {
  /** Frames handed to the device. */
  framesSent: number;
  /** Frames delivered to the receiver. */
  framesReceived: number;
  /** Received frames dropped (too short, bad checksum offsets). */
  framesDropped: number;
}

interface TxToken {
  readonly buffer: DmaBuffer;
}

/**
 * A virtio-net NIC.
 *
 * @example
 * ```ts
 * const nic = await virtioNet(hw, found, { dma });
 * nic.onReceive((frame) => console.log(`got ${frame.length} bytes`));
 * await nic.send(frame);
 * ```
 */
export class VirtioNet implements NetDevice {
  /** The MAC address. */
  readonly mac: Uint8Array;
  /** Capabilities negotiated with the device. */
  readonly capabilities: NetDeviceCapabilities;
  /** Frames sent and received so far. */
  readonly stats: VirtioNetStats = { framesSent: 0, framesReceived: 0, framesDropped: 0 };
  readonly #dev: VirtioDevice;
  readonly #rx: SplitVirtqueue<DmaBuffer>;
  readonly #tx: SplitVirtqueue<TxToken>;
  readonly #dma: DmaAllocator;
  readonly #rxBufferBytes: number;
  readonly #waiting: (() => void)[] = [];
  #receiver: ((frame: Uint8Array) => void) | undefined;
  #linkUp = true;
  #failure: ToroError | undefined;

  /**
   * Wraps an initialized device; use {@link createVirtioNet} or {@link virtioNet}.
   *
   * @param dev - the initialized virtio device (not yet DRIVER_OK)
   * @param options - allocator and limits
   * @returns the NIC
   * @example
   * ```ts
   * const nic = await createVirtioNet(transport, { dma });
   * ```
   */
  constructor(dev: VirtioDevice, options: VirtioNetOptions) {
    this.#dev = dev;
    this.#dma = options.dma;
    this.#rx = dev.queue<DmaBuffer>(RX);
    this.#tx = dev.queue<TxToken>(TX);
    const config = dev.readConfig((c) => ({
      mac: dev.has(F_MAC) ? [0, 1, 2, 3, 4, 5].map((i) => c.u8(i)) : undefined,
      status: dev.has(F_STATUS) ? c.u16(6) : 1,
      mtu: dev.has(F_MTU) ? c.u16(10) : 1500,
    }));
    this.mac = Uint8Array.from(config.mac ?? options.fallbackMac ?? [0x52, 0x54, 0x00, 0x12, 0x34, 0x56]);
    this.#linkUp = (config.status & 1) !== 0;
    // §5.1.4.1: a device MTU below 68 is invalid; treat it as absent.
    const mtu = config.mtu >= 68 ? config.mtu : 1500;
    // rxChecksumOffload stays false: with GUEST_CSUM the device marks only some frames DATA_VALID and
    // NetDevice has no per-frame flag yet, so the stack must still verify. GUEST_CSUM is taken so the
    // host may skip checksums of its own packets; we finish those (NEEDS_CSUM) in #deliver.
    this.capabilities = Object.freeze({ mtu, rxChecksumOffload: false, txChecksumOffload: dev.has(F_CSUM) });
    // §5.1.6.3.1: without MRG_RXBUF or GSO a buffer must hold the header plus a whole frame.
    this.#rxBufferBytes = HEADER_BYTES + ETHERNET_HEADER + VLAN_TAG + mtu;
    dev.ready();
    const want = Math.min(options.receiveBuffers ?? this.#rx.size, this.#rx.size);
    for (let i = 0; i < want; i++) if (!this.#postReceive(this.#dma.allocate(this.#rxBufferBytes, 16))) break;
    this.#rx.kick();
  }

  /**
   * Whether the link is up (from the device's status field when it has one).
   *
   * @returns true while the link is up
   * @example
   * ```ts
   * if (!nic.linkUp()) console.log("cable unplugged");
   * ```
   */
  linkUp(): boolean {
    return this.#linkUp && this.#failure === undefined;
  }

  /**
   * Queues a frame; resolves once the device has it (several may be in flight).
   *
   * @param frame - a whole Ethernet frame without FCS
   * @param options - checksum offload request (honoured when `capabilities.txChecksumOffload`)
   * @returns resolves when the frame is in the transmit queue
   * @throws ToroError `EMSGSIZE` for a frame larger than MTU + headers; `EIO` after a device failure.
   * @example
   * ```ts
   * await nic.send(frame, { checksum: { start: 34, offset: 16 } });
   * ```
   */
  async send(frame: Uint8Array, options?: NetFrameOptions): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    if (frame.length < ETHERNET_HEADER || frame.length > ETHERNET_HEADER + VLAN_TAG + this.capabilities.mtu) {
      throw new ToroError("EMSGSIZE", `a ${frame.length}-byte frame does not fit MTU ${this.capabilities.mtu}`);
    }
    const buffer = this.#dma.allocate(HEADER_BYTES + frame.length, 16);
    const header = new DataView(buffer.view.buffer, buffer.view.byteOffset, HEADER_BYTES);
    const checksum = options?.checksum;
    if (checksum !== undefined && this.capabilities.txChecksumOffload) {
      // §5.1.6.2: the device sums from csum_start to the end and stores at csum_start + csum_offset.
      header.setUint8(0, HDR_F_NEEDS_CSUM);
      header.setUint16(6, checksum.start, true);
      header.setUint16(8, checksum.offset, true);
    }
    buffer.view.set(frame, HEADER_BYTES);
    if (checksum !== undefined && !this.capabilities.txChecksumOffload) {
      finishChecksum(buffer.view.subarray(HEADER_BYTES), checksum.start, checksum.offset);
    }
    const segment = { physical: buffer.physical, length: buffer.view.length };
    await new Promise<void>((resolve, reject) => {
      const attempt = () => {
        if (this.#failure !== undefined) {
          this.#dma.free(buffer);
          reject(this.#failure);
          return;
        }
        if (!this.#tx.add({ readable: [segment], writable: [] }, { buffer })) {
          this.#waiting.push(attempt);
          return;
        }
        this.#tx.kick();
        this.stats.framesSent++;
        resolve();
      };
      attempt();
    });
  }

  /**
   * Sets the receiver of incoming frames (each frame is a fresh copy the receiver may keep).
   *
   * @param handler - called once per frame, from the event loop
   * @returns nothing
   * @example
   * ```ts
   * nic.onReceive((frame) => stack.input(frame));
   * ```
   */
  onReceive(handler: (frame: Uint8Array) => void): void {
    this.#receiver = handler;
  }

  /**
   * Resets the device and frees its memory; pending sends fail with `EIO`.
   *
   * @returns resolves when closed
   * @example
   * ```ts
   * await nic.close();
   * ```
   */
  async close(): Promise<void> {
    this.#fail(new ToroError("EIO", "the NIC was closed"));
  }

  /**
   * Services both queues and the link state after an interrupt (called by the interrupt handler).
   *
   * @param configChanged - whether the interrupt may be a configuration change
   * @returns nothing
   * @example
   * ```ts
   * nic.service(true);
   * ```
   */
  service(configChanged: boolean): void {
    if (this.#failure !== undefined) return;
    if (configChanged) {
      if (this.#dev.needsReset()) {
        this.#fail(new ToroError("EIO", "the NIC asked to be reset (DEVICE_NEEDS_RESET)"));
        return;
      }
      if (this.#dev.has(F_STATUS)) this.#linkUp = (this.#dev.readConfig((c) => c.u16(6)) & 1) !== 0;
    }
    try {
      for (const { token } of this.#tx.takeUsed()) this.#dma.free(token.buffer);
      const received = this.#rx.takeUsed();
      for (const { token: buffer, length } of received) this.#deliver(buffer, length);
      for (const { token: buffer } of received) this.#postReceive(buffer);
      if (received.length > 0) this.#rx.kick();
    } catch (error) {
      this.#fail(new ToroError("EIO", "the NIC broke the virtio protocol and was reset", { cause: error }));
      return;
    }
    for (const attempt of this.#waiting.splice(0)) attempt();
  }

  #deliver(buffer: DmaBuffer, length: number): void {
    if (length < HEADER_BYTES + ETHERNET_HEADER) {
      this.stats.framesDropped++;
      return;
    }
    const frame = buffer.view.slice(HEADER_BYTES, length);
    const flags = buffer.view[0]!;
    if ((flags & HDR_F_NEEDS_CSUM) !== 0) {
      // §5.1.6.4: a partially checksummed frame (from the host side); finish it so the stack sees a valid one.
      const view = new DataView(buffer.view.buffer, buffer.view.byteOffset, HEADER_BYTES);
      if (!finishChecksum(frame, view.getUint16(6, true), view.getUint16(8, true))) {
        this.stats.framesDropped++;
        return;
      }
    }
    this.stats.framesReceived++;
    this.#receiver?.(frame);
  }

  #postReceive(buffer: DmaBuffer): boolean {
    return this.#rx.add({ readable: [], writable: [{ physical: buffer.physical, length: buffer.view.length }] }, buffer);
  }

  #fail(error: ToroError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    for (const token of this.#dev.reset()) {
      // Receive tokens are DMA buffers; transmit tokens wrap one.
      const t = token as DmaBuffer | TxToken;
      this.#dma.free("buffer" in t ? t.buffer : t);
    }
    for (const attempt of this.#waiting.splice(0)) attempt();
  }
}

/**
 * Completes a partial Internet checksum (RFC 1071): sums `frame[start..]` with the pseudo-header sum
 * already stored at `start + offset`, and stores the result there.
 *
 * @param frame - the frame
 * @param start - where summing starts
 * @param offset - where the checksum field is, from `start`
 * @returns false when the offsets are outside the frame
 * @example
 * ```ts
 * finishChecksum(frame, 34, 16); // TCP over IPv4 without options
 * ```
 */
export function finishChecksum(frame: Uint8Array, start: number, offset: number): boolean {
  if (start + offset + 2 > frame.length) return false;
  let sum = 0;
  for (let i = start; i < frame.length; i += 2) sum += (frame[i]! << 8) | (frame[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const result = ~sum & 0xffff;
  frame[start + offset] = result >>> 8;
  frame[start + offset + 1] = result & 0xff;
  return true;
}

const VIRTIO_NET: VirtioDriverSpec<VirtioNet, VirtioNetOptions> = {
  name: "virtio-net",
  kind: "net",
  deviceType: 1,
  description: "a network device",
  transitionalDeviceId: 0x1000,
  wantedFeatures: F_CSUM | F_GUEST_CSUM | F_MTU | F_MAC | F_STATUS,
  queues: 2,
  defaultMaxQueueSize: 128,
  create: (dev, options) => new VirtioNet(dev, options),
};

/**
 * Brings up a virtio-net device over a transport.
 *
 * @param transport - virtio-pci or virtio-mmio transport of a network device (type 1)
 * @param options - allocator and limits
 * @returns the NIC, receiving
 * @throws ToroError `ENODEV` when the transport is not a network device; virtio init errors.
 * @example
 * ```ts
 * const nic = await createVirtioNet(transport, { dma });
 * ```
 */
export function createVirtioNet(transport: VirtioTransport, options: VirtioNetOptions): Promise<VirtioNet> {
  return startVirtioDriver(VIRTIO_NET, transport, options);
}

/**
 * Brings up a discovered virtio-net device (PCI or MMIO).
 *
 * @param hw - the device hardware
 * @param device - from `discoverDevices`
 * @param options - allocator and limits
 * @returns the NIC
 * @example
 * ```ts
 * const nic = await virtioNet(hw, discoverDevices(hw).find((d) => virtioDeviceType(d) === 1)!, { dma });
 * ```
 */
export function virtioNet(hw: DeviceHardware, device: FoundDevice, options: VirtioNetOptions): Promise<VirtioNet> {
  return startVirtioDriverOn(VIRTIO_NET, hw, device, options);
}

/**
 * The virtio-net entry for a driver registry (kind `"net"`; ids 0x1af4:0x1041 and transitional 0x1000).
 *
 * @param hw - the device hardware
 * @param options - allocator and limits
 * @returns the driver
 * @example
 * ```ts
 * const nic = await createDriverRegistry<NetDevice>([virtioNetDriver(hw, { dma })]).bindFirst(discoverDevices(hw), "net");
 * ```
 */
export function virtioNetDriver(hw: DeviceHardware, options: VirtioNetOptions): DeviceDriver<NetDevice> {
  return virtioDriverEntry(VIRTIO_NET, hw, options);
}
