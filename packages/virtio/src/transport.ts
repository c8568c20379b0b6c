// VirtIO core layer (@toro/virtio): what a transport (virtio-pci modern, virtio-mmio) gives the
// device-independent code: features, status, queues, notifications, device config, interrupts
// (virtio 1.2 §4). An interface only; implementations are in pci-transport.ts and mmio-transport.ts.

/** Where a queue's three areas are (physical addresses) and how big it is. */
export interface QueueAddresses {
  /** Number of descriptors (a power of two for split queues). */
  readonly size: number;
  /** Descriptor table. */
  readonly descriptors: number;
  /** Driver area (available ring). */
  readonly driverArea: number;
  /** Device area (used ring). */
  readonly deviceArea: number;
}

/** Why an interrupt fired, as far as the transport can tell. */
export interface InterruptCause {
  /** Some queue may have used buffers. */
  readonly queue: boolean;
  /** The device configuration may have changed. */
  readonly config: boolean;
}

/** A virtio transport: the device's registers, whatever bus it sits on. */
export interface VirtioTransport {
  /** Which bus. */
  readonly kind: "pci" | "mmio";
  /** The virtio device type (1 net, 2 block, 3 console, ...). */
  readonly deviceType: number;
  /** The device's 64 feature bits. */
  deviceFeatures(): bigint;
  /** Writes the driver's accepted features. */
  setDriverFeatures(features: bigint): void;
  /** Reads the status byte. */
  status(): number;
  /** Writes the status byte (0 resets the device). */
  setStatus(status: number): void;
  /** Number of queues the device has (PCI says; MMIO: probed up to a bound). */
  queueCount(): number;
  /** The most descriptors queue `index` takes; 0 when it does not exist. */
  queueMaxSize(index: number): number;
  /** Tells the device where queue `index` lives and enables it. */
  enableQueue(index: number, queue: QueueAddresses): void;
  /** Notifies the device that queue `index` has new available buffers. */
  notify(index: number): void;
  /** The configuration generation counter. */
  configGeneration(): number;
  /** Reads `width` bytes of device configuration at `offset`. */
  readConfig(offset: number, width: 1 | 2 | 4): number;
  /** Writes `width` bytes of device configuration at `offset`. */
  writeConfig(offset: number, width: 1 | 2 | 4, value: number): void;
  /** Routes the device's interrupt to `handler` (called from the event loop); call before enabling queues. */
  enableInterrupts(handler: (cause: InterruptCause) => void): void;
  /** Removes the interrupt handler. */
  disableInterrupts(): void;
}
