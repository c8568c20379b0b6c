// Wire layer (@toro/net): re-exports of the codecs. Imports only wire/ files.
export * from "./address.js";
export * from "./checksum.js";
export * from "./decoded.js";
export * from "./ethernet.js";
export * from "./arp.js";
export * from "./ipv4.js";
export * from "./icmp.js";
export * from "./udp.js";
export * from "./tcp.js";
export * from "./dhcp.js";
export * from "./dns.js";
