// FAT on-disk layer (@toro/fs/fat): the 32-byte directory entry — short (8.3) entries and VFAT
// long-name entries (fatgen103 §6 "FAT Directory Structure", §7 "FAT Long Directory Entries").
// Decoding a directory never throws: orphaned or mismatched long-name entries fall back to the short
// name, as the spec asks. Short names are decoded in an OEM code page (CP850 unless told otherwise).
// Pure: bytes in, values out; imports only naming helpers.
import { decodeOem, type OemCodePage } from "./code-page.js";
import { shortNameChecksum } from "./short-name.js";

/** Attribute bits of DIR_Attr (fatgen103 §6). */
export const ATTR = {
  READ_ONLY: 0x01,
  HIDDEN: 0x02,
  SYSTEM: 0x04,
  VOLUME_ID: 0x08,
  DIRECTORY: 0x10,
  ARCHIVE: 0x20,
  LONG_NAME: 0x0f,
} as const;

/** Size of one directory entry in bytes. */
export const ENTRY_SIZE = 32;
/** DIR_Name[0] of a deleted entry. */
export const DELETED = 0xe5;

/** One file or directory as read from a directory. */
export interface DirRecord {
  /** The long name if a valid one precedes the entry, else the short name (case bits applied). */
  readonly name: string;
  /** The 11 raw bytes of the short name. */
  readonly shortName: Uint8Array;
  /** The short name as an 11-character latin1 string (for collision checks). */
  readonly shortKey: string;
  readonly attr: number;
  /** DIR_NTRes: NT case bits (0x08 base lowercase, 0x10 extension lowercase). */
  readonly ntRes: number;
  readonly firstCluster: number;
  readonly size: number;
  /** Slot (entry index) of the short entry. */
  readonly slot: number;
  /** Number of long-name slots right before `slot`. */
  readonly longSlots: number;
  readonly createDate: number;
  readonly createTime: number;
  readonly createTenths: number;
  readonly accessDate: number;
  readonly writeDate: number;
  readonly writeTime: number;
}

/** The result of scanning a directory's bytes. */
export interface DirScan {
  readonly records: DirRecord[];
  /** Free slots (deleted, or at/after the end marker). */
  readonly freeSlots: boolean[];
  /** Short names in use (latin1 keys), including "." and "..". */
  readonly shortKeys: Set<string>;
  /**
   * Records by {@link nameKey} of their name and of their short name; when two records claim a key the
   * first in slot order keeps it (as a linear search would find it).
   */
  readonly byName: Map<string, DirRecord>;
}

/** The case-insensitive lookup key of a name (FAT compares names without case, fatgen103 §7). */
export function nameKey(name: string): string {
  return name.toUpperCase();
}

/** Finds the record named `name` (long or short name, any case). */
export function findByName(scan: DirScan, name: string): DirRecord | undefined {
  return scan.byName.get(nameKey(name));
}

/**
 * Scans a directory's raw bytes. Skips ".", "..", volume labels and deleted entries; stops at the
 * first entry whose first byte is 0 (fatgen103 §6: no allocated entries follow it).
 */
export function scanDirectory(bytes: Uint8Array, codePage: OemCodePage = 850): DirScan {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = Math.floor(bytes.length / ENTRY_SIZE);
  const records: DirRecord[] = [];
  const freeSlots = new Array<boolean>(count).fill(false);
  const shortKeys = new Set<string>();
  let lfn: { parts: string[]; checksum: number; expect: number; start: number; total: number } | undefined;
  for (let slot = 0; slot < count; slot++) {
    const o = slot * ENTRY_SIZE;
    const first = bytes[o]!;
    if (first === 0) {
      for (let s = slot; s < count; s++) freeSlots[s] = true;
      break;
    }
    if (first === DELETED) {
      freeSlots[slot] = true;
      lfn = undefined;
      continue;
    }
    const attr = bytes[o + 11]!;
    if ((attr & 0x3f) === ATTR.LONG_NAME) {
      const ord = first & 0x3f;
      if (first & 0x40) {
        lfn = ord >= 1 && ord <= 20 ? { parts: [], checksum: bytes[o + 13]!, expect: ord, start: slot, total: ord } : undefined;
      } else if (!lfn || ord !== lfn.expect || bytes[o + 13] !== lfn.checksum) {
        lfn = undefined;
        continue;
      }
      if (lfn) {
        lfn.parts[ord - 1] = longNamePart(v, o);
        lfn.expect = ord - 1;
      }
      continue;
    }
    const shortName = bytes.slice(o, o + 11);
    const shortKey = String.fromCharCode(...shortName);
    shortKeys.add(shortKey);
    const isDots = shortKey === ".          " || shortKey === "..         ";
    let name: string | undefined;
    let longSlots = 0;
    if (lfn && lfn.expect === 0 && lfn.checksum === shortNameChecksum(shortName) && lfn.start + lfn.total === slot) {
      const joined = lfn.parts.join("");
      const end = joined.indexOf("\u0000");
      name = end >= 0 ? joined.slice(0, end) : joined;
      longSlots = lfn.total;
    }
    lfn = undefined;
    if (isDots || attr & ATTR.VOLUME_ID) continue;
    const shown = displayShortName(shortName, bytes[o + 12]!, codePage);
    records.push({ name: name && name.length > 0 ? name : shown, shortName, shortKey, slot, longSlots, ...entryFields(v, o) });
  }
  const byName = new Map<string, DirRecord>();
  for (const r of records) {
    const long = nameKey(r.name);
    const short = nameKey(displayShortName(r.shortName, 0, codePage));
    if (!byName.has(long)) byName.set(long, r);
    if (!byName.has(short)) byName.set(short, r);
  }
  return { records, freeSlots, shortKeys, byName };
}

// The fields of the short entry at byte `o` that change over a file's life (fatgen103 §6).
function entryFields(v: DataView, o: number) {
  return {
    attr: v.getUint8(o + 11),
    ntRes: v.getUint8(o + 12),
    firstCluster: (v.getUint16(o + 20, true) << 16) | v.getUint16(o + 26, true),
    size: v.getUint32(o + 28, true),
    createTenths: v.getUint8(o + 13),
    createTime: v.getUint16(o + 14, true),
    createDate: v.getUint16(o + 16, true),
    accessDate: v.getUint16(o + 18, true),
    writeTime: v.getUint16(o + 22, true),
    writeDate: v.getUint16(o + 24, true),
  };
}

/**
 * Updates a scan after the short entry at `slot` was rewritten with the same name (new size, first
 * cluster, times or attributes), without rescanning the directory. Returns false when `slot` holds
 * no record of the scan (the caller must rescan).
 */
export function patchScan(scan: DirScan, slot: number, entry: Uint8Array, codePage: OemCodePage = 850): boolean {
  const { records } = scan;
  let lo = 0;
  let hi = records.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = records[mid]!;
    if (r.slot === slot) {
      if (String.fromCharCode(...entry.subarray(0, 11)) !== r.shortKey) return false;
      const next: DirRecord = { ...r, ...entryFields(new DataView(entry.buffer, entry.byteOffset, entry.byteLength), 0) };
      records[mid] = next;
      for (const k of [nameKey(r.name), nameKey(displayShortName(r.shortName, 0, codePage))]) {
        if (scan.byName.get(k) === r) scan.byName.set(k, next);
      }
      return true;
    }
    if (r.slot < slot) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function longNamePart(v: DataView, o: number): string {
  // fatgen103 §7: LDIR_Name1 (5 chars at 1), LDIR_Name2 (6 at 14), LDIR_Name3 (2 at 28), UTF-16LE.
  const units: number[] = [];
  for (const [at, n] of [[1, 5], [14, 6], [28, 2]] as const) {
    for (let i = 0; i < n; i++) units.push(v.getUint16(o + at + i * 2, true));
  }
  return String.fromCharCode(...units);
}

/** The short name as shown to users: "NAME.EXT", lowercased where the NT case bits say so. */
export function displayShortName(short11: Uint8Array, ntRes: number, codePage: OemCodePage = 850): string {
  const chars = Array.from(short11, (b, i) => (i === 0 && b === 0x05 ? 0xe5 : b)); // 0x05 stands for 0xE5
  let base = decodeOem(chars.slice(0, 8), codePage).replace(/ +$/, "");
  let ext = decodeOem(chars.slice(8, 11), codePage).replace(/ +$/, "");
  if (ntRes & 0x08) base = base.toLowerCase();
  if (ntRes & 0x10) ext = ext.toLowerCase();
  return ext.length > 0 ? `${base}.${ext}` : base;
}

/** Fields of a short entry to encode. */
export interface ShortEntryFields {
  readonly shortName: Uint8Array;
  readonly attr: number;
  readonly ntCase: number;
  readonly firstCluster: number;
  readonly size: number;
  readonly createDate: number;
  readonly createTime: number;
  readonly createTenths: number;
  readonly accessDate: number;
  readonly writeDate: number;
  readonly writeTime: number;
}

/** Encodes a short entry (32 bytes). */
export function encodeShortEntry(f: ShortEntryFields): Uint8Array {
  const b = new Uint8Array(ENTRY_SIZE);
  const v = new DataView(b.buffer);
  b.set(f.shortName.subarray(0, 11), 0);
  b[11] = f.attr;
  b[12] = f.ntCase;
  b[13] = f.createTenths;
  v.setUint16(14, f.createTime, true);
  v.setUint16(16, f.createDate, true);
  v.setUint16(18, f.accessDate, true);
  v.setUint16(20, (f.firstCluster >>> 16) & 0xffff, true);
  v.setUint16(22, f.writeTime, true);
  v.setUint16(24, f.writeDate, true);
  v.setUint16(26, f.firstCluster & 0xffff, true);
  v.setUint32(28, f.size, true);
  return b;
}

/** Encodes the long-name entries of `name` in on-disk order (last part first, fatgen103 §7). */
export function encodeLongEntries(name: string, short11: Uint8Array): Uint8Array[] {
  const checksum = shortNameChecksum(short11);
  const count = Math.ceil(name.length / 13);
  const out: Uint8Array[] = [];
  for (let ord = count; ord >= 1; ord--) {
    const b = new Uint8Array(ENTRY_SIZE);
    const v = new DataView(b.buffer);
    b[0] = ord | (ord === count ? 0x40 : 0);
    b[11] = ATTR.LONG_NAME;
    b[13] = checksum;
    let k = 0;
    for (const [at, n] of [[1, 5], [14, 6], [28, 2]] as const) {
      for (let i = 0; i < n; i++, k++) {
        const idx = (ord - 1) * 13 + k;
        // After the name: one 0x0000 terminator, then 0xFFFF padding.
        const unit = idx < name.length ? name.charCodeAt(idx) : idx === name.length ? 0 : 0xffff;
        v.setUint16(at + i * 2, unit, true);
      }
    }
    out.push(b);
  }
  return out;
}
