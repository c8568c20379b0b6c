// Device-discovery layer (@toro/devices): an explicit, app-composed driver registry. The app lists
// the drivers it wants (nothing registers itself on import, so unused drivers are tree-shaken) and
// binds them to discovered devices by vendor/device id. Imports only device types.
import { ToroError } from "@toro/kernel";
import type { FoundDevice } from "./discover.js";

/** A vendor/device id pair a driver handles. */
export interface DeviceId {
  /** Vendor id (0x1af4 for virtio). */
  readonly vendorId: number;
  /** Device id (for virtio: 0x1040 + type; transitional ids 0x1000.. also appear on PCI). */
  readonly deviceId: number;
}

/**
 * A driver: the ids it handles and a factory that brings one device up.
 *
 * @typeParam T - what the driver produces (a `NetDevice`, a `BlockDevice`, ...)
 */
export interface DeviceDriver<T> {
  /** A name for messages, e.g. `"virtio-blk"`. */
  readonly name: string;
  /** What the driver produces: `"net"`, `"block"`, `"char"`, or anything the app agrees on. */
  readonly kind: string;
  /** The ids it handles. */
  readonly ids: readonly DeviceId[];
  /** Brings `device` up. */
  create(device: FoundDevice): Promise<T>;
}

/** A device bound to its driver. */
export interface BoundDevice<T> {
  /** The driver's name. */
  readonly driver: string;
  /** The driver's kind. */
  readonly kind: string;
  /** The discovered device. */
  readonly device: FoundDevice;
  /** What the driver produced. */
  readonly instance: T;
}

/** The drivers an app chose, and binding them to devices. */
export interface DriverRegistry<T> {
  /** The driver for `device`, or undefined. */
  driverFor(device: FoundDevice): DeviceDriver<T> | undefined;
  /** Brings up every device some driver handles, in device order (a failing device rejects). */
  bindAll(devices: readonly FoundDevice[]): Promise<BoundDevice<T>[]>;
  /** Brings up the first device of `kind`. @throws ToroError `ENODEV` when there is none. */
  bindFirst(devices: readonly FoundDevice[], kind: string): Promise<T>;
}

/**
 * Builds a registry from the drivers the app composes.
 *
 * @param drivers - the drivers, first match wins
 * @returns the registry
 * @example
 * ```ts
 * const registry = createDriverRegistry([virtioBlkDriver({ hw, dma }), virtioNetDriver({ hw, dma })]);
 * const disk = (await registry.bindFirst(discoverDevices(hw), "block")) as BlockDevice;
 * ```
 */
export function createDriverRegistry<T>(drivers: readonly DeviceDriver<T>[]): DriverRegistry<T> {
  const driverFor = (device: FoundDevice) =>
    drivers.find((d) => d.ids.some((id) => id.vendorId === device.vendorId && id.deviceId === device.deviceId));
  return {
    driverFor,
    async bindAll(devices) {
      const bound: BoundDevice<T>[] = [];
      for (const device of devices) {
        const driver = driverFor(device);
        if (driver === undefined) continue;
        bound.push({ driver: driver.name, kind: driver.kind, device, instance: await driver.create(device) });
      }
      return bound;
    },
    async bindFirst(devices, kind) {
      for (const device of devices) {
        const driver = driverFor(device);
        if (driver !== undefined && driver.kind === kind) return driver.create(device);
      }
      throw new ToroError("ENODEV", `no ${kind} device with a driver was found`, {
        hint: `attach one (e.g. run-image --disk) and include its driver in the registry`,
      });
    },
  };
}
