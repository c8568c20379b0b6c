// Wire layer (@toro/net): IPv4 headers (RFC 791). Options are skipped safely (their bytes are
// covered by IHL and the checksum; we never interpret them). Must not import iface/, tcp/ or socket.
import type { Ipv4Address } from "./address.js";
import { internetChecksum } from "./checksum.js";
import { decoded, refused, type Decoded } from "./decoded.js";

/** IP protocol numbers used by the stack. */
export const IpProtocol = {
  /** ICMP (1). */
  Icmp: 1,
  /** TCP (6). */
  Tcp: 6,
  /** UDP (17). */
  Udp: 17,
} as const;

const VER_IHL = 0;
const TOS = 1;
const TOTAL_LENGTH = 2;
const IDENT = 4;
const FLAGS_FRAG = 6;
const TTL = 8;
const PROTOCOL = 9;
const CHECKSUM = 10;
const SRC = 12;
const DST = 16;
/** Length of an IPv4 header without options. */
export const IPV4_HEADER_BYTES = 20;

/**
 * A bounds-checked view over an IPv4 packet; build it with {@link Ipv4View.check}.
 *
 * @example
 * ```ts
 * const r = Ipv4View.check(bytes);
 * if (r.ok) console.log(r.value.protocol, r.value.headerLength);
 * ```
 */
export class Ipv4View {
  private readonly dv: DataView;
  /** The bytes viewed (shared with the caller). */
  readonly bytes: Uint8Array;
  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Checks version, header length and total length against the buffer (not the checksum).
   *
   * @param bytes - the Ethernet payload (link padding after the packet is allowed)
   * @returns the view, or why it was refused
   * @example
   * ```ts
   * Ipv4View.check(new Uint8Array(10)).ok; // false
   * ```
   */
  static check(bytes: Uint8Array): Decoded<Ipv4View> {
    if (bytes.length < IPV4_HEADER_BYTES) return refused("truncated", `IPv4 packet of ${bytes.length} bytes`);
    const v = new Ipv4View(bytes);
    if (bytes[VER_IHL]! >> 4 !== 4) return refused("bad-field", `IP version ${bytes[VER_IHL]! >> 4}`);
    const ihl = v.headerLength;
    if (ihl < IPV4_HEADER_BYTES) return refused("bad-field", `IHL ${ihl / 4} below 5`);
    if (ihl > bytes.length) return refused("truncated", `header of ${ihl} bytes in ${bytes.length}`);
    const total = v.totalLength;
    if (total < ihl) return refused("bad-field", `total length ${total} below header length ${ihl}`);
    if (total > bytes.length) return refused("truncated", `total length ${total} in ${bytes.length} bytes`);
    return decoded(v);
  }

  /** Header length in bytes (IHL × 4). */
  get headerLength(): number {
    return (this.bytes[VER_IHL]! & 15) * 4;
  }
  /** The DSCP/ECN byte. */
  get tos(): number {
    return this.bytes[TOS]!;
  }
  /** Total length field. */
  get totalLength(): number {
    return this.dv.getUint16(TOTAL_LENGTH);
  }
  /** Identification. */
  get ident(): number {
    return this.dv.getUint16(IDENT);
  }
  /** DF flag. */
  get dontFragment(): boolean {
    return (this.dv.getUint16(FLAGS_FRAG) & 0x4000) !== 0;
  }
  /** MF flag. */
  get moreFragments(): boolean {
    return (this.dv.getUint16(FLAGS_FRAG) & 0x2000) !== 0;
  }
  /** Fragment offset in bytes. */
  get fragmentOffset(): number {
    return (this.dv.getUint16(FLAGS_FRAG) & 0x1fff) * 8;
  }
  /** Time to live. */
  get ttl(): number {
    return this.bytes[TTL]!;
  }
  /** Protocol number ({@link IpProtocol}). */
  get protocol(): number {
    return this.bytes[PROTOCOL]!;
  }
  /** Source address. */
  get source(): Ipv4Address {
    return this.dv.getUint32(SRC);
  }
  /** Destination address. */
  get destination(): Ipv4Address {
    return this.dv.getUint32(DST);
  }
  /** `true` when the header checksum verifies. */
  get checksumValid(): boolean {
    return internetChecksum(this.bytes.subarray(0, this.headerLength)) === 0;
  }
  /** The payload: after the header (and options), up to the total length. */
  get payload(): Uint8Array {
    return this.bytes.subarray(this.headerLength, this.totalLength);
  }
}

/** A decoded IPv4 packet (or fragment). */
export interface Ipv4Repr {
  /** Source address. */
  readonly source: Ipv4Address;
  /** Destination address. */
  readonly destination: Ipv4Address;
  /** Protocol number ({@link IpProtocol}). */
  readonly protocol: number;
  /** Time to live (64 when emitting by default). */
  readonly ttl: number;
  /** Identification. */
  readonly ident: number;
  /** DSCP/ECN byte. */
  readonly tos: number;
  /** DF flag. */
  readonly dontFragment: boolean;
  /** MF flag. */
  readonly moreFragments: boolean;
  /** Fragment offset in bytes (a multiple of 8). */
  readonly fragmentOffset: number;
  /** The payload. */
  readonly payload: Uint8Array;
}

/**
 * Decodes an IPv4 packet, skipping options and verifying the header checksum.
 *
 * @param bytes - the Ethernet payload
 * @param options - `verifyChecksum: false` to skip the header checksum check
 * @returns the packet, or why it was refused
 * @example
 * ```ts
 * const r = parseIpv4(ethernet.payload);
 * if (r.ok && r.value.protocol === IpProtocol.Udp) handleUdp(r.value);
 * ```
 */
export function parseIpv4(bytes: Uint8Array, options: { verifyChecksum?: boolean } = {}): Decoded<Ipv4Repr> {
  const r = Ipv4View.check(bytes);
  if (!r.ok) return r;
  const v = r.value;
  if (options.verifyChecksum !== false && !v.checksumValid) return refused("bad-checksum", "IPv4 header checksum");
  return decoded({
    source: v.source,
    destination: v.destination,
    protocol: v.protocol,
    ttl: v.ttl,
    ident: v.ident,
    tos: v.tos,
    dontFragment: v.dontFragment,
    moreFragments: v.moreFragments,
    fragmentOffset: v.fragmentOffset,
    payload: v.payload,
  });
}

/**
 * The encoded length of a Repr (we never emit options).
 *
 * @param repr - the packet
 * @returns 20 + payload length
 * @example
 * ```ts
 * ipv4ByteLength(repr); // 20 + repr.payload.length
 * ```
 */
export function ipv4ByteLength(repr: Pick<Ipv4Repr, "payload">): number {
  return IPV4_HEADER_BYTES + repr.payload.length;
}

/**
 * Encodes an IPv4 packet with a computed header checksum.
 *
 * @param repr - the packet
 * @param out - optional buffer to write into (at `offset`)
 * @param offset - where the header starts in `out`
 * @returns the bytes written (a view of `out` when given)
 * @example
 * ```ts
 * const packet = emitIpv4({ source, destination, protocol: 17, ttl: 64, ident: 1, tos: 0,
 *   dontFragment: true, moreFragments: false, fragmentOffset: 0, payload });
 * ```
 */
export function emitIpv4(repr: Ipv4Repr, out?: Uint8Array, offset = 0): Uint8Array {
  const length = ipv4ByteLength(repr);
  const buf = out ? out.subarray(offset, offset + length) : new Uint8Array(length);
  writeIpv4Header(buf, repr, length);
  buf.set(repr.payload, IPV4_HEADER_BYTES);
  return buf;
}

/** @internal Writes a 20-byte header (checksum included) at the start of `buf`. */
export function writeIpv4Header(buf: Uint8Array, repr: Omit<Ipv4Repr, "payload">, totalLength: number): void {
  const dv = new DataView(buf.buffer, buf.byteOffset, IPV4_HEADER_BYTES);
  buf[VER_IHL] = 0x45;
  buf[TOS] = repr.tos & 255;
  dv.setUint16(TOTAL_LENGTH, totalLength);
  dv.setUint16(IDENT, repr.ident & 0xffff);
  dv.setUint16(FLAGS_FRAG, (repr.dontFragment ? 0x4000 : 0) | (repr.moreFragments ? 0x2000 : 0) | ((repr.fragmentOffset >>> 3) & 0x1fff));
  buf[TTL] = repr.ttl & 255;
  buf[PROTOCOL] = repr.protocol & 255;
  dv.setUint16(CHECKSUM, 0);
  dv.setUint32(SRC, repr.source >>> 0);
  dv.setUint32(DST, repr.destination >>> 0);
  dv.setUint16(CHECKSUM, internetChecksum(buf.subarray(0, IPV4_HEADER_BYTES)));
}
