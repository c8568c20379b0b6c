// Device-discovery layer (@toro/devices): walks the PCI buses from bus 0 through bridges, reads each
// function's identity, BARs (sized by the all-ones write, PCI Local Bus 3.0 §6.2.5.1) and capability
// list (§6.7). Never hangs or throws on a hostile configuration space: loops are bounded, garbage
// becomes "absent". Imports the kernel's hardware face only (through pci-config).
import type { PciAddress, PciConfigAccess } from "./pci-config.js";

/** A base address register, decoded and sized. */
export interface PciBar {
  /** BAR number 0..5. */
  readonly index: number;
  /** Memory space or I/O space. */
  readonly kind: "memory" | "io";
  /** Where the firmware placed it (physical address or I/O port); 0 when unassigned. */
  readonly address: number;
  /** Bytes it decodes. */
  readonly sizeBytes: number;
  /** A 64-bit memory BAR (it uses the next BAR slot too). */
  readonly is64: boolean;
  /** Prefetchable memory. */
  readonly prefetchable: boolean;
}

/** One entry of a function's capability list. */
export interface PciCapability {
  /** Capability id (0x05 MSI, 0x09 vendor-specific, 0x10 PCIe, 0x11 MSI-X). */
  readonly id: number;
  /** Its offset in configuration space. */
  readonly offset: number;
}

/** A PCI function found on the bus. */
export interface PciFunction extends PciAddress {
  /** Vendor id (0x1af4 for virtio). */
  readonly vendorId: number;
  /** Device id. */
  readonly deviceId: number;
  /** Class, subclass and programming interface. */
  readonly classCode: number;
  /** Subclass. */
  readonly subclass: number;
  /** Programming interface. */
  readonly progIf: number;
  /** Revision id. */
  readonly revision: number;
  /** Header type without the multi-function bit (0 endpoint, 1 PCI-PCI bridge). */
  readonly headerType: number;
  /** Subsystem vendor id (type 0 headers; 0 otherwise). */
  readonly subsystemVendorId: number;
  /** Subsystem id (type 0 headers; for virtio transitional devices, the device type). */
  readonly subsystemId: number;
  /** The legacy interrupt pin (0 none, 1..4 INTA..INTD). */
  readonly interruptPin: number;
  /** BARs that decode something. */
  readonly bars: readonly PciBar[];
  /** The capability list, in list order. */
  readonly capabilities: readonly PciCapability[];
}

// A capability list longer than this is a loop (at most 48 4-byte-aligned slots after 0x40).
const MAX_CAPABILITIES = 48;
const COMMAND = 0x04;

/**
 * Walks a function's capability list. Stops on a pointer below 0x40, a repeat, or 48 entries.
 *
 * @param config - configuration access
 * @param address - the function
 * @returns the capabilities, in list order
 * @example
 * ```ts
 * const msix = readCapabilities(config, fn).find((c) => c.id === 0x11);
 * ```
 */
export function readCapabilities(config: PciConfigAccess, address: PciAddress): PciCapability[] {
  const status = config.read(address, 0x06, 2);
  if (status === 0xffff || (status & 0x10) === 0) return [];
  const out: PciCapability[] = [];
  const seen = new Set<number>();
  let pointer = config.read(address, 0x34, 1) & 0xfc;
  while (pointer >= 0x40 && !seen.has(pointer) && out.length < MAX_CAPABILITIES) {
    seen.add(pointer);
    out.push({ id: config.read(address, pointer, 1), offset: pointer });
    pointer = config.read(address, pointer + 1, 1) & 0xfc;
  }
  return out;
}

/**
 * Decodes and sizes a function's BARs. Decoding is switched off while sizing and restored after.
 *
 * @param config - configuration access
 * @param address - the function
 * @param count - BAR slots: 6 for endpoints, 2 for bridges
 * @returns the BARs that decode something
 * @example
 * ```ts
 * const bars = readBars(config, fn, 6);
 * ```
 */
export function readBars(config: PciConfigAccess, address: PciAddress, count: number): PciBar[] {
  const command = config.read(address, COMMAND, 2);
  config.write(address, COMMAND, 2, command & ~0x3);
  const bars: PciBar[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const offset = 0x10 + index * 4;
      const low = config.read(address, offset, 4);
      config.write(address, offset, 4, 0xffffffff);
      const lowMask = config.read(address, offset, 4);
      config.write(address, offset, 4, low);
      if ((low & 1) === 1) {
        // I/O BAR: bits 31..2 address; upper 16 bits may read 0 on x86.
        const mask = (lowMask & 0xfffc) >>> 0;
        const size = mask === 0 ? 0 : ((~mask & 0xffff) + 1) & 0xffff;
        if (size > 0) bars.push({ index, kind: "io", address: low & 0xfffc, sizeBytes: size, is64: false, prefetchable: false });
        continue;
      }
      const type = (low >>> 1) & 3;
      const prefetchable = (low & 8) !== 0;
      const is64 = type === 2 && index + 1 < count;
      let base = (low & 0xfffffff0) >>> 0;
      let mask = BigInt((lowMask & 0xfffffff0) >>> 0);
      if (is64) {
        const highOffset = offset + 4;
        const high = config.read(address, highOffset, 4);
        config.write(address, highOffset, 4, 0xffffffff);
        const highMask = config.read(address, highOffset, 4);
        config.write(address, highOffset, 4, high);
        base += high * 2 ** 32;
        mask |= BigInt(highMask >>> 0) << 32n;
      }
      // An unimplemented BAR reads back 0 after the all-ones write (PCI 3.0 §6.2.5.1).
      const width = is64 ? 64 : 32;
      const size = mask === 0n ? 0n : BigInt.asUintN(width, ~mask + 1n);
      if (size > 0n && size <= 2n ** 48n) {
        bars.push({ index, kind: "memory", address: base, sizeBytes: Number(size), is64, prefetchable });
      }
      if (is64) index++;
    }
  } finally {
    config.write(address, COMMAND, 2, command);
  }
  return bars;
}

/**
 * Reads one function, or undefined when nothing answers there.
 *
 * @param config - configuration access
 * @param address - the function
 * @returns its identity, BARs and capabilities
 * @example
 * ```ts
 * const hostBridge = readPciFunction(config, { segment: 0, bus: 0, device: 0, function: 0 });
 * ```
 */
export function readPciFunction(config: PciConfigAccess, address: PciAddress): PciFunction | undefined {
  const vendorId = config.read(address, 0x00, 2);
  if (vendorId === 0xffff || vendorId === 0) return undefined;
  const classReg = config.read(address, 0x08, 4);
  const headerType = config.read(address, 0x0e, 1) & 0x7f;
  const endpoint = headerType === 0;
  return {
    ...address,
    vendorId,
    deviceId: config.read(address, 0x02, 2),
    revision: classReg & 0xff,
    progIf: (classReg >>> 8) & 0xff,
    subclass: (classReg >>> 16) & 0xff,
    classCode: classReg >>> 24,
    headerType,
    subsystemVendorId: endpoint ? config.read(address, 0x2c, 2) : 0,
    subsystemId: endpoint ? config.read(address, 0x2e, 2) : 0,
    interruptPin: config.read(address, 0x3d, 1),
    bars: headerType <= 1 ? readBars(config, address, endpoint ? 6 : 2) : [],
    capabilities: readCapabilities(config, address),
  };
}

/**
 * Enumerates every PCI function reachable from bus 0 of a segment, following PCI-PCI bridges.
 *
 * @param config - configuration access
 * @param segment - the segment group; default 0
 * @returns the functions, in bus/device/function order of discovery
 * @example
 * ```ts
 * const virtio = enumeratePci(legacyPciConfig(hw)).filter((f) => f.vendorId === 0x1af4);
 * ```
 */
export function enumeratePci(config: PciConfigAccess, segment = 0): PciFunction[] {
  const found: PciFunction[] = [];
  const visited = new Set<number>();
  const scanBus = (bus: number) => {
    if (visited.has(bus) || bus > 255) return;
    visited.add(bus);
    for (let device = 0; device < 32; device++) {
      const first = readPciFunction(config, { segment, bus, device, function: 0 });
      if (first === undefined) continue;
      const multi = (config.read({ segment, bus, device, function: 0 }, 0x0e, 1) & 0x80) !== 0;
      for (let fn = 0; fn < (multi ? 8 : 1); fn++) {
        const f = fn === 0 ? first : readPciFunction(config, { segment, bus, device, function: fn });
        if (f === undefined) continue;
        found.push(f);
        // PCI-PCI bridge (class 06/04): scan its secondary bus.
        if (f.headerType === 1) scanBus(config.read(f, 0x19, 1));
      }
    }
  };
  scanBus(0);
  return found;
}

/**
 * Turns on memory and I/O decoding and bus mastering (command bits 0..2), which DMA needs.
 *
 * @param config - configuration access
 * @param address - the function
 * @returns nothing
 * @example
 * ```ts
 * enableBusMaster(config, fn);
 * ```
 */
export function enableBusMaster(config: PciConfigAccess, address: PciAddress): void {
  config.write(address, COMMAND, 2, config.read(address, COMMAND, 2) | 0x7);
}
