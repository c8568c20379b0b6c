// Interface layer (@toro/net): IPv4 fragment reassembly (RFC 791 §3.2, RFC 815 holes) with limits:
// a bounded number of datagrams in progress, a 65535-byte maximum, and a timeout (RFC 1122
// §3.3.2: 60-120 s is suggested; we default to 30 s like Linux). Must not import tcp/ or socket.
import type { Ipv4Repr } from "../wire/ipv4.js";

/** Limits of the reassembler. */
export interface ReassemblyOptions {
  /** Datagrams in progress at once (default 16; a new one evicts the oldest). */
  readonly maxDatagrams?: number;
  /** Give up on a datagram after this long (default 30 s). */
  readonly timeoutMs?: number;
}

interface Partial {
  readonly buffer: Uint8Array;
  /** Received byte ranges [start, end), sorted and merged. */
  ranges: Array<[number, number]>;
  total: number | undefined;
  readonly expiresAt: number;
  readonly first: Ipv4Repr | undefined;
}

const MAX_DATAGRAM = 65535 - 20;

/**
 * Collects fragments and returns whole datagrams.
 *
 * @example
 * ```ts
 * const r = new Reassembler();
 * const whole = r.add(ipRepr, now); // undefined until the last piece arrives
 * ```
 */
export class Reassembler {
  private readonly partial = new Map<string, Partial & { header: Omit<Ipv4Repr, "payload"> }>();
  private readonly maxDatagrams: number;
  private readonly timeoutMs: number;

  /**
   * Creates a reassembler.
   *
   * @param options - limits
   * @returns the reassembler
   * @example
   * ```ts
   * new Reassembler({ maxDatagrams: 8 });
   * ```
   */
  constructor(options: ReassemblyOptions = {}) {
    this.maxDatagrams = options.maxDatagrams ?? 16;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /**
   * Adds a fragment (or passes an unfragmented packet through).
   *
   * @param packet - a decoded IPv4 packet
   * @param now - current time, ms
   * @returns the whole datagram once complete, else `undefined` (also for refused fragments)
   * @example
   * ```ts
   * const whole = reassembler.add(ip, now);
   * if (whole) deliver(whole);
   * ```
   */
  add(packet: Ipv4Repr, now: number): Ipv4Repr | undefined {
    if (!packet.moreFragments && packet.fragmentOffset === 0) return packet;
    const start = packet.fragmentOffset;
    const end = start + packet.payload.length;
    if (end > MAX_DATAGRAM) return undefined; // RFC 791: a datagram never exceeds 65535 bytes
    if (packet.moreFragments && packet.payload.length % 8 !== 0) return undefined; // non-final pieces are multiples of 8
    const k = `${packet.source}/${packet.destination}/${packet.protocol}/${packet.ident}`;
    let p = this.partial.get(k);
    if (!p) {
      this.expire(now);
      if (this.partial.size >= this.maxDatagrams) {
        const oldest = this.partial.keys().next();
        if (!oldest.done) this.partial.delete(oldest.value);
      }
      const { payload: _payload, ...header } = packet;
      p = { buffer: new Uint8Array(MAX_DATAGRAM), ranges: [], total: undefined, expiresAt: now + this.timeoutMs, first: undefined, header };
      this.partial.set(k, p);
    }
    if (!packet.moreFragments) {
      if (p.total !== undefined && p.total !== end) return this.drop(k); // two different last fragments
      p.total = end;
    }
    if (p.total !== undefined && end > p.total) return this.drop(k);
    p.buffer.set(packet.payload, start);
    p.ranges = merge(p.ranges, [start, end]);
    const first = p.ranges[0];
    if (p.total !== undefined && p.ranges.length === 1 && first && first[0] === 0 && first[1] === p.total) {
      this.partial.delete(k);
      return { ...p.header, moreFragments: false, fragmentOffset: 0, payload: p.buffer.slice(0, p.total) };
    }
    return undefined;
  }

  /**
   * Drops datagrams whose time ran out.
   *
   * @param now - current time, ms
   * @returns how many were dropped
   * @example
   * ```ts
   * reassembler.expire(now);
   * ```
   */
  expire(now: number): number {
    let n = 0;
    for (const [k, p] of this.partial) {
      if (p.expiresAt <= now) {
        this.partial.delete(k);
        n++;
      }
    }
    return n;
  }

  /**
   * Datagrams in progress.
   *
   * @returns the count
   * @example
   * ```ts
   * reassembler.pending();
   * ```
   */
  pending(): number {
    return this.partial.size;
  }

  /**
   * The earliest expiry.
   *
   * @returns absolute ms, or `Infinity`
   * @example
   * ```ts
   * reassembler.nextDeadline();
   * ```
   */
  nextDeadline(): number {
    let t = Infinity;
    for (const p of this.partial.values()) t = Math.min(t, p.expiresAt);
    return t;
  }

  private drop(k: string): undefined {
    this.partial.delete(k);
    return undefined;
  }
}

function merge(ranges: Array<[number, number]>, r: [number, number]): Array<[number, number]> {
  const all = [...ranges, r].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of all) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
