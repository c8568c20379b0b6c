// Static-web-server, protocol layer: the Range request header for byte ranges (RFC 9110 §14.1.2,
// §14.2). One range is served as 206; several ranges are ignored (a full 200 is allowed by §14.2),
// which spares multipart/byteranges. Pure; parses outside input and never throws.

/**
 * What a Range header asks of a representation of `size` bytes.
 *
 * @example
 * ```ts
 * const r: RangeRequest = parseRange("bytes=0-99", 1000); // { kind: "range", start: 0, end: 99 }
 * ```
 */
export type RangeRequest =
  | { readonly kind: "none" }
  | { readonly kind: "range"; readonly start: number; readonly end: number }
  | { readonly kind: "unsatisfiable" };

/**
 * Parses a Range header value against a size.
 *
 * @param value - the header value, e.g. `bytes=0-499`, `bytes=500-`, `bytes=-500`
 * @param size - the representation's length in bytes
 * @returns `none` (serve it all: absent, malformed, another unit, or several ranges), one inclusive
 *   range clipped to the size, or `unsatisfiable` (416)
 * @example
 * ```ts
 * parseRange("bytes=-500", 10_000); // { kind: "range", start: 9500, end: 9999 }
 * ```
 */
export function parseRange(value: string | null, size: number): RangeRequest {
  if (value === null) return { kind: "none" };
  const m = /^bytes[ \t]*=[ \t]*([0-9]*)[ \t]*-[ \t]*([0-9]*)[ \t]*$/i.exec(value);
  if (!m || (m[1] === "" && m[2] === "") || m[1]!.length > 15 || m[2]!.length > 15) return { kind: "none" };
  if (m[1] === "") {
    // suffix-range: the last N bytes (§14.1.2)
    const n = Number(m[2]);
    if (n === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "range", start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Number(m[2]);
  if (m[2] !== "" && end < start) return { kind: "none" }; // invalid range-spec: ignore the header (§14.2)
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "range", start, end: Math.min(end, size - 1) };
}
