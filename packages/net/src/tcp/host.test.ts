// TcpHost: demultiplexing, RST for closed ports (RFC 9293 §3.10.7.1), bounded backlog and half-open table.
import { describe, expect, it } from "vitest";
import { cfg, flagsOf } from "../testing/tcp-script.js";
import type { TcpRepr } from "../wire/tcp.js";
import { TcpHost } from "./host.js";

const secret = new Uint8Array(16).fill(7);
const ME = 0x0a000001;
const syn = (port: number, seq = 1000): TcpRepr => ({
  sourcePort: port, destinationPort: 80, seq, ack: 0, flags: flagsOf("S"), window: 8000, urgent: 0, options: { mss: 1000 }, payload: new Uint8Array(0),
});

describe("TcpHost", () => {
  it("answers a SYN to a closed port with RST+ACK", () => {
    const h = new TcpHost({ secret, config: cfg });
    h.input(0x0a000002, ME, syn(5000), 0);
    expect(h.takeOutput()).toMatchObject([{ destination: 0x0a000002, segment: { flags: flagsOf("RA"), seq: 0, ack: 1001, destinationPort: 5000 } }]);
  });
  it("refuses a second listener on a port (EADDRINUSE)", () => {
    const h = new TcpHost({ secret, config: cfg });
    expect(typeof h.listen(80)).toBe("object");
    expect(h.listen(80)).toBe("EADDRINUSE");
  });
  it("bounds half-open connections under a SYN flood", () => {
    const h = new TcpHost({ secret, config: cfg });
    h.listen(80, 4, 8);
    for (let p = 1; p <= 1000; p++) h.input(0x0b000000 + p, ME, syn(p), 0);
    expect(h.connectionCount()).toBe(8);
    expect(h.takeOutput().length).toBe(8);
    // Half-open entries expire after their SYN-ACK retransmissions, freeing the table.
    for (let t = 0; t < 200_000; t += 500) h.poll(t);
    expect(h.connectionCount()).toBe(0);
  });
  it("queues established connections up to the backlog, then drops SYNs", () => {
    const h = new TcpHost({ secret, config: cfg });
    const l = h.listen(80, 2);
    if (typeof l === "string") throw new Error(l);
    let ready = 0;
    l.onConnection = () => ready++;
    for (let p = 1; p <= 2; p++) {
      h.input(0x0c000000, ME, syn(p), 0);
      const synAck = h.takeOutput()[0]!.segment;
      h.input(0x0c000000, ME, { ...syn(p, 1001), flags: flagsOf("A"), ack: (synAck.seq + 1) >>> 0 }, 1);
    }
    expect(ready).toBe(2);
    h.input(0x0c000000, ME, syn(3), 2);
    expect(h.takeOutput()).toEqual([]); // accept queue full: the SYN is dropped, the peer retries
    expect(h.accept(l)?.tcb.state).toBe("Established");
    expect(h.accept(l)?.tcb.state).toBe("Established");
    expect(h.accept(l)).toBeUndefined();
  });
});
