// Device-discovery layer (@toro/devices): one call that finds every device of the machine: PCI
// functions (ECAM when the MCFG gives it, else the legacy ports) and virtio-mmio devices. Returns
// them as `FoundDevice`s with vendor/device ids a driver registry matches on. No side effects
// beyond reading (and BAR sizing); imports the kernel's hardware face only.
import type { DeviceHardware } from "@toro/kernel";
import { parseMcfg } from "./acpi-mcfg.js";
import { findAcpiTables, type AcpiTable } from "./acpi-tables.js";
import { ecamPciConfig, legacyPciConfig, type PciConfigAccess } from "./pci-config.js";
import { enumeratePci, type PciFunction } from "./pci-enumerate.js";
import { findVirtioMmioDevices, type MmioDevice, type MmioProbeWindow } from "./virtio-mmio-discovery.js";

/** The PCI vendor id of virtio devices (virtio 1.2 §4.1.2). */
export const VIRTIO_PCI_VENDOR = 0x1af4;

/** A device on the PCI bus. */
export interface FoundPciDevice {
  /** Discriminant. */
  readonly kind: "pci";
  /** PCI vendor id. */
  readonly vendorId: number;
  /** PCI device id. */
  readonly deviceId: number;
  /** The function. */
  readonly pci: PciFunction;
  /** How to reach its configuration space. */
  readonly config: PciConfigAccess;
}

/** A virtio-mmio device. Its ids are the virtio-pci equivalents (vendor 0x1af4, device 0x1040 + type). */
export interface FoundMmioDevice {
  /** Discriminant. */
  readonly kind: "mmio";
  /** Always {@link VIRTIO_PCI_VENDOR}. */
  readonly vendorId: number;
  /** 0x1040 + the virtio device type (virtio 1.2 §4.1.2.1), so one id list matches both transports. */
  readonly deviceId: number;
  /** The device. */
  readonly mmio: MmioDevice;
}

/** A device found on the machine. */
export type FoundDevice = FoundPciDevice | FoundMmioDevice;

/** Options of {@link discoverDevices}. */
export interface DiscoverOptions {
  /** Where to probe for virtio-mmio when nothing lists devices (`false`: never). Default: microvm's window, and only on machines without PCI. */
  readonly mmioProbe?: MmioProbeWindow | false;
}

/**
 * The virtio device type of a found device (1 net, 2 block, 3 console, ...), or undefined when it is
 * not a virtio device.
 *
 * @param device - a found device
 * @returns the virtio device type
 * @example
 * ```ts
 * const disks = discoverDevices(hw).filter((d) => virtioDeviceType(d) === 2);
 * ```
 */
export function virtioDeviceType(device: FoundDevice): number | undefined {
  if (device.vendorId !== VIRTIO_PCI_VENDOR) return undefined;
  if (device.deviceId >= 0x1040 && device.deviceId <= 0x107f) return device.deviceId - 0x1040;
  // Transitional virtio-pci devices (0x1000..0x103f) carry the type in the subsystem id.
  if (device.kind === "pci" && device.deviceId >= 0x1000 && device.deviceId <= 0x103f) return device.pci.subsystemId;
  return undefined;
}

/**
 * The configuration access of the machine: ECAM over the MCFG's windows when there are any, else
 * the legacy ports.
 *
 * @param hw - the device hardware
 * @param tables - the ACPI tables (`findAcpiTables(hw)`)
 * @returns the access
 * @example
 * ```ts
 * const config = pciConfigFor(hw, findAcpiTables(hw));
 * ```
 */
export function pciConfigFor(hw: DeviceHardware, tables: readonly AcpiTable[]): PciConfigAccess {
  const table = tables.find((t) => t.signature === "MCFG");
  const mcfg = table === undefined ? undefined : parseMcfg(table.bytes);
  return mcfg?.ok === true && mcfg.value.length > 0 ? ecamPciConfig(hw, mcfg.value) : legacyPciConfig(hw);
}

/**
 * Finds every device: PCI functions (when the machine has a PCI host bridge) and virtio-mmio
 * devices (command line, ACPI, or a probe of microvm's window when the machine has no PCI).
 *
 * @param hw - the device hardware
 * @param options - the virtio-mmio probe window
 * @returns the devices; PCI ones first
 * @example
 * ```ts
 * const devices = discoverDevices(deviceHardware());
 * const disk = await registry.bindFirst(devices, "block");
 * ```
 */
export function discoverDevices(hw: DeviceHardware, options: DiscoverOptions = {}): FoundDevice[] {
  const tables = findAcpiTables(hw);
  const config = pciConfigFor(hw, tables);
  const hasPci = config.read({ segment: 0, bus: 0, device: 0, function: 0 }, 0, 2) !== 0xffff;
  const pci: FoundDevice[] = hasPci
    ? enumeratePci(config).map((fn) => ({ kind: "pci", vendorId: fn.vendorId, deviceId: fn.deviceId, pci: fn, config }))
    : [];
  const probe = options.mmioProbe ?? (hasPci ? false : undefined);
  const mmio: FoundDevice[] = findVirtioMmioDevices(hw, probe === undefined ? { tables } : { tables, probe }).map((dev) => ({
    kind: "mmio",
    vendorId: VIRTIO_PCI_VENDOR,
    deviceId: 0x1040 + dev.deviceId,
    mmio: dev,
  }));
  return [...pci, ...mmio];
}
