// Interface layer (@toro/net): the ARP neighbor cache (RFC 826, RFC 1122 §2.3.2.1-2): entries that
// expire, a bounded queue of packets waiting for resolution per address (and a bound on how many
// addresses may wait), request retries. Time is passed in. Must not import tcp/ or socket.

/** Limits and timeouts of the cache. */
export interface NeighborCacheOptions {
  /** How long a learned mapping lives (default 60 s). */
  readonly entryTtlMs?: number;
  /** Most mappings kept (default 256; the oldest is evicted). */
  readonly maxEntries?: number;
  /** Most packets queued per unresolved address (default 8; RFC 1122 §2.3.2.2 asks for at least 1). */
  readonly maxQueuedPerAddress?: number;
  /** Most addresses being resolved at once (default 32). */
  readonly maxPendingAddresses?: number;
  /** Time between ARP requests (default 1 s). */
  readonly retryMs?: number;
  /** Requests before giving up and dropping the queue (default 3). */
  readonly maxRequests?: number;
}

interface Entry {
  mac: Uint8Array;
  expiresAt: number;
}
interface Pending {
  packets: Uint8Array[];
  requests: number;
  nextRequestAt: number;
}

/** What {@link NeighborCache.poll} asks the interface to do. */
export interface NeighborPoll {
  /** Addresses to send an ARP request for now. */
  readonly request: number[];
  /** Addresses given up on, with the packets dropped. */
  readonly failed: Array<{
    /** The address that did not answer. */
    readonly address: number;
    /** Packets dropped with it. */
    readonly dropped: number;
  }>;
}

/**
 * Maps IPv4 addresses to MAC addresses, holding packets while a mapping is resolved.
 *
 * @example
 * ```ts
 * const arp = new NeighborCache();
 * const mac = arp.lookup(nextHop, now);
 * if (!mac && arp.enqueue(nextHop, ipPacket, now) === "request") sendArpRequest(nextHop);
 * ```
 */
export class NeighborCache {
  private readonly entries = new Map<number, Entry>();
  private readonly pending = new Map<number, Pending>();
  private readonly o: Required<NeighborCacheOptions>;

  /**
   * Creates an empty cache.
   *
   * @param options - limits and timeouts
   * @returns the cache
   * @example
   * ```ts
   * new NeighborCache({ entryTtlMs: 30_000 });
   * ```
   */
  constructor(options: NeighborCacheOptions = {}) {
    this.o = {
      entryTtlMs: options.entryTtlMs ?? 60_000,
      maxEntries: options.maxEntries ?? 256,
      maxQueuedPerAddress: options.maxQueuedPerAddress ?? 8,
      maxPendingAddresses: options.maxPendingAddresses ?? 32,
      retryMs: options.retryMs ?? 1000,
      maxRequests: options.maxRequests ?? 3,
    };
  }

  /**
   * The MAC for an address, if known and not expired.
   *
   * @param address - IPv4 address
   * @param now - current time, ms
   * @returns the MAC, or `undefined`
   * @example
   * ```ts
   * arp.lookup(gateway, now);
   * ```
   */
  lookup(address: number, now: number): Uint8Array | undefined {
    const e = this.entries.get(address);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(address);
      return undefined;
    }
    return e.mac;
  }

  /**
   * Records a mapping (from an ARP request or reply) and releases the packets waiting for it.
   *
   * @param address - IPv4 address
   * @param mac - its MAC
   * @param now - current time, ms
   * @param create - `false` to only refresh an existing or awaited entry (RFC 826 merge rule)
   * @returns packets that were waiting for this address
   * @example
   * ```ts
   * for (const p of arp.learn(sender, senderMac, now)) send(p);
   * ```
   */
  learn(address: number, mac: Uint8Array, now: number, create = true): Uint8Array[] {
    const waiting = this.pending.get(address);
    if (!create && !waiting && !this.entries.has(address)) return [];
    this.entries.delete(address);
    if (this.entries.size >= this.o.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(address, { mac: mac.slice(0, 6), expiresAt: now + this.o.entryTtlMs });
    if (!waiting) return [];
    this.pending.delete(address);
    return waiting.packets;
  }

  /**
   * Queues a packet for an unresolved address.
   *
   * @param address - the next hop
   * @param packet - the packet (an IP packet; the caller frames it later)
   * @param now - current time, ms
   * @returns `"request"` when an ARP request should go out now, `"queued"` when one is already
   *   outstanding, `"dropped"` when a bound was hit
   * @example
   * ```ts
   * if (arp.enqueue(hop, packet, now) === "request") sendArpRequest(hop);
   * ```
   */
  enqueue(address: number, packet: Uint8Array, now: number): "request" | "queued" | "dropped" {
    let p = this.pending.get(address);
    if (!p) {
      if (this.pending.size >= this.o.maxPendingAddresses) return "dropped";
      p = { packets: [], requests: 1, nextRequestAt: now + this.o.retryMs };
      this.pending.set(address, p);
      p.packets.push(packet);
      return "request";
    }
    if (p.packets.length >= this.o.maxQueuedPerAddress) p.packets.shift(); // keep the newest
    p.packets.push(packet);
    return "queued";
  }

  /**
   * Retries or gives up on pending resolutions.
   *
   * @param now - current time, ms
   * @returns requests to send and resolutions that failed
   * @example
   * ```ts
   * const { request } = arp.poll(now);
   * request.forEach(sendArpRequest);
   * ```
   */
  poll(now: number): NeighborPoll {
    const request: number[] = [];
    const failed: Array<{ address: number; dropped: number }> = [];
    for (const [address, p] of this.pending) {
      if (p.nextRequestAt > now) continue;
      if (p.requests >= this.o.maxRequests) {
        this.pending.delete(address);
        failed.push({ address, dropped: p.packets.length });
        continue;
      }
      p.requests++;
      p.nextRequestAt = now + this.o.retryMs;
      request.push(address);
    }
    return { request, failed };
  }

  /**
   * When {@link NeighborCache.poll} must next run.
   *
   * @returns absolute ms, or `Infinity`
   * @example
   * ```ts
   * arp.nextDeadline();
   * ```
   */
  nextDeadline(): number {
    let t = Infinity;
    for (const p of this.pending.values()) t = Math.min(t, p.nextRequestAt);
    return t;
  }

  /**
   * Number of packets waiting for resolution.
   *
   * @returns the count
   * @example
   * ```ts
   * arp.queuedPackets();
   * ```
   */
  queuedPackets(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.packets.length;
    return n;
  }
}
