// Wire layer (@toro/net): DNS messages (RFC 1035 §4): queries for one name, responses with A and
// CNAME records. Name compression (§4.1.4) is followed with a jump limit, so a pointer loop is a
// typed error, never a hang. Must not import iface/, tcp/ or socket.
import type { Ipv4Address } from "./address.js";
import { decoded, refused, type Decoded } from "./decoded.js";

/** Record types used here (RFC 1035 §3.2.2). */
export const DnsType = {
  /** IPv4 address. */
  A: 1,
  /** Canonical name. */
  Cname: 5,
} as const;

/** One resource record of a response. */
export type DnsRecord =
  | {
      /** An A record. */
      readonly type: "A";
      /** Owner name, lower case, no trailing dot. */
      readonly name: string;
      /** Seconds it may be cached. */
      readonly ttl: number;
      /** The address. */
      readonly address: Ipv4Address;
    }
  | {
      /** A CNAME record. */
      readonly type: "CNAME";
      /** Owner name. */
      readonly name: string;
      /** Seconds it may be cached. */
      readonly ttl: number;
      /** The canonical name. */
      readonly target: string;
    }
  | {
      /** Any other type. */
      readonly type: "other";
      /** Owner name. */
      readonly name: string;
      /** Seconds it may be cached. */
      readonly ttl: number;
      /** The numeric type. */
      readonly rrtype: number;
    };

/** One question of a message. */
export interface DnsQuestion {
  /** Name, lower case, no trailing dot. */
  readonly name: string;
  /** Record type asked for. */
  readonly type: number;
}

/** A decoded DNS message. */
export interface DnsMessage {
  /** Query id. */
  readonly id: number;
  /** `true` for a response. */
  readonly response: boolean;
  /** Response code (0 NOERROR, 3 NXDOMAIN...). */
  readonly rcode: number;
  /** Truncated (TC). */
  readonly truncated: boolean;
  /** The questions. */
  readonly questions: readonly DnsQuestion[];
  /** Answer records. */
  readonly answers: readonly DnsRecord[];
}

function readName(bytes: Uint8Array, start: number): { name: string; next: number } | string {
  const labels: string[] = [];
  let i = start;
  let next = -1;
  for (let jumps = 0; jumps < 32; ) {
    if (i >= bytes.length) return "name runs past the message";
    const len = bytes[i]!;
    if (len === 0) {
      if (next < 0) next = i + 1;
      const name = labels.join(".").toLowerCase();
      return name.length > 253 ? "name longer than 253" : { name, next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (i + 1 >= bytes.length) return "truncated pointer";
      if (next < 0) next = i + 2;
      i = ((len & 0x3f) << 8) | bytes[i + 1]!;
      jumps++;
      continue;
    }
    if (len & 0xc0) return "reserved label type";
    if (i + 1 + len > bytes.length) return "label runs past the message";
    labels.push(String.fromCharCode(...bytes.subarray(i + 1, i + 1 + len)));
    i += 1 + len;
  }
  return "compression loop";
}

/**
 * Decodes a DNS message.
 *
 * @param bytes - the UDP payload
 * @returns the message, or why it was refused
 * @example
 * ```ts
 * const r = parseDns(datagram.payload);
 * if (r.ok) r.value.answers.filter((a) => a.type === "A");
 * ```
 */
export function parseDns(bytes: Uint8Array): Decoded<DnsMessage> {
  if (bytes.length < 12) return refused("truncated", `DNS message of ${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = dv.getUint16(2);
  const qd = dv.getUint16(4);
  const an = dv.getUint16(6);
  let i = 12;
  const questions: Array<{ name: string; type: number }> = [];
  for (let q = 0; q < qd; q++) {
    const n = readName(bytes, i);
    if (typeof n === "string") return refused("bad-field", n);
    if (n.next + 4 > bytes.length) return refused("truncated", "question");
    questions.push({ name: n.name, type: dv.getUint16(n.next) });
    i = n.next + 4;
  }
  const answers: DnsRecord[] = [];
  for (let a = 0; a < an; a++) {
    const n = readName(bytes, i);
    if (typeof n === "string") return refused("bad-field", n);
    if (n.next + 10 > bytes.length) return refused("truncated", "record header");
    const type = dv.getUint16(n.next);
    const ttl = dv.getUint32(n.next + 4) & 0x7fffffff; // RFC 2181 §8: treat the top bit as zero
    const rdlen = dv.getUint16(n.next + 8);
    const rd = n.next + 10;
    if (rd + rdlen > bytes.length) return refused("truncated", "record data");
    if (type === DnsType.A && rdlen === 4) answers.push({ type: "A", name: n.name, ttl, address: dv.getUint32(rd) });
    else if (type === DnsType.Cname) {
      const t = readName(bytes, rd);
      if (typeof t === "string") return refused("bad-field", t);
      answers.push({ type: "CNAME", name: n.name, ttl, target: t.name });
    } else answers.push({ type: "other", name: n.name, ttl, rrtype: type });
    i = rd + rdlen;
  }
  return decoded({ id: dv.getUint16(0), response: (flags & 0x8000) !== 0, rcode: flags & 15, truncated: (flags & 0x0200) !== 0, questions, answers });
}

/**
 * Encodes a recursive query for one name (RD set, class IN).
 *
 * @param id - query id
 * @param name - e.g. `"example.com"`
 * @param type - record type (default A)
 * @returns the UDP payload, or `undefined` when the name is not a valid DNS name
 * @example
 * ```ts
 * const q = emitDnsQuery(0x1234, "example.com");
 * ```
 */
export function emitDnsQuery(id: number, name: string, type: number = DnsType.A): Uint8Array | undefined {
  const labels = name.replace(/\.$/, "").split(".");
  if (name.length > 253 || labels.some((l) => l.length === 0 || l.length > 63 || !/^[\x21-\x7e]+$/.test(l))) return undefined;
  const size = 12 + labels.reduce((n, l) => n + 1 + l.length, 0) + 1 + 4;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, id & 0xffff);
  dv.setUint16(2, 0x0100); // RD
  dv.setUint16(4, 1);
  let i = 12;
  for (const l of labels) {
    out[i++] = l.length;
    for (let k = 0; k < l.length; k++) out[i++] = l.charCodeAt(k);
  }
  out[i++] = 0;
  dv.setUint16(i, type);
  dv.setUint16(i + 2, 1); // IN
  return out;
}
