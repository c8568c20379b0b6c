// Wire layer (@toro/net): TCP segment headers and options (RFC 9293 §3.1; MSS §3.7.1, window scale
// and timestamps RFC 7323 §2.2/§3.2, SACK-permitted and SACK RFC 2018). Sequence numbers are plain
// uint32 here; tcp/seq.ts gives them wrap-aware arithmetic. Must not import tcp/, iface/ or socket.
import type { Ipv4Address } from "./address.js";
import { checksumAdd, foldChecksum, partialChecksum, pseudoHeaderSum } from "./checksum.js";
import { decoded, refused, type Decoded } from "./decoded.js";

/** TCP flag bits. */
export const TcpFlags = {
  /** FIN: no more data from sender. */
  Fin: 0x01,
  /** SYN: synchronize sequence numbers. */
  Syn: 0x02,
  /** RST: reset the connection. */
  Rst: 0x04,
  /** PSH: push function. */
  Psh: 0x08,
  /** ACK: the acknowledgment field is significant. */
  Ack: 0x10,
  /** URG: the urgent pointer is significant. */
  Urg: 0x20,
  /** ECE: ECN echo (RFC 3168). */
  Ece: 0x40,
  /** CWR: congestion window reduced (RFC 3168). */
  Cwr: 0x80,
} as const;

const SRC_PORT = 0;
const DST_PORT = 2;
const SEQ = 4;
const ACK = 8;
const OFF_FLAGS = 12;
const WINDOW = 14;
const CHECKSUM = 16;
const URGENT = 18;
/** Length of a TCP header without options. */
export const TCP_HEADER_BYTES = 20;

/** TCP options the stack understands. */
export interface TcpOptions {
  /** Maximum segment size (SYN only), RFC 9293 §3.7.1. */
  readonly mss?: number;
  /** Window scale shift (SYN only), RFC 7323 §2. Values above 14 are clamped to 14 by the reader. */
  readonly windowScale?: number;
  /** SACK permitted (SYN only), RFC 2018. */
  readonly sackPermitted?: boolean;
  /** SACK blocks as [left, right) pairs, RFC 2018 §3. */
  readonly sack?: ReadonlyArray<readonly [number, number]>;
  /** Timestamps, RFC 7323 §3. */
  readonly timestamp?: {
    /** TSval: the sender's clock. */
    readonly value: number;
    /** TSecr: the TSval echoed back. */
    readonly echo: number;
  };
}

/** A decoded TCP segment. */
export interface TcpRepr {
  /** Source port. */
  readonly sourcePort: number;
  /** Destination port. */
  readonly destinationPort: number;
  /** Sequence number (uint32). */
  readonly seq: number;
  /** Acknowledgment number (uint32; meaningful with ACK). */
  readonly ack: number;
  /** Flag bits ({@link TcpFlags}). */
  readonly flags: number;
  /** Window field, unscaled. */
  readonly window: number;
  /** Urgent pointer (carried, never acted on). */
  readonly urgent: number;
  /** Options. */
  readonly options: TcpOptions;
  /** The data. */
  readonly payload: Uint8Array;
}

/**
 * A bounds-checked view over a TCP segment; build it with {@link TcpView.check}.
 *
 * @example
 * ```ts
 * const r = TcpView.check(ip.payload);
 * if (r.ok && r.value.flags & TcpFlags.Syn) console.log("SYN");
 * ```
 */
export class TcpView {
  private readonly dv: DataView;
  /** The bytes viewed (shared with the caller). */
  readonly bytes: Uint8Array;
  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /**
   * Checks the header and data offset against the buffer.
   *
   * @param bytes - the IP payload
   * @returns the view, or why it was refused
   * @example
   * ```ts
   * TcpView.check(new Uint8Array(19)).ok; // false
   * ```
   */
  static check(bytes: Uint8Array): Decoded<TcpView> {
    if (bytes.length < TCP_HEADER_BYTES) return refused("truncated", `TCP segment of ${bytes.length} bytes`);
    const v = new TcpView(bytes);
    const off = v.headerLength;
    if (off < TCP_HEADER_BYTES) return refused("bad-field", `data offset ${off / 4} below 5`);
    if (off > bytes.length) return refused("truncated", `header of ${off} bytes in ${bytes.length}`);
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
  /** Sequence number. */
  get seq(): number {
    return this.dv.getUint32(SEQ);
  }
  /** Acknowledgment number. */
  get ack(): number {
    return this.dv.getUint32(ACK);
  }
  /** Header length in bytes (data offset × 4). */
  get headerLength(): number {
    return (this.bytes[OFF_FLAGS]! >> 4) * 4;
  }
  /** Flag bits. */
  get flags(): number {
    return this.bytes[OFF_FLAGS + 1]!;
  }
  /** Window field. */
  get window(): number {
    return this.dv.getUint16(WINDOW);
  }
  /** Urgent pointer. */
  get urgent(): number {
    return this.dv.getUint16(URGENT);
  }
  /** The raw option bytes. */
  get optionBytes(): Uint8Array {
    return this.bytes.subarray(TCP_HEADER_BYTES, this.headerLength);
  }
  /** The data. */
  get payload(): Uint8Array {
    return this.bytes.subarray(this.headerLength);
  }
  /**
   * Verifies the checksum against the pseudo-header.
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
    return foldChecksum(checksumAdd(this.bytes, pseudoHeaderSum(source, destination, 6, this.bytes.length))) === 0;
  }
}

/**
 * Decodes TCP option bytes. Unknown kinds are skipped by their length; a malformed length is `bad-option`.
 *
 * @param bytes - the bytes between the fixed header and the data
 * @returns the options, or why they were refused
 * @example
 * ```ts
 * parseTcpOptions(new Uint8Array([2, 4, 5, 0xb4])); // { ok: true, value: { mss: 1460 } }
 * ```
 */
export function parseTcpOptions(bytes: Uint8Array): Decoded<TcpOptions> {
  const o: { -readonly [K in keyof TcpOptions]: TcpOptions[K] } = {};
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 0;
  while (i < bytes.length) {
    const kind = bytes[i]!;
    if (kind === 0) break; // End of option list
    if (kind === 1) {
      i += 1; // No-operation
      continue;
    }
    if (i + 1 >= bytes.length) return refused("bad-option", `option ${kind} has no length byte`);
    const len = bytes[i + 1]!;
    if (len < 2 || i + len > bytes.length) return refused("bad-option", `option ${kind} length ${len}`);
    switch (kind) {
      case 2:
        if (len !== 4) return refused("bad-option", `MSS length ${len}`);
        o.mss = dv.getUint16(i + 2);
        break;
      case 3:
        if (len !== 3) return refused("bad-option", `window scale length ${len}`);
        o.windowScale = Math.min(bytes[i + 2]!, 14); // RFC 7323 §2.3: treat >14 as 14
        break;
      case 4:
        if (len !== 2) return refused("bad-option", `SACK-permitted length ${len}`);
        o.sackPermitted = true;
        break;
      case 5: {
        if ((len - 2) % 8 !== 0) return refused("bad-option", `SACK length ${len}`);
        const blocks: Array<readonly [number, number]> = [];
        for (let j = i + 2; j < i + len; j += 8) blocks.push([dv.getUint32(j), dv.getUint32(j + 4)]);
        o.sack = blocks;
        break;
      }
      case 8:
        if (len !== 10) return refused("bad-option", `timestamp length ${len}`);
        o.timestamp = { value: dv.getUint32(i + 2), echo: dv.getUint32(i + 6) };
        break;
      default:
        break; // RFC 9293 §3.1: unknown options are skipped by their length
    }
    i += len;
  }
  return decoded(o);
}

/**
 * Decodes a TCP segment with its options, verifying the checksum.
 *
 * @param bytes - the IP payload
 * @param source - IP source address
 * @param destination - IP destination address
 * @param options - `verifyChecksum: false` when the NIC already checked it
 * @returns the segment, or why it was refused
 * @example
 * ```ts
 * const r = parseTcp(ip.payload, ip.source, ip.destination);
 * if (r.ok) console.log(r.value.seq, r.value.options.mss);
 * ```
 */
export function parseTcp(
  bytes: Uint8Array,
  source: Ipv4Address,
  destination: Ipv4Address,
  options: { verifyChecksum?: boolean } = {},
): Decoded<TcpRepr> {
  const r = TcpView.check(bytes);
  if (!r.ok) return r;
  const v = r.value;
  if (options.verifyChecksum !== false && !v.checksumValid(source, destination)) return refused("bad-checksum", "TCP checksum");
  const opts = parseTcpOptions(v.optionBytes);
  if (!opts.ok) return opts;
  return decoded({
    sourcePort: v.sourcePort,
    destinationPort: v.destinationPort,
    seq: v.seq,
    ack: v.ack,
    flags: v.flags,
    window: v.window,
    urgent: v.urgent,
    options: opts.value,
    payload: v.payload,
  });
}

/**
 * Length of the encoded options, padded to a multiple of 4.
 *
 * @param o - the options
 * @returns bytes
 * @example
 * ```ts
 * tcpOptionsByteLength({ mss: 1460 }); // 4
 * ```
 */
export function tcpOptionsByteLength(o: TcpOptions): number {
  // Linux's layout, every option 4-aligned: MSS | SACK-permitted+TS or NOP NOP TS | NOP WS | NOP NOP SACK.
  let n = 0;
  if (o.mss !== undefined) n += 4;
  if (o.timestamp) n += 12;
  else if (o.sackPermitted) n += 4;
  if (o.windowScale !== undefined) n += 4;
  if (o.sack && o.sack.length > 0) n += 4 + 8 * Math.min(o.sack.length, 3);
  return n;
}

/**
 * The encoded length of a segment.
 *
 * @param repr - the segment
 * @returns header + options + payload bytes
 * @example
 * ```ts
 * tcpByteLength(repr);
 * ```
 */
export function tcpByteLength(repr: TcpRepr): number {
  return TCP_HEADER_BYTES + tcpOptionsByteLength(repr.options) + repr.payload.length;
}

/**
 * Encodes a TCP segment with its checksum.
 *
 * @param repr - the segment
 * @param source - IP source (pseudo-header)
 * @param destination - IP destination
 * @param partial - leave the checksum for the NIC to finish (see {@link partialChecksum})
 * @returns the bytes
 * @example
 * ```ts
 * emitTcp({ sourcePort: 80, destinationPort: 5000, seq, ack, flags: TcpFlags.Ack, window: 65535,
 *   urgent: 0, options: {}, payload }, me, peer);
 * ```
 */
export function emitTcp(repr: TcpRepr, source: Ipv4Address, destination: Ipv4Address, partial = false): Uint8Array {
  const optLen = tcpOptionsByteLength(repr.options);
  const out = new Uint8Array(TCP_HEADER_BYTES + optLen + repr.payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint16(SRC_PORT, repr.sourcePort);
  dv.setUint16(DST_PORT, repr.destinationPort);
  dv.setUint32(SEQ, repr.seq >>> 0);
  dv.setUint32(ACK, repr.ack >>> 0);
  out[OFF_FLAGS] = ((TCP_HEADER_BYTES + optLen) / 4) << 4;
  out[OFF_FLAGS + 1] = repr.flags & 0xff;
  dv.setUint16(WINDOW, repr.window & 0xffff);
  dv.setUint16(URGENT, repr.urgent & 0xffff);
  let i = TCP_HEADER_BYTES;
  const o = repr.options;
  // Same layout as Linux (see tcpOptionsByteLength): byte-identical to captured segments.
  const nop = (): void => {
    out[i++] = 1;
  };
  if (o.mss !== undefined) {
    out[i] = 2;
    out[i + 1] = 4;
    dv.setUint16(i + 2, o.mss);
    i += 4;
  }
  if (o.sackPermitted) {
    if (!o.timestamp) {
      nop();
      nop();
    }
    out[i] = 4;
    out[i + 1] = 2;
    i += 2;
  } else if (o.timestamp) {
    nop();
    nop();
  }
  if (o.timestamp) {
    out[i] = 8;
    out[i + 1] = 10;
    dv.setUint32(i + 2, o.timestamp.value >>> 0);
    dv.setUint32(i + 6, o.timestamp.echo >>> 0);
    i += 10;
  }
  if (o.windowScale !== undefined) {
    nop();
    out[i] = 3;
    out[i + 1] = 3;
    out[i + 2] = o.windowScale;
    i += 3;
  }
  if (o.sack && o.sack.length > 0) {
    const blocks = o.sack.slice(0, 3);
    nop();
    nop();
    out[i] = 5;
    out[i + 1] = 2 + 8 * blocks.length;
    i += 2;
    for (const [l, r] of blocks) {
      dv.setUint32(i, l >>> 0);
      dv.setUint32(i + 4, r >>> 0);
      i += 8;
    }
  }
  while (i < TCP_HEADER_BYTES + optLen) out[i++] = 1; // NOP padding
  out.set(repr.payload, TCP_HEADER_BYTES + optLen);
  dv.setUint16(
    CHECKSUM,
    partial ? partialChecksum(source, destination, 6, out.length) : foldChecksum(checksumAdd(out, pseudoHeaderSum(source, destination, 6, out.length))),
  );
  return out;
}
