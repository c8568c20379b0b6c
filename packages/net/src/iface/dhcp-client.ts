// Interface layer (@toro/net): a DHCP client (RFC 2131 §4.4): INIT -> SELECTING -> REQUESTING ->
// BOUND -> RENEWING (T1, unicast) -> REBINDING (T2, broadcast) -> lease expiry; retransmission with
// exponential backoff and jitter (§4.1). It configures the interface it is given. Time is passed in;
// randomness too. Must not import tcp/ or socket.
import { prefixMask } from "../wire/address.js";
import { DhcpMessageType, emitDhcp, parseDhcp, type DhcpRepr } from "../wire/dhcp.js";
import type { InterfaceService, NetInterface, UdpDatagram } from "./interface.js";

/** A lease the client holds. */
export interface DhcpLease {
  /** Our address. */
  readonly address: number;
  /** Prefix length from the subnet mask (24 when absent). */
  readonly prefixLength: number;
  /** First router, 0 when none. */
  readonly gateway: number;
  /** DNS servers offered. */
  readonly dnsServers: readonly number[];
  /** The server that granted it. */
  readonly serverId: number;
  /** Lease duration, seconds. */
  readonly leaseSeconds: number;
}

/** RFC 2131 §4.4 client states. */
export type DhcpState = "Init" | "Selecting" | "Requesting" | "Bound" | "Renewing" | "Rebinding";

/** Options of a {@link DhcpClient}. */
export interface DhcpClientOptions {
  /** Uniform random numbers in [0, 1) for transaction ids and jitter. */
  readonly random: () => number;
  /** Called with each new lease, and with `undefined` when the lease is lost. */
  readonly onLease?: (lease: DhcpLease | undefined) => void;
}

const CLIENT_PORT = 68;
const SERVER_PORT = 67;
const BROADCAST = 0xffffffff;
const PARAMS = [1, 3, 6, 51, 58, 59];

function prefixOf(mask: number | undefined): number {
  if (mask === undefined) return 24;
  let n = 0;
  while (n < 32 && ((mask << n) & 0x80000000) !== 0) n++;
  return prefixMask(n) === mask >>> 0 ? n : 24;
}

/**
 * Obtains and keeps an IPv4 address for an interface.
 *
 * @example
 * ```ts
 * const dhcp = new DhcpClient(iface, { random: Math.random, onLease: (l) => console.log(l) });
 * dhcp.start(now);
 * ```
 */
export class DhcpClient implements InterfaceService {
  /** Current state. */
  state: DhcpState = "Init";
  /** The lease, while bound. */
  lease: DhcpLease | undefined;
  private xid = 0;
  private offer: DhcpRepr | undefined;
  private attempts = 0;
  private retryAt = Infinity;
  private startedAt = 0;
  private boundAt = 0;
  private t1 = Infinity;
  private t2 = Infinity;
  private expiry = Infinity;
  private now = 0;

  /**
   * Binds UDP port 68 on the interface and polls with it.
   *
   * @param iface - the interface to configure
   * @param options - randomness and the lease callback
   * @returns the client (call {@link DhcpClient.start})
   * @example
   * ```ts
   * new DhcpClient(iface, { random: Math.random });
   * ```
   */
  constructor(
    private readonly iface: NetInterface,
    private readonly options: DhcpClientOptions,
  ) {
    iface.udpBind(CLIENT_PORT, (d) => this.input(d));
    iface.addService(this);
  }

  /**
   * Starts discovery (INIT -> SELECTING).
   *
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * dhcp.start(clock());
   * ```
   */
  start(now: number): void {
    this.now = now;
    this.state = "Selecting";
    this.xid = Math.floor(this.options.random() * 0x100000000) >>> 0;
    this.startedAt = now;
    this.attempts = 0;
    this.offer = undefined;
    this.sendDiscover();
  }

  /**
   * Runs due retransmissions and lease timers.
   *
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * dhcp.poll(now);
   * ```
   */
  poll(now: number): void {
    this.now = now;
    if (this.state === "Bound" || this.state === "Renewing" || this.state === "Rebinding") {
      if (now >= this.expiry) return this.lose(now); // RFC 2131 §4.4.5: lease expired
      if (now >= this.t2 && this.state !== "Rebinding") {
        this.state = "Rebinding";
        this.retryAt = now;
      } else if (now >= this.t1 && this.state === "Bound") {
        this.state = "Renewing";
        this.retryAt = now;
      }
    }
    if (now < this.retryAt) return;
    switch (this.state) {
      case "Selecting":
        return this.sendDiscover();
      case "Requesting":
        if (this.attempts >= 4) return this.start(now);
        return this.sendRequest();
      case "Renewing":
      case "Rebinding":
        return this.sendRequest();
      default:
        this.retryAt = Infinity;
    }
  }

  /**
   * When {@link DhcpClient.poll} must next run.
   *
   * @returns absolute ms, or `Infinity`
   * @example
   * ```ts
   * dhcp.nextDeadline();
   * ```
   */
  nextDeadline(): number {
    const lease = this.state === "Bound" ? Math.min(this.t1, this.expiry) : this.state === "Renewing" ? Math.min(this.t2, this.expiry) : this.expiry;
    return Math.min(this.retryAt, this.state === "Selecting" || this.state === "Requesting" ? Infinity : lease);
  }

  private backoff(): void {
    // RFC 2131 §4.1: 4 s, 8 s, ... 64 s, randomized by ±1 s.
    const base = Math.min(64_000, 4000 * 2 ** this.attempts);
    this.attempts++;
    this.retryAt = this.now + base + (this.options.random() * 2000 - 1000);
  }

  private message(type: number, extra: Partial<DhcpRepr>): DhcpRepr {
    return {
      op: 1,
      xid: this.xid,
      secs: Math.min(0xffff, Math.floor((this.now - this.startedAt) / 1000)),
      broadcast: false,
      ciaddr: 0,
      yiaddr: 0,
      siaddr: 0,
      giaddr: 0,
      chaddr: this.iface.mac,
      messageType: type,
      parameterRequestList: PARAMS,
      ...extra,
    };
  }

  private sendDiscover(): void {
    this.iface.udpSend(CLIENT_PORT, BROADCAST, SERVER_PORT, emitDhcp(this.message(DhcpMessageType.Discover, {})), this.now);
    this.backoff();
  }

  private sendRequest(): void {
    if (this.state === "Requesting" && this.offer) {
      // RFC 2131 §4.3.2 SELECTING: 'server identifier' and 'requested IP address' set, ciaddr zero.
      const m = this.message(DhcpMessageType.Request, { requestedIp: this.offer.yiaddr, serverId: this.offer.serverId });
      this.iface.udpSend(CLIENT_PORT, BROADCAST, SERVER_PORT, emitDhcp(m), this.now);
      this.backoff();
      return;
    }
    const lease = this.lease;
    if (!lease) return this.start(this.now);
    // RENEWING: unicast to the server; REBINDING: broadcast. Both fill ciaddr (§4.3.2).
    const m = this.message(DhcpMessageType.Request, { ciaddr: lease.address });
    const to = this.state === "Renewing" ? lease.serverId : BROADCAST;
    this.iface.udpSend(CLIENT_PORT, to, SERVER_PORT, emitDhcp(m), this.now);
    // §4.4.5: wait half the time remaining until T2 (or expiry), down to 60 s.
    const until = this.state === "Renewing" ? this.t2 : this.expiry;
    this.retryAt = this.now + Math.max(60_000, (until - this.now) / 2);
  }

  private input(d: UdpDatagram): void {
    this.now = Math.max(this.now, d.receivedAt);
    const r = parseDhcp(d.payload);
    if (!r.ok) return;
    const m = r.value;
    if (m.op !== 2 || m.xid !== this.xid || !m.chaddr.every((b, i) => b === this.iface.mac[i])) return;
    if (this.state === "Selecting" && m.messageType === DhcpMessageType.Offer && m.serverId !== undefined) {
      this.offer = m;
      this.state = "Requesting";
      this.attempts = 0;
      this.sendRequest();
      return;
    }
    const waiting = this.state === "Requesting" || this.state === "Renewing" || this.state === "Rebinding";
    if (!waiting) return;
    if (m.messageType === DhcpMessageType.Nak) return this.lose(this.now);
    if (m.messageType === DhcpMessageType.Ack) this.bind(m);
  }

  private bind(m: DhcpRepr): void {
    const leaseSeconds = m.leaseSeconds ?? 3600;
    const lease: DhcpLease = {
      address: m.yiaddr,
      prefixLength: prefixOf(m.subnetMask),
      gateway: m.routers?.[0] ?? 0,
      dnsServers: m.dnsServers ?? [],
      serverId: m.serverId ?? this.lease?.serverId ?? 0,
      leaseSeconds,
    };
    this.lease = lease;
    this.state = "Bound";
    this.boundAt = this.now;
    const ms = leaseSeconds * 1000;
    // RFC 2131 §4.4.5: T1 = 0.5 × lease, T2 = 0.875 × lease unless the server says otherwise.
    this.t1 = this.boundAt + (m.renewalSeconds !== undefined ? m.renewalSeconds * 1000 : ms * 0.5);
    this.t2 = this.boundAt + (m.rebindingSeconds !== undefined ? m.rebindingSeconds * 1000 : ms * 0.875);
    this.expiry = this.boundAt + ms;
    this.retryAt = Infinity;
    this.iface.address = lease.address;
    this.iface.prefixLength = lease.prefixLength;
    this.iface.gateway = lease.gateway;
    this.options.onLease?.(lease);
  }

  private lose(now: number): void {
    this.lease = undefined;
    this.t1 = this.t2 = this.expiry = Infinity;
    this.iface.address = 0;
    this.iface.gateway = 0;
    this.options.onLease?.(undefined);
    this.start(now);
  }
}
