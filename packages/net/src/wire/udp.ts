// Wire layer (@toro/net): UDP datagrams (RFC 768) with the pseudo-header checksum. Must not import
// iface/, tcp/ or socket.
import type { Ipv4Address } from "./address.js";
import { checksumAdd, foldChecksum, partialChecksum, pseudoHeaderSum } from "./checksum.js";
import { decoded, refused, type Decoded } from "./decoded.js";

const SRC_PORT = 0;
const DST_PORT = 2;
const LENGTH = 4;
const CHECKSUM = 6;
/** Length of a UDP header. */
export const UDP_HEADER_BYTES = 8;

/**
 * A bounds-checked view over a UDP datagram; build it with {@link UdpView.check}.
 *
 * @example
 * ```ts
 * const r = UdpView.check(ip.payload);
 * if (r.ok) console.log(r.value.destinationPort);
 * ```
 */
export class UdpView {
  private readonly dv: DataView;
  /** The bytes viewed (shared with the caller). */
  readonly bytes: Uint8Array;
  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /**
   * Checks the header and the length field against the buffer.
   *
   * @param bytes - the IP payload
   * @returns the view, or why it was refused
   * @example
   * ```ts
   * UdpView.check(new Uint8Array(4)).ok; // false
   * ```
   */
  static check(bytes: Uint8Array): Decoded<UdpView> {
    if (bytes.length < UDP_HEADER_BYTES) return refused("truncated", `UDP datagram of ${bytes.length} bytes`);
    const v = new UdpView(bytes);
    if (v.length < UDP_HEADER_BYTES) return refused("bad-field", `UDP length ${v.length}`);
    if (v.length > bytes.length) return refused("truncated", `UDP length ${v.length} in ${bytes.length} bytes`);
    return decoded(v);
  }
  /** Source port. */
  get sourcePort(): number {
    return this.dv.getUint16(SRC_PORT);
  }
  /** Destination port. */
  get destinationPort(): number {
    return this.dv.getUint16(DST_PORT);
  }
  /** Length field (header + data). */
  get length(): number {
    return this.dv.getUint16(LENGTH);
  }
  /** Checksum field (0 = none was computed). */
  get checksum(): number {
    return this.dv.getUint16(CHECKSUM);
  }
  /** The data. */
  get payload(): Uint8Array {
    return this.bytes.subarray(UDP_HEADER_BYTES, this.length);
  }
  /**
   * Verifies the checksum (a zero field means "not computed" and passes, RFC 768).
   *
   * @param source - IP source
   * @param destination - IP destination
   * @returns `true` when it verifies
   * @example
   * ```ts
   * view.checksumValid(ip.source, ip.destination);
   * ```
   */
  checksumValid(source: Ipv4Address, destination: Ipv4Address): boolean {
    if (this.checksum === 0) return true;
    const bytes = this.bytes.subarray(0, this.length);
    return foldChecksum(checksumAdd(bytes, pseudoHeaderSum(source, destination, 17, bytes.length))) === 0;
  }
}

/** A decoded UDP datagram. */
export interface UdpRepr {
  /** Source port. */
  readonly sourcePort: number;
  /** Destination port. */
  readonly destinationPort: number;
  /** The data. */
  readonly payload: Uint8Array;
}

/**
 * Decodes a UDP datagram, verifying its checksum against the pseudo-header.
 *
 * @param bytes - the IP payload
 * @param source - IP source address
 * @param destination - IP destination address
 * @param options - `verifyChecksum: false` when the NIC already checked it
 * @returns the datagram, or why it was refused
 * @example
 * ```ts
 * const r = parseUdp(ip.payload, ip.source, ip.destination);
 * ```
 */
export function parseUdp(
  bytes: Uint8Array,
  source: Ipv4Address,
  destination: Ipv4Address,
  options: { verifyChecksum?: boolean } = {},
): Decoded<UdpRepr> {
  const r = UdpView.check(bytes);
  if (!r.ok) return r;
  const v = r.value;
  if (options.verifyChecksum !== false && !v.checksumValid(source, destination)) return refused("bad-checksum", "UDP checksum");
  return decoded({ sourcePort: v.sourcePort, destinationPort: v.destinationPort, payload: v.payload });
}

/**
 * The encoded length of a datagram.
 *
 * @param repr - the datagram
 * @returns 8 + payload length
 * @example
 * ```ts
 * udpByteLength({ sourcePort: 68, destinationPort: 67, payload }); // 8 + payload.length
 * ```
 */
export function udpByteLength(repr: UdpRepr): number {
  return UDP_HEADER_BYTES + repr.payload.length;
}

/**
 * Encodes a UDP datagram with its checksum (a computed 0 is sent as 0xffff, RFC 768).
 *
 * @param repr - the datagram
 * @param source - IP source address (for the pseudo-header)
 * @param destination - IP destination address
 * @param partial - leave the checksum for the NIC to finish (see {@link partialChecksum})
 * @returns the bytes
 * @example
 * ```ts
 * emitUdp({ sourcePort: 5000, destinationPort: 53, payload: query }, me, dnsServer);
 * ```
 */
export function emitUdp(repr: UdpRepr, source: Ipv4Address, destination: Ipv4Address, partial = false): Uint8Array {
  const out = new Uint8Array(udpByteLength(repr));
  const dv = new DataView(out.buffer);
  dv.setUint16(SRC_PORT, repr.sourcePort);
  dv.setUint16(DST_PORT, repr.destinationPort);
  dv.setUint16(LENGTH, out.length);
  out.set(repr.payload, UDP_HEADER_BYTES);
  if (partial) {
    dv.setUint16(CHECKSUM, partialChecksum(source, destination, 17, out.length));
    return out;
  }
  const sum = foldChecksum(checksumAdd(out, pseudoHeaderSum(source, destination, 17, out.length)));
  dv.setUint16(CHECKSUM, sum === 0 ? 0xffff : sum);
  return out;
}
