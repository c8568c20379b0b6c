// Test kit (@toro/net, not exported): scripted DHCP and DNS servers on a NetInterface.
import type { NetInterface } from "../iface/interface.js";
import { ipv4 } from "../wire/address.js";
import { DhcpMessageType, emitDhcp, parseDhcp, type DhcpRepr } from "../wire/dhcp.js";
import { parseDns } from "../wire/dns.js";

/** @internal */
export const SERVER = ipv4("10.0.2.2")!;
/** @internal */
export const GUEST = ipv4("10.0.2.15")!;

/** @internal A DHCP server that leases 10.0.2.15 for `leaseSeconds` while `answering`. */
export function dhcpServer(server: NetInterface, leaseSeconds: number, router = SERVER, dns = [ipv4("10.0.2.3")!]) {
  const state = { answering: true, requests: [] as DhcpRepr[] };
  server.udpBind(67, (d) => {
    const r = parseDhcp(d.payload);
    if (!r.ok || !state.answering) return;
    const m = r.value;
    if (m.messageType === DhcpMessageType.Request) state.requests.push(m);
    const type = m.messageType === DhcpMessageType.Discover ? DhcpMessageType.Offer : DhcpMessageType.Ack;
    const reply = emitDhcp({
      ...m, op: 2, yiaddr: GUEST, messageType: type, serverId: SERVER, leaseSeconds, subnetMask: 0xffffff00, routers: [router], dnsServers: dns,
      parameterRequestList: undefined, requestedIp: undefined,
    });
    server.udpSend(67, 0xffffffff, 68, reply, d.receivedAt);
  });
  return state;
}

/** @internal A DNS server: www.example -> CNAME web1.example -> 10.0.0.9; nx.example -> NXDOMAIN; slow.example -> silence. */
export function dnsServer(server: NetInterface) {
  const seen: string[] = [];
  server.udpBind(53, (d) => {
    const r = parseDns(d.payload);
    if (!r.ok) return;
    const name = r.value.questions[0]!.name;
    seen.push(name);
    if (name === "slow.example") return;
    const q = d.payload;
    const header = [q[0]!, q[1]!, 0x81, name === "nx.example" ? 0x83 : 0x80, 0, 1, 0, name === "www.example" ? 2 : 0, 0, 0, 0, 0];
    const question = [...q.subarray(12)];
    const records =
      name === "www.example"
        ? [0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 7, 4, 119, 101, 98, 49, 0xc0, 16, 0xc0, 12 + question.length + 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 10, 0, 0, 9]
        : [];
    server.udpSend(53, d.source, d.sourcePort, Uint8Array.from([...header, ...question, ...records]), d.receivedAt);
  });
  return seen;
}
