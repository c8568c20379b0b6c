// RFC 5961 blind in-window attacks, scripted (suite named after the RFC, like mirage's test_rfc5961).
import { describe, expect, it } from "vitest";
import { cfg, established, send } from "../testing/tcp-script.js";
import { tcpWrite, tcpOutput } from "./output.js";

const challenge = { flags: "A", seq: 1001, ack: 5001, len: 0, window: 8000 };

describe("RFC 5961 §3 blind reset attack", () => {
  it("a RST exactly at RCV.NXT resets the connection", () => {
    const tcb = established();
    const r = send(tcb, 20, { flags: "R", seq: 5001 });
    expect(r.events).toEqual([{ type: "error", code: "ECONNRESET" }, { type: "closed" }]);
    expect(tcb.state).toBe("Closed");
  });
  it("a RST in the window but not at RCV.NXT gets a challenge ACK and changes nothing", () => {
    const tcb = established();
    const r = send(tcb, 20, { flags: "R", seq: 5100 });
    expect(r.segs).toEqual([challenge]);
    expect(r.events).toEqual([]);
    expect(tcb.state).toBe("Established");
  });
  it("a RST outside the window is dropped silently", () => {
    const tcb = established();
    expect(send(tcb, 20, { flags: "R", seq: 4000 })).toEqual({ segs: [], events: [] });
    expect(send(tcb, 20, { flags: "R", seq: 5001 + 9000 })).toEqual({ segs: [], events: [] });
    expect(tcb.state).toBe("Established");
  });
});

describe("RFC 5961 §4 blind SYN attack", () => {
  it("a SYN in a synchronized state gets a challenge ACK, never a reset", () => {
    const tcb = established();
    const r = send(tcb, 20, { flags: "S", seq: 5500 });
    expect(r.segs).toEqual([challenge]);
    expect(tcb.state).toBe("Established");
  });
  it("also outside the window (answered by the acceptability test)", () => {
    const tcb = established();
    expect(send(tcb, 20, { flags: "S", seq: 1 }).segs).toEqual([challenge]);
    expect(tcb.state).toBe("Established");
  });
});

describe("RFC 5961 §5 blind data injection", () => {
  it("an ACK beyond SND.NXT is challenged and its data dropped", () => {
    const tcb = established();
    const r = send(tcb, 20, { flags: "A", seq: 5001, ack: 9999, data: "evil" });
    expect(r.segs).toEqual([challenge]);
    expect(r.events).toEqual([]);
    expect(tcb.recvBuf.length).toBe(0);
  });
  it("an ACK older than SND.UNA - MAX.SND.WND is challenged", () => {
    const tcb = established();
    tcpWrite(tcb, new Uint8Array(10));
    tcpOutput(tcb, 15);
    send(tcb, 16, { flags: "A", seq: 5001, ack: 1011, window: 100 });
    const r = send(tcb, 20, { flags: "A", seq: 5001, ack: 1011 - 65536 - 10, data: "evil" });
    expect(r.segs).toMatchObject([{ flags: "A", ack: 5001 }]);
    expect(tcb.recvBuf.length).toBe(0);
  });
});

describe("RFC 5961 §7 challenge ACK throttling", () => {
  it("sends at most challengeAckPerSecond challenge ACKs per second", () => {
    const tcb = established();
    let acks = 0;
    for (let i = 0; i < 50; i++) acks += send(tcb, 100 + i, { flags: "R", seq: 5100 + i }).segs.length;
    expect(acks).toBe(cfg.challengeAckPerSecond);
    expect(send(tcb, 1200, { flags: "R", seq: 5100 }).segs.length).toBe(1);
  });
});

describe("RFC 1337 TIME-WAIT assassination", () => {
  it("a RST in TIME-WAIT is ignored; the 2 MSL timer still runs", async () => {
    const { tcpClose } = await import("./output.js");
    const tcb = established();
    tcpClose(tcb, 20);
    send(tcb, 30, { flags: "FA", seq: 5001, ack: 1002 });
    expect(tcb.state).toBe("TimeWait");
    expect(send(tcb, 40, { flags: "R", seq: 5002 })).toEqual({ segs: [], events: [] });
    expect(tcb.state).toBe("TimeWait");
  });
});
