// Scripted exchanges for every RFC 9293 state transition (smoltcp send!/recv! style, virtual time).
import { describe, expect, it } from "vitest";
import { cfg, established, seg, send, summarize, tick } from "../testing/tcp-script.js";
import { tcpAccept, tcpClose, tcpConnect, tcpOutput, tcpRead, tcpWrite } from "./output.js";

const enc = (s: string) => new TextEncoder().encode(s);

describe("RFC 9293 §3.5 opening", () => {
  it("active open: SYN-SENT -> ESTABLISHED", () => {
    const { tcb, actions } = tcpConnect(cfg, 40000, 80, 1000, 0);
    expect(summarize(actions).segs).toEqual([{ flags: "S", seq: 1000, ack: 0, len: 0, window: 8000 }]);
    expect(tcb.state).toBe("SynSent");
    const r = send(tcb, 10, { flags: "SA", seq: 5000, ack: 1001, options: { mss: 1200 } });
    expect(r.segs).toEqual([{ flags: "A", seq: 1001, ack: 5001, len: 0, window: 8000 }]);
    expect(r.events).toEqual([{ type: "established" }]);
    expect(tcb.state).toBe("Established");
    expect(tcb.sendMss).toBe(1000); // min(peer 1200, ours 1000)
  });
  it("passive open: LISTEN -> SYN-RECEIVED -> ESTABLISHED", () => {
    const syn = { sourcePort: 5555, destinationPort: 80, seq: 9000, ack: 0, flags: 2, window: 4000, urgent: 0, options: { mss: 1460 }, payload: new Uint8Array(0) };
    const { tcb, actions } = tcpAccept(cfg, syn, 300, 0);
    expect(summarize(actions).segs).toEqual([{ flags: "SA", seq: 300, ack: 9001, len: 0, window: 8000 }]);
    expect(tcb.state).toBe("SynReceived");
    const r = send(tcb, 5, { flags: "A", seq: 9001, ack: 301, window: 4000 });
    expect(r.events).toEqual([{ type: "established" }]);
    expect(tcb.sndWnd).toBe(4000);
  });
  it("passive open: a repeated SYN gets the SYN-ACK again", () => {
    const syn = { sourcePort: 5555, destinationPort: 80, seq: 9000, ack: 0, flags: 2, window: 4000, urgent: 0, options: {}, payload: new Uint8Array(0) };
    const { tcb } = tcpAccept(cfg, syn, 300, 0);
    expect(send(tcb, 50, { flags: "S", seq: 9000 }).segs).toEqual([{ flags: "SA", seq: 300, ack: 9001, len: 0, window: 8000 }]);
  });
  it("passive open: a bad ACK in SYN-RECEIVED gets a RST", () => {
    const syn = { sourcePort: 5555, destinationPort: 80, seq: 9000, ack: 0, flags: 2, window: 4000, urgent: 0, options: {}, payload: new Uint8Array(0) };
    const { tcb } = tcpAccept(cfg, syn, 300, 0);
    expect(send(tcb, 5, { flags: "A", seq: 9001, ack: 777 }).segs).toEqual([{ flags: "R", seq: 777, ack: 0, len: 0, window: 0 }]);
    expect(tcb.state).toBe("SynReceived");
  });
  it("simultaneous open (figure 7): SYN-SENT -> SYN-RECEIVED -> ESTABLISHED", () => {
    const { tcb } = tcpConnect(cfg, 40000, 80, 100, 0);
    const r1 = send(tcb, 5, { flags: "S", seq: 300 });
    expect(tcb.state).toBe("SynReceived");
    expect(r1.segs).toEqual([{ flags: "SA", seq: 100, ack: 301, len: 0, window: 8000 }]);
    const r2 = send(tcb, 10, { flags: "SA", seq: 300, ack: 101 });
    expect(tcb.state).toBe("Established");
    expect(r2.events).toEqual([{ type: "established" }]);
    expect(r2.segs).toEqual([{ flags: "A", seq: 101, ack: 301, len: 0, window: 8000 }]);
  });
  it("SYN-SENT: RST with an acceptable ACK is ECONNREFUSED; without one it is ignored", () => {
    const { tcb } = tcpConnect(cfg, 40000, 80, 1000, 0);
    expect(send(tcb, 1, { flags: "R", seq: 0 }).events).toEqual([]);
    expect(send(tcb, 2, { flags: "RA", seq: 0, ack: 999 }).events).toEqual([]);
    expect(send(tcb, 3, { flags: "RA", seq: 0, ack: 1001 }).events).toEqual([{ type: "error", code: "ECONNREFUSED" }, { type: "closed" }]);
    expect(tcb.state).toBe("Closed");
  });
  it("SYN-SENT: a SYN-ACK acknowledging something else gets a RST", () => {
    const { tcb } = tcpConnect(cfg, 40000, 80, 1000, 0);
    expect(send(tcb, 1, { flags: "SA", seq: 5000, ack: 4242 }).segs).toEqual([{ flags: "R", seq: 4242, ack: 0, len: 0, window: 0 }]);
    expect(tcb.state).toBe("SynSent");
  });
});

describe("RFC 9293 §3.10 data transfer", () => {
  it("sends data, delays the ACK of one segment, acknowledges two at once", () => {
    const tcb = established();
    expect(tcpWrite(tcb, enc("hello"))).toBe(5);
    expect(summarize(tcpOutput(tcb, 20)).segs).toEqual([{ flags: "PA", seq: 1001, ack: 5001, len: 5, window: 8000 }]);
    const r = send(tcb, 30, { flags: "PA", seq: 5001, ack: 1006, data: "world" });
    expect(r.segs).toEqual([]); // delayed
    expect(r.events).toContainEqual({ type: "readable" });
    expect(r.events).toContainEqual({ type: "writable" });
    expect(tick(tcb, 69).segs).toEqual([]);
    expect(tick(tcb, 70).segs).toEqual([{ flags: "A", seq: 1006, ack: 5006, len: 0, window: 7995 }]);
    send(tcb, 80, { flags: "A", seq: 5006, ack: 1006, data: "a" });
    expect(send(tcb, 81, { flags: "A", seq: 5007, ack: 1006, data: "b" }).segs).toEqual([{ flags: "A", seq: 1006, ack: 5008, len: 0, window: 7993 }]);
    expect(new TextDecoder().decode(tcpRead(tcb))).toBe("worldab");
  });
  it("reassembles out-of-order data and sends a duplicate ACK at once (RFC 5681 §4.2)", () => {
    const tcb = established();
    expect(send(tcb, 20, { flags: "A", seq: 5004, ack: 1001, data: "def" }).segs).toEqual([{ flags: "A", seq: 1001, ack: 5001, len: 0, window: 8000 }]);
    const r = send(tcb, 21, { flags: "A", seq: 5001, ack: 1001, data: "abc" });
    expect(r.segs).toEqual([{ flags: "A", seq: 1001, ack: 5007, len: 0, window: 7994 }]);
    expect(new TextDecoder().decode(tcpRead(tcb))).toBe("abcdef");
  });
  it("trims overlapping retransmissions", () => {
    const tcb = established();
    send(tcb, 20, { flags: "A", seq: 5001, ack: 1001, data: "abc" });
    send(tcb, 21, { flags: "A", seq: 5002, ack: 1001, data: "bcdef" });
    expect(new TextDecoder().decode(tcpRead(tcb))).toBe("abcdef");
  });
  it("advertises a zero window when full and opens it after a read", () => {
    const tcb = established();
    const full = new Uint8Array(1000);
    let ack;
    for (let i = 0; i < 8; i++) ack = send(tcb, 20 + i, { flags: "A", seq: 5001 + i * 1000, ack: 1001, data: full });
    expect(ack!.segs.at(-1)).toMatchObject({ ack: 13001, window: 0 });
    // Data beyond a zero window is dropped and answered with an ACK.
    expect(send(tcb, 40, { flags: "A", seq: 13001, ack: 1001, data: "x" }).segs).toEqual([{ flags: "A", seq: 1001, ack: 13001, len: 0, window: 0 }]);
    tcpRead(tcb, 4000);
    expect(summarize(tcpOutput(tcb, 41)).segs).toEqual([{ flags: "A", seq: 1001, ack: 13001, len: 0, window: 4000 }]);
  });
});

describe("RFC 9293 §3.6 closing", () => {
  it("active close: FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT -> CLOSED", () => {
    const tcb = established();
    expect(summarize(tcpClose(tcb, 20)).segs).toEqual([{ flags: "FA", seq: 1001, ack: 5001, len: 0, window: 8000 }]);
    expect(tcb.state).toBe("FinWait1");
    send(tcb, 30, { flags: "A", seq: 5001, ack: 1002 });
    expect(tcb.state).toBe("FinWait2");
    const r = send(tcb, 40, { flags: "FA", seq: 5001, ack: 1002 });
    // The FIN takes one sequence number; the right edge stays put (receiver SWS avoidance), so 7999.
    expect(r.segs).toEqual([{ flags: "A", seq: 1002, ack: 5002, len: 0, window: 7999 }]);
    expect(r.events).toEqual([{ type: "peer-closed" }]);
    expect(tcb.state).toBe("TimeWait");
    // A retransmitted FIN is acknowledged again and restarts the 2 MSL timer.
    expect(send(tcb, 1000, { flags: "FA", seq: 5001, ack: 1002 }).segs).toEqual([{ flags: "A", seq: 1002, ack: 5002, len: 0, window: 7999 }]);
    expect(tick(tcb, 2999).events).toEqual([]);
    expect(tick(tcb, 3000).events).toEqual([{ type: "closed" }]);
    expect(tcb.state).toBe("Closed");
  });
  it("FIN-WAIT-1 -> TIME-WAIT when FIN and ACK arrive together", () => {
    const tcb = established();
    tcpClose(tcb, 20);
    send(tcb, 30, { flags: "FA", seq: 5001, ack: 1002 });
    expect(tcb.state).toBe("TimeWait");
  });
  it("passive close: CLOSE-WAIT -> LAST-ACK -> CLOSED", () => {
    const tcb = established();
    const r = send(tcb, 20, { flags: "FA", seq: 5001, ack: 1001 });
    expect(r.events).toEqual([{ type: "peer-closed" }]);
    expect(r.segs).toEqual([{ flags: "A", seq: 1001, ack: 5002, len: 0, window: 7999 }]);
    expect(tcb.state).toBe("CloseWait");
    tcpWrite(tcb, enc("bye"));
    expect(summarize(tcpClose(tcb, 25)).segs).toEqual([{ flags: "FPA", seq: 1001, ack: 5002, len: 3, window: 7999 }]);
    expect(tcb.state).toBe("LastAck");
    expect(send(tcb, 30, { flags: "A", seq: 5002, ack: 1005 }).events).toContainEqual({ type: "closed" });
    expect(tcb.state).toBe("Closed");
  });
  it("simultaneous close (figure 13): FIN-WAIT-1 -> CLOSING -> TIME-WAIT", () => {
    const tcb = established();
    tcpClose(tcb, 20);
    const r = send(tcb, 21, { flags: "FA", seq: 5001, ack: 1001 });
    expect(tcb.state).toBe("Closing");
    expect(r.segs).toEqual([{ flags: "A", seq: 1002, ack: 5002, len: 0, window: 7999 }]);
    send(tcb, 30, { flags: "A", seq: 5002, ack: 1002 });
    expect(tcb.state).toBe("TimeWait");
  });
  it("an out-of-order FIN is held until the data before it arrives", () => {
    const tcb = established();
    send(tcb, 20, { flags: "FA", seq: 5004, ack: 1001, data: "def" });
    expect(tcb.state).toBe("Established");
    const r = send(tcb, 21, { flags: "A", seq: 5001, ack: 1001, data: "abc" });
    expect(tcb.state).toBe("CloseWait");
    expect(r.events).toContainEqual({ type: "peer-closed" });
    expect(r.segs.at(-1)).toMatchObject({ ack: 5008 });
  });
  it("write after close is refused (EPIPE)", () => {
    const tcb = established();
    tcpClose(tcb, 20);
    expect(tcpWrite(tcb, enc("x"))).toBe(-1);
  });
});

describe("RFC 9293 §3.10.7.1 segments that reach no connection", () => {
  it("resetFor answers per the ACK bit", async () => {
    const { resetFor } = await import("./output.js");
    const tcb = established();
    expect(resetFor(seg(tcb, { flags: "A", seq: 1, ack: 77 }))).toMatchObject({ seq: 77, flags: 4 });
    expect(resetFor(seg(tcb, { flags: "S", seq: 10 }))).toMatchObject({ seq: 0, ack: 11, flags: 0x14 });
    expect(resetFor(seg(tcb, { flags: "R", seq: 10 }))).toBeUndefined();
  });
});

describe("RFC 9293 §3.8.6.2.2 receiver SWS avoidance", () => {
  it("does not open the window by less than min(RCV.BUFF/2, MSS) after a read", () => {
    const tcb = established();
    send(tcb, 20, { flags: "A", seq: 5001, ack: 1001, data: new Uint8Array(1000) });
    const r = send(tcb, 21, { flags: "A", seq: 6001, ack: 1001, data: new Uint8Array(1000) });
    expect(r.segs).toMatchObject([{ ack: 7001, window: 6000 }]);
    tcpRead(tcb, 500);
    expect(summarize(tcpOutput(tcb, 22)).segs).toEqual([]); // 500 bytes: not worth an update
    send(tcb, 23, { flags: "A", seq: 7001, ack: 1001, data: "x" });
    expect(tick(tcb, 100).segs).toMatchObject([{ ack: 7002, window: 5999 }]); // right edge unchanged
    tcpRead(tcb, 600);
    expect(summarize(tcpOutput(tcb, 101)).segs).toMatchObject([{ ack: 7002, window: 7099 }]);
  });
});
