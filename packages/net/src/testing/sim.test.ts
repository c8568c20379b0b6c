// Two full stacks over a seeded lossy, reordering, duplicating, delaying link move data byte-exact in
// both directions. A failing run writes a pcap (open it in Wireshark) and prints its path.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NetInterface } from "../iface/interface.js";
import type { TcpConnection } from "../tcp/host.js";
import { defaultTcpConfig } from "../tcp/tcb.js";
import { ipv4 } from "../wire/address.js";
import { describeFrame } from "./describe-frame.js";
import { pcapFile } from "./pcap.js";
import { prng, SimNetwork, type LinkOptions } from "./sim.js";

const A = ipv4("10.0.0.1")!;
const B = ipv4("10.0.0.2")!;
const config = { ...defaultTcpConfig, minRtoMs: 200 };

function host(last: number, address: number, seed: number): NetInterface {
  const secret = Uint8Array.from({ length: 16 }, (_, i) => (seed * 31 + i * 7 + last) & 255);
  return new NetInterface({ mac: new Uint8Array([2, 0, 0, 0, 0, last]), address, tcp: { secret, config } });
}

function randomBytes(n: number, seed: number): Uint8Array {
  const r = prng(seed);
  return Uint8Array.from({ length: n }, () => (r() * 256) | 0);
}

class Side {
  sent = 0;
  received: Uint8Array[] = [];
  receivedBytes = 0;
  peerClosed = false;
  closed = false;
  errors: string[] = [];
  constructor(
    readonly iface: NetInterface,
    readonly conn: TcpConnection,
    readonly data: Uint8Array,
  ) {
    conn.onEvent = (e) => {
      if (e.type === "peer-closed") this.peerClosed = true;
      if (e.type === "closed") this.closed = true;
      if (e.type === "error") this.errors.push(e.code);
    };
  }
  pump(now: number): void {
    const tcp = this.iface.tcp;
    for (;;) {
      const chunk = tcp.read(this.conn, 1 << 16, now);
      if (chunk.length === 0) break;
      this.received.push(chunk);
      this.receivedBytes += chunk.length;
    }
    while (this.sent < this.data.length) {
      const n = tcp.write(this.conn, this.data.subarray(this.sent, this.sent + 16384), now);
      if (n <= 0) break;
      this.sent += n;
      if (this.sent === this.data.length) tcp.close(this.conn, now);
    }
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.receivedBytes);
    let o = 0;
    for (const c of this.received) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

function transfer(link: LinkOptions, sizeBytes: number, name: string) {
  const a = host(1, A, link.seed);
  const b = host(2, B, link.seed);
  const sim = new SimNetwork([a, b], link);
  const listener = b.tcp.listen(7);
  if (typeof listener === "string") throw new Error(listener);
  const client = a.tcp.connect(A, B, 7, 0);
  if (typeof client === "string") throw new Error(client);
  const dataA = randomBytes(sizeBytes, link.seed + 1);
  const dataB = randomBytes(sizeBytes, link.seed + 2);
  const sideA = new Side(a, client, dataA);
  let sideB: Side | undefined;
  const done = () => !!sideB && sideA.receivedBytes === sizeBytes && sideB.receivedBytes === sizeBytes && sideA.peerClosed && sideB.peerClosed;
  const ok = sim.run(done, 600_000, (now) => {
    if (!sideB) {
      const c = b.tcp.accept(listener);
      if (c) sideB = new Side(b, c, dataB);
    }
    sideA.pump(now);
    sideB?.pump(now);
  });
  const exact = ok && equal(sideA.bytes(), dataB) && equal(sideB!.bytes(), dataA);
  if (!exact) {
    const path = join(tmpdir(), `toro-net-${name}-seed${link.seed}.pcap`);
    writeFileSync(path, pcapFile(sim.capture));
    console.error(sim.capture.slice(-40).map((c) => `${c.timeMs.toFixed(1)} ${describeFrame(c.frame)}`).join("\n"));
    const dump = (s: Side) => { const t = s.conn.tcb; return JSON.stringify({ st: t.state, una: t.sndUna, nxt: t.sndNxt, max: t.sndMax, buf: t.bufSeq, len: t.sendBuf.length, fin: t.finQueued, rcv: t.rcvNxt, ooo: t.ooo.length, wnd: t.sndWnd, sent: s.sent }); };
    console.error(dump(sideA), sideB && dump(sideB));
    console.error(`simulation failed (A got ${sideA.receivedBytes}, B got ${sideB?.receivedBytes}; errors ${sideA.errors} ${sideB?.errors}): pcap at ${path}`);
  }
  // Let both sides finish closing (TIME-WAIT and LAST-ACK retransmissions) and the tables drain.
  sim.run(() => a.tcp.connectionCount() === 0 && b.tcp.connectionCount() === 0, sim.now + 300_000);
  return { exact, sim, a, b, sideA, sideB };
}

function equal(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

describe("two stacks over a simulated link", () => {
  it("move 64 KiB over a perfect link", () => {
    const r = transfer({ seed: 1, delayMs: 1 }, 64 * 1024, "clean");
    expect(r.exact).toBe(true);
    expect(r.sim.dropped).toBe(0);
  });
  it("move 1 MiB each way byte-exact with 5% loss, 1% duplication, reordering and delay", () => {
    const r = transfer({ seed: 42, lossRate: 0.05, duplicateRate: 0.01, delayMs: 5, jitterMs: 4, captureLimit: 50_000 }, 1 << 20, "lossy");
    expect(r.exact).toBe(true);
    expect(r.sim.dropped).toBeGreaterThan(100);
    expect(r.a.tcp.connectionCount() + r.b.tcp.connectionCount()).toBe(0);
  });
  it("move 10 MiB each way byte-exact with 5% loss, duplication and reordering (issue 5)", () => {
    const r = transfer({ seed: 2026, lossRate: 0.05, duplicateRate: 0.01, delayMs: 3, jitterMs: 3, captureLimit: 20_000 }, 10 << 20, "lossy-10m");
    expect(r.exact).toBe(true);
  });
  it("writes a readable pcap (global header, one record per frame)", () => {
    const f = new Uint8Array([1, 2, 3]);
    const p = pcapFile([{ timeMs: 1500.25, frame: f }]);
    const dv = new DataView(p.buffer);
    expect(dv.getUint32(0, true)).toBe(0xa1b2c3d4);
    expect(dv.getUint32(20, true)).toBe(1);
    expect([dv.getUint32(24, true), dv.getUint32(28, true), dv.getUint32(32, true)]).toEqual([1, 500250, 3]);
    expect(p.subarray(40)).toEqual(f);
  });
  it.each([7, 1234])("survives another seed (%i) with 5% loss", (seed) => {
    const r = transfer({ seed, lossRate: 0.05, duplicateRate: 0.02, delayMs: 2, jitterMs: 3, captureLimit: 50_000 }, 256 * 1024, "lossy");
    expect(r.exact).toBe(true);
  });
});
