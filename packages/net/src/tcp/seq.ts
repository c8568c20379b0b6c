// TCP layer (@toro/net): wrap-aware sequence-number arithmetic (RFC 9293 §3.4: comparisons are
// modulo 2^32; RFC 1982 serial-number style). Sequence numbers are uint32 numbers; every comparison
// goes through these functions, never `<` on raw values. Imports nothing.

/**
 * Adds `n` (may be negative) to a sequence number, modulo 2^32.
 *
 * @param a - sequence number
 * @param n - amount
 * @returns `(a + n) mod 2^32`
 * @example
 * ```ts
 * seqAdd(0xffffffff, 2); // 1
 * ```
 */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/**
 * The signed distance from `b` to `a` (`a - b` as int32).
 *
 * @param a - sequence number
 * @param b - sequence number
 * @returns a value in [-2^31, 2^31)
 * @example
 * ```ts
 * seqDiff(1, 0xffffffff); // 2
 * ```
 */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * `a < b` modulo 2^32.
 *
 * @param a - sequence number
 * @param b - sequence number
 * @returns whether `a` precedes `b`
 * @example
 * ```ts
 * seqLt(0xfffffff0, 5); // true (wrapped)
 * ```
 */
export function seqLt(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

/**
 * `a <= b` modulo 2^32.
 *
 * @param a - sequence number
 * @param b - sequence number
 * @returns whether `a` precedes or equals `b`
 * @example
 * ```ts
 * seqLe(7, 7); // true
 * ```
 */
export function seqLe(a: number, b: number): boolean {
  return seqDiff(a, b) <= 0;
}

/**
 * `a > b` modulo 2^32.
 *
 * @param a - sequence number
 * @param b - sequence number
 * @returns whether `a` follows `b`
 * @example
 * ```ts
 * seqGt(3, 0xffffffff); // true
 * ```
 */
export function seqGt(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

/**
 * `a >= b` modulo 2^32.
 *
 * @param a - sequence number
 * @param b - sequence number
 * @returns whether `a` follows or equals `b`
 * @example
 * ```ts
 * seqGe(3, 3); // true
 * ```
 */
export function seqGe(a: number, b: number): boolean {
  return seqDiff(a, b) >= 0;
}

/**
 * The later of two sequence numbers.
 *
 * @param a - sequence number
 * @param b - sequence number
 * @returns `a` if `a >= b`, else `b`
 * @example
 * ```ts
 * seqMax(1, 0xffffffff); // 1
 * ```
 */
export function seqMax(a: number, b: number): number {
  return seqGe(a, b) ? a : b;
}

/**
 * `start <= x < start + length` modulo 2^32 (RFC 9293 §3.4's window tests).
 *
 * @param x - sequence number tested
 * @param start - left edge
 * @param length - window length (>= 0)
 * @returns whether `x` lies in the window
 * @example
 * ```ts
 * seqInWindow(2, 0xffffffff, 10); // true
 * ```
 */
export function seqInWindow(x: number, start: number, length: number): boolean {
  const d = (x - start) >>> 0;
  return d < length;
}
