// Test kit (@toro/net, not exported): libpcap file format (the classic one Wireshark and tcpdump
// read: magic a1b2c3d4, version 2.4, LINKTYPE_ETHERNET). Pure bytes; the caller writes the file.

/** @internal A captured frame at a virtual time. */
export interface CapturedFrame {
  readonly timeMs: number;
  readonly frame: Uint8Array;
}

/** @internal Builds a pcap file from frames. */
export function pcapFile(frames: readonly CapturedFrame[]): Uint8Array {
  const size = 24 + frames.reduce((n, f) => n + 16 + f.frame.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true); // snaplen
  dv.setUint32(20, 1, true); // LINKTYPE_ETHERNET
  let o = 24;
  for (const f of frames) {
    const us = Math.round(f.timeMs * 1000);
    dv.setUint32(o, Math.floor(us / 1e6), true);
    dv.setUint32(o + 4, us % 1e6, true);
    dv.setUint32(o + 8, f.frame.length, true);
    dv.setUint32(o + 12, f.frame.length, true);
    out.set(f.frame, o + 16);
    o += 16 + f.frame.length;
  }
  return out;
}
