// Scripted timer behaviour: RFC 6298 (RTO, backoff, Karn), RFC 5681/6582 fast retransmit, RFC 9293
// §3.7.4 Nagle, §3.8.6.1 zero-window probing, RFC 1122 keepalive, RFC 7323 window scaling, RFC 6528 ISN.
import { describe, expect, it } from "vitest";
import { cfg, established, send, summarize, tick } from "../testing/tcp-script.js";
import { initialSequenceNumber } from "./isn.js";
import { tcpConnect, tcpOutput, tcpWrite } from "./output.js";
import { seqAdd, seqGt, seqInWindow, seqLt } from "./seq.js";
import { defaultTcpConfig } from "./tcb.js";
import { tcpNextDeadline, tcpSetKeepalive } from "./timers.js";

const bytes = (n: number) => new Uint8Array(n).fill(120);

describe("wrap-aware sequence numbers (RFC 9293 §3.4)", () => {
  it("compares across the 2^32 wrap", () => {
    expect(seqLt(0xfffffff0, 5)).toBe(true);
    expect(seqGt(5, 0xfffffff0)).toBe(true);
    expect(seqAdd(0xffffffff, 1)).toBe(0);
    expect(seqInWindow(2, 0xfffffffe, 8)).toBe(true);
    expect(seqInWindow(6, 0xfffffffe, 8)).toBe(false);
  });
  it("runs a whole exchange across the wrap", () => {
    const { tcb } = tcpConnect(cfg, 1, 2, 0xfffffff0, 0);
    send(tcb, 10, { flags: "SA", seq: 0xfffffffe, ack: 0xfffffff1 });
    tcpWrite(tcb, bytes(100));
    expect(summarize(tcpOutput(tcb, 11)).segs).toEqual([{ flags: "PA", seq: 0xfffffff1, ack: 0xffffffff, len: 100, window: 8000 }]);
    send(tcb, 12, { flags: "A", seq: 0xffffffff, ack: 0x55, data: "hi" });
    expect(tcb.sndUna).toBe(0x55);
    expect(tcb.rcvNxt).toBe(1);
  });
});

describe("RFC 6298 retransmission timer", () => {
  it("retransmits a SYN with exponential backoff, then ETIMEDOUT", () => {
    const { tcb } = tcpConnect({ ...cfg, minRtoMs: 1000, synRetries: 2 }, 1, 2, 100, 0);
    expect(tcpNextDeadline(tcb)).toBe(1000);
    expect(tick(tcb, 1000).segs).toMatchObject([{ flags: "S", seq: 100 }]);
    expect(tcpNextDeadline(tcb)).toBe(3000);
    expect(tick(tcb, 3000).segs).toMatchObject([{ flags: "S", seq: 100 }]);
    expect(tick(tcb, 7000).events).toEqual([{ type: "error", code: "ETIMEDOUT" }, { type: "closed" }]);
  });
  it("measures RTT from the handshake (SRTT, RTTVAR) and applies Karn's rule", () => {
    const tcb = established(); // SYN at 0, SYN-ACK at 10
    expect(tcb.rtt.srttMs).toBe(10);
    expect(tcb.rtt.rtoMs).toBe(200); // 10 + 4*5 = 30, floored at minRtoMs
    tcpWrite(tcb, bytes(100));
    tcpOutput(tcb, 100);
    expect(tcpNextDeadline(tcb)).toBe(300);
    expect(tick(tcb, 300).segs).toMatchObject([{ flags: "PA", seq: 1001, len: 100 }]); // go-back-N retransmit
    expect(tcb.rtt.rtoMs).toBe(400);
    send(tcb, 350, { flags: "A", seq: 5001, ack: 1101 });
    expect(tcb.rtt.srttMs).toBe(10); // Karn: no sample from a retransmitted segment
    expect(tcpNextDeadline(tcb)).toBe(Infinity);
  });
  it("gives up with ETIMEDOUT and a RST after maxRetransmits", () => {
    const tcb = established({ ...cfg, maxRetransmits: 2 });
    tcpWrite(tcb, bytes(10));
    tcpOutput(tcb, 20);
    tick(tcb, 220);
    tick(tcb, 620);
    const r = tick(tcb, 1420);
    expect(r.segs).toMatchObject([{ flags: "R" }]);
    expect(r.events).toEqual([{ type: "error", code: "ETIMEDOUT" }, { type: "closed" }]);
  });
});

describe("RFC 5681 / RFC 6582 fast retransmit and NewReno", () => {
  it("three duplicate ACKs retransmit the first segment and enter recovery", () => {
    const tcb = established();
    tcpWrite(tcb, bytes(5000));
    expect(summarize(tcpOutput(tcb, 20)).segs.length).toBe(5);
    for (let i = 0; i < 2; i++) expect(send(tcb, 30 + i, { flags: "A", seq: 5001, ack: 1001 }).segs).toEqual([]);
    const r = send(tcb, 33, { flags: "A", seq: 5001, ack: 1001 });
    expect(r.segs).toMatchObject([{ flags: "A", seq: 1001, len: 1000 }]);
    expect(tcb.inRecovery).toBe(true);
    expect(tcb.ssthresh).toBe(2500);
    // A partial ACK retransmits the next hole (RFC 6582 §3.2 step 3).
    expect(send(tcb, 40, { flags: "A", seq: 5001, ack: 2001 }).segs).toMatchObject([{ seq: 2001, len: 1000 }]);
    // The full ACK ends recovery.
    send(tcb, 50, { flags: "A", seq: 5001, ack: 6001 });
    expect(tcb.inRecovery).toBe(false);
  });
});

describe("RFC 9293 §3.7.4 Nagle and no-delay", () => {
  it("holds a small segment while data is unacknowledged", () => {
    const tcb = established();
    tcpWrite(tcb, bytes(1));
    expect(summarize(tcpOutput(tcb, 20)).segs.length).toBe(1);
    tcpWrite(tcb, bytes(1));
    expect(summarize(tcpOutput(tcb, 21)).segs).toEqual([]);
    expect(send(tcb, 30, { flags: "A", seq: 5001, ack: 1002 }).segs).toMatchObject([{ seq: 1002, len: 1 }]);
  });
  it("sends at once with no-delay", () => {
    const tcb = established();
    tcb.noDelay = true;
    tcpWrite(tcb, bytes(1));
    tcpOutput(tcb, 20);
    tcpWrite(tcb, bytes(1));
    expect(summarize(tcpOutput(tcb, 21)).segs).toMatchObject([{ seq: 1002, len: 1 }]);
  });
});

describe("RFC 9293 §3.8.6.1 zero-window probing", () => {
  it("probes a zero window with backoff and resumes when it opens", () => {
    const tcb = established();
    send(tcb, 15, { flags: "A", seq: 5001, ack: 1001, window: 0 });
    tcpWrite(tcb, bytes(500));
    expect(summarize(tcpOutput(tcb, 20)).segs).toEqual([]);
    expect(tcpNextDeadline(tcb)).toBe(220);
    expect(tick(tcb, 220).segs).toEqual([{ flags: "A", seq: 1000, ack: 5001, len: 0, window: 8000 }]);
    expect(tcpNextDeadline(tcb)).toBe(620);
    expect(tick(tcb, 620).segs.length).toBe(1);
    expect(send(tcb, 630, { flags: "A", seq: 5001, ack: 1001, window: 1000 }).segs).toMatchObject([{ seq: 1001, len: 500 }]);
    expect(tcb.persistAt).toBe(Infinity);
  });
});

describe("RFC 1122 §4.2.3.6 keepalive", () => {
  it("probes after idle, then drops the connection with ETIMEDOUT", () => {
    const tcb = established();
    tcpSetKeepalive(tcb, { idleMs: 1000, intervalMs: 100, probes: 2 }, 10);
    expect(tick(tcb, 1010).segs).toEqual([{ flags: "A", seq: 1000, ack: 5001, len: 0, window: 8000 }]);
    expect(tick(tcb, 1110).segs.length).toBe(1);
    const r = tick(tcb, 1210);
    expect(r.segs).toMatchObject([{ flags: "R" }]);
    expect(r.events).toEqual([{ type: "error", code: "ETIMEDOUT" }, { type: "closed" }]);
  });
  it("an answer resets the probe count and idle timer", () => {
    const tcb = established();
    tcpSetKeepalive(tcb, { idleMs: 1000, intervalMs: 100, probes: 2 }, 10);
    tick(tcb, 1010);
    send(tcb, 1050, { flags: "A", seq: 5001, ack: 1001 });
    expect(tcpNextDeadline(tcb)).toBe(2050);
    expect(tcb.keepaliveSent).toBe(0);
  });
});

describe("RFC 7323 window scaling and timestamps", () => {
  it("negotiates scaling and timestamps when both SYNs carry them", () => {
    const config = { ...defaultTcpConfig, receiveBufferBytes: 1 << 20 };
    const { tcb, actions } = tcpConnect(config, 1, 2, 100, 0);
    expect(actions.segments[0]!.options).toEqual({ mss: 1460, windowScale: 5, timestamp: { value: 100, echo: 0 } });
    expect(actions.segments[0]!.window).toBe(65535);
    const r = send(tcb, 10, { flags: "SA", seq: 7, ack: 101, window: 1000, options: { mss: 1460, windowScale: 7, timestamp: { value: 555, echo: 100 } } });
    expect(tcb.sndShift).toBe(7);
    expect(tcb.sndWnd).toBe(1000); // a SYN's window is not scaled
    expect(r.segs[0]!.window).toBe((1 << 20) >> 5);
    send(tcb, 20, { flags: "A", seq: 8, ack: 101, window: 1000, options: { timestamp: { value: 556, echo: 110 } } });
    expect(tcb.sndWnd).toBe(128000);
    expect(tcb.tsRecent).toBe(556);
  });
  it("does not scale when the peer does not offer it", () => {
    const { tcb } = tcpConnect(defaultTcpConfig, 1, 2, 100, 0);
    send(tcb, 10, { flags: "SA", seq: 7, ack: 101, window: 1000, options: { mss: 1460 } });
    expect(tcb.rcvShift).toBe(0);
    expect(tcb.sndShift).toBe(0);
    expect(tcb.tsOk).toBe(false);
  });
});

describe("RFC 6528 initial sequence numbers", () => {
  const secret = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  it("depends on the 4-tuple and the secret, and advances with time", () => {
    const a = initialSequenceNumber(secret, 0, 1, 80, 2, 4000);
    expect(initialSequenceNumber(secret, 0, 1, 80, 2, 4000)).toBe(a);
    expect(initialSequenceNumber(secret, 0, 1, 80, 2, 4001)).not.toBe(a);
    expect(initialSequenceNumber(new Uint8Array(8), 0, 1, 80, 2, 4000)).not.toBe(a);
    expect(initialSequenceNumber(secret, 1, 1, 80, 2, 4000)).toBe((a + 250) >>> 0);
  });
});
