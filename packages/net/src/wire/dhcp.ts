// Wire layer (@toro/net): DHCP messages (RFC 2131 §2 format, RFC 2132 options) over BOOTP. Only
// the options a client needs are modelled; others are skipped by length. Must not import iface/,
// tcp/ or socket.
import type { Ipv4Address } from "./address.js";
import { decoded, refused, type Decoded } from "./decoded.js";

/** DHCP message types (RFC 2132 §9.6). */
export const DhcpMessageType = {
  /** Client looks for servers. */
  Discover: 1,
  /** Server offers an address. */
  Offer: 2,
  /** Client requests the offered (or its current) address. */
  Request: 3,
  /** Client found the address in use. */
  Decline: 4,
  /** Server commits the lease. */
  Ack: 5,
  /** Server refuses. */
  Nak: 6,
  /** Client gives the address back. */
  Release: 7,
} as const;

/** A decoded DHCP message. */
export interface DhcpRepr {
  /** 1 BOOTREQUEST, 2 BOOTREPLY. */
  readonly op: 1 | 2;
  /** Transaction id. */
  readonly xid: number;
  /** Seconds since the client began. */
  readonly secs: number;
  /** Broadcast flag (RFC 2131 §4.1). */
  readonly broadcast: boolean;
  /** Client address (when renewing). */
  readonly ciaddr: Ipv4Address;
  /** "Your" address: the one offered. */
  readonly yiaddr: Ipv4Address;
  /** Next server. */
  readonly siaddr: Ipv4Address;
  /** Relay agent. */
  readonly giaddr: Ipv4Address;
  /** Client MAC. */
  readonly chaddr: Uint8Array;
  /** Option 53. */
  readonly messageType: number;
  /** Option 54. */
  readonly serverId?: Ipv4Address;
  /** Option 50. */
  readonly requestedIp?: Ipv4Address;
  /** Option 51, seconds. */
  readonly leaseSeconds?: number;
  /** Option 58 (T1), seconds. */
  readonly renewalSeconds?: number;
  /** Option 59 (T2), seconds. */
  readonly rebindingSeconds?: number;
  /** Option 1. */
  readonly subnetMask?: Ipv4Address;
  /** Option 3. */
  readonly routers?: readonly Ipv4Address[];
  /** Option 6. */
  readonly dnsServers?: readonly Ipv4Address[];
  /** Option 55. */
  readonly parameterRequestList?: readonly number[];
}

const FIXED = 236;
const COOKIE = 0x63825363;

/**
 * Decodes a DHCP message (UDP payload).
 *
 * @param bytes - the UDP payload
 * @returns the message, or why it was refused
 * @example
 * ```ts
 * const r = parseDhcp(datagram.payload);
 * if (r.ok && r.value.messageType === DhcpMessageType.Offer) request(r.value);
 * ```
 */
export function parseDhcp(bytes: Uint8Array): Decoded<DhcpRepr> {
  if (bytes.length < FIXED + 4) return refused("truncated", `DHCP message of ${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const op = bytes[0]!;
  if (op !== 1 && op !== 2) return refused("bad-field", `BOOTP op ${op}`);
  if (bytes[1] !== 1 || bytes[2] !== 6) return refused("unsupported", "hardware other than Ethernet");
  if (dv.getUint32(FIXED) !== COOKIE) return refused("bad-field", "no DHCP magic cookie");
  const o: { -readonly [K in keyof DhcpRepr]?: DhcpRepr[K] } = {};
  let i = FIXED + 4;
  const addrs = (at: number, len: number): Ipv4Address[] => {
    const out: number[] = [];
    for (let k = 0; k + 4 <= len; k += 4) out.push(dv.getUint32(at + k));
    return out;
  };
  while (i < bytes.length) {
    const code = bytes[i]!;
    if (code === 0) {
      i++;
      continue;
    }
    if (code === 255) break;
    if (i + 1 >= bytes.length) return refused("bad-option", `option ${code} has no length`);
    const len = bytes[i + 1]!;
    const at = i + 2;
    if (at + len > bytes.length) return refused("bad-option", `option ${code} length ${len}`);
    const need = (n: number): boolean => len >= n;
    switch (code) {
      case 53:
        if (!need(1)) return refused("bad-option", "message type");
        o.messageType = bytes[at]!;
        break;
      case 54:
        if (need(4)) o.serverId = dv.getUint32(at);
        break;
      case 50:
        if (need(4)) o.requestedIp = dv.getUint32(at);
        break;
      case 51:
        if (need(4)) o.leaseSeconds = dv.getUint32(at);
        break;
      case 58:
        if (need(4)) o.renewalSeconds = dv.getUint32(at);
        break;
      case 59:
        if (need(4)) o.rebindingSeconds = dv.getUint32(at);
        break;
      case 1:
        if (need(4)) o.subnetMask = dv.getUint32(at);
        break;
      case 3:
        o.routers = addrs(at, len);
        break;
      case 6:
        o.dnsServers = addrs(at, len);
        break;
      case 55:
        o.parameterRequestList = Array.from(bytes.subarray(at, at + len));
        break;
      default:
        break;
    }
    i = at + len;
  }
  if (o.messageType === undefined) return refused("bad-field", "no DHCP message type (plain BOOTP)");
  return decoded({
    ...o,
    op,
    xid: dv.getUint32(4),
    secs: dv.getUint16(8),
    broadcast: (dv.getUint16(10) & 0x8000) !== 0,
    ciaddr: dv.getUint32(12),
    yiaddr: dv.getUint32(16),
    siaddr: dv.getUint32(20),
    giaddr: dv.getUint32(24),
    chaddr: bytes.slice(28, 34),
    messageType: o.messageType,
  });
}

/**
 * Encodes a DHCP message (options in a fixed order, then END; padded to the 300-byte BOOTP minimum).
 *
 * @param m - the message
 * @returns the UDP payload
 * @example
 * ```ts
 * emitDhcp({ op: 1, xid, secs: 0, broadcast: false, ciaddr: 0, yiaddr: 0, siaddr: 0, giaddr: 0, chaddr: mac, messageType: 1 });
 * ```
 */
export function emitDhcp(m: DhcpRepr): Uint8Array {
  const opts: number[] = [53, 1, m.messageType];
  const u32 = (code: number, v: number | undefined): void => {
    if (v !== undefined) opts.push(code, 4, (v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  };
  const list = (code: number, vs: readonly number[] | undefined): void => {
    if (!vs || vs.length === 0) return;
    opts.push(code, vs.length * 4);
    for (const v of vs) opts.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  };
  u32(50, m.requestedIp);
  u32(54, m.serverId);
  u32(51, m.leaseSeconds);
  u32(58, m.renewalSeconds);
  u32(59, m.rebindingSeconds);
  u32(1, m.subnetMask);
  list(3, m.routers);
  list(6, m.dnsServers);
  if (m.parameterRequestList && m.parameterRequestList.length > 0) opts.push(55, m.parameterRequestList.length, ...m.parameterRequestList);
  opts.push(255);
  const out = new Uint8Array(Math.max(300, FIXED + 4 + opts.length));
  const dv = new DataView(out.buffer);
  out[0] = m.op;
  out[1] = 1;
  out[2] = 6;
  dv.setUint32(4, m.xid >>> 0);
  dv.setUint16(8, m.secs & 0xffff);
  dv.setUint16(10, m.broadcast ? 0x8000 : 0);
  dv.setUint32(12, m.ciaddr >>> 0);
  dv.setUint32(16, m.yiaddr >>> 0);
  dv.setUint32(20, m.siaddr >>> 0);
  dv.setUint32(24, m.giaddr >>> 0);
  out.set(m.chaddr.subarray(0, 6), 28);
  dv.setUint32(FIXED, COOKIE);
  out.set(opts, FIXED + 4);
  return out;
}
