// IPv4 (RFC 791) and ICMP (RFC 792) codecs against frames captured from Linux, RFC 1071 checksum
// example, options skipped safely, property round trips and fuzzing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { captured } from "../testing/captured-frames.js";
import { ipv4 } from "./address.js";
import { internetChecksum } from "./checksum.js";
import { emitIcmp, parseIcmp, UnreachableCode } from "./icmp.js";
import { emitIpv4, IpProtocol, parseIpv4, type Ipv4Repr } from "./ipv4.js";

const ip = (frame: Uint8Array) => frame.subarray(14);

describe("IPv4 (RFC 791)", () => {
  it("deconstructs a captured UDP packet", () => {
    const r = parseIpv4(ip(captured.udp));
    expect(r).toMatchObject({
      ok: true,
      value: { source: ipv4("10.9.0.1"), destination: ipv4("10.9.0.2"), protocol: IpProtocol.Udp, ttl: 64, ident: 0x1555, dontFragment: true, moreFragments: false, fragmentOffset: 0 },
    });
    expect(r.ok && r.value.payload.length).toBe(12);
  });
  it("constructs captured headers byte-exact (checksum included)", () => {
    for (const frame of [captured.udp, captured.tcpSyn, captured.icmpPortUnreachable, captured.icmpEchoReply]) {
      const r = parseIpv4(ip(frame));
      if (!r.ok) throw new Error(r.detail);
      expect(emitIpv4(r.value)).toEqual(ip(frame));
    }
  });
  it("checks the RFC 1071 example sum", () => {
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement: 220d).
    expect(internetChecksum(new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]))).toBe(0x220d);
  });
  it("refuses bad version, IHL, total length and checksum", () => {
    const p = ip(captured.udp).slice();
    expect(parseIpv4(p.subarray(0, 19))).toMatchObject({ error: "truncated" });
    const v6 = p.slice();
    v6[0] = 0x65;
    expect(parseIpv4(v6)).toMatchObject({ error: "bad-field" });
    const ihl = p.slice();
    ihl[0] = 0x44;
    expect(parseIpv4(ihl)).toMatchObject({ error: "bad-field" });
    const long = p.slice();
    long[3] = 0xff;
    expect(parseIpv4(long)).toMatchObject({ error: "truncated" });
    const sum = p.slice();
    sum[8] = 1;
    expect(parseIpv4(sum)).toMatchObject({ error: "bad-checksum" });
  });
  it("skips options safely and ignores link padding", () => {
    // Header with a 4-byte option (NOP NOP NOP EOL): IHL 6.
    const base = ip(captured.udp);
    const withOpt = new Uint8Array(base.length + 4 + 6);
    withOpt.set(base.subarray(0, 20));
    withOpt.set([1, 1, 1, 0], 20);
    withOpt.set(base.subarray(20), 24);
    withOpt[0] = 0x46;
    withOpt[3] = base.length + 4;
    withOpt[10] = 0;
    withOpt[11] = 0;
    const c = internetChecksum(withOpt.subarray(0, 24));
    withOpt[10] = c >> 8;
    withOpt[11] = c & 255;
    const r = parseIpv4(withOpt);
    expect(r.ok && r.value.payload).toEqual(base.subarray(20));
  });
  it("round-trips (property) and never throws (fuzz)", () => {
    const repr = fc.record({
      source: fc.integer({ min: 0, max: 0xffffffff }),
      destination: fc.integer({ min: 0, max: 0xffffffff }),
      protocol: fc.integer({ min: 0, max: 255 }),
      ttl: fc.integer({ min: 0, max: 255 }),
      ident: fc.integer({ min: 0, max: 0xffff }),
      tos: fc.integer({ min: 0, max: 255 }),
      dontFragment: fc.boolean(),
      moreFragments: fc.boolean(),
      fragmentOffset: fc.integer({ min: 0, max: 0x1fff }).map((n) => n * 8),
      payload: fc.uint8Array({ maxLength: 100 }),
    });
    fc.assert(fc.property(repr, (r: Ipv4Repr) => { expect(parseIpv4(emitIpv4(r))).toEqual({ ok: true, value: r }); }));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => void parseIpv4(b)));
  });
});

describe("ICMP (RFC 792)", () => {
  it("deconstructs and constructs a captured echo request/reply pair", () => {
    const req = parseIpv4(ip(captured.icmpEchoRequest));
    if (!req.ok) throw new Error(req.detail);
    const icmp = parseIcmp(req.value.payload);
    expect(icmp).toEqual({ ok: true, value: { kind: "echo-request", ident: 0x1234, sequence: 1, data: new TextEncoder().encode("abcdefgh") } });
    if (!icmp.ok || icmp.value.kind !== "echo-request") return;
    const reply = emitIcmp({ ...icmp.value, kind: "echo-reply" });
    expect(reply).toEqual(ip(captured.icmpEchoReply).subarray(20));
  });
  it("deconstructs and constructs a captured port unreachable", () => {
    const outer = parseIpv4(ip(captured.icmpPortUnreachable));
    if (!outer.ok) throw new Error(outer.detail);
    const icmp = parseIcmp(outer.value.payload);
    expect(icmp.ok && icmp.value.kind === "destination-unreachable" && icmp.value.code).toBe(UnreachableCode.Port);
    expect(icmp.ok && icmp.value.kind === "destination-unreachable" && icmp.value.original).toEqual(ip(captured.udp));
    expect(emitIcmp({ kind: "destination-unreachable", code: 3, nextHopMtu: 0, original: ip(captured.udp) })).toEqual(outer.value.payload);
  });
  it("refuses a bad checksum and never throws (fuzz)", () => {
    const p = ip(captured.icmpEchoRequest).slice(20);
    p[9] = p[9]! ^ 1;
    expect(parseIcmp(p)).toMatchObject({ ok: false, error: "bad-checksum" });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => void parseIcmp(b)));
  });
});
