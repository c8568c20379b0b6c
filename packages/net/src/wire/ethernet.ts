// Wire layer (@toro/net): Ethernet II frames (IEEE 802.3 with a type field; no FCS — NICs strip it).
// A View reads fields in place; a Repr is the decoded value. Must not import iface/, tcp/ or socket.
import { decoded, refused, type Decoded } from "./decoded.js";

/** Known EtherType values. */
export const EtherType = {
  /** IPv4 (0x0800). */
  Ipv4: 0x0800,
  /** ARP (0x0806). */
  Arp: 0x0806,
  /** IPv6 (0x86dd), recognised but not handled. */
  Ipv6: 0x86dd,
} as const;

const DST = 0;
const SRC = 6;
const TYPE = 12;
/** Length of an Ethernet II header. */
export const ETHERNET_HEADER_BYTES = 14;

/**
 * A bounds-checked view over an Ethernet II frame; build it with {@link EthernetView.check}.
 *
 * @example
 * ```ts
 * const r = EthernetView.check(frame);
 * if (r.ok && r.value.etherType === EtherType.Arp) handleArp(r.value.payload);
 * ```
 */
export class EthernetView {
  /** The bytes viewed (shared with the caller). */
  readonly bytes: Uint8Array;
  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /**
   * Checks that `bytes` can hold an Ethernet header.
   *
   * @param bytes - a received frame
   * @returns the view, or `truncated`
   * @example
   * ```ts
   * EthernetView.check(new Uint8Array(14)).ok; // true
   * ```
   */
  static check(bytes: Uint8Array): Decoded<EthernetView> {
    if (bytes.length < ETHERNET_HEADER_BYTES) return refused("truncated", `frame of ${bytes.length} bytes`);
    return decoded(new EthernetView(bytes));
  }

  /** Destination MAC (a copy). */
  get destination(): Uint8Array {
    return this.bytes.slice(DST, DST + 6);
  }
  /** Source MAC (a copy). */
  get source(): Uint8Array {
    return this.bytes.slice(SRC, SRC + 6);
  }
  /** The EtherType field. */
  get etherType(): number {
    return (this.bytes[TYPE]! << 8) | this.bytes[TYPE + 1]!;
  }
  /** The bytes after the header (shares memory with the frame). */
  get payload(): Uint8Array {
    return this.bytes.subarray(ETHERNET_HEADER_BYTES);
  }
}

/** A decoded Ethernet II frame. */
export interface EthernetRepr {
  /** Destination MAC, 6 bytes. */
  readonly destination: Uint8Array;
  /** Source MAC, 6 bytes. */
  readonly source: Uint8Array;
  /** EtherType, e.g. {@link EtherType}.Ipv4. */
  readonly etherType: number;
  /** The payload (may include link padding after the IP packet). */
  readonly payload: Uint8Array;
}

/**
 * Decodes an Ethernet II frame.
 *
 * @param bytes - the frame without FCS
 * @returns the frame, or `truncated`
 * @example
 * ```ts
 * const r = parseEthernet(frame);
 * if (r.ok) console.log(r.value.etherType.toString(16));
 * ```
 */
export function parseEthernet(bytes: Uint8Array): Decoded<EthernetRepr> {
  const v = EthernetView.check(bytes);
  if (!v.ok) return v;
  const view = v.value;
  return decoded({ destination: view.destination, source: view.source, etherType: view.etherType, payload: view.payload });
}

/**
 * The frame length of a Repr.
 *
 * @param repr - the frame
 * @returns header plus payload bytes
 * @example
 * ```ts
 * ethernetByteLength({ destination, source, etherType: 0x0800, payload }); // 14 + payload.length
 * ```
 */
export function ethernetByteLength(repr: EthernetRepr): number {
  return ETHERNET_HEADER_BYTES + repr.payload.length;
}

/**
 * Encodes a frame into a new buffer.
 *
 * @param repr - the frame
 * @returns the bytes
 * @example
 * ```ts
 * const frame = emitEthernet({ destination: MAC_BROADCAST, source: nic.mac, etherType: EtherType.Arp, payload });
 * ```
 */
export function emitEthernet(repr: EthernetRepr): Uint8Array {
  const out = new Uint8Array(ethernetByteLength(repr));
  writeEthernetHeader(out, repr.destination, repr.source, repr.etherType);
  out.set(repr.payload, ETHERNET_HEADER_BYTES);
  return out;
}

/** @internal Writes the 14-byte header at the start of `out`. */
export function writeEthernetHeader(out: Uint8Array, destination: Uint8Array, source: Uint8Array, etherType: number): void {
  out.set(destination.subarray(0, 6), DST);
  out.set(source.subarray(0, 6), SRC);
  out[TYPE] = etherType >>> 8;
  out[TYPE + 1] = etherType & 255;
}
