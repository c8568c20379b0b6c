// Public entry of @toro/net (TCP/IP stack): wire codecs, the pure TCP decision functions and host,
// the polled interface, and the Node-shaped sockets. Re-exports only; importing it has no side effects.
export * from "./wire/index.js";
export * from "./tcp/index.js";
export { TcpHost, type TcpConnection, type TcpHostError, type TcpHostOptions, type TcpListener, type TcpOutgoing } from "./tcp/host.js";
export { NetInterface, type InterfaceConfig, type InterfaceService, type InterfaceStats, type OutgoingFrame, type SendError, type UdpDatagram } from "./iface/interface.js";
export { DhcpClient, type DhcpClientOptions, type DhcpLease, type DhcpState } from "./iface/dhcp-client.js";
export { DnsResolver, type DnsError, type DnsLookupCallback, type DnsResolverOptions } from "./iface/dns-resolver.js";
export { NeighborCache, type NeighborCacheOptions, type NeighborPoll } from "./iface/neighbor-cache.js";
export { Reassembler, type ReassemblyOptions } from "./iface/reassembly.js";
export * from "./socket/index.js";
