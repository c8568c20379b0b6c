// Interface layer (@toro/net): one Ethernet interface with an IPv4 address — frames in, frames out.
// ARP (RFC 826) with the neighbor cache, routing to on-link hosts or the default gateway, IPv4 input
// with fragment reassembly and output with fragmentation, ICMP echo reply and port unreachable
// (RFC 792, RFC 1122 §3.2.2), UDP bindings, and TCP through a TcpHost. Polled: the caller passes
// `now`, feeds received frames, takes frames to transmit, and asks when to poll again. Must not
// import socket.ts or any driver.
import type { NetFrameOptions } from "@toro/devices";
import { TcpHost, type TcpHostOptions } from "../tcp/host.js";
import { checksumAdd, foldChecksum } from "../wire/checksum.js";
import { IPV4_BROADCAST, macEquals, MAC_BROADCAST, prefixMask } from "../wire/address.js";
import { ArpOperation, emitArp, parseArp } from "../wire/arp.js";
import { ETHERNET_HEADER_BYTES, EtherType, parseEthernet, writeEthernetHeader } from "../wire/ethernet.js";
import { emitIcmp, parseIcmp, UnreachableCode } from "../wire/icmp.js";
import { IPV4_HEADER_BYTES, IpProtocol, parseIpv4, writeIpv4Header, type Ipv4Repr } from "../wire/ipv4.js";
import { emitTcp, parseTcp } from "../wire/tcp.js";
import { emitUdp, parseUdp } from "../wire/udp.js";
import { NeighborCache, type NeighborCacheOptions } from "./neighbor-cache.js";
import { Reassembler, type ReassemblyOptions } from "./reassembly.js";

/** Configuration of a {@link NetInterface}. */
export interface InterfaceConfig {
  /** Our MAC address. */
  readonly mac: Uint8Array;
  /** Largest IP packet (default 1500). */
  readonly mtu?: number;
  /** Static address (0 or absent until DHCP configures one). */
  readonly address?: number;
  /** Prefix length of the on-link network (default 24). */
  readonly prefixLength?: number;
  /** Default gateway. */
  readonly gateway?: number;
  /** TCP host options (the RFC 6528 secret is required). */
  readonly tcp: TcpHostOptions;
  /** Neighbor-cache limits. */
  readonly arp?: NeighborCacheOptions;
  /** Reassembly limits. */
  readonly reassembly?: ReassemblyOptions;
  /** The NIC verified TCP/UDP checksums of received frames (skip them). */
  readonly rxChecksumOffload?: boolean;
  /** The NIC finishes TCP/UDP checksums of sent frames (see {@link NetInterface.takeFramesWithOptions}). */
  readonly txChecksumOffload?: boolean;
}

/** A received UDP datagram. */
export interface UdpDatagram {
  /** Sender address. */
  readonly source: number;
  /** Sender port. */
  readonly sourcePort: number;
  /** Destination address (ours or a broadcast). */
  readonly destination: number;
  /** The data. */
  readonly payload: Uint8Array;
  /** When it arrived (the `now` of the frame's input), ms. */
  readonly receivedAt: number;
}

/** Something the interface polls besides TCP (the DHCP client, the DNS resolver). */
export interface InterfaceService {
  /** Runs due timers. */
  poll(now: number): void;
  /** When `poll` must next run (absolute ms, or `Infinity`). */
  nextDeadline(): number;
}

/** Why sending failed. */
export type SendError = "EHOSTUNREACH" | "EMSGSIZE" | "EADDRNOTAVAIL";

/** A frame to transmit and how (the NIC finishes its checksum when `options` says so). */
export interface OutgoingFrame {
  /** The Ethernet frame. */
  readonly frame: Uint8Array;
  /** Per-frame device options, or `undefined`. */
  readonly options: NetFrameOptions | undefined;
}

/** Counters, for tests and diagnostics. */
export interface InterfaceStats {
  /** Frames received. */
  rxFrames: number;
  /** Frames refused by a decoder (bad bytes, bad checksum). */
  rxErrors: number;
  /** Frames sent. */
  txFrames: number;
  /** Packets dropped waiting for ARP. */
  arpDrops: number;
}

/**
 * An Ethernet interface with IPv4, ARP, ICMP, UDP and TCP.
 *
 * @example
 * ```ts
 * const iface = new NetInterface({ mac: nic.mac, address: ipv4("10.0.2.15"), gateway: ipv4("10.0.2.2"), tcp: { secret } });
 * nic.onReceive((f) => iface.input(f, now()));
 * for (const f of iface.takeFrames()) await nic.send(f);
 * ```
 */
export class NetInterface {
  /** TCP for this interface. */
  readonly tcp: TcpHost;
  /** Our MAC. */
  readonly mac: Uint8Array;
  /** Largest IP packet. */
  readonly mtu: number;
  /** Our address (0 when unconfigured). */
  address: number;
  /** On-link prefix length. */
  prefixLength: number;
  /** Default gateway (0 when none). */
  gateway: number;
  /** Counters. */
  readonly stats: InterfaceStats = { rxFrames: 0, rxErrors: 0, txFrames: 0, arpDrops: 0 };
  private readonly arp: NeighborCache;
  private readonly reassembler: Reassembler;
  private readonly udp = new Map<number, (d: UdpDatagram) => void>();
  private readonly frames: Array<{ frame: Uint8Array; options: NetFrameOptions | undefined }> = [];
  private readonly rxOffload: boolean;
  private readonly txOffload: boolean;
  private ident = 1;
  private readonly services: InterfaceService[] = [];

  /**
   * Creates the interface.
   *
   * @param config - addresses, limits, TCP options
   * @returns the interface
   * @example
   * ```ts
   * new NetInterface({ mac, address, prefixLength: 24, gateway, tcp: { secret } });
   * ```
   */
  constructor(config: InterfaceConfig) {
    this.mac = config.mac.slice(0, 6);
    this.mtu = config.mtu ?? 1500;
    this.address = config.address ?? 0;
    this.prefixLength = config.prefixLength ?? 24;
    this.gateway = config.gateway ?? 0;
    this.tcp = new TcpHost(config.tcp);
    this.arp = new NeighborCache(config.arp);
    this.reassembler = new Reassembler(config.reassembly);
    this.rxOffload = config.rxChecksumOffload ?? false;
    this.txOffload = config.txChecksumOffload ?? false;
  }

  /**
   * Handles one received Ethernet frame.
   *
   * @param frame - the frame (without FCS)
   * @param now - current time, ms
   * @returns nothing; replies are queued (see {@link NetInterface.takeFrames})
   * @example
   * ```ts
   * nic.onReceive((frame) => iface.input(frame, clock()));
   * ```
   */
  input(frame: Uint8Array, now: number): void {
    this.stats.rxFrames++;
    const eth = parseEthernet(frame);
    if (!eth.ok) return this.error();
    const dst = eth.value.destination;
    if (!macEquals(dst, this.mac) && !macEquals(dst, MAC_BROADCAST)) return;
    if (eth.value.etherType === EtherType.Arp) this.arpInput(eth.value.payload, now);
    else if (eth.value.etherType === EtherType.Ipv4) this.ipInput(eth.value.payload, now);
    this.flush(now);
  }

  /**
   * Runs timers (TCP, ARP retries, reassembly expiry) and sends what is due.
   *
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * if (now >= iface.nextPollAt()) iface.poll(now);
   * ```
   */
  poll(now: number): void {
    this.reassembler.expire(now);
    const { request, failed } = this.arp.poll(now);
    for (const a of request) this.arpRequest(a);
    for (const f of failed) this.stats.arpDrops += f.dropped;
    this.tcp.poll(now);
    for (const s of this.services) if (s.nextDeadline() <= now) s.poll(now);
    this.flush(now);
  }

  /**
   * Adds a service polled with the interface (its deadline counts in {@link NetInterface.nextPollAt}).
   *
   * @param service - e.g. a DhcpClient
   * @returns nothing
   * @example
   * ```ts
   * iface.addService(new DhcpClient(iface, { random }));
   * ```
   */
  addService(service: InterfaceService): void {
    this.services.push(service);
  }

  /**
   * When to call {@link NetInterface.poll} next.
   *
   * @returns absolute ms (`-Infinity`: now), or `Infinity` when nothing is scheduled
   * @example
   * ```ts
   * setTimeout(tick, Math.max(0, iface.nextPollAt() - clock()));
   * ```
   */
  nextPollAt(): number {
    let t = Math.min(this.tcp.nextDeadline(), this.arp.nextDeadline(), this.reassembler.nextDeadline());
    for (const s of this.services) t = Math.min(t, s.nextDeadline());
    return t;
  }

  /**
   * Turns queued TCP segments into frames (call after socket operations).
   *
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * iface.tcp.write(conn, data, now); iface.flush(now);
   * ```
   */
  flush(now: number): void {
    for (const o of this.tcp.takeOutput()) {
      this.sendIp(IpProtocol.Tcp, o.destination, emitTcp(o.segment, o.source, o.destination, this.txOffload), now, true, this.txOffload ? 16 : undefined);
    }
  }

  /**
   * Takes the frames to transmit.
   *
   * @returns frames, oldest first
   * @example
   * ```ts
   * for (const f of iface.takeFrames()) await nic.send(f);
   * ```
   */
  takeFrames(): Uint8Array[] {
    return this.frames.splice(0).map((f) => f.frame);
  }

  /**
   * Takes the frames to transmit with their per-frame options (the checksum the NIC must finish
   * when `txChecksumOffload` is on).
   *
   * @returns frames and options, oldest first
   * @example
   * ```ts
   * for (const { frame, options } of iface.takeFramesWithOptions()) await nic.send(frame, options);
   * ```
   */
  takeFramesWithOptions(): OutgoingFrame[] {
    return this.frames.splice(0);
  }

  /**
   * Receives UDP datagrams on a port.
   *
   * @param port - local port
   * @param handler - called with each datagram
   * @returns `undefined`, or `EADDRINUSE`
   * @example
   * ```ts
   * iface.udpBind(68, (d) => dhcp.input(d));
   * ```
   */
  udpBind(port: number, handler: (d: UdpDatagram) => void): "EADDRINUSE" | undefined {
    if (this.udp.has(port)) return "EADDRINUSE";
    this.udp.set(port, handler);
    return undefined;
  }

  /**
   * Stops receiving on a port.
   *
   * @param port - local port
   * @returns nothing
   * @example
   * ```ts
   * iface.udpUnbind(68);
   * ```
   */
  udpUnbind(port: number): void {
    this.udp.delete(port);
  }

  /**
   * `true` when a UDP port is bound.
   *
   * @param port - local port
   * @returns whether it is bound
   * @example
   * ```ts
   * iface.udpBound(53);
   * ```
   */
  udpBound(port: number): boolean {
    return this.udp.has(port);
  }

  /**
   * Sends a UDP datagram (fragmented when larger than the MTU).
   *
   * @param sourcePort - local port
   * @param destination - address (255.255.255.255 for a broadcast)
   * @param destinationPort - port
   * @param payload - data
   * @param now - current time, ms
   * @returns `undefined`, or why it could not be sent
   * @example
   * ```ts
   * iface.udpSend(5000, dns, 53, query, now);
   * ```
   */
  udpSend(sourcePort: number, destination: number, destinationPort: number, payload: Uint8Array, now: number): SendError | undefined {
    if (payload.length > 65535 - 8 - IPV4_HEADER_BYTES) return "EMSGSIZE";
    // A NIC cannot checksum across fragments: offload only datagrams that fit the MTU.
    const partial = this.txOffload && payload.length + 8 <= this.mtu - IPV4_HEADER_BYTES;
    const bytes = emitUdp({ sourcePort, destinationPort, payload }, this.address, destination, partial);
    return this.sendIp(IpProtocol.Udp, destination, bytes, now, false, partial ? 6 : undefined);
  }

  private error(): void {
    this.stats.rxErrors++;
  }

  private arpInput(bytes: Uint8Array, now: number): void {
    const r = parseArp(bytes);
    if (!r.ok) return this.error();
    const a = r.value;
    if (this.address === 0 || a.senderIp === 0) return;
    const forUs = a.targetIp === this.address;
    // RFC 826 packet reception: merge an existing entry, add one only when the packet is for us.
    for (const p of this.arp.learn(a.senderIp, a.senderMac, now, forUs)) this.frame(a.senderMac, EtherType.Ipv4, p);
    if (forUs && a.operation === ArpOperation.Request) {
      const reply = emitArp({ operation: ArpOperation.Reply, senderMac: this.mac, senderIp: this.address, targetMac: a.senderMac, targetIp: a.senderIp });
      this.frame(a.senderMac, EtherType.Arp, reply);
    }
  }

  private arpRequest(target: number): void {
    const req = emitArp({ operation: ArpOperation.Request, senderMac: this.mac, senderIp: this.address, targetMac: new Uint8Array(6), targetIp: target });
    this.frame(MAC_BROADCAST, EtherType.Arp, req);
  }

  private isBroadcast(a: number): boolean {
    const mask = prefixMask(this.prefixLength);
    return a === IPV4_BROADCAST || (this.address !== 0 && mask !== 0xffffffff && a === ((this.address & mask) | ~mask) >>> 0);
  }

  private ipInput(bytes: Uint8Array, now: number): void {
    const r = parseIpv4(bytes);
    if (!r.ok) return this.error();
    const dst = r.value.destination;
    const broadcast = this.isBroadcast(dst);
    if (dst !== this.address && !broadcast && this.address !== 0) return;
    const ip = this.reassembler.add(r.value, now);
    if (!ip) return;
    switch (ip.protocol) {
      case IpProtocol.Icmp:
        return this.icmpInput(ip, broadcast, now);
      case IpProtocol.Udp:
        return this.udpInput(ip, bytes, broadcast, now);
      case IpProtocol.Tcp: {
        if (broadcast || this.address === 0) return;
        const t = parseTcp(ip.payload, ip.source, ip.destination, { verifyChecksum: !this.rxOffload });
        if (!t.ok) return this.error();
        this.tcp.input(ip.source, ip.destination, t.value, now);
        return;
      }
      default:
        // RFC 1122 §3.2.2.1: protocol unreachable.
        if (!broadcast && this.address !== 0) this.unreachable(UnreachableCode.Protocol, ip.source, bytes, now);
    }
  }

  private icmpInput(ip: Ipv4Repr, broadcast: boolean, now: number): void {
    const r = parseIcmp(ip.payload);
    if (!r.ok) return this.error();
    // RFC 1122 §3.2.2.6: answer echo requests (not broadcast ones, a common hardening).
    if (r.value.kind === "echo-request" && !broadcast && this.address !== 0) {
      this.sendIp(IpProtocol.Icmp, ip.source, emitIcmp({ ...r.value, kind: "echo-reply" }), now, false);
    }
  }

  private udpInput(ip: Ipv4Repr, raw: Uint8Array, broadcast: boolean, now: number): void {
    const r = parseUdp(ip.payload, ip.source, ip.destination, { verifyChecksum: !this.rxOffload });
    if (!r.ok) return this.error();
    const handler = this.udp.get(r.value.destinationPort);
    if (handler) {
      handler({ source: ip.source, sourcePort: r.value.sourcePort, destination: ip.destination, payload: r.value.payload, receivedAt: now });
      return;
    }
    // RFC 1122 §3.2.2 / §4.1.3.1: port unreachable, never for broadcasts.
    if (!broadcast && this.address !== 0) this.unreachable(UnreachableCode.Port, ip.source, raw, now);
  }

  private unreachable(code: number, to: number, original: Uint8Array, now: number): void {
    // RFC 792 asks for the header plus 64 bits of data; RFC 1812 §4.3.2.3 allows up to 576 bytes in all (as Linux does).
    const quoted = original.subarray(0, Math.min(original.length, 576 - IPV4_HEADER_BYTES - 8));
    this.sendIp(IpProtocol.Icmp, to, emitIcmp({ kind: "destination-unreachable", code, nextHopMtu: 0, original: quoted }), now, false);
  }

  private sendIp(protocol: number, destination: number, payload: Uint8Array, now: number, dontFragment: boolean, checksumAt?: number): SendError | undefined {
    const broadcast = this.isBroadcast(destination);
    let nextHop = destination;
    if (!broadcast) {
      const mask = prefixMask(this.prefixLength);
      if (this.address === 0) return "EADDRNOTAVAIL";
      if (((destination ^ this.address) & mask) !== 0) {
        if (this.gateway === 0) return "EHOSTUNREACH";
        nextHop = this.gateway;
      }
    }
    const maxPayload = (this.mtu - IPV4_HEADER_BYTES) & ~7;
    if (dontFragment && payload.length > this.mtu - IPV4_HEADER_BYTES) return "EMSGSIZE";
    const ident = this.ident;
    this.ident = (this.ident + 1) & 0xffff;
    for (let off = 0; off < payload.length || off === 0; off += maxPayload) {
      const piece = payload.subarray(off, off + maxPayload);
      const more = off + maxPayload < payload.length;
      const packet = new Uint8Array(IPV4_HEADER_BYTES + piece.length);
      const header = { source: this.address, destination, protocol, ttl: 64, ident, tos: 0, dontFragment, moreFragments: more, fragmentOffset: off };
      writeIpv4Header(packet, header, packet.length);
      packet.set(piece, IPV4_HEADER_BYTES);
      this.route(packet, nextHop, broadcast, now, checksumAt);
      if (!more) break;
    }
    return undefined;
  }

  private route(packet: Uint8Array, nextHop: number, broadcast: boolean, now: number, checksumAt: number | undefined): void {
    // virtio 1.2 §5.1.6.2: csum_start is from the frame's start, csum_offset from csum_start.
    const options = checksumAt === undefined ? undefined : { checksum: { start: ETHERNET_HEADER_BYTES + IPV4_HEADER_BYTES, offset: checksumAt } };
    if (broadcast) return this.frame(MAC_BROADCAST, EtherType.Ipv4, packet, options);
    const mac = this.arp.lookup(nextHop, now);
    if (mac) return this.frame(mac, EtherType.Ipv4, packet, options);
    if (checksumAt !== undefined) finishChecksum(packet, checksumAt); // queued packets travel without options
    const r = this.arp.enqueue(nextHop, packet, now);
    if (r === "request") this.arpRequest(nextHop);
    else if (r === "dropped") this.stats.arpDrops++;
  }

  private frame(destination: Uint8Array, etherType: number, payload: Uint8Array, options?: NetFrameOptions): void {
    const f = new Uint8Array(ETHERNET_HEADER_BYTES + payload.length);
    writeEthernetHeader(f, destination, this.mac, etherType);
    f.set(payload, ETHERNET_HEADER_BYTES);
    this.frames.push({ frame: f, options });
    this.stats.txFrames++;
  }
}

/** Completes a partial transport checksum in software (what the NIC would have done). */
function finishChecksum(packet: Uint8Array, offset: number): void {
  const segment = packet.subarray(IPV4_HEADER_BYTES);
  const sum = foldChecksum(checksumAdd(segment));
  const at = offset;
  const value = sum === 0 && offset === 6 ? 0xffff : sum; // RFC 768: a computed UDP zero is sent as all ones
  segment[at] = value >>> 8;
  segment[at + 1] = value & 255;
}
