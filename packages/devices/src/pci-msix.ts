// Device-discovery layer (@toro/devices): the MSI-X capability (PCI Local Bus 3.0 §6.8.2): table and
// PBA location, enabling, and programming one table entry. Imports the kernel's hardware face only.
import type { DeviceHardware, MsiMessage } from "@toro/kernel";
import type { PciAddress, PciConfigAccess } from "./pci-config.js";
import type { PciFunction } from "./pci-enumerate.js";

/** Where a function's MSI-X table is. */
export interface MsixInfo {
  /** Offset of the capability in configuration space. */
  readonly capabilityOffset: number;
  /** Entries in the table. */
  readonly tableSize: number;
  /** Physical address of the table (BAR address + offset). */
  readonly tableAddress: number;
  /** Physical address of the pending-bit array. */
  readonly pbaAddress: number;
}

/**
 * Reads a function's MSI-X capability and resolves its table through the BARs.
 *
 * @param config - configuration access
 * @param fn - the function (its capabilities and BARs)
 * @returns the table location, or undefined when the function has no usable MSI-X
 * @example
 * ```ts
 * const msix = readMsix(config, fn);
 * ```
 */
export function readMsix(config: PciConfigAccess, fn: PciFunction): MsixInfo | undefined {
  const cap = fn.capabilities.find((c) => c.id === 0x11);
  if (cap === undefined) return undefined;
  const control = config.read(fn, cap.offset + 2, 2);
  const table = config.read(fn, cap.offset + 4, 4);
  const pba = config.read(fn, cap.offset + 8, 4);
  const tableBar = fn.bars.find((b) => b.index === (table & 7) && b.kind === "memory");
  const pbaBar = fn.bars.find((b) => b.index === (pba & 7) && b.kind === "memory");
  if (tableBar === undefined || pbaBar === undefined || tableBar.address === 0) return undefined;
  const tableSize = (control & 0x7ff) + 1;
  const tableOffset = (table & ~7) >>> 0;
  if (tableOffset + tableSize * 16 > tableBar.sizeBytes) return undefined;
  return { capabilityOffset: cap.offset, tableSize, tableAddress: tableBar.address + tableOffset, pbaAddress: pbaBar.address + ((pba & ~7) >>> 0) };
}

/**
 * Enables MSI-X (and clears the function mask), or disables it.
 *
 * @param config - configuration access
 * @param address - the function
 * @param msix - its MSI-X capability
 * @param enabled - on or off
 * @returns nothing
 * @example
 * ```ts
 * setMsixEnabled(config, fn, msix, true);
 * ```
 */
export function setMsixEnabled(config: PciConfigAccess, address: PciAddress, msix: MsixInfo, enabled: boolean): void {
  const control = config.read(address, msix.capabilityOffset + 2, 2);
  // Bit 15 MSI-X Enable, bit 14 Function Mask.
  const next = enabled ? (control | 0x8000) & ~0x4000 : control & ~0x8000;
  config.write(address, msix.capabilityOffset + 2, 2, next & 0xffff);
}

/**
 * Programs table entry `entry` with a message and unmasks it.
 *
 * @param hw - the device hardware (MMIO)
 * @param msix - the table
 * @param entry - entry index
 * @param message - from `hw.irq.msiMessage(vector)`
 * @returns nothing
 * @example
 * ```ts
 * writeMsixEntry(hw, msix, 0, hw.irq.msiMessage(vector));
 * ```
 */
export function writeMsixEntry(hw: DeviceHardware, msix: MsixInfo, entry: number, message: MsiMessage): void {
  if (!Number.isInteger(entry) || entry < 0 || entry >= msix.tableSize) return;
  const at = msix.tableAddress + entry * 16;
  hw.mmio.write(at + 12, 4, 1); // mask while changing
  hw.mmio.write(at, 4, message.address >>> 0);
  hw.mmio.write(at + 4, 4, Math.floor(message.address / 2 ** 32) >>> 0);
  hw.mmio.write(at + 8, 4, message.data >>> 0);
  hw.mmio.write(at + 12, 4, 0);
}
