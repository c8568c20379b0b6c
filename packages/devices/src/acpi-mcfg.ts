// Device-discovery layer (@toro/devices): parses ACPI's MCFG table (PCI Firmware Spec 3.2 §4.1.2),
// which gives the ECAM windows of PCI configuration space. Pure: bytes in, value out; never throws.
import { checkTable } from "./acpi-tables.js";
import { fail, ok, type Parsed } from "./parsed.js";

/** One ECAM window: configuration space of buses `startBus..endBus` of one PCI segment. */
export interface EcamWindow {
  /** Physical base address (of bus 0 of the segment, even when `startBus` > 0). */
  readonly baseAddress: number;
  /** PCI segment group. */
  readonly segment: number;
  /** First bus decoded. */
  readonly startBus: number;
  /** Last bus decoded. */
  readonly endBus: number;
}

/**
 * Parses an MCFG table.
 *
 * @param bytes - the whole table
 * @returns its ECAM windows, or why it was refused
 * @example
 * ```ts
 * const mcfg = findAcpiTables(hw).find((t) => t.signature === "MCFG");
 * const windows = mcfg ? parseMcfg(mcfg.bytes) : undefined;
 * ```
 */
export function parseMcfg(bytes: Uint8Array): Parsed<EcamWindow[]> {
  const header = checkTable(bytes);
  if (!header.ok) return header;
  if (header.value !== "MCFG") return fail(`expected MCFG, found "${header.value}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const windows: EcamWindow[] = [];
  // 36-byte header + 8 reserved bytes, then 16-byte entries.
  for (let at = 44; at + 16 <= bytes.length; at += 16) {
    const startBus = bytes[at + 10]!;
    const endBus = bytes[at + 11]!;
    if (endBus < startBus) continue;
    windows.push({ baseAddress: Number(view.getBigUint64(at, true)), segment: view.getUint16(at + 8, true), startBus, endBus });
  }
  return ok(windows);
}
