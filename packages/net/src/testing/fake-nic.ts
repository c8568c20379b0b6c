// Test kit (@toro/net, not exported): two NetDevices joined by a wire (frames cross in a microtask),
// and a virtual-time Scheduler. Imports only device types.
import type { NetDevice } from "@toro/devices";
import type { Scheduler } from "../socket/driver.js";

/** @internal A NetDevice whose frames go to its peer; `cut` drops everything. */
export interface FakeNic extends NetDevice {
  peer: FakeNic | undefined;
  cut: boolean;
  sent: number;
  deliver(frame: Uint8Array): void;
}

/** @internal */
export function fakeNic(last: number): FakeNic {
  let handler: ((f: Uint8Array) => void) | undefined;
  const nic: FakeNic = {
    mac: new Uint8Array([2, 0, 0, 0, 0, last]),
    capabilities: { mtu: 1500, rxChecksumOffload: false, txChecksumOffload: false },
    peer: undefined,
    cut: false,
    sent: 0,
    linkUp: () => true,
    send: async (frame) => {
      nic.sent++;
      const p = nic.peer;
      if (p && !nic.cut && !p.cut) void Promise.resolve().then(() => p.deliver(frame.slice()));
    },
    onReceive: (h) => {
      handler = h;
    },
    close: async () => undefined,
    deliver: (f) => handler?.(f),
  };
  return nic;
}

/** @internal Two NICs on one wire. */
export function nicPair(): [FakeNic, FakeNic] {
  const a = fakeNic(1);
  const b = fakeNic(2);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** @internal A scheduler whose clock moves only when told. */
export class VirtualScheduler implements Scheduler {
  time = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  set(fn: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + delayMs, fn, id });
    return id;
  }
  clear(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Fires the earliest timer, moving the clock; `false` when none is armed. */
  fireNext(): boolean {
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    const t = this.timers.shift();
    if (!t) return false;
    this.time = Math.max(this.time, t.at);
    t.fn();
    return true;
  }
}
