// Runtime layer (runs inside the image): the UTF-8 codec behind TextEncoder/TextDecoder, as pure
// functions over strings and bytes, following the WHATWG Encoding Standard §4 (the UTF-8 encoder
// and decoder, with U+FFFD for every maximal invalid subpart). Imports nothing.

const REPLACEMENT = 0xfffd;

/** Number of UTF-8 bytes `s` encodes to (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLow(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Encodes `s` into `dest` from its start, never splitting a character: stops at the first one that
 * does not fit. Lone surrogates become U+FFFD.
 *
 * @returns `read` (UTF-16 code units consumed) and `written` (bytes)
 */
export function encodeUtf8Into(s: string, dest: Uint8Array): { read: number; written: number } {
  let w = 0;
  let i = 0;
  const cap = dest.length;
  for (; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      if (w >= cap) break;
      dest[w++] = c;
      continue;
    }
    if (c < 0x800) {
      if (w + 2 > cap) break;
      dest[w++] = 0xc0 | (c >> 6);
      dest[w++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && isLow(next)) {
        if (w + 4 > cap) break;
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        dest[w++] = 0xf0 | (c >> 18);
        dest[w++] = 0x80 | ((c >> 12) & 0x3f);
        dest[w++] = 0x80 | ((c >> 6) & 0x3f);
        dest[w++] = 0x80 | (c & 0x3f);
        i++;
        continue;
      }
      c = REPLACEMENT;
    }
    if (w + 3 > cap) break;
    dest[w++] = 0xe0 | (c >> 12);
    dest[w++] = 0x80 | ((c >> 6) & 0x3f);
    dest[w++] = 0x80 | (c & 0x3f);
  }
  return { read: i, written: w };
}

/**
 * Encodes a string as UTF-8, as `TextEncoder` does (lone surrogates become U+FFFD), for units that
 * must not depend on the runtime's globals (the public `@toro/kernel` export).
 *
 * @param s - the text
 * @returns its UTF-8 bytes, in a new array of exactly their length
 * @example
 * ```ts
 * encodeUtf8("é☃"); // Uint8Array(5) [ 195, 169, 226, 152, 131 ]
 * ```
 */
export function encodeUtf8(s: string): Uint8Array {
  const out = new Uint8Array(utf8Length(s));
  encodeUtf8Into(s, out);
  return out;
}

/**
 * A streaming UTF-8 decoder (WHATWG Encoding §4.2.1): state survives between `decode` calls so a
 * character split across chunks decodes whole. With `fatal`, the first error returns `null`.
 */
export class Utf8Decoder {
  private needed = 0;
  private seen = 0;
  private codePoint = 0;
  private lower = 0x80;
  private upper = 0xbf;

  /**
   * Decodes `bytes`; when `end` is true, an unfinished character at the end is an error.
   * @returns the text, or `null` on the first error when `fatal`
   */
  decode(bytes: Uint8Array, end: boolean, fatal: boolean): string | null {
    const units: number[] = [];
    let out = "";
    const n = bytes.length;
    for (let i = 0; i < n; i++) {
      const b = bytes[i]!;
      if (this.needed === 0) {
        if (b < 0x80) units.push(b);
        else if (b >= 0xc2 && b <= 0xdf) {
          this.needed = 1;
          this.codePoint = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) this.lower = 0xa0;
          if (b === 0xed) this.upper = 0x9f;
          this.needed = 2;
          this.codePoint = b & 0xf;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) this.lower = 0x90;
          if (b === 0xf4) this.upper = 0x8f;
          this.needed = 3;
          this.codePoint = b & 0x7;
        } else if (fatal) return null;
        else units.push(REPLACEMENT);
      } else if (b < this.lower || b > this.upper) {
        // The sequence so far is one error; the byte itself starts over (the spec's "prepend").
        this.reset();
        if (fatal) return null;
        units.push(REPLACEMENT);
        i--;
      } else {
        this.lower = 0x80;
        this.upper = 0xbf;
        this.codePoint = (this.codePoint << 6) | (b & 0x3f);
        if (++this.seen === this.needed) {
          const cp = this.codePoint;
          this.reset();
          if (cp > 0xffff) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
          else units.push(cp);
        }
      }
      // Flush in chunks: fromCharCode.apply has an argument-count limit.
      if (units.length >= 8192) out += String.fromCharCode.apply(null, units.splice(0));
    }
    if (end && this.needed !== 0) {
      this.reset();
      if (fatal) return null;
      units.push(REPLACEMENT);
    }
    return out + String.fromCharCode.apply(null, units);
  }

  /** Forgets any partial character. */
  reset(): void {
    this.needed = this.seen = this.codePoint = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }
}
