// The interface against captured Linux traffic: ARP, ICMP echo, port unreachable, TCP SYN; routing,
// fragmentation and reassembly, the neighbor cache's bounds and timeouts.
import { describe, expect, it } from "vitest";
import { captured } from "../testing/captured-frames.js";
import { ipv4 } from "../wire/address.js";
import { parseEthernet } from "../wire/ethernet.js";
import { parseIpv4 } from "../wire/ipv4.js";
import { parseTcp, TcpFlags } from "../wire/tcp.js";
import { NetInterface } from "./interface.js";
import { NeighborCache } from "./neighbor-cache.js";
import { Reassembler } from "./reassembly.js";

const secret = new Uint8Array(16).fill(3);
const linuxMac = new Uint8Array([0x52, 0x89, 0x43, 0xe3, 0x13, 0x26]);
const ourMac = new Uint8Array([0x12, 0xb7, 0x01, 0x47, 0xf6, 0x39]);
const us = () => new NetInterface({ mac: ourMac, address: ipv4("10.9.0.2"), prefixLength: 24, tcp: { secret } });
const ipOf = (f: Uint8Array) => {
  const e = parseEthernet(f);
  if (!e.ok) throw new Error(e.detail);
  const r = parseIpv4(e.value.payload);
  if (!r.ok) throw new Error(r.detail);
  return r.value;
};

describe("interface vs captured Linux traffic", () => {
  it("answers Linux's ARP request with the same bytes Linux's peer sent", () => {
    const i = us();
    i.input(captured.arpRequest, 0);
    expect(i.takeFrames()).toEqual([captured.arpReply]);
  });
  it("answers an echo request with the captured reply's ICMP bytes", () => {
    const i = us();
    i.input(captured.arpRequest, 0); // learn Linux's MAC
    i.takeFrames();
    i.input(captured.icmpEchoRequest, 1);
    const [reply] = i.takeFrames();
    expect(reply!.subarray(0, 14)).toEqual(captured.icmpEchoReply.subarray(0, 14));
    expect(ipOf(reply!).payload).toEqual(ipOf(captured.icmpEchoReply).payload);
    expect(ipOf(reply!).destination).toBe(ipv4("10.9.0.1"));
  });
  it("answers UDP to a closed port with the captured port-unreachable ICMP bytes", () => {
    const i = us();
    i.input(captured.arpRequest, 0);
    i.takeFrames();
    i.input(captured.udp, 1);
    const [f] = i.takeFrames();
    expect(ipOf(f!).payload).toEqual(ipOf(captured.icmpPortUnreachable).payload);
  });
  it("delivers UDP to a bound port instead", () => {
    const i = us();
    const got: string[] = [];
    i.udpBind(9999, (d) => got.push(String.fromCharCode(...d.payload)));
    i.input(captured.udp, 1);
    expect(got).toEqual(["ping"]);
    expect(i.takeFrames()).toEqual([]);
  });
  it("answers the captured SYN with a SYN-ACK carrying the negotiated options, after ARP", () => {
    const i = us();
    i.tcp.listen(7777);
    i.input(captured.tcpSyn, 0);
    const [arp] = i.takeFrames(); // Linux's MAC is unknown: ARP first, SYN-ACK queued
    expect(parseEthernet(arp!).ok && arp![12]).toBe(0x08);
    expect(arp![13]).toBe(0x06);
    const reply = new Uint8Array(captured.arpReply);
    reply.set(ourMac, 0); // Linux answering our request
    reply.set(linuxMac, 6);
    reply.set([0, 2], 20);
    reply.set(linuxMac, 22);
    reply.set([10, 9, 0, 1], 28);
    reply.set(ourMac, 32);
    reply.set([10, 9, 0, 2], 38);
    i.input(reply, 2);
    const [synAck] = i.takeFrames();
    const ip = ipOf(synAck!);
    const t = parseTcp(ip.payload, ip.source, ip.destination);
    expect(t.ok && t.value.flags).toBe(TcpFlags.Syn | TcpFlags.Ack);
    expect(t.ok && t.value.ack).toBe(0x88993b7c);
    expect(t.ok && t.value.options.mss).toBe(1460);
    expect(t.ok && t.value.options.windowScale).toBeDefined();
    expect(t.ok && t.value.options.timestamp?.echo).toBe(0xfd21b7f4);
  });
  it("counts and ignores corrupted frames", () => {
    const i = us();
    const bad = captured.icmpEchoRequest.slice();
    bad[24] = bad[24]! ^ 0xff; // IP header checksum now wrong
    i.input(bad, 0);
    expect(i.stats.rxErrors).toBe(1);
    expect(i.takeFrames()).toEqual([]);
  });
});

describe("routing and fragmentation", () => {
  const a = () => new NetInterface({ mac: new Uint8Array([2, 0, 0, 0, 0, 1]), address: ipv4("10.0.0.1"), gateway: ipv4("10.0.0.254"), mtu: 576, tcp: { secret } });
  it("sends off-link traffic to the gateway's MAC (ARP for the gateway)", () => {
    const i = a();
    i.udpSend(1000, ipv4("8.8.8.8")!, 53, new Uint8Array(10), 0);
    const [f] = i.takeFrames();
    const e = parseEthernet(f!);
    expect(e.ok && e.value.etherType).toBe(0x0806);
    expect(e.ok && e.value.payload.subarray(24, 28)).toEqual(new Uint8Array([10, 0, 0, 254]));
  });
  it("refuses off-link traffic without a gateway", () => {
    const i = new NetInterface({ mac: new Uint8Array(6), address: ipv4("10.0.0.1"), tcp: { secret } });
    expect(i.udpSend(1, ipv4("8.8.8.8")!, 53, new Uint8Array(1), 0)).toBe("EHOSTUNREACH");
  });
  it("fragments a large datagram and the peer reassembles it, in any order", () => {
    const tx = a();
    const rx = new NetInterface({ mac: new Uint8Array([2, 0, 0, 0, 0, 2]), address: ipv4("10.0.0.2"), tcp: { secret } });
    const got: Uint8Array[] = [];
    rx.udpBind(9, (d) => got.push(d.payload));
    const data = Uint8Array.from({ length: 3000 }, (_, k) => k * 7);
    tx.udpSend(5, ipv4("255.255.255.255")!, 9, data, 0);
    const frames = tx.takeFrames();
    expect(frames.length).toBe(6);
    for (const f of frames.reverse()) rx.input(f, 1);
    expect(got).toEqual([data]);
  });
});

describe("Reassembler limits", () => {
  const piece = (ident: number, off: number, len: number, more: boolean) => ({
    source: 1, destination: 2, protocol: 17, ttl: 64, ident, tos: 0, dontFragment: false, moreFragments: more, fragmentOffset: off, payload: new Uint8Array(len).fill(off & 255),
  });
  it("expires incomplete datagrams", () => {
    const r = new Reassembler({ timeoutMs: 1000 });
    expect(r.add(piece(1, 0, 8, true), 0)).toBeUndefined();
    expect(r.nextDeadline()).toBe(1000);
    r.expire(1000);
    expect(r.add(piece(1, 8, 8, false), 1001)).toBeUndefined();
    expect(r.pending()).toBe(1);
  });
  it("bounds datagrams in progress and refuses oversize or misaligned pieces", () => {
    const r = new Reassembler({ maxDatagrams: 4 });
    for (let id = 0; id < 100; id++) r.add(piece(id, 0, 8, true), 0);
    expect(r.pending()).toBe(4);
    expect(r.add(piece(200, 65528, 16, false), 0)).toBeUndefined();
    expect(r.add(piece(201, 0, 7, true), 0)).toBeUndefined();
  });
  it("handles overlaps and duplicates", () => {
    const r = new Reassembler();
    r.add(piece(9, 0, 16, true), 0);
    r.add(piece(9, 8, 16, true), 0);
    r.add(piece(9, 8, 16, true), 0);
    expect(r.add(piece(9, 24, 4, false), 0)?.payload.length).toBe(28);
  });
});

describe("NeighborCache (RFC 826, RFC 1122 §2.3.2)", () => {
  it("queues a bounded number of packets, retries and gives up", () => {
    const c = new NeighborCache({ maxQueuedPerAddress: 2, retryMs: 100, maxRequests: 3 });
    expect(c.enqueue(5, new Uint8Array([1]), 0)).toBe("request");
    expect(c.enqueue(5, new Uint8Array([2]), 0)).toBe("queued");
    expect(c.enqueue(5, new Uint8Array([3]), 0)).toBe("queued");
    expect(c.queuedPackets()).toBe(2);
    expect(c.poll(100).request).toEqual([5]);
    expect(c.poll(200).request).toEqual([5]);
    expect(c.poll(300)).toEqual({ request: [], failed: [{ address: 5, dropped: 2 }] });
  });
  it("releases queued packets on resolution and expires entries", () => {
    const c = new NeighborCache({ entryTtlMs: 1000 });
    c.enqueue(5, new Uint8Array([1]), 0);
    expect(c.learn(5, new Uint8Array(6).fill(9), 10)).toEqual([new Uint8Array([1])]);
    expect(c.lookup(5, 500)).toEqual(new Uint8Array(6).fill(9));
    expect(c.lookup(5, 1010)).toBeUndefined();
  });
  it("bounds addresses under resolution", () => {
    const c = new NeighborCache({ maxPendingAddresses: 3 });
    for (let a = 0; a < 3; a++) c.enqueue(a, new Uint8Array(1), 0);
    expect(c.enqueue(99, new Uint8Array(1), 0)).toBe("dropped");
  });
});


describe("transmit checksum offload", () => {
  it("hands the NIC a partial TCP checksum with csum_start/offset; ARP-queued packets are finished in software", () => {
    const i = new NetInterface({ mac: ourMac, address: ipv4("10.9.0.2"), txChecksumOffload: true, tcp: { secret } });
    i.tcp.listen(7777);
    i.input(captured.tcpSyn, 0); // Linux's MAC unknown: the SYN-ACK waits for ARP, finished in software
    i.takeFrames();
    const reply = new Uint8Array(captured.arpReply);
    reply.set(ourMac, 0);
    reply.set(linuxMac, 6);
    reply.set([0, 2], 20);
    reply.set(linuxMac, 22);
    reply.set([10, 9, 0, 1], 28);
    reply.set(ourMac, 32);
    reply.set([10, 9, 0, 2], 38);
    i.input(reply, 1);
    const [queued] = i.takeFramesWithOptions();
    expect(queued!.options).toBeUndefined();
    let ip = ipOf(queued!.frame);
    expect(parseTcp(ip.payload, ip.source, ip.destination).ok).toBe(true);
    // Now the MAC is known: the next segment goes out with offload options.
    i.input(captured.tcpSyn, 2); // a repeated SYN: the SYN-ACK again
    const [direct] = i.takeFramesWithOptions();
    expect(direct!.options).toEqual({ checksum: { start: 34, offset: 16 } });
    ip = ipOf(direct!.frame);
    expect(parseTcp(ip.payload, ip.source, ip.destination).ok).toBe(false); // not finished yet
    expect(parseTcp(ip.payload, ip.source, ip.destination, { verifyChecksum: false }).ok).toBe(true);
  });
});
