// Wire layer (@toro/net): ICMPv4 (RFC 792): echo request/reply and destination unreachable are
// modelled; other types decode as `other`. Must not import iface/, tcp/ or socket.
import { internetChecksum } from "./checksum.js";
import { decoded, refused, type Decoded } from "./decoded.js";

/** ICMP type numbers (RFC 792). */
export const IcmpType = {
  /** Echo reply (0). */
  EchoReply: 0,
  /** Destination unreachable (3). */
  DestinationUnreachable: 3,
  /** Echo request (8). */
  EchoRequest: 8,
  /** Time exceeded (11). */
  TimeExceeded: 11,
} as const;
/** Destination-unreachable codes (RFC 792, RFC 1122 §3.2.2.1). */
export const UnreachableCode = {
  /** Network unreachable (0). */
  Net: 0,
  /** Host unreachable (1). */
  Host: 1,
  /** Protocol unreachable (2). */
  Protocol: 2,
  /** Port unreachable (3). */
  Port: 3,
  /** Fragmentation needed and DF set (4). */
  FragmentationNeeded: 4,
} as const;

const TYPE = 0;
const CODE = 1;
const CHECKSUM = 2;
const REST = 4;
/** Length of the ICMP header (type, code, checksum, rest-of-header). */
export const ICMP_HEADER_BYTES = 8;

/**
 * A bounds-checked view over an ICMP message; build it with {@link IcmpView.check}.
 *
 * @example
 * ```ts
 * const r = IcmpView.check(ip.payload);
 * if (r.ok && r.value.type === IcmpType.EchoRequest) reply();
 * ```
 */
export class IcmpView {
  private readonly dv: DataView;
  /** The bytes viewed (shared with the caller). */
  readonly bytes: Uint8Array;
  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /**
   * Checks the length (not the checksum).
   *
   * @param bytes - the IP payload
   * @returns the view, or `truncated`
   * @example
   * ```ts
   * IcmpView.check(new Uint8Array(8)).ok; // true
   * ```
   */
  static check(bytes: Uint8Array): Decoded<IcmpView> {
    if (bytes.length < ICMP_HEADER_BYTES) return refused("truncated", `ICMP message of ${bytes.length} bytes`);
    return decoded(new IcmpView(bytes));
  }
  /** Type. */
  get type(): number {
    return this.bytes[TYPE]!;
  }
  /** Code. */
  get code(): number {
    return this.bytes[CODE]!;
  }
  /** The 4-byte rest-of-header as a number. */
  get rest(): number {
    return this.dv.getUint32(REST);
  }
  /** `true` when the checksum over the whole message verifies. */
  get checksumValid(): boolean {
    return internetChecksum(this.bytes) === 0;
  }
  /** Bytes after the 8-byte header. */
  get data(): Uint8Array {
    return this.bytes.subarray(ICMP_HEADER_BYTES);
  }
}

/** A decoded ICMP message. */
export type IcmpRepr =
  | {
      /** Echo request or reply. */
      readonly kind: "echo-request" | "echo-reply";
      /** Identifier. */
      readonly ident: number;
      /** Sequence number. */
      readonly sequence: number;
      /** Echoed data. */
      readonly data: Uint8Array;
    }
  | {
      /** Destination unreachable. */
      readonly kind: "destination-unreachable";
      /** {@link UnreachableCode}. */
      readonly code: number;
      /** Next-hop MTU for code 4 (RFC 1191), else 0. */
      readonly nextHopMtu: number;
      /** The offending datagram's IP header and leading payload bytes. */
      readonly original: Uint8Array;
    }
  | {
      /** Any other type. */
      readonly kind: "other";
      /** Type number. */
      readonly type: number;
      /** Code. */
      readonly code: number;
      /** Rest-of-header. */
      readonly rest: number;
      /** Data. */
      readonly data: Uint8Array;
    };

/**
 * Decodes and checksum-verifies an ICMP message.
 *
 * @param bytes - the IP payload
 * @returns the message, or why it was refused
 * @example
 * ```ts
 * const r = parseIcmp(ip.payload);
 * if (r.ok && r.value.kind === "echo-request") send(emitIcmp({ ...r.value, kind: "echo-reply" }));
 * ```
 */
export function parseIcmp(bytes: Uint8Array): Decoded<IcmpRepr> {
  const r = IcmpView.check(bytes);
  if (!r.ok) return r;
  const v = r.value;
  if (!v.checksumValid) return refused("bad-checksum", "ICMP checksum");
  if (v.type === IcmpType.EchoRequest || v.type === IcmpType.EchoReply) {
    if (v.code !== 0) return refused("bad-field", `echo code ${v.code}`);
    return decoded({
      kind: v.type === IcmpType.EchoRequest ? "echo-request" : "echo-reply",
      ident: v.rest >>> 16,
      sequence: v.rest & 0xffff,
      data: v.data,
    });
  }
  if (v.type === IcmpType.DestinationUnreachable) {
    return decoded({ kind: "destination-unreachable", code: v.code, nextHopMtu: v.rest & 0xffff, original: v.data });
  }
  return decoded({ kind: "other", type: v.type, code: v.code, rest: v.rest, data: v.data });
}

/**
 * The encoded length of a message.
 *
 * @param repr - the message
 * @returns 8 + data length
 * @example
 * ```ts
 * icmpByteLength({ kind: "echo-reply", ident: 1, sequence: 1, data }); // 8 + data.length
 * ```
 */
export function icmpByteLength(repr: IcmpRepr): number {
  return ICMP_HEADER_BYTES + (repr.kind === "destination-unreachable" ? repr.original.length : repr.data.length);
}

/**
 * Encodes an ICMP message with its checksum.
 *
 * @param repr - the message
 * @returns the bytes
 * @example
 * ```ts
 * emitIcmp({ kind: "destination-unreachable", code: 3, nextHopMtu: 0, original: ip.subarray(0, 28) });
 * ```
 */
export function emitIcmp(repr: IcmpRepr): Uint8Array {
  const out = new Uint8Array(icmpByteLength(repr));
  const dv = new DataView(out.buffer);
  switch (repr.kind) {
    case "echo-request":
    case "echo-reply":
      out[TYPE] = repr.kind === "echo-request" ? IcmpType.EchoRequest : IcmpType.EchoReply;
      dv.setUint16(REST, repr.ident & 0xffff);
      dv.setUint16(REST + 2, repr.sequence & 0xffff);
      out.set(repr.data, ICMP_HEADER_BYTES);
      break;
    case "destination-unreachable":
      out[TYPE] = IcmpType.DestinationUnreachable;
      out[CODE] = repr.code;
      dv.setUint16(REST + 2, repr.nextHopMtu & 0xffff);
      out.set(repr.original, ICMP_HEADER_BYTES);
      break;
    case "other":
      out[TYPE] = repr.type;
      out[CODE] = repr.code;
      dv.setUint32(REST, repr.rest >>> 0);
      out.set(repr.data, ICMP_HEADER_BYTES);
      break;
  }
  dv.setUint16(CHECKSUM, internetChecksum(out));
  return out;
}
