// Interface layer (@toro/net): a stub DNS resolver (RFC 1035 §7, RFC 1123 §6.1.3): A queries over
// UDP to the configured servers, retries with a timeout rotating through them, a cache honouring
// TTLs (RFC 1035 §7.4) plus short negative caching (RFC 2308), CNAME chains followed. Responses must
// match the query id, the question and the server (RFC 5452 §4.2). Must not import tcp/ or socket.
import { emitDnsQuery, parseDns } from "../wire/dns.js";
import { ipv4 } from "../wire/address.js";
import type { InterfaceService, NetInterface, UdpDatagram } from "./interface.js";

/** Why a lookup failed (Node's `dns` codes). */
export type DnsError = "ENOTFOUND" | "ETIMEOUT" | "ESERVFAIL" | "EBADNAME" | "ECONNREFUSED";

/** Options of a {@link DnsResolver}. */
export interface DnsResolverOptions {
  /** Server addresses (a function, so a DHCP lease can supply them later). */
  readonly servers: () => readonly number[];
  /** Uniform random numbers in [0, 1) for query ids. */
  readonly random: () => number;
  /** Local UDP port (default 53000 + random). */
  readonly port?: number;
  /** Time per attempt (default 2 s). */
  readonly timeoutMs?: number;
  /** Attempts in all (default 4). */
  readonly attempts?: number;
  /** How long a failed lookup is remembered (default 30 s). */
  readonly negativeTtlMs?: number;
  /** Most cached names (default 512). */
  readonly maxCache?: number;
}

/** Receives a lookup's outcome: an error, or the addresses. */
export type DnsLookupCallback = (error: DnsError | undefined, addresses: number[]) => void;

interface Pending {
  readonly name: string;
  id: number;
  attempt: number;
  server: number;
  deadline: number;
  readonly callbacks: DnsLookupCallback[];
}

/**
 * Resolves host names to IPv4 addresses.
 *
 * @example
 * ```ts
 * const dns = new DnsResolver(iface, { servers: () => [ipv4("10.0.2.3")!], random: Math.random });
 * dns.lookup("example.com", now, (err, addrs) => console.log(err, addrs));
 * ```
 */
export class DnsResolver implements InterfaceService {
  private readonly cache = new Map<string, { addresses: number[]; error: DnsError | undefined; expiresAt: number }>();
  private readonly pending = new Map<string, Pending>();
  private readonly port: number;
  private readonly o: Required<Omit<DnsResolverOptions, "port">>;
  private now = 0;

  /**
   * Binds its UDP port on the interface and polls with it.
   *
   * @param iface - the interface
   * @param options - servers, randomness, limits
   * @returns the resolver
   * @example
   * ```ts
   * new DnsResolver(iface, { servers: () => lease.dnsServers, random: Math.random });
   * ```
   */
  constructor(
    private readonly iface: NetInterface,
    options: DnsResolverOptions,
  ) {
    this.o = { timeoutMs: 2000, attempts: 4, negativeTtlMs: 30_000, maxCache: 512, ...options };
    let port = options.port ?? 53000 + Math.floor(options.random() * 10000);
    while (iface.udpBound(port)) port = port >= 65535 ? 49152 : port + 1;
    this.port = port;
    iface.udpBind(port, (d) => this.input(d));
    iface.addService(this);
  }

  /**
   * Looks a name up: from the cache, or by querying (callers for the same name share one query).
   *
   * @param name - host name, or a dotted quad (answered at once)
   * @param now - current time, ms
   * @param callback - called once with an error or the addresses
   * @returns nothing
   * @example
   * ```ts
   * dns.lookup("example.com", now, (err, addrs) => {});
   * ```
   */
  lookup(name: string, now: number, callback: DnsLookupCallback): void {
    this.now = now;
    const literal = ipv4(name);
    if (literal !== undefined) return callback(undefined, [literal]);
    const key = name.toLowerCase().replace(/\.$/, "");
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt > now) return callback(hit.error, hit.addresses);
    const p = this.pending.get(key);
    if (p) {
      p.callbacks.push(callback);
      return;
    }
    if (!emitDnsQuery(0, key)) return callback("EBADNAME", []);
    if (this.o.servers().length === 0) return callback("ECONNREFUSED", []);
    const q: Pending = { name: key, id: 0, attempt: 0, server: 0, deadline: 0, callbacks: [callback] };
    this.pending.set(key, q);
    this.send(q);
  }

  /**
   * Retries queries whose time ran out.
   *
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * dns.poll(now);
   * ```
   */
  poll(now: number): void {
    this.now = now;
    for (const q of [...this.pending.values()]) {
      if (q.deadline > now) continue;
      if (q.attempt >= this.o.attempts) this.finish(q, "ETIMEOUT", [], 0);
      else this.send(q);
    }
  }

  /**
   * The earliest query deadline.
   *
   * @returns absolute ms, or `Infinity`
   * @example
   * ```ts
   * dns.nextDeadline();
   * ```
   */
  nextDeadline(): number {
    let t = Infinity;
    for (const q of this.pending.values()) t = Math.min(t, q.deadline);
    return t;
  }

  private send(q: Pending): void {
    const servers = this.o.servers();
    q.server = servers[q.attempt % servers.length] ?? 0;
    q.id = Math.floor(this.o.random() * 0x10000);
    q.attempt++;
    q.deadline = this.now + this.o.timeoutMs;
    const bytes = emitDnsQuery(q.id, q.name);
    if (bytes) this.iface.udpSend(this.port, q.server, 53, bytes, this.now);
  }

  private input(d: UdpDatagram): void {
    this.now = Math.max(this.now, d.receivedAt);
    const r = parseDns(d.payload);
    if (!r.ok || !r.value.response) return;
    const m = r.value;
    const q = [...this.pending.values()].find((p) => p.id === m.id && p.server === d.source && d.sourcePort === 53);
    if (!q || m.questions[0]?.name !== q.name) return; // RFC 5452: id, server and question must all match
    if (m.rcode === 3) return this.finish(q, "ENOTFOUND", [], this.o.negativeTtlMs);
    if (m.rcode !== 0) return this.finish(q, "ESERVFAIL", [], 0);
    // Follow the CNAME chain from the question name; keep the A records at its end.
    const names = new Set([q.name]);
    let ttl = Infinity;
    for (let grew = true; grew; ) {
      grew = false;
      for (const a of m.answers) {
        if (a.type === "CNAME" && names.has(a.name) && !names.has(a.target)) {
          names.add(a.target);
          ttl = Math.min(ttl, a.ttl);
          grew = true;
        }
      }
    }
    const addrs: number[] = [];
    for (const a of m.answers) {
      if (a.type === "A" && names.has(a.name)) {
        addrs.push(a.address);
        ttl = Math.min(ttl, a.ttl);
      }
    }
    if (addrs.length === 0) return this.finish(q, "ENOTFOUND", [], this.o.negativeTtlMs);
    this.finish(q, undefined, addrs, ttl * 1000);
  }

  private finish(q: Pending, error: DnsError | undefined, addresses: number[], ttlMs: number): void {
    this.pending.delete(q.name);
    if (ttlMs > 0) {
      if (this.cache.size >= this.o.maxCache) {
        const oldest = this.cache.keys().next();
        if (!oldest.done) this.cache.delete(oldest.value);
      }
      this.cache.set(q.name, { addresses, error, expiresAt: this.now + ttlMs });
    }
    for (const cb of q.callbacks) cb(error, addresses);
  }
}
