// VirtIO transport layer (@toro/virtio): picks the transport for a discovered device (virtio-pci
// modern or virtio-mmio). Imports the two transports and devices' discovery types.
import { ToroError, type DeviceHardware } from "@toro/kernel";
import type { FoundDevice } from "@toro/devices";
import { virtioMmioTransport } from "./mmio-transport.js";
import { virtioPciTransport } from "./pci-transport.js";
import type { VirtioTransport } from "./transport.js";

/**
 * Opens the transport of a discovered virtio device, whichever bus it is on.
 *
 * @param hw - the device hardware
 * @param device - from `discoverDevices`
 * @returns its transport
 * @throws ToroError `ENODEV` when it is not a virtio device; transport errors otherwise.
 * @example
 * ```ts
 * const transport = openTransport(hw, device);
 * ```
 */
export function openTransport(hw: DeviceHardware, device: FoundDevice): VirtioTransport {
  if (device.vendorId !== 0x1af4) throw new ToroError("ENODEV", `vendor 0x${device.vendorId.toString(16)} is not virtio`);
  return device.kind === "mmio" ? virtioMmioTransport(hw, device.mmio) : virtioPciTransport(hw, device);
}
