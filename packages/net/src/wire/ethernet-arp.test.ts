// Ethernet II and ARP (RFC 826) codecs against frames captured from Linux: deconstruct, construct
// byte-exact, refuse truncated/foreign input, round-trip (property) and never throw (fuzz).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { captured } from "../testing/captured-frames.js";
import { ipv4, MAC_BROADCAST } from "./address.js";
import { ArpOperation, emitArp, parseArp } from "./arp.js";
import { emitEthernet, EtherType, parseEthernet } from "./ethernet.js";

const mac1 = new Uint8Array([0x52, 0x89, 0x43, 0xe3, 0x13, 0x26]);
const mac2 = new Uint8Array([0x12, 0xb7, 0x01, 0x47, 0xf6, 0x39]);

describe("Ethernet II", () => {
  it("deconstructs a captured ARP broadcast", () => {
    const r = parseEthernet(captured.arpRequest);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.destination).toEqual(MAC_BROADCAST);
    expect(r.value.source).toEqual(mac1);
    expect(r.value.etherType).toBe(EtherType.Arp);
    expect(r.value.payload.length).toBe(28);
  });
  it("constructs the same bytes", () => {
    const r = parseEthernet(captured.tcpSyn);
    if (!r.ok) throw new Error(r.detail);
    expect(emitEthernet(r.value)).toEqual(captured.tcpSyn);
  });
  it("refuses a truncated header", () => {
    expect(parseEthernet(captured.udp.subarray(0, 13))).toMatchObject({ ok: false, error: "truncated" });
  });
  it("round-trips any frame (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.integer({ min: 0, max: 0xffff }), fc.uint8Array({ maxLength: 200 }), (d, s, t, p) => {
        const repr = { destination: d, source: s, etherType: t, payload: p };
        const back = parseEthernet(emitEthernet(repr));
        expect(back).toEqual({ ok: true, value: repr });
      }),
    );
  });
});

describe("ARP (RFC 826)", () => {
  it("deconstructs a captured request and reply", () => {
    const req = parseArp(captured.arpRequest.subarray(14));
    expect(req).toEqual({
      ok: true,
      value: { operation: ArpOperation.Request, senderMac: mac1, senderIp: ipv4("10.9.0.1"), targetMac: new Uint8Array(6), targetIp: ipv4("10.9.0.2") },
    });
    const rep = parseArp(captured.arpReply.subarray(14));
    expect(rep.ok && rep.value.senderMac).toEqual(mac2);
  });
  it("constructs the captured reply byte-exact", () => {
    const bytes = emitArp({ operation: 2, senderMac: mac2, senderIp: ipv4("10.9.0.2")!, targetMac: mac1, targetIp: ipv4("10.9.0.1")! });
    expect(bytes).toEqual(captured.arpReply.subarray(14));
  });
  it("refuses truncated, foreign and unknown-operation packets", () => {
    const p = captured.arpRequest.slice(14);
    expect(parseArp(p.subarray(0, 27))).toMatchObject({ ok: false, error: "truncated" });
    const foreign = p.slice();
    foreign[1] = 6;
    expect(parseArp(foreign)).toMatchObject({ ok: false, error: "unsupported" });
    const op = p.slice();
    op[7] = 9;
    expect(parseArp(op)).toMatchObject({ ok: false, error: "unsupported" });
  });
  it("never throws on random bytes (fuzz)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      parseArp(b);
      parseEthernet(b);
    }));
  });
});
