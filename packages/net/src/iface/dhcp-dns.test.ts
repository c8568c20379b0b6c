// DHCP client (RFC 2131) and stub resolver (RFC 1035) against scripted servers over the simulator.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hex } from "../testing/captured-frames.js";
import { prng, SimNetwork } from "../testing/sim.js";
import { ipv4 } from "../wire/address.js";
import { DhcpMessageType, emitDhcp, parseDhcp, type DhcpRepr } from "../wire/dhcp.js";
import { emitDnsQuery, parseDns } from "../wire/dns.js";
import { DhcpClient, type DhcpLease } from "./dhcp-client.js";
import { DnsResolver } from "./dns-resolver.js";
import { NetInterface } from "./interface.js";
import { dhcpServer, dnsServer, GUEST, SERVER } from "../testing/servers.js";

const secret = new Uint8Array(8);

function net(serverAddress = SERVER) {
  const client = new NetInterface({ mac: new Uint8Array([0x52, 0x54, 0, 0x12, 0x34, 0x56]), tcp: { secret } });
  const server = new NetInterface({ mac: new Uint8Array([0x52, 0x55, 10, 0, 2, 2]), address: serverAddress, tcp: { secret } });
  return { client, server, sim: new SimNetwork([client, server], { seed: 1, delayMs: 1 }) };
}

describe("DHCP messages (RFC 2131 §2, RFC 2132)", () => {
  it("round-trips a message with every modelled option", () => {
    const m: DhcpRepr = {
      op: 2, xid: 0xdeadbeef, secs: 3, broadcast: true, ciaddr: 0, yiaddr: GUEST, siaddr: SERVER, giaddr: 0, chaddr: new Uint8Array([1, 2, 3, 4, 5, 6]),
      messageType: DhcpMessageType.Ack, serverId: SERVER, requestedIp: GUEST, leaseSeconds: 86400, renewalSeconds: 100, rebindingSeconds: 200,
      subnetMask: 0xffffff00, routers: [SERVER], dnsServers: [1, 2], parameterRequestList: [1, 3, 6],
    };
    expect(parseDhcp(emitDhcp(m))).toEqual({ ok: true, value: m });
  });
  it("refuses plain BOOTP, bad cookies and truncated options; never throws (fuzz)", () => {
    const good = emitDhcp({ op: 1, xid: 1, secs: 0, broadcast: false, ciaddr: 0, yiaddr: 0, siaddr: 0, giaddr: 0, chaddr: new Uint8Array(6), messageType: 1 });
    const cookie = good.slice();
    cookie[236] = 0;
    expect(parseDhcp(cookie)).toMatchObject({ ok: false, error: "bad-field" });
    const cut = good.slice(0, 242);
    cut[241] = 50;
    expect(parseDhcp(cut).ok).toBe(false);
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 400 }), (b) => void parseDhcp(b)));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (opts) => {
      const m = good.slice(0, 240);
      void parseDhcp(Uint8Array.from([...m, ...opts]));
    }));
  });
});

describe("DHCP client (RFC 2131 §4.4)", () => {
  it("discovers, requests, binds and configures the interface", () => {
    const { client, server, sim } = net();
    dhcpServer(server, 3600);
    const leases: Array<DhcpLease | undefined> = [];
    const dhcp = new DhcpClient(client, { random: prng(5), onLease: (l) => leases.push(l) });
    dhcp.start(0);
    expect(sim.run(() => dhcp.state === "Bound", 60_000)).toBe(true);
    expect(client.address).toBe(GUEST);
    expect(client.gateway).toBe(SERVER);
    expect(client.prefixLength).toBe(24);
    expect(leases[0]?.dnsServers).toEqual([ipv4("10.0.2.3")]);
  });
  it("retransmits DISCOVER with backoff until a server answers", () => {
    const { client, server, sim } = net();
    const s = dhcpServer(server, 3600);
    s.answering = false;
    const dhcp = new DhcpClient(client, { random: prng(5) });
    dhcp.start(0);
    sim.run(() => false, 20_000);
    expect(dhcp.state).toBe("Selecting");
    s.answering = true;
    expect(sim.run(() => dhcp.state === "Bound", 200_000)).toBe(true);
    expect(sim.now).toBeGreaterThan(20_000);
  });
  it("renews at T1 by unicast, rebinds at T2 by broadcast, and gives the address up at expiry", () => {
    const { client, server, sim } = net();
    const s = dhcpServer(server, 100);
    const leases: Array<DhcpLease | undefined> = [];
    const dhcp = new DhcpClient(client, { random: prng(5), onLease: (l) => leases.push(l) });
    dhcp.start(0);
    sim.run(() => dhcp.state === "Bound", 60_000);
    const boundAt = sim.now;
    s.requests.length = 0;
    sim.run(() => s.requests.length > 0, boundAt + 60_000);
    expect(sim.now - boundAt).toBeGreaterThanOrEqual(50_000); // T1 = 50 s
    expect(s.requests[0]!.ciaddr).toBe(GUEST);
    sim.run(() => dhcp.state === "Bound", sim.now + 10_000);
    expect(leases.length).toBe(2);
    s.answering = false;
    const renewedAt = sim.now;
    sim.run(() => dhcp.state === "Rebinding", renewedAt + 200_000);
    expect(dhcp.state).toBe("Rebinding");
    sim.run(() => client.address === 0, renewedAt + 200_000);
    expect(client.address).toBe(0);
    expect(leases.at(-1)).toBeUndefined();
    expect(dhcp.state).toBe("Selecting");
  });
});

describe("DNS messages (RFC 1035 §4)", () => {
  // A query for example.com (id 0x1234, RD) and a response with a compressed name (c00c), written
  // by hand after RFC 1035 §4.1 and checked against a dig capture layout.
  const query = hex("123401000001000000000000076578616d706c6503636f6d0000010001");
  const answer = hex("123481800001000100000000076578616d706c6503636f6d0000010001c00c000100010000012c00045db8d822");
  it("builds the query byte-exact and reads the compressed answer", () => {
    expect(emitDnsQuery(0x1234, "example.com")).toEqual(query);
    expect(parseDns(answer)).toEqual({
      ok: true,
      value: { id: 0x1234, response: true, rcode: 0, truncated: false, questions: [{ name: "example.com", type: 1 }], answers: [{ type: "A", name: "example.com", ttl: 300, address: ipv4("93.184.216.34") }] },
    });
  });
  it("refuses compression loops and truncation; never throws (fuzz)", () => {
    const loop = answer.slice();
    loop.set([0xc0, 0x1d], 29); // the answer's name points at itself
    expect(parseDns(loop)).toMatchObject({ ok: false });
    expect(parseDns(answer.subarray(0, 40))).toMatchObject({ ok: false, error: "truncated" });
    expect(emitDnsQuery(1, "bad..name")).toBeUndefined();
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (b) => void parseDns(b)), { numRuns: 2000 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 60 }), (tail) => void parseDns(Uint8Array.from([...answer.subarray(0, 29), ...tail]))));
  });
});

describe("stub resolver (RFC 1035 §7, RFC 2308)", () => {
  function setup() {
    const { client, server, sim } = net();
    client.address = GUEST;
    const seen = dnsServer(server);
    const dns = new DnsResolver(client, { servers: () => [SERVER], random: prng(3), timeoutMs: 1000, attempts: 3 });
    return { sim, dns, seen };
  }
  it("follows a CNAME, caches for the smallest TTL, then asks again", () => {
    const { sim, dns, seen } = setup();
    const results: string[] = [];
    const ask = () => dns.lookup("www.example", sim.now, (e, a) => results.push(e ?? a.join()));
    ask();
    sim.run(() => results.length === 1, 10_000);
    expect(results).toEqual([String(ipv4("10.0.0.9"))]);
    ask();
    expect(results.length).toBe(2); // from the cache, synchronously
    expect(seen).toEqual(["www.example"]);
    sim.now += 31_000; // idle: the clock moves past the 30 s TTL
    ask();
    sim.run(() => results.length === 3, sim.now + 10_000);
    expect(seen).toEqual(["www.example", "www.example"]);
  });
  it("reports NXDOMAIN as ENOTFOUND and silence as ETIMEOUT after retries", () => {
    const { sim, dns, seen } = setup();
    const results: string[] = [];
    dns.lookup("nx.example", sim.now, (e) => results.push(String(e)));
    dns.lookup("slow.example", sim.now, (e) => results.push(String(e)));
    sim.run(() => results.length === 2, 60_000);
    expect(results).toEqual(["ENOTFOUND", "ETIMEOUT"]);
    expect(seen.filter((n) => n === "slow.example").length).toBe(3);
    expect(sim.now).toBeLessThan(4000);
  });
  it("answers dotted quads without a query and refuses bad names", () => {
    const { dns, seen } = setup();
    const results: string[] = [];
    dns.lookup("10.1.2.3", 0, (e, a) => results.push(e ?? String(a[0])));
    dns.lookup("bad..name", 0, (e) => results.push(String(e)));
    expect(results).toEqual([String(ipv4("10.1.2.3")), "EBADNAME"]);
    expect(seen).toEqual([]);
  });
});
