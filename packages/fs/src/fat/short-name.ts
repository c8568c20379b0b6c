// FAT naming layer (@toro/fs/fat): long-name validation and 8.3 short-name generation with numeric
// tails `~N` (fatgen103 §7 "The Basis-Name Generation Algorithm" and "The Numeric-Tail Generation
// Algorithm"), plus the NT case bits that let all-lowercase 8.3 names skip the long-name entries.
// Pure; imports only the error helpers.
import { fsError } from "../errors.js";

/** How a long name is stored: its 11-byte short name, and whether long-name entries are needed. */
export interface ShortNamePlan {
  /** 11 bytes, space padded: 8 for the base, 3 for the extension. */
  readonly shortName: Uint8Array;
  /** `true` when the name needs VFAT long-name entries. */
  readonly needsLongName: boolean;
  /** DIR_NTRes case bits: 0x08 base is lowercase, 0x10 extension is lowercase. */
  readonly ntCase: number;
}

// fatgen103 §6: characters not allowed in short names (plus everything below 0x20).
const SHORT_INVALID = new Set([..."\"*+,./:;<=>?[\\]|"]);
// Long names may additionally hold + , ; = [ ] and spaces and periods anywhere (fatgen103 §7).
const LONG_INVALID = new Set([..."\"*/:<>?\\|"]);

/** Throws EINVAL (or ENAMETOOLONG) unless `name` can be stored in a FAT directory. */
export function checkLongName(name: string): void {
  if (name.length === 0 || name === "." || name === "..") throw fsError("EINVAL", "invalid file name", name);
  if (name.length > 255) throw fsError("ENAMETOOLONG", "name longer than 255 UTF-16 units", name);
  for (const ch of name) {
    if (ch.charCodeAt(0) < 0x20 || LONG_INVALID.has(ch)) {
      throw fsError("EINVAL", `character ${JSON.stringify(ch)} is not allowed in FAT names`, name);
    }
  }
  // Windows and Linux strip trailing periods and spaces; storing them makes names other systems cannot open.
  if (/[. ]$/.test(name)) throw fsError("EINVAL", "FAT names cannot end with a period or a space", name);
}

const isShortChar = (ch: string): boolean => {
  const c = ch.charCodeAt(0);
  return c > 0x20 && c < 0x7f && !SHORT_INVALID.has(ch);
};

const caseOf = (s: string): "lower" | "upper" | "none" | "mixed" => {
  const lower = s !== s.toUpperCase();
  const upper = s !== s.toLowerCase();
  return lower && upper ? "mixed" : lower ? "lower" : upper ? "upper" : "none";
};

/**
 * Plans the short entry of `name`. `taken(shortName)` tells whether an 11-byte short name (as a
 * latin1 string) is used in the directory already; numeric tails ~1, ~2, ... are tried until one is free.
 */
export function planShortName(name: string, taken: (short11: string) => boolean): ShortNamePlan {
  checkLongName(name);
  const dot = name.lastIndexOf(".");
  const hasExt = dot > 0;
  const base = hasExt ? name.slice(0, dot) : name;
  const ext = hasExt ? name.slice(dot + 1) : "";
  // An exact 8.3 name: only the case may force long-name entries.
  const exact =
    base.length >= 1 && base.length <= 8 && ext.length <= 3 && [...base + ext].every(isShortChar) && !(hasExt && ext.length === 0);
  if (exact) {
    const bc = caseOf(base);
    const ec = caseOf(ext);
    const short = pad(base.toUpperCase(), ext.toUpperCase());
    if (bc !== "mixed" && ec !== "mixed") {
      const ntCase = (bc === "lower" ? 0x08 : 0) | (ec === "lower" ? 0x10 : 0);
      return { shortName: latin1(short), needsLongName: false, ntCase };
    }
    if (!taken(short)) return { shortName: latin1(short), needsLongName: true, ntCase: 0 };
  }
  // Basis name (fatgen103 §7): uppercase, drop spaces and leading periods, map invalid to '_'.
  const clean = (s: string): string =>
    [...s.toUpperCase()]
      .filter((ch) => ch !== " " && ch !== ".")
      .map((ch) => (isShortChar(ch) ? ch : "_"))
      .join("");
  const stripped = name.replace(/^\.+/, "");
  const lastDot = stripped.lastIndexOf(".");
  let basis = clean(lastDot > 0 ? stripped.slice(0, lastDot) : stripped).slice(0, 8);
  const basisExt = lastDot > 0 ? clean(stripped.slice(lastDot + 1)).slice(0, 3) : "";
  if (basis.length === 0) basis = "_";
  for (let n = 1; n < 1_000_000; n++) {
    const tail = `~${n}`;
    const candidate = pad(basis.slice(0, 8 - tail.length) + tail, basisExt);
    if (!taken(candidate)) return { shortName: latin1(candidate), needsLongName: true, ntCase: 0 };
  }
  throw fsError("ENOSPC", "no free short name left in the directory", name);
}

/** VFAT checksum of an 11-byte short name, stored in every long-name entry (fatgen103 §7). */
export function shortNameChecksum(short11: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + short11[i]!) & 0xff;
  return sum;
}

function pad(base: string, ext: string): string {
  return (base + "        ").slice(0, 8) + (ext + "   ").slice(0, 3);
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(11);
  for (let i = 0; i < 11; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
