// VirtIO driver kit (@toro/virtio): the bring-up every device driver on top of this package repeats —
// check the device type, open the device with the driver's features and queues, route its interrupt
// to the driver's `service`, and give a driver registry its entry. Imports the kernel's face, the
// devices' driver types and this package's transport and device; never a driver package.
import { ToroError, type DeviceHardware, type DmaAllocator } from "@toro/kernel";
import type { DeviceDriver, FoundDevice } from "@toro/devices";
import { openTransport } from "./open-transport.js";
import type { VirtioTransport } from "./transport.js";
import { openVirtioDevice, type VirtioDevice } from "./virtio-device.js";

/** The options every virtio driver takes (drivers extend them with their own). */
export interface VirtioDriverOptions {
  /** Memory for rings and buffers. */
  readonly dma: DmaAllocator;
  /** Largest queue to use; the driver's default when absent. */
  readonly maxQueueSize?: number;
}

/** A driver instance whose queues and config are serviced after each interrupt. */
export interface ServicedVirtioDriver {
  /** Services the queues; `configChanged` when the interrupt may be a configuration change. */
  service(configChanged: boolean): void;
}

/** What a virtio device driver is: its identity, what it negotiates, and how it wraps the device. */
export interface VirtioDriverSpec<T extends ServicedVirtioDriver, O extends VirtioDriverOptions> {
  /** Name for a driver registry and messages, e.g. `"virtio-blk"`. */
  readonly name: string;
  /** Registry kind: `"net"`, `"block"`, `"char"`, … */
  readonly kind: string;
  /** Virtio device type (virtio 1.2 §5: 1 network, 2 block, 3 console). */
  readonly deviceType: number;
  /** What the device is, for the `ENODEV` message: `"a block device"`. */
  readonly description: string;
  /** PCI device id of the transitional device (virtio 1.2 §4.1.2.1); the modern id is 0x1040 + type. */
  readonly transitionalDeviceId: number;
  /** Device-specific features the driver can use. */
  readonly wantedFeatures: bigint;
  /** Queues to set up: indices 0..queues-1. */
  readonly queues: number;
  /** Largest queue size when the options give none. */
  readonly defaultMaxQueueSize: number;
  /** Wraps the initialized device (not yet DRIVER_OK); the driver calls `dev.ready()`. */
  readonly create: (dev: VirtioDevice, options: O) => T;
}

const VIRTIO_VENDOR = 0x1af4;

/**
 * Brings a driver up over a transport: checks the device type, initializes the device with the
 * spec's features and queues, and routes its interrupts to the driver's `service`.
 *
 * @param spec - the driver's description
 * @param transport - virtio-pci or virtio-mmio transport of the device
 * @param options - allocator and limits (passed on to `spec.create`)
 * @returns the driver, as `spec.create` built it
 * @throws ToroError `ENODEV` when the transport is another device type; virtio init errors.
 * @example
 * ```ts
 * const disk = await startVirtioDriver(virtioBlkSpec, virtioMmioTransport(hw, mmioDevice), { dma });
 * ```
 */
export async function startVirtioDriver<T extends ServicedVirtioDriver, O extends VirtioDriverOptions>(
  spec: VirtioDriverSpec<T, O>,
  transport: VirtioTransport,
  options: O,
): Promise<T> {
  if (transport.deviceType !== spec.deviceType) {
    throw new ToroError("ENODEV", `virtio device type ${transport.deviceType} is not ${spec.description}`);
  }
  let driver: T | undefined;
  const dev = openVirtioDevice(transport, {
    dma: options.dma,
    wantedFeatures: spec.wantedFeatures,
    queues: spec.queues,
    maxQueueSize: options.maxQueueSize ?? spec.defaultMaxQueueSize,
    // An interrupt before `create` returns finds no driver yet: it services on the next one.
    onInterrupt: (cause) => driver?.service(cause.config),
  });
  driver = spec.create(dev, options);
  return driver;
}

/**
 * Brings a driver up on a discovered device (PCI or MMIO): {@link openTransport}, then
 * {@link startVirtioDriver}.
 *
 * @param spec - the driver's description
 * @param hw - the device hardware
 * @param device - from `discoverDevices`
 * @param options - allocator and limits
 * @returns the driver
 * @throws ToroError `ENODEV` (thrown, not rejected) when the device is not virtio.
 * @example
 * ```ts
 * const disk = await startVirtioDriverOn(virtioBlkSpec, hw, found, { dma });
 * ```
 */
export function startVirtioDriverOn<T extends ServicedVirtioDriver, O extends VirtioDriverOptions>(
  spec: VirtioDriverSpec<T, O>,
  hw: DeviceHardware,
  device: FoundDevice,
  options: O,
): Promise<T> {
  return startVirtioDriver(spec, openTransport(hw, device), options);
}

/**
 * The driver-registry entry of a virtio driver: its name and kind, the modern (0x1040 + type) and
 * transitional PCI ids, and a `create` that brings the driver up on the device.
 *
 * @param spec - the driver's description
 * @param hw - the device hardware
 * @param options - allocator and limits for every device it binds
 * @returns the registry entry
 * @example
 * ```ts
 * const registry = createDriverRegistry<BlockDevice>([virtioDriverEntry(virtioBlkSpec, hw, { dma })]);
 * ```
 */
export function virtioDriverEntry<T extends ServicedVirtioDriver, O extends VirtioDriverOptions>(
  spec: VirtioDriverSpec<T, O>,
  hw: DeviceHardware,
  options: O,
): DeviceDriver<T> {
  return {
    name: spec.name,
    kind: spec.kind,
    ids: [
      { vendorId: VIRTIO_VENDOR, deviceId: 0x1040 + spec.deviceType },
      { vendorId: VIRTIO_VENDOR, deviceId: spec.transitionalDeviceId },
    ],
    create: (device) => startVirtioDriverOn(spec, hw, device, options),
  };
}
