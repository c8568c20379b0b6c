// Test kit (@toro/net, not exported): a seeded network simulator. Interfaces share one Ethernet
// segment whose frames are lost, duplicated, delayed and reordered (by jitter) with a seeded PRNG, in
// virtual time. Every frame put on the wire is captured for a pcap. Imports iface/.
import type { NetInterface } from "../iface/interface.js";
import type { CapturedFrame } from "./pcap.js";

/** @internal mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @internal How the wire misbehaves. */
export interface LinkOptions {
  readonly seed: number;
  readonly lossRate?: number;
  readonly duplicateRate?: number;
  readonly delayMs?: number;
  /** Extra random delay; frames overtake each other when it exceeds their spacing. */
  readonly jitterMs?: number;
  /** Keep at most this many captured frames (the newest). */
  readonly captureLimit?: number;
}

interface InFlight {
  at: number;
  seq: number;
  from: number;
  frame: Uint8Array;
}

/** @internal Interfaces on one simulated segment, driven in virtual time. */
export class SimNetwork {
  now = 0;
  readonly capture: CapturedFrame[] = [];
  delivered = 0;
  dropped = 0;
  private readonly rng: () => number;
  private readonly inflight: InFlight[] = [];
  private seq = 0;

  constructor(
    readonly hosts: NetInterface[],
    readonly options: LinkOptions,
  ) {
    this.rng = prng(options.seed);
  }

  /** Moves frames the hosts queued onto the wire. */
  collect(): void {
    const o = this.options;
    this.hosts.forEach((h, from) => {
      for (const frame of h.takeFrames()) {
        this.capture.push({ timeMs: this.now, frame });
        if (this.capture.length > (o.captureLimit ?? 200_000)) this.capture.shift();
        if (this.rng() < (o.lossRate ?? 0)) {
          this.dropped++;
          continue;
        }
        const copies = this.rng() < (o.duplicateRate ?? 0) ? 2 : 1;
        for (let c = 0; c < copies; c++) {
          const at = this.now + (o.delayMs ?? 1) + this.rng() * (o.jitterMs ?? 0);
          this.inflight.push({ at, seq: this.seq++, from, frame });
        }
      }
    });
    this.inflight.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Advances to the next event; `false` when nothing is left to happen. */
  step(app?: (now: number) => void): boolean {
    this.collect();
    let t = this.inflight[0]?.at ?? Infinity;
    for (const h of this.hosts) t = Math.min(t, h.nextPollAt());
    if (t === Infinity) return false;
    this.now = Math.max(this.now, t);
    while (this.inflight.length > 0 && this.inflight[0]!.at <= this.now) {
      const f = this.inflight.shift()!;
      this.delivered++;
      this.hosts.forEach((h, i) => {
        if (i !== f.from) h.input(f.frame, this.now);
      });
    }
    for (const h of this.hosts) if (h.nextPollAt() <= this.now) h.poll(this.now);
    app?.(this.now);
    for (const h of this.hosts) h.flush(this.now);
    this.collect();
    return true;
  }

  /** Steps until `done()` or virtual `limitMs` passes; returns whether `done()` held. */
  run(done: () => boolean, limitMs: number, app?: (now: number) => void, maxSteps = 5_000_000): boolean {
    for (let i = 0; i < maxSteps && !done() && this.now <= limitMs; i++) {
      if (!this.step(app)) break;
    }
    return done();
  }
}
