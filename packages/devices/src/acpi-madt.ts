// Device-discovery layer (@toro/devices): parses ACPI's MADT (signature "APIC", ACPI 6.5 §5.2.12):
// local APICs (the cores), IOAPICs and their GSI bases, interrupt source overrides. The kernel's SMP
// bring-up uses it too. Pure: bytes in, value out; never throws.
import { checkTable } from "./acpi-tables.js";
import { fail, ok, type Parsed } from "./parsed.js";

/** One processor's local APIC (type 0) or x2APIC (type 9). */
export interface MadtLocalApic {
  /** ACPI processor UID. */
  readonly processorUid: number;
  /** The APIC id (x2APIC id for type 9). */
  readonly apicId: number;
  /** Usable now (flag bit 0) or can be brought online (bit 1). */
  readonly enabled: boolean;
  /** Online-capable (flag bit 1). */
  readonly onlineCapable: boolean;
}

/** One IOAPIC (type 1). */
export interface MadtIoApic {
  /** IOAPIC id. */
  readonly id: number;
  /** Physical address of its registers. */
  readonly address: number;
  /** The first GSI it serves. */
  readonly gsiBase: number;
}

/** An interrupt source override (type 2): ISA IRQ `source` arrives at `gsi`. */
export interface MadtOverride {
  /** ISA IRQ. */
  readonly source: number;
  /** Global system interrupt. */
  readonly gsi: number;
  /** Active low (polarity bits = 3). */
  readonly activeLow: boolean;
  /** Level-triggered (trigger bits = 3). */
  readonly level: boolean;
}

/** What the MADT says. */
export interface Madt {
  /** Physical address of the local APIC (the 64-bit override when present). */
  readonly localApicAddress: number;
  /** The machine has 8259 PICs (PCAT_COMPAT). */
  readonly hasPic: boolean;
  /** Processors, in table order. */
  readonly localApics: readonly MadtLocalApic[];
  /** IOAPICs, in table order. */
  readonly ioApics: readonly MadtIoApic[];
  /** ISA interrupt overrides. */
  readonly overrides: readonly MadtOverride[];
}

/**
 * Parses a MADT. Unknown entry types are skipped; a zero-length or overlong entry ends the walk.
 *
 * @param bytes - the whole table
 * @returns the parsed table, or why it was refused
 * @example
 * ```ts
 * const madt = parseMadt(findAcpiTables(hw).find((t) => t.signature === "APIC")!.bytes);
 * if (madt.ok) console.log(`${madt.value.localApics.length} cores`);
 * ```
 */
export function parseMadt(bytes: Uint8Array): Parsed<Madt> {
  const header = checkTable(bytes);
  if (!header.ok) return header;
  if (header.value !== "APIC") return fail(`expected APIC (MADT), found "${header.value}"`);
  if (bytes.length < 44) return fail("MADT shorter than its fixed fields");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let localApicAddress = view.getUint32(36, true);
  const hasPic = (view.getUint32(40, true) & 1) !== 0;
  const localApics: MadtLocalApic[] = [];
  const ioApics: MadtIoApic[] = [];
  const overrides: MadtOverride[] = [];
  for (let at = 44; at + 2 <= bytes.length; ) {
    const type = bytes[at]!;
    const length = bytes[at + 1]!;
    if (length < 2 || at + length > bytes.length) break;
    if (type === 0 && length >= 8) {
      const flags = view.getUint32(at + 4, true);
      localApics.push({ processorUid: bytes[at + 2]!, apicId: bytes[at + 3]!, enabled: (flags & 1) !== 0, onlineCapable: (flags & 2) !== 0 });
    } else if (type === 1 && length >= 12) {
      ioApics.push({ id: bytes[at + 2]!, address: view.getUint32(at + 4, true), gsiBase: view.getUint32(at + 8, true) });
    } else if (type === 2 && length >= 10) {
      const flags = view.getUint16(at + 8, true);
      overrides.push({ source: bytes[at + 3]!, gsi: view.getUint32(at + 4, true), activeLow: (flags & 3) === 3, level: ((flags >> 2) & 3) === 3 });
    } else if (type === 5 && length >= 12) {
      localApicAddress = Number(view.getBigUint64(at + 4, true));
    } else if (type === 9 && length >= 16) {
      const flags = view.getUint32(at + 8, true);
      localApics.push({ processorUid: view.getUint32(at + 12, true), apicId: view.getUint32(at + 4, true), enabled: (flags & 1) !== 0, onlineCapable: (flags & 2) !== 0 });
    }
    at += length;
  }
  return ok({ localApicAddress, hasPic, localApics, ioApics, overrides });
}
