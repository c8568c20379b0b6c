// Device-discovery layer (@toro/devices): finds virtio-mmio devices, so a user never types an
// address. Three sources, in order: the boot command line (Firecracker's
// `virtio_mmio.device=<size>@<base>:<irq>`), the DSDT (QEMU microvm), and, when neither says
// anything, probing microvm's fixed window. Identifies each by its registers (virtio 1.2 §4.2.2).
// Imports the kernel's hardware face only; never virtio drivers.
import type { DeviceHardware } from "@toro/kernel";
import { findAcpiTables, type AcpiTable } from "./acpi-tables.js";
import { parseMadt } from "./acpi-madt.js";
import { virtioMmioFromDsdt } from "./acpi-virtio-mmio.js";

/** Where a virtio-mmio device sits and how it interrupts. */
export interface MmioDeviceLocation {
  /** Physical base of its register window. */
  readonly baseAddress: number;
  /** Size of the window in bytes. */
  readonly sizeBytes: number;
  /** The IOAPIC input (GSI) its interrupt arrives at. */
  readonly gsi: number;
  /** Level-triggered interrupt. */
  readonly level: boolean;
  /** Active-low interrupt. */
  readonly activeLow: boolean;
  /** Where we learned about it. */
  readonly source: "cmdline" | "acpi" | "probe";
}

/** A virtio-mmio device found and identified by its registers. */
export interface MmioDevice extends MmioDeviceLocation {
  /** Virtio device id (1 net, 2 block, 3 console, ...). */
  readonly deviceId: number;
  /** Virtio subsystem vendor id. */
  readonly vendorId: number;
  /** Transport version: 2 for virtio 1.x, 1 for legacy. */
  readonly version: number;
}

// virtio 1.2 §4.2.2: "virt" little-endian.
const MAGIC = 0x74726976;

/**
 * Parses Firecracker's (and Linux's) `virtio_mmio.device=<size>@<base>:<irq>[:<id>]` entries.
 * Malformed entries are skipped.
 *
 * @param cmdline - the boot command line
 * @returns the devices it lists, in order
 * @example
 * ```ts
 * parseVirtioMmioCmdline("console=ttyS0 virtio_mmio.device=4K@0xd0000000:5");
 * // [{ baseAddress: 0xd0000000, sizeBytes: 4096, gsi: 5, level: false, activeLow: false, source: "cmdline" }]
 * ```
 */
export function parseVirtioMmioCmdline(cmdline: string): MmioDeviceLocation[] {
  const out: MmioDeviceLocation[] = [];
  for (const word of cmdline.split(/\s+/)) {
    const m = /^virtio_mmio\.device=(\d+|0x[0-9a-f]+)([KMG]?)@(0x[0-9a-f]+|\d+):(\d+)(?::\d+)?$/i.exec(word);
    if (m === null) continue;
    const unit = { "": 1, K: 1 << 10, M: 1 << 20, G: 1 << 30 }[m[2]!.toUpperCase() as "" | "K" | "M" | "G"];
    const sizeBytes = Number(m[1]) * unit;
    const baseAddress = Number(m[3]);
    const gsi = Number(m[4]);
    if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0x100 || !Number.isSafeInteger(baseAddress) || gsi > 255) continue;
    // Firecracker signals through edge-triggered IOAPIC inputs.
    out.push({ baseAddress, sizeBytes, gsi, level: false, activeLow: false, source: "cmdline" });
  }
  return out;
}

/** Where to probe when neither the command line nor ACPI lists the devices. */
export interface MmioProbeWindow {
  /** First slot's address; default 0xfeb00000 (QEMU microvm). */
  readonly baseAddress: number;
  /** Bytes per slot; default 512. */
  readonly slotBytes: number;
  /** Number of slots; default 24. */
  readonly slots: number;
  /** GSI of slot 0; slot i interrupts at `gsiBase + i`. */
  readonly gsiBase: number;
}

/**
 * QEMU microvm's virtio-mmio window. Its GSIs start at 24 when the machine has a second IOAPIC
 * (the default with ACPI), else at 5 — pass the MADT to pick.
 *
 * @param tables - the ACPI tables (to look for a second IOAPIC), or none
 * @returns the probe window
 * @example
 * ```ts
 * const window = microvmProbeWindow(findAcpiTables(hw));
 * ```
 */
export function microvmProbeWindow(tables: readonly AcpiTable[] = []): MmioProbeWindow {
  const madtTable = tables.find((t) => t.signature === "APIC");
  const madt = madtTable === undefined ? undefined : parseMadt(madtTable.bytes);
  const second = madt?.ok === true ? madt.value.ioApics.find((io) => io.gsiBase > 0) : undefined;
  return { baseAddress: 0xfeb00000, slotBytes: 512, slots: 24, gsiBase: second?.gsiBase ?? (tables.length > 0 ? 16 : 5) };
}

/**
 * Reads a virtio-mmio window's identification registers.
 *
 * @param hw - the device hardware
 * @param location - where the window is
 * @returns the identified device, or undefined when the magic is wrong or the slot is empty (device id 0)
 * @example
 * ```ts
 * const dev = identifyMmioDevice(hw, { baseAddress: 0xd0000000, sizeBytes: 4096, gsi: 5, level: false, activeLow: false, source: "cmdline" });
 * ```
 */
export function identifyMmioDevice(hw: DeviceHardware, location: MmioDeviceLocation): MmioDevice | undefined {
  if (hw.mmio.read(location.baseAddress, 4) !== MAGIC) return undefined;
  const version = hw.mmio.read(location.baseAddress + 0x004, 4);
  const deviceId = hw.mmio.read(location.baseAddress + 0x008, 4);
  const vendorId = hw.mmio.read(location.baseAddress + 0x00c, 4);
  if (deviceId === 0) return undefined;
  return { ...location, deviceId, vendorId, version };
}

/** Options of {@link findVirtioMmioDevices}. */
export interface FindVirtioMmioOptions {
  /** The ACPI tables, if already read (saves reading them twice). */
  readonly tables?: readonly AcpiTable[];
  /** Probe this window when nothing lists devices; `false` never probes. Default: microvm's window. */
  readonly probe?: MmioProbeWindow | false;
}

/**
 * Finds and identifies the machine's virtio-mmio devices.
 *
 * @param hw - the device hardware (command line, ACPI, MMIO)
 * @param options - ACPI tables already read, and the probe window
 * @returns the devices, in slot order
 * @example
 * ```ts
 * for (const dev of findVirtioMmioDevices(hw)) console.log(dev.deviceId, dev.baseAddress.toString(16));
 * ```
 */
export function findVirtioMmioDevices(hw: DeviceHardware, options: FindVirtioMmioOptions = {}): MmioDevice[] {
  let locations = parseVirtioMmioCmdline(hw.bootCommandLine());
  const tables = options.tables ?? (locations.length === 0 ? findAcpiTables(hw) : []);
  if (locations.length === 0) {
    locations = tables.filter((t) => t.signature === "DSDT" || t.signature === "SSDT").flatMap((t) => virtioMmioFromDsdt(t.bytes));
  }
  if (locations.length === 0 && options.probe !== false) {
    // Probing reads unclaimed addresses, which is only safe where we know a window exists: on a
    // machine without ACPI (or with ACPI but no DSDT devices) that looks like microvm.
    const window = options.probe ?? microvmProbeWindow(tables);
    for (let i = 0; i < window.slots; i++) {
      locations.push({
        baseAddress: window.baseAddress + i * window.slotBytes,
        sizeBytes: window.slotBytes,
        gsi: window.gsiBase + i,
        level: true,
        activeLow: false,
        source: "probe",
      });
    }
  }
  const devices: MmioDevice[] = [];
  for (const location of locations) {
    const device = identifyMmioDevice(hw, location);
    if (device !== undefined) devices.push(device);
  }
  return devices.sort((a, b) => a.baseAddress - b.baseAddress);
}
