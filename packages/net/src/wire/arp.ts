// Wire layer (@toro/net): ARP for IPv4 over Ethernet (RFC 826). Only hardware type 1 and protocol
// type 0x0800 are modelled; anything else is `unsupported`. Must not import iface/, tcp/ or socket.
import type { Ipv4Address } from "./address.js";
import { decoded, refused, type Decoded } from "./decoded.js";

/** ARP opcodes (RFC 826). */
export const ArpOperation = {
  /** who-has (1). */
  Request: 1,
  /** is-at (2). */
  Reply: 2,
} as const;

const HTYPE = 0;
const PTYPE = 2;
const HLEN = 4;
const PLEN = 5;
const OPER = 6;
const SHA = 8;
const SPA = 14;
const THA = 18;
const TPA = 24;
/** Length of an Ethernet/IPv4 ARP packet. */
export const ARP_BYTES = 28;

/**
 * A bounds-checked view over an ARP packet; build it with {@link ArpView.check}.
 *
 * @example
 * ```ts
 * const r = ArpView.check(payload);
 * if (r.ok) console.log(r.value.operation);
 * ```
 */
export class ArpView {
  private readonly dv: DataView;
  /** The bytes viewed (shared with the caller). */
  readonly bytes: Uint8Array;
  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * Checks length and the Ethernet/IPv4 hardware and protocol fields.
   *
   * @param bytes - the Ethernet payload
   * @returns the view, or why it was refused
   * @example
   * ```ts
   * ArpView.check(new Uint8Array(3)).ok; // false ("truncated")
   * ```
   */
  static check(bytes: Uint8Array): Decoded<ArpView> {
    if (bytes.length < ARP_BYTES) return refused("truncated", `ARP packet of ${bytes.length} bytes`);
    const v = new ArpView(bytes);
    if (v.dv.getUint16(HTYPE) !== 1 || v.dv.getUint16(PTYPE) !== 0x0800) {
      return refused("unsupported", "ARP for a hardware/protocol pair other than Ethernet/IPv4");
    }
    if (bytes[HLEN] !== 6 || bytes[PLEN] !== 4) return refused("bad-field", "ARP address lengths are not 6/4");
    return decoded(v);
  }

  /** Opcode (1 request, 2 reply). */
  get operation(): number {
    return this.dv.getUint16(OPER);
  }
  /** Sender hardware address (copy). */
  get senderMac(): Uint8Array {
    return this.bytes.slice(SHA, SHA + 6);
  }
  /** Sender protocol address. */
  get senderIp(): Ipv4Address {
    return this.dv.getUint32(SPA);
  }
  /** Target hardware address (copy). */
  get targetMac(): Uint8Array {
    return this.bytes.slice(THA, THA + 6);
  }
  /** Target protocol address. */
  get targetIp(): Ipv4Address {
    return this.dv.getUint32(TPA);
  }
}

/** A decoded ARP packet. */
export interface ArpRepr {
  /** 1 request, 2 reply ({@link ArpOperation}). */
  readonly operation: number;
  /** Sender MAC. */
  readonly senderMac: Uint8Array;
  /** Sender IPv4 address. */
  readonly senderIp: Ipv4Address;
  /** Target MAC (zeros in a request). */
  readonly targetMac: Uint8Array;
  /** Target IPv4 address. */
  readonly targetIp: Ipv4Address;
}

/**
 * Decodes an Ethernet/IPv4 ARP packet.
 *
 * @param bytes - the Ethernet payload
 * @returns the packet, or why it was refused
 * @example
 * ```ts
 * const r = parseArp(payload);
 * if (r.ok && r.value.operation === ArpOperation.Request) reply(r.value);
 * ```
 */
export function parseArp(bytes: Uint8Array): Decoded<ArpRepr> {
  const r = ArpView.check(bytes);
  if (!r.ok) return r;
  const v = r.value;
  if (v.operation !== ArpOperation.Request && v.operation !== ArpOperation.Reply) {
    return refused("unsupported", `ARP operation ${v.operation}`);
  }
  return decoded({ operation: v.operation, senderMac: v.senderMac, senderIp: v.senderIp, targetMac: v.targetMac, targetIp: v.targetIp });
}

/**
 * The encoded length of an ARP packet (always 28).
 *
 * @param _repr - the packet
 * @returns 28
 * @example
 * ```ts
 * arpByteLength(repr); // 28
 * ```
 */
export function arpByteLength(_repr: ArpRepr): number {
  return ARP_BYTES;
}

/**
 * Encodes an ARP packet.
 *
 * @param repr - the packet
 * @returns 28 bytes
 * @example
 * ```ts
 * emitArp({ operation: 1, senderMac: mac, senderIp: me, targetMac: new Uint8Array(6), targetIp: gw });
 * ```
 */
export function emitArp(repr: ArpRepr): Uint8Array {
  const out = new Uint8Array(ARP_BYTES);
  const dv = new DataView(out.buffer);
  dv.setUint16(HTYPE, 1);
  dv.setUint16(PTYPE, 0x0800);
  out[HLEN] = 6;
  out[PLEN] = 4;
  dv.setUint16(OPER, repr.operation);
  out.set(repr.senderMac.subarray(0, 6), SHA);
  dv.setUint32(SPA, repr.senderIp >>> 0);
  out.set(repr.targetMac.subarray(0, 6), THA);
  dv.setUint32(TPA, repr.targetIp >>> 0);
  return out;
}
