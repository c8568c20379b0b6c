// TCP layer (@toro/net): initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport,
// remoteip, remoteport, secretkey), M a 4-microsecond timer, F a keyed hash (HalfSipHash-2-4 here,
// 32-bit words only, cheap on QuickJS). The secret and the time are passed in. Imports nothing.

function rotl(x: number, b: number): number {
  return ((x << b) | (x >>> (32 - b))) >>> 0;
}

/**
 * HalfSipHash-2-4 of 32-bit words with a 64-bit key (`k0`, `k1`), 32-bit output.
 *
 * @param k0 - key, low word
 * @param k1 - key, high word
 * @param words - message words
 * @returns the 32-bit hash
 * @example
 * ```ts
 * halfSipHash(1, 2, [3, 4]);
 * ```
 */
export function halfSipHash(k0: number, k1: number, words: readonly number[]): number {
  let v0 = k0 >>> 0;
  let v1 = k1 >>> 0;
  let v2 = (0x6c796765 ^ k0) >>> 0;
  let v3 = (0x74656462 ^ k1) >>> 0;
  const round = (): void => {
    v0 = (v0 + v1) >>> 0;
    v1 = rotl(v1, 5) ^ v0;
    v0 = rotl(v0, 16);
    v2 = (v2 + v3) >>> 0;
    v3 = rotl(v3, 8) ^ v2;
    v0 = (v0 + v3) >>> 0;
    v3 = rotl(v3, 7) ^ v0;
    v2 = (v2 + v1) >>> 0;
    v1 = rotl(v1, 13) ^ v2;
    v2 = rotl(v2, 16);
  };
  const all = [...words, ((words.length * 4) << 24) >>> 0];
  for (const m of all) {
    v3 = (v3 ^ m) >>> 0;
    round();
    round();
    v0 = (v0 ^ m) >>> 0;
  }
  v2 = (v2 ^ 0xff) >>> 0;
  round();
  round();
  round();
  round();
  return (v1 ^ v3) >>> 0;
}

/**
 * An RFC 6528 initial sequence number.
 *
 * @param secret - at least 8 random bytes, chosen once per boot
 * @param nowMs - the stack's clock in milliseconds
 * @param localAddress - local IPv4 address
 * @param localPort - local port
 * @param remoteAddress - remote IPv4 address
 * @param remotePort - remote port
 * @returns a uint32 ISN
 * @example
 * ```ts
 * const iss = initialSequenceNumber(secret, now, me, 80, peer, 40000);
 * ```
 */
export function initialSequenceNumber(
  secret: Uint8Array,
  nowMs: number,
  localAddress: number,
  localPort: number,
  remoteAddress: number,
  remotePort: number,
): number {
  const dv = new DataView(secret.buffer, secret.byteOffset, secret.byteLength);
  const k0 = secret.length >= 4 ? dv.getUint32(0) : 0;
  const k1 = secret.length >= 8 ? dv.getUint32(4) : 0;
  const f = halfSipHash(k0, k1, [localAddress >>> 0, remoteAddress >>> 0, ((localPort << 16) | remotePort) >>> 0]);
  const m = Math.floor(nowMs * 250) % 0x100000000; // RFC 6528 §3: M ticks every 4 µs
  return (m + f) >>> 0;
}
