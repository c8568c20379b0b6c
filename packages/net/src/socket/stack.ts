// Socket layer (@toro/net): `createStack(nic, options)` — composes a NetInterface with a NetDevice
// through the driver edge and hands out Node-shaped sockets. Must not import a driver; the app
// passes the NetDevice in.
import type { NetDevice } from "@toro/devices";
import { ToroError } from "@toro/kernel";
import { NetInterface } from "../iface/interface.js";
import { defaultTcpConfig, type TcpConfig } from "../tcp/tcb.js";
import { DhcpClient } from "../iface/dhcp-client.js";
import { DnsResolver } from "../iface/dns-resolver.js";
import { formatIpv4, ipv4 } from "../wire/address.js";
import { Driver, globalScheduler, type Scheduler } from "./driver.js";
import { Server, Socket, netError } from "./tcp-socket.js";
import { UdpSocket } from "./udp-socket.js";

/** Options of {@link createStack}. */
export interface StackOptions {
  /** Static address, dotted quad; omit it to use DHCP. */
  readonly address?: string;
  /** On-link prefix length (default 24). */
  readonly prefixLength?: number;
  /** Default gateway, dotted quad. */
  readonly gateway?: string;
  /** RFC 6528 secret (default: 16 bytes from `crypto.getRandomValues`). */
  readonly secret?: Uint8Array;
  /** TCP tunables merged over {@link defaultTcpConfig}. */
  readonly tcp?: Partial<TcpConfig>;
  /** Clock and timer (default: the global ones). */
  readonly scheduler?: Scheduler;
  /** DNS servers, dotted quads (default: those of the DHCP lease). */
  readonly dns?: readonly string[];
  /** Uniform random numbers in [0, 1) for DHCP and DNS ids (default: from `crypto.getRandomValues`). */
  readonly random?: () => number;
}

/**
 * A running stack on one NIC, with Node-shaped socket factories.
 *
 * @example
 * ```ts
 * const net = createStack(nic, { address: "10.0.2.15", gateway: "10.0.2.2" });
 * net.createServer((s) => s.on("data", (d: Uint8Array) => s.write(d))).listen(7);
 * ```
 */
export class NetStack {
  /** The interface (addresses, counters, the TCP host). */
  readonly iface: NetInterface;
  /** The DHCP client, when the address comes from DHCP. */
  readonly dhcp: DhcpClient | undefined;
  private readonly driver: Driver;
  private readonly resolver: DnsResolver;
  private readonly waiting: Array<() => void> = [];

  /** @internal Use {@link createStack}. */
  constructor(iface: NetInterface, nic: NetDevice, scheduler: Scheduler, options: StackOptions, random: () => number) {
    this.iface = iface;
    this.driver = new Driver(iface, nic, scheduler);
    const staticDns = (options.dns ?? []).map((d) => ipv4(d)).filter((a): a is number => a !== undefined);
    this.dhcp =
      options.address === undefined
        ? new DhcpClient(iface, {
            random,
            onLease: (lease) => {
              if (lease) for (const w of this.waiting.splice(0)) w();
            },
          })
        : undefined;
    this.resolver = new DnsResolver(iface, { random, servers: () => (staticDns.length > 0 ? staticDns : (this.dhcp?.lease?.dnsServers ?? [])) });
    this.dhcp?.start(scheduler.now());
    this.driver.kick();
  }

  /**
   * Resolves once the interface has an address (at once for a static one; after the DHCP ACK otherwise).
   *
   * @returns a promise of the address, dotted quad
   * @example
   * ```ts
   * console.log(`up at ${await net.ready()}`);
   * ```
   */
  ready(): Promise<string> {
    if (this.iface.address !== 0) return Promise.resolve(formatIpv4(this.iface.address));
    return new Promise((resolve) => this.waiting.push(() => resolve(formatIpv4(this.iface.address))));
  }

  /**
   * Resolves a host name to IPv4 addresses (like `dns.promises.resolve4`).
   *
   * @param name - host name (a dotted quad resolves to itself)
   * @returns the addresses, dotted quads
   * @throws ToroError `ENOTFOUND`, `ETIMEOUT`, `ESERVFAIL`, `EBADNAME`, or `ECONNREFUSED` with no server
   * @example
   * ```ts
   * const [addr] = await net.lookup("example.com");
   * ```
   */
  lookup(name: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.resolver.lookup(name, this.driver.now(), (err, addrs) => {
        if (err) reject(new ToroError(err, `lookup ${name}: ${err}`));
        else resolve(addrs.map(formatIpv4));
      });
      this.driver.kick();
    });
  }

  /**
   * A TCP server (Node's `net.createServer`).
   *
   * @param onConnection - `connection` listener
   * @returns the server (call `listen`)
   * @example
   * ```ts
   * net.createServer((socket) => socket.end("hello\n")).listen(80);
   * ```
   */
  createServer(onConnection?: (socket: Socket) => void): Server {
    return new Server(this.driver, onConnection);
  }

  /**
   * Opens a TCP connection (Node's `net.connect`).
   *
   * @param port - remote port
   * @param host - remote address, dotted quad
   * @param onConnect - `connect` listener
   * @returns the socket (connecting)
   * @example
   * ```ts
   * const s = net.connect(80, "10.0.2.2", () => s.write("hi"));
   * ```
   */
  connect(port: number, host: string, onConnect?: () => void): Socket {
    const address = ipv4(host);
    if (address === undefined) throw new ToroError("EINVAL", `not an IPv4 address: ${host}`, { hint: "resolve names with DNS first" });
    const c = this.iface.tcp.connect(this.iface.address, address, port, this.driver.now());
    if (typeof c === "string") throw netError(c);
    const s = new Socket(this.driver, c, true);
    if (onConnect) s.once("connect", onConnect);
    this.driver.kick();
    return s;
  }

  /**
   * A UDP socket (Node's `dgram.createSocket`).
   *
   * @param type - only `"udp4"`
   * @returns the socket (call `bind` or `send`)
   * @example
   * ```ts
   * const u = net.createSocket("udp4");
   * ```
   */
  createSocket(type: "udp4"): UdpSocket {
    if (type !== "udp4") throw new ToroError("EINVAL", `unsupported socket type ${String(type)}`);
    return new UdpSocket(this.driver);
  }

  /**
   * Stops timers and detaches from the NIC (open connections are abandoned).
   *
   * @returns nothing
   * @example
   * ```ts
   * net.close();
   * ```
   */
  close(): void {
    this.driver.close();
  }
}

/**
 * Starts a stack on a NIC with a static address.
 *
 * @param nic - the network device (e.g. from `@toro/virtio-net`)
 * @param options - a static address (else DHCP), DNS servers, secret, TCP tunables, scheduler
 * @returns the stack
 * @throws ToroError `EINVAL` for a malformed address, `ENOTSUP` without a random source or timers
 * @example
 * ```ts
 * const net = createStack(await virtioNet(devices), { address: "10.0.2.15", gateway: "10.0.2.2" });
 * ```
 */
export function createStack(nic: NetDevice, options: StackOptions = {}): NetStack {
  const address = options.address === undefined ? 0 : ipv4(options.address);
  if (address === undefined) throw new ToroError("EINVAL", `not an IPv4 address: ${String(options.address)}`);
  const gateway = options.gateway === undefined ? 0 : ipv4(options.gateway);
  if (gateway === undefined) throw new ToroError("EINVAL", `not an IPv4 address: ${String(options.gateway)}`);
  const secret = options.secret ?? randomSecret();
  const iface = new NetInterface({
    mac: nic.mac,
    mtu: nic.capabilities.mtu,
    address,
    prefixLength: options.prefixLength ?? 24,
    gateway,
    rxChecksumOffload: nic.capabilities.rxChecksumOffload,
    txChecksumOffload: nic.capabilities.txChecksumOffload,
    tcp: { secret, config: { ...defaultTcpConfig, mss: nic.capabilities.mtu - 40, ...options.tcp } },
  });
  return new NetStack(iface, nic, options.scheduler ?? globalScheduler(), options, options.random ?? randomUnit(secret));
}

/** Uniform numbers from a seed drawn with the secret (mulberry32; ids need not be cryptographic here). */
function randomUnit(secret: Uint8Array): () => number {
  let a = ((secret[8] ?? 1) << 24) | ((secret[9] ?? 2) << 16) | ((secret[10] ?? 3) << 8) | (secret[11] ?? 4);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSecret(): Uint8Array {
  const c = (globalThis as unknown as { crypto?: { getRandomValues(a: Uint8Array): Uint8Array } }).crypto;
  if (!c) throw new ToroError("ENOTSUP", "no crypto.getRandomValues for the RFC 6528 secret", { hint: "pass options.secret" });
  return c.getRandomValues(new Uint8Array(16));
}
