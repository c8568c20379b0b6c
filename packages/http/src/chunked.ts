// Parser layer of @toro/http: the chunk-size line of the chunked transfer coding (RFC 9112 §7.1).
// Parses outside input: never throws. Pure; imports only the byte helpers.
import { isFieldValueByte } from "./ascii.js";

/**
 * Parses one chunk-size line (without its line ending): `chunk-size [ chunk-ext ]`. Extensions are
 * ignored as RFC 9112 §7.1.1 allows, but must be made of field-value bytes.
 *
 * @param line - the line's bytes
 * @returns the chunk size, or `undefined` when the line is malformed or the size has more than 12 hex digits
 * @example
 * ```ts
 * parseChunkSize(new TextEncoder().encode("1a;name=value")); // 26
 * ```
 */
export function parseChunkSize(line: Uint8Array): number | undefined {
  let size = 0;
  let i = 0;
  for (; i < line.length; i++) {
    const d = hexValue(line[i]!);
    if (d < 0) break;
    if (i >= 12) return undefined; // 2^48 bytes: far above any limit, and exact in a double
    size = size * 16 + d;
  }
  if (i === 0) return undefined;
  // BWS before ";" (RFC 9112 §7.1.1), then the extensions.
  let j = i;
  while (j < line.length && (line[j] === 0x20 || line[j] === 0x09)) j++;
  if (j < line.length && line[j] !== 0x3b) return undefined;
  for (; j < line.length; j++) if (!isFieldValueByte(line[j]!)) return undefined;
  return size;
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}
