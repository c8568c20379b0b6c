// UDP (RFC 768) and TCP header/option codecs against segments captured from Linux (real checksums),
// property round trips with every option, and fuzzing of the decoders.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { captured } from "../testing/captured-frames.js";
import { ipv4 } from "./address.js";
import { checksumAdd, foldChecksum } from "./checksum.js";
import { parseIpv4 } from "./ipv4.js";
import { emitTcp, parseTcp, parseTcpOptions, TcpFlags, type TcpRepr } from "./tcp.js";
import { emitUdp, parseUdp } from "./udp.js";

const a = ipv4("10.9.0.1")!;
const b = ipv4("10.9.0.2")!;
function transport(frame: Uint8Array): Uint8Array {
  const r = parseIpv4(frame.subarray(14));
  if (!r.ok) throw new Error(r.detail);
  return r.value.payload;
}

describe("UDP (RFC 768)", () => {
  it("deconstructs and constructs a captured datagram", () => {
    const bytes = transport(captured.udp);
    const r = parseUdp(bytes, a, b);
    expect(r).toEqual({ ok: true, value: { sourcePort: 53236, destinationPort: 9999, payload: new TextEncoder().encode("ping") } });
    if (r.ok) expect(emitUdp(r.value, a, b)).toEqual(bytes);
  });
  it("refuses a bad checksum, accepts a zero (absent) one", () => {
    const bytes = transport(captured.udp).slice();
    expect(parseUdp(bytes, a, ipv4("10.9.0.3")!)).toMatchObject({ ok: false, error: "bad-checksum" });
    bytes[6] = 0;
    bytes[7] = 0;
    expect(parseUdp(bytes, a, ipv4("10.9.0.3")!).ok).toBe(true);
  });
  it("round-trips (property) and never throws (fuzz)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 300 }), (s, d, p) => {
        const repr = { sourcePort: s, destinationPort: d, payload: p };
        expect(parseUdp(emitUdp(repr, a, b), a, b)).toEqual({ ok: true, value: repr });
      }),
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (x) => void parseUdp(x, a, b)));
  });
});

describe("TCP header and options (RFC 9293 §3.1, RFC 7323, RFC 2018)", () => {
  it("deconstructs a captured Linux SYN with all four options", () => {
    const r = parseTcp(transport(captured.tcpSyn), a, b);
    expect(r).toEqual({
      ok: true,
      value: {
        sourcePort: 43914,
        destinationPort: 7777,
        seq: 0x88993b7b,
        ack: 0,
        flags: TcpFlags.Syn,
        window: 64240,
        urgent: 0,
        options: { mss: 1460, sackPermitted: true, timestamp: { value: 0xfd21b7f4, echo: 0 }, windowScale: 10 },
        payload: new Uint8Array(0),
      },
    });
  });
  it("constructs captured SYN, SYN-ACK and data segments byte-exact", () => {
    for (const [frame, src, dst] of [[captured.tcpSyn, a, b], [captured.tcpSynAck, b, a], [captured.tcpData, a, b]] as const) {
      const bytes = transport(frame);
      const r = parseTcp(bytes, src, dst);
      if (!r.ok) throw new Error(r.detail);
      expect(emitTcp(r.value, src, dst)).toEqual(bytes);
    }
  });
  it("reads the data segment's payload and flags", () => {
    const r = parseTcp(transport(captured.tcpData), a, b);
    expect(r.ok && new TextDecoder().decode(r.value.payload)).toBe("hello");
    expect(r.ok && r.value.flags).toBe(TcpFlags.Psh | TcpFlags.Ack);
  });
  it("refuses bad checksum, offset and option lengths", () => {
    const bytes = transport(captured.tcpSyn).slice();
    expect(parseTcp(bytes, a, ipv4("1.2.3.4")!)).toMatchObject({ error: "bad-checksum" });
    const off = bytes.slice();
    off[12] = 0x40;
    expect(parseTcp(off, a, b, { verifyChecksum: false })).toMatchObject({ error: "bad-field" });
    const far = bytes.slice();
    far[12] = 0xf0;
    expect(parseTcp(far, a, b, { verifyChecksum: false })).toMatchObject({ error: "truncated" });
    expect(parseTcpOptions(new Uint8Array([2, 4, 5]))).toMatchObject({ error: "bad-option" });
    expect(parseTcpOptions(new Uint8Array([2, 1, 0, 0]))).toMatchObject({ error: "bad-option" });
    expect(parseTcpOptions(new Uint8Array([3, 4, 7, 0]))).toMatchObject({ error: "bad-option" });
    expect(parseTcpOptions(new Uint8Array([1, 1, 99, 2, 0, 0]))).toEqual({ ok: true, value: {} });
    expect(parseTcpOptions(new Uint8Array([3, 3, 20, 0]))).toEqual({ ok: true, value: { windowScale: 14 } });
  });
  it("round-trips segments with any options (property)", () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const repr = fc.record({
      sourcePort: fc.integer({ min: 0, max: 0xffff }),
      destinationPort: fc.integer({ min: 0, max: 0xffff }),
      seq: u32,
      ack: u32,
      flags: fc.integer({ min: 0, max: 255 }),
      window: fc.integer({ min: 0, max: 0xffff }),
      urgent: fc.integer({ min: 0, max: 0xffff }),
      options: fc.record(
        {
          mss: fc.integer({ min: 0, max: 0xffff }),
          windowScale: fc.integer({ min: 0, max: 14 }),
          sackPermitted: fc.constant(true),
          sack: fc.array(fc.tuple(u32, u32), { minLength: 1, maxLength: 2 }),
          timestamp: fc.record({ value: u32, echo: u32 }),
        },
        { requiredKeys: [] },
      ),
      payload: fc.uint8Array({ maxLength: 100 }),
    });
    fc.assert(fc.property(repr, (r: TcpRepr) => { expect(parseTcp(emitTcp(r, a, b), a, b)).toEqual({ ok: true, value: r }); }));
  });
  it("never throws on random bytes or random options (fuzz)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (x) => {
      parseTcp(x, a, b);
      parseTcp(x, a, b, { verifyChecksum: false });
      parseTcpOptions(x);
    }), { numRuns: 2000 });
  });
});

describe("transmit checksum offload (virtio 1.2 §5.1.6.2, Linux CHECKSUM_PARTIAL)", () => {
  it("emits the partial checksums Linux put on the wire", () => {
    const syn = parseTcp(transport(captured.tcpSynPartial), a, b, { verifyChecksum: false });
    if (!syn.ok) throw new Error(syn.detail);
    expect(emitTcp(syn.value, a, b, true)).toEqual(transport(captured.tcpSynPartial));
    const udp = parseUdp(transport(captured.udpPartial), a, b, { verifyChecksum: false });
    if (!udp.ok) throw new Error(udp.detail);
    expect(emitUdp(udp.value, a, b, true)).toEqual(transport(captured.udpPartial));
  });
  it("a partial checksum finished over the segment (as the NIC does) verifies", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (p) => {
        const seg = emitUdp({ sourcePort: 1, destinationPort: 2, payload: p }, a, b, true);
        const sum = foldChecksum(checksumAdd(seg));
        seg[6] = (sum === 0 ? 0xffff : sum) >> 8;
        seg[7] = (sum === 0 ? 0xffff : sum) & 255;
        expect(parseUdp(seg, a, b).ok).toBe(true);
      }),
    );
  });
});
