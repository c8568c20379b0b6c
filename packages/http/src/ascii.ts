// Byte helpers of @toro/http (bottom layer): the character classes of RFC 9110 §5.6.2 (tokens) and
// §5.5 (field values), Latin-1 conversions for the protocol's ASCII text, and UTF-8 decoding (the
// encoder is @toro/kernel's `encodeUtf8`). Imports nothing.

/** `tchar` of RFC 9110 §5.6.2, as a 128-entry table. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** @internal Whether byte `b` is a `tchar` (RFC 9110 §5.6.2). */
export function isTokenByte(b: number): boolean {
  return b < 128 && TCHAR[b] === 1;
}

/** @internal Whether `s` is a non-empty `token` (RFC 9110 §5.6.2). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenByte(s.charCodeAt(i))) return false;
  return true;
}

/** @internal Whether byte `b` may appear in a field value: VCHAR, obs-text, SP, HTAB (RFC 9110 §5.5). */
export function isFieldValueByte(b: number): boolean {
  return b === 0x09 || (b >= 0x20 && b !== 0x7f);
}

/** @internal Decodes bytes as Latin-1 (every byte is one char; never fails). */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = "";
  // Chunks keep the argument count of fromCharCode bounded.
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, Math.min(end, i + 4096))));
  }
  return s;
}

/** @internal Encodes a string of chars below 256 as bytes (callers have validated the text). */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** @internal ASCII lower case (header names are case-insensitive, RFC 9110 §5.1). */
export function lowerAscii(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** @internal Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** @internal UTF-8 decode; malformed sequences become U+FFFD, never throws. */
export function fromUtf8(b: Uint8Array): string {
  const codes: number[] = [];
  let s = "";
  for (let i = 0; i < b.length; ) {
    const x = b[i]!;
    let c = 0xfffd;
    let len = 1;
    if (x < 0x80) c = x;
    else if (x >= 0xc2 && x < 0xe0 && cont(b, i + 1)) {
      c = ((x & 31) << 6) | (b[i + 1]! & 63);
      len = 2;
    } else if (x >= 0xe0 && x < 0xf0 && cont(b, i + 1) && cont(b, i + 2)) {
      const v = ((x & 15) << 12) | ((b[i + 1]! & 63) << 6) | (b[i + 2]! & 63);
      if (v >= 0x800 && (v < 0xd800 || v > 0xdfff)) [c, len] = [v, 3];
    } else if (x >= 0xf0 && x < 0xf5 && cont(b, i + 1) && cont(b, i + 2) && cont(b, i + 3)) {
      const v = ((x & 7) << 18) | ((b[i + 1]! & 63) << 12) | ((b[i + 2]! & 63) << 6) | (b[i + 3]! & 63);
      if (v >= 0x10000 && v <= 0x10ffff) [c, len] = [v, 4];
    }
    if (c >= 0x10000) codes.push(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff));
    else codes.push(c);
    i += len;
    if (codes.length >= 4096) {
      s += String.fromCharCode.apply(null, codes);
      codes.length = 0;
    }
  }
  return s + String.fromCharCode.apply(null, codes);
}

function cont(b: Uint8Array, i: number): boolean {
  return i < b.length && (b[i]! & 0xc0) === 0x80;
}
