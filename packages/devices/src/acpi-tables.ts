// Device-discovery layer (@toro/devices): finds ACPI tables from the RSDP (ACPI 6.5 §5.2.5 RSDP,
// §5.2.7 RSDT, §5.2.8 XSDT, §5.2.9 FADT for the DSDT). Reads physical memory through the
// `DeviceHardware` it is given; never throws on bad tables (checksums, lengths): it skips them.
// Must not import drivers or virtio.
import type { DeviceHardware } from "@toro/kernel";
import { fail, ok, type Parsed } from "./parsed.js";

/** One ACPI table: its signature, where it is, and a copy of its bytes (header included). */
export interface AcpiTable {
  /** Four-character signature, e.g. `"APIC"`, `"MCFG"`, `"DSDT"`. */
  readonly signature: string;
  /** Physical address of the header. */
  readonly address: number;
  /** The whole table (`length` bytes from the header). */
  readonly bytes: Uint8Array;
}

// No table we parse is anywhere near this; it bounds what a corrupt length can make us read.
const MAX_TABLE_BYTES = 1 << 20;
const MAX_TABLES = 256;

/**
 * Reads `length` bytes of physical memory: a window when the kernel maps it, else 4-byte MMIO loads
 * (ACPI tables sit in reserved ranges some kernels will not hand out as windows).
 *
 * @param hw - the device hardware
 * @param address - physical address
 * @param length - bytes to read
 * @returns a copy of the bytes
 * @example
 * ```ts
 * const header = readPhysical(hw, hw.acpiRsdp, 36);
 * ```
 */
export function readPhysical(hw: DeviceHardware, address: number, length: number): Uint8Array {
  try {
    return hw.physical.map(address, length).slice();
  } catch {
    const out = new Uint8Array(length);
    const start = address - (address % 4);
    for (let a = start; a < address + length; a += 4) {
      const word = hw.mmio.read(a, 4);
      for (let i = 0; i < 4; i++) {
        const at = a + i - address;
        if (at >= 0 && at < length) out[at] = (word >>> (8 * i)) & 0xff;
      }
    }
    return out;
  }
}

/**
 * Checks an ACPI checksum: all bytes sum to 0 modulo 256.
 *
 * @param bytes - the bytes covered by the checksum
 * @returns true when they sum to 0
 * @example
 * ```ts
 * acpiChecksumOk(table.bytes); // true for a valid table
 * ```
 */
export function acpiChecksumOk(bytes: Uint8Array): boolean {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return sum === 0;
}

const ascii = (bytes: Uint8Array, from: number, length: number) =>
  String.fromCharCode(...bytes.subarray(from, from + length));

/** What the RSDP points at. */
export interface Rsdp {
  /** ACPI revision: 0 for ACPI 1.0 (RSDT only), 2+ with an XSDT. */
  readonly revision: number;
  /** Physical address of the RSDT (0 if none). */
  readonly rsdtAddress: number;
  /** Physical address of the XSDT (0 if none). */
  readonly xsdtAddress: number;
}

/**
 * Parses an RSDP (ACPI 6.5 §5.2.5.3): signature `"RSD PTR "`, checksums, table addresses.
 *
 * @param bytes - at least 20 bytes (36 for revision 2+)
 * @returns the RSDP, or why it was refused
 * @example
 * ```ts
 * const r = parseRsdp(readPhysical(hw, hw.acpiRsdp, 36));
 * ```
 */
export function parseRsdp(bytes: Uint8Array): Parsed<Rsdp> {
  if (bytes.length < 20 || ascii(bytes, 0, 8) !== "RSD PTR ") return fail("no RSDP signature");
  if (!acpiChecksumOk(bytes.subarray(0, 20))) return fail("bad RSDP checksum");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const revision = bytes[15]!;
  const rsdtAddress = view.getUint32(16, true);
  let xsdtAddress = 0;
  if (revision >= 2 && bytes.length >= 36) {
    const length = view.getUint32(20, true);
    if (length >= 36 && length <= bytes.length && acpiChecksumOk(bytes.subarray(0, length))) {
      xsdtAddress = Number(view.getBigUint64(24, true));
    }
  }
  return ok({ revision, rsdtAddress, xsdtAddress });
}

/**
 * Lists the table addresses of an RSDT (4-byte entries) or XSDT (8-byte entries).
 *
 * @param bytes - the whole RSDT or XSDT
 * @returns the physical addresses it lists, or why it was refused
 * @example
 * ```ts
 * const addresses = parseRootTable(xsdtBytes);
 * ```
 */
export function parseRootTable(bytes: Uint8Array): Parsed<number[]> {
  const header = checkTable(bytes);
  if (!header.ok) return header;
  const signature = header.value;
  if (signature !== "RSDT" && signature !== "XSDT") return fail(`expected RSDT or XSDT, found "${signature}"`);
  const entry = signature === "XSDT" ? 8 : 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let at = 36; at + entry <= bytes.length && out.length < MAX_TABLES; at += entry) {
    out.push(entry === 8 ? Number(view.getBigUint64(at, true)) : view.getUint32(at, true));
  }
  return ok(out);
}

/**
 * Checks a table's header: at least 36 bytes, its length field equals `bytes.length`, checksum ok.
 *
 * @param bytes - a whole table
 * @returns its signature, or why it was refused
 * @example
 * ```ts
 * if (checkTable(bytes).ok) use(bytes);
 * ```
 */
export function checkTable(bytes: Uint8Array): Parsed<string> {
  if (bytes.length < 36) return fail("table shorter than its header");
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (length !== bytes.length) return fail(`table length ${length} does not match ${bytes.length} bytes`);
  if (!acpiChecksumOk(bytes)) return fail(`bad checksum in "${ascii(bytes, 0, 4)}"`);
  return ok(ascii(bytes, 0, 4));
}

function readTable(hw: DeviceHardware, address: number): AcpiTable | undefined {
  if (address === 0) return undefined;
  const header = readPhysical(hw, address, 36);
  const length = new DataView(header.buffer).getUint32(4, true);
  if (length < 36 || length > MAX_TABLE_BYTES) return undefined;
  const bytes = readPhysical(hw, address, length);
  const checked = checkTable(bytes);
  return checked.ok ? { signature: checked.value, address, bytes } : undefined;
}

/**
 * Finds every valid ACPI table of the machine: those the XSDT (or RSDT) lists, plus the DSDT the
 * FADT points at. Tables with a bad checksum or length are skipped.
 *
 * @param hw - the device hardware (its `acpiRsdp`)
 * @returns the tables (empty when the machine has no ACPI, e.g. Firecracker)
 * @example
 * ```ts
 * const madt = findAcpiTables(hw).find((t) => t.signature === "APIC");
 * ```
 */
export function findAcpiTables(hw: DeviceHardware): AcpiTable[] {
  if (hw.acpiRsdp === 0) return [];
  const rsdp = parseRsdp(readPhysical(hw, hw.acpiRsdp, 36));
  if (!rsdp.ok) return [];
  const root = readTable(hw, rsdp.value.xsdtAddress) ?? readTable(hw, rsdp.value.rsdtAddress);
  if (root === undefined) return [];
  const addresses = parseRootTable(root.bytes);
  if (!addresses.ok) return [];
  const tables: AcpiTable[] = [];
  for (const address of addresses.value) {
    const table = readTable(hw, address);
    if (table === undefined) continue;
    tables.push(table);
    if (table.signature === "FACP") {
      const dsdt = readTable(hw, fadtDsdtAddress(table.bytes));
      if (dsdt !== undefined && dsdt.signature === "DSDT") tables.push(dsdt);
    }
  }
  return tables;
}

/**
 * The DSDT address in a FADT (ACPI 6.5 §5.2.9: X_DSDT at 140 when present, else DSDT at 40).
 *
 * @param fadt - the whole FADT
 * @returns the DSDT's physical address, 0 if none
 * @example
 * ```ts
 * const dsdtAddress = fadtDsdtAddress(facp.bytes);
 * ```
 */
export function fadtDsdtAddress(fadt: Uint8Array): number {
  const view = new DataView(fadt.buffer, fadt.byteOffset, fadt.byteLength);
  if (fadt.length >= 148) {
    const x = Number(view.getBigUint64(140, true));
    if (x !== 0) return x;
  }
  return fadt.length >= 44 ? view.getUint32(40, true) : 0;
}
