// Device-discovery layer (@toro/devices): access to PCI configuration space, through the legacy
// 0xCF8/0xCFC ports (PCI Local Bus 3.0 §3.2.2.3.2) or an ECAM window from ACPI's MCFG (PCIe 5.0
// §7.2.2). Imports the kernel's hardware face only.
import type { DeviceHardware } from "@toro/kernel";
import type { EcamWindow } from "./acpi-mcfg.js";

/** A PCI function's address. */
export interface PciAddress {
  /** Segment group (0 unless the MCFG lists more). */
  readonly segment: number;
  /** Bus 0..255. */
  readonly bus: number;
  /** Device 0..31. */
  readonly device: number;
  /** Function 0..7. */
  readonly function: number;
}

/** Reads and writes one function's configuration space; absent functions read as all ones. */
export interface PciConfigAccess {
  /** How this access reaches configuration space. */
  readonly mechanism: "legacy" | "ecam";
  /** Bytes of configuration space per function: 256 (legacy) or 4096 (ECAM). */
  readonly spaceBytes: number;
  /** Reads `width` bytes at `offset` (naturally aligned). */
  read(address: PciAddress, offset: number, width: 1 | 2 | 4): number;
  /** Writes `width` bytes at `offset` (naturally aligned). */
  write(address: PciAddress, offset: number, width: 1 | 2 | 4, value: number): void;
}

const CONFIG_ADDRESS = 0xcf8;
const CONFIG_DATA = 0xcfc;
const ones = (width: 1 | 2 | 4) => 2 ** (8 * width) - 1;
const aligned = (offset: number, width: number, limit: number) =>
  Number.isInteger(offset) && offset >= 0 && offset + width <= limit && offset % width === 0;

/**
 * Configuration access through the legacy I/O ports (two traps per access in the image).
 *
 * @param hw - the device hardware
 * @returns the access (256 bytes per function; segment must be 0)
 * @example
 * ```ts
 * const config = legacyPciConfig(hw);
 * const vendor = config.read({ segment: 0, bus: 0, device: 0, function: 0 }, 0, 2);
 * ```
 */
export function legacyPciConfig(hw: DeviceHardware): PciConfigAccess {
  const select = (a: PciAddress, offset: number) =>
    hw.io.write(CONFIG_ADDRESS, 4, (0x8000_0000 | (a.bus << 16) | (a.device << 11) | (a.function << 8) | (offset & 0xfc)) >>> 0);
  const valid = (a: PciAddress) => a.segment === 0 && a.bus >= 0 && a.bus < 256 && a.device >= 0 && a.device < 32 && a.function >= 0 && a.function < 8;
  return {
    mechanism: "legacy",
    spaceBytes: 256,
    read(a, offset, width) {
      if (!valid(a) || !aligned(offset, width, 256)) return ones(width);
      select(a, offset);
      return hw.io.read(CONFIG_DATA + (offset & 3), width);
    },
    write(a, offset, width, value) {
      if (!valid(a) || !aligned(offset, width, 256)) return;
      select(a, offset);
      hw.io.write(CONFIG_DATA + (offset & 3), width, value);
    },
  };
}

/**
 * Configuration access through ECAM windows (one MMIO access each, 4 KiB per function).
 *
 * @param hw - the device hardware
 * @param windows - the MCFG's windows (`parseMcfg`)
 * @returns the access; addresses outside every window read as all ones
 * @example
 * ```ts
 * const mcfg = parseMcfg(table.bytes);
 * const config = mcfg.ok ? ecamPciConfig(hw, mcfg.value) : legacyPciConfig(hw);
 * ```
 */
export function ecamPciConfig(hw: DeviceHardware, windows: readonly EcamWindow[]): PciConfigAccess {
  const locate = (a: PciAddress, offset: number, width: number) => {
    if (!aligned(offset, width, 4096) || a.device < 0 || a.device > 31 || a.function < 0 || a.function > 7) return undefined;
    const w = windows.find((x) => x.segment === a.segment && a.bus >= x.startBus && a.bus <= x.endBus);
    return w === undefined ? undefined : w.baseAddress + a.bus * 0x100000 + a.device * 0x8000 + a.function * 0x1000 + offset;
  };
  return {
    mechanism: "ecam",
    spaceBytes: 4096,
    read(a, offset, width) {
      const at = locate(a, offset, width);
      return at === undefined ? ones(width) : hw.mmio.read(at, width);
    },
    write(a, offset, width, value) {
      const at = locate(a, offset, width);
      if (at !== undefined) hw.mmio.write(at, width, value);
    },
  };
}
