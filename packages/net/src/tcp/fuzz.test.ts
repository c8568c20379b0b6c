// Fuzzing the TCP state machine and the interface with outside input: nothing throws, invariants hold.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NetInterface } from "../iface/interface.js";
import { established } from "../testing/tcp-script.js";
import { emitIpv4 } from "../wire/ipv4.js";
import type { TcpRepr } from "../wire/tcp.js";
import { tcpInput } from "./input.js";
import { tcpClose, tcpOutput, tcpRead, tcpWrite } from "./output.js";
import { seqDiff, seqLe } from "./seq.js";
import { tcpNextDeadline, tcpSetKeepalive, tcpTimers } from "./timers.js";

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const segment = fc.record({
  sourcePort: fc.constant(80),
  destinationPort: fc.constant(40000),
  seq: fc.oneof(u32, fc.integer({ min: 4990, max: 5100 })),
  ack: fc.oneof(u32, fc.integer({ min: 990, max: 1100 })),
  flags: fc.integer({ min: 0, max: 0x3f }),
  window: fc.integer({ min: 0, max: 0xffff }),
  urgent: fc.constant(0),
  options: fc.record({ mss: fc.integer({ min: 0, max: 0xffff }), windowScale: fc.integer({ min: 0, max: 14 }) }, { requiredKeys: [] }),
  payload: fc.uint8Array({ maxLength: 64 }),
}) as fc.Arbitrary<TcpRepr>;

describe("TCP state machine under random segments (fuzz)", () => {
  it("never throws, keeps SND.UNA <= SND.NXT <= SND.MAX, bounded buffers and no overdue timer", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(segment, fc.integer({ min: 0, max: 5000 }), fc.constantFrom("none", "write", "read", "close")), { maxLength: 40 }), (steps) => {
        const tcb = established();
        let now = 20;
        tcpSetKeepalive(tcb, { idleMs: 3000, intervalMs: 500, probes: 3 }, now);
        for (const [seg, dt, user] of steps) {
          now += dt;
          if (user === "write") tcpWrite(tcb, new Uint8Array(3000));
          if (user === "read") tcpRead(tcb, 1000);
          if (user === "close") tcpClose(tcb, now);
          tcpOutput(tcb, now);
          tcpInput(tcb, seg, now);
          tcpTimers(tcb, now);
          if (tcb.state === "Closed") break;
          expect(tcpNextDeadline(tcb)).toBeGreaterThan(now); // no timer left due: a driver cannot spin
          expect(seqLe(tcb.sndUna, tcb.sndMax)).toBe(true);
          expect(seqDiff(tcb.sndNxt, tcb.sndUna)).toBeGreaterThanOrEqual(0);
          expect(tcb.recvBuf.length).toBeLessThanOrEqual(tcb.recvBuf.capacity);
          expect(tcb.ooo.length).toBeLessThanOrEqual(256);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("interface under random frames (fuzz)", () => {
  it("never throws on random bytes or mutated valid frames", () => {
    const iface = new NetInterface({ mac: new Uint8Array([2, 0, 0, 0, 0, 2]), address: 0x0a000002, rxChecksumOffload: true, tcp: { secret: new Uint8Array(8) } });
    iface.tcp.listen(80);
    iface.udpBind(53, () => undefined);
    const header = [2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      fc.tuple(fc.constantFrom(0x08, 0x08), fc.constantFrom(0x00, 0x06), fc.uint8Array({ maxLength: 100 })).map(([a, b, rest]) => Uint8Array.from([...header, a, b, ...rest])),
      // Valid IPv4 headers around random transport bytes (the interface skips transport checksums,
      // as with NIC offload), so the TCP/UDP/ICMP decoders and the TCP host see the garbage.
      fc.tuple(fc.constantFrom(1, 6, 17), fc.uint8Array({ minLength: 0, maxLength: 80 }), fc.boolean(), fc.integer({ min: 0, max: 64 })).map(([protocol, payload, more, off]) => {
        const ip = emitIpv4({ source: 0x0a000001, destination: 0x0a000002, protocol, ttl: 64, ident: 7, tos: 0, dontFragment: false, moreFragments: more, fragmentOffset: off * 8, payload });
        return Uint8Array.from([...header, 8, 0, ...ip]);
      }),
    );
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 20 }), (frames) => {
        let now = 0;
        for (const f of frames) {
          iface.input(f, (now += 10));
          iface.poll(now);
          iface.takeFrames();
          expect(iface.nextPollAt()).toBeGreaterThan(now);
        }
      }),
      { numRuns: 500 },
    );
  });
});
