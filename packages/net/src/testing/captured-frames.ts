// Test kit (@toro/net, not exported): Ethernet frames captured with an AF_PACKET socket on a Linux
// 6.x veth pair (10.9.0.1 52:89:43:e3:13:26 <-> 10.9.0.2 12:b7:01:47:f6:39 in a network namespace),
// transmit checksum offload off so every checksum on the wire is real. Transcribed by hand as hex.

/** @internal Hex to bytes. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** @internal Real frames, named by what they are. */
export const captured = {
  /** who-has 10.9.0.2 tell 10.9.0.1 */
  arpRequest: hex("ffffffffffff528943e3132608060001080006040001528943e313260a0900010000000000000a090002"),
  /** 10.9.0.2 is-at 12:b7:01:47:f6:39 */
  arpReply: hex("528943e3132612b70147f6390806000108000604000212b70147f6390a090002528943e313260a090001"),
  /** 10.9.0.1:43914 > 10.9.0.2:7777 SYN, mss 1460, sackOK, TS val 4246845428 ecr 0, nop, wscale 10 */
  tcpSyn: hex(
    "12b70147f639528943e3132608004500003c0e674000400618410a0900010a090002ab8a1e6188993b7b00000000a002faf0f5e00000020405b40402080afd21b7f4000000000103030a",
  ),
  /** 10.9.0.2:7777 > 10.9.0.1:43914 SYN-ACK */
  tcpSynAck: hex(
    "528943e3132612b70147f63908004500003c00004000400626a80a0900020a0900011e61ab8a15fb33e788993b7ca012fe889f990000020405b40402080a2425e496fd21b7f40103030a",
  ),
  /** 10.9.0.1:43914 > 10.9.0.2:7777 PSH-ACK "hello" */
  tcpData: hex(
    "12b70147f639528943e313260800450000390e694000400618420a0900010a090002ab8a1e6188993b7c15fb33e88018003f88d300000101080afd21b7f42425e49668656c6c6f",
  ),
  /** 10.9.0.1:53236 > 10.9.0.2:9999 UDP "ping" */
  udp: hex("12b70147f639528943e3132608004500002015554000401111640a0900010a090002cff4270f000c15ed70696e67"),
  /** 10.9.0.2 > 10.9.0.1 ICMP port 9999 unreachable (quoting the datagram above) */
  icmpPortUnreachable: hex(
    "528943e3132612b70147f639080045c0003c31040000400134e90a0900020a0900010303112f000000004500002015554000401111640a0900010a090002cff4270f000c15ed70696e67",
  ),
  /** 10.9.0.1 > 10.9.0.2 ICMP echo request id 0x1234 seq 1 "abcdefgh" */
  icmpEchoRequest: hex("12b70147f639528943e31326080045000024bd744000400169500a0900010a09000208005435123400016162636465666768"),
  /** 10.9.0.2 > 10.9.0.1 ICMP echo reply */
  icmpEchoReply: hex("528943e3132612b70147f63908004500002431300000400135950a0900020a09000100005c35123400016162636465666768"),
  /**
   * The same SYN and UDP datagram captured with transmit checksum offload on (Linux CHECKSUM_PARTIAL):
   * the checksum field holds the folded pseudo-header sum, for the NIC to finish.
   */
  tcpSynPartial: hex(
    "12b70147f639528943e3132608004500003ce0bd4000400645ea0a0900010a09000292481e617211890600000000a002faf014430000020405b40402080a72b846be000000000103030a",
  ),
  udpPartial: hex("12b70147f639528943e313260800450000200e634000401118560a0900010a090002bb28270f000c143270696e67"),
} as const;
