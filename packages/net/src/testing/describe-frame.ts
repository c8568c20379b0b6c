// Test kit (@toro/net, not exported): one-line, tcpdump-like descriptions of frames for failure output.
import { formatIpv4 } from "../wire/address.js";
import { parseArp } from "../wire/arp.js";
import { parseEthernet } from "../wire/ethernet.js";
import { parseIpv4 } from "../wire/ipv4.js";
import { parseTcp } from "../wire/tcp.js";
import { letters } from "./tcp-script.js";

/** @internal */
export function describeFrame(frame: Uint8Array): string {
  const e = parseEthernet(frame);
  if (!e.ok) return `bad ethernet: ${e.detail}`;
  if (e.value.etherType === 0x0806) {
    const a = parseArp(e.value.payload);
    return a.ok ? `ARP ${a.value.operation === 1 ? "who-has" : "reply"} ${formatIpv4(a.value.targetIp)} tell ${formatIpv4(a.value.senderIp)}` : `bad arp`;
  }
  const ip = parseIpv4(e.value.payload);
  if (!ip.ok) return `bad ip: ${ip.detail}`;
  const src = formatIpv4(ip.value.source);
  const dst = formatIpv4(ip.value.destination);
  if (ip.value.protocol === 6) {
    const t = parseTcp(ip.value.payload, ip.value.source, ip.value.destination);
    if (!t.ok) return `bad tcp: ${t.detail}`;
    const s = t.value;
    return `${src}:${s.sourcePort} > ${dst}:${s.destinationPort} [${letters(s.flags)}] seq ${s.seq} ack ${s.ack} win ${s.window} len ${s.payload.length}`;
  }
  return `${src} > ${dst} proto ${ip.value.protocol} len ${ip.value.payload.length}`;
}
