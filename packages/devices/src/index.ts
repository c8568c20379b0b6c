// Public entry of @toro/devices: device interfaces consumed by upper layers (net, fs), bus discovery
// (ACPI, PCI, virtio-mmio) and the app-composed driver registry. Re-exports only; no side effects.
export type { BlockDevice, BlockDeviceInfo } from "./block-device.js";
export type { NetDevice, NetDeviceCapabilities, NetFrameOptions } from "./net-device.js";
export type { CharDevice } from "./char-device.js";
export type { Parsed } from "./parsed.js";
export {
  acpiChecksumOk,
  checkTable,
  fadtDsdtAddress,
  findAcpiTables,
  parseRootTable,
  parseRsdp,
  readPhysical,
  type AcpiTable,
  type Rsdp,
} from "./acpi-tables.js";
export { parseMcfg, type EcamWindow } from "./acpi-mcfg.js";
export { parseMadt, type Madt, type MadtIoApic, type MadtLocalApic, type MadtOverride } from "./acpi-madt.js";
export { virtioMmioFromDsdt } from "./acpi-virtio-mmio.js";
export { ecamPciConfig, legacyPciConfig, type PciAddress, type PciConfigAccess } from "./pci-config.js";
export {
  enableBusMaster,
  enumeratePci,
  readBars,
  readCapabilities,
  readPciFunction,
  type PciBar,
  type PciCapability,
  type PciFunction,
} from "./pci-enumerate.js";
export { readMsix, setMsixEnabled, writeMsixEntry, type MsixInfo } from "./pci-msix.js";
export {
  findVirtioMmioDevices,
  identifyMmioDevice,
  microvmProbeWindow,
  parseVirtioMmioCmdline,
  type FindVirtioMmioOptions,
  type MmioDevice,
  type MmioDeviceLocation,
  type MmioProbeWindow,
} from "./virtio-mmio-discovery.js";
export {
  discoverDevices,
  pciConfigFor,
  virtioDeviceType,
  VIRTIO_PCI_VENDOR,
  type DiscoverOptions,
  type FoundDevice,
  type FoundMmioDevice,
  type FoundPciDevice,
} from "./discover.js";
export {
  createDriverRegistry,
  type BoundDevice,
  type DeviceDriver,
  type DeviceId,
  type DriverRegistry,
} from "./driver-registry.js";
