// Wire layer (@toro/net): the Internet checksum (RFC 1071) and the TCP/UDP pseudo-header sum
// (RFC 9293 §3.1, RFC 768). Imports only addresses.
import type { Ipv4Address } from "./address.js";

/**
 * Adds the bytes to a running one's-complement sum (unfolded; feed the result to {@link foldChecksum}).
 *
 * @param bytes - the data, read as big-endian 16-bit words (an odd last byte is padded with zero)
 * @param initial - a sum from earlier calls
 * @returns the new running sum
 * @example
 * ```ts
 * const sum = checksumAdd(payload, pseudoHeaderSum(src, dst, 17, payload.length));
 * ```
 */
export function checksumAdd(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const n = bytes.length & ~1;
  for (let i = 0; i < n; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (bytes.length & 1) sum += bytes[n]! << 8;
  // Fold now and then so the number never leaves the exact-integer range, whatever the input size.
  return sum > 0x3fffffff ? (sum & 0xffff) + Math.floor(sum / 0x10000) : sum;
}

/**
 * Folds a running sum to 16 bits and complements it: the value to store in a checksum field.
 *
 * @param sum - a running sum from {@link checksumAdd}
 * @returns the 16-bit checksum
 * @example
 * ```ts
 * foldChecksum(checksumAdd(header)); // 0 when the header's checksum field is right
 * ```
 */
export function foldChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/**
 * The Internet checksum of a byte range (RFC 1071).
 *
 * @param bytes - the data
 * @returns the 16-bit checksum; a range whose checksum field is already right gives 0
 * @example
 * ```ts
 * internetChecksum(ipv4Header); // 0 for a valid header
 * ```
 */
export function internetChecksum(bytes: Uint8Array): number {
  return foldChecksum(checksumAdd(bytes));
}

/**
 * The value a sender puts in a TCP/UDP checksum field when the NIC finishes the checksum (virtio
 * 1.2 §5.1.6.2 `VIRTIO_NET_HDR_F_NEEDS_CSUM`, Linux `CHECKSUM_PARTIAL`): the folded pseudo-header
 * sum, not complemented; the device adds the segment's bytes and complements.
 *
 * @param src - source address
 * @param dst - destination address
 * @param protocol - 6 for TCP, 17 for UDP
 * @param length - transport header plus payload length
 * @returns the 16-bit partial checksum
 * @example
 * ```ts
 * partialChecksum(0x0a090001, 0x0a090002, 6, 40); // 0x1443
 * ```
 */
export function partialChecksum(src: Ipv4Address, dst: Ipv4Address, protocol: number, length: number): number {
  return ~foldChecksum(pseudoHeaderSum(src, dst, protocol, length)) & 0xffff;
}

/**
 * The unfolded sum of the IPv4 pseudo-header used by TCP and UDP checksums.
 *
 * @param src - source address
 * @param dst - destination address
 * @param protocol - 6 for TCP, 17 for UDP
 * @param length - the transport header plus payload length
 * @returns a running sum to pass to {@link checksumAdd}
 * @example
 * ```ts
 * const sum = checksumAdd(segment, pseudoHeaderSum(src, dst, 6, segment.length));
 * ```
 */
export function pseudoHeaderSum(src: Ipv4Address, dst: Ipv4Address, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}
