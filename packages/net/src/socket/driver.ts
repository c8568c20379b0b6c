// Socket layer (@toro/net): the edge that drives a NetInterface from a NetDevice — received frames
// in, frames out with the device's backpressure, and one timer armed for the interface's next
// deadline (so an idle stack lets the core halt: no polling loop). The only file that touches a
// clock or a timer; both can be injected (virtual time in tests). Must not import a driver.
import type { NetDevice, NetFrameOptions } from "@toro/devices";
import { ToroError } from "@toro/kernel";
import type { NetInterface } from "../iface/interface.js";

/** A clock and a one-shot timer; defaults use the global `setTimeout` and `performance.now`. */
export interface Scheduler {
  /** Current time, ms. */
  now(): number;
  /** Calls `fn` after `delayMs`; returns a handle for {@link Scheduler.clear}. */
  set(fn: () => void, delayMs: number): unknown;
  /** Cancels a timer. */
  clear(handle: unknown): void;
}

interface Globals {
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (h: unknown) => void;
  performance?: { now(): number };
  Date: { now(): number };
}

/**
 * The default scheduler: global `setTimeout`/`clearTimeout` and `performance.now()` (or `Date.now()`).
 *
 * @returns the scheduler
 * @throws ToroError `ENOTSUP` when the global timers are missing
 * @example
 * ```ts
 * const s = globalScheduler();
 * s.set(() => console.log("tick"), 10);
 * ```
 */
export function globalScheduler(): Scheduler {
  const g = globalThis as unknown as Globals;
  const set = g.setTimeout;
  const clear = g.clearTimeout;
  if (!set || !clear) throw new ToroError("ENOTSUP", "no global setTimeout", { hint: "pass a scheduler in the stack options" });
  const perf = g.performance;
  return { now: perf ? () => perf.now() : () => g.Date.now(), set: (fn, ms) => set(fn, ms), clear: (h) => clear(h) };
}

/** @internal Wires an interface to a device. */
export class Driver {
  private timer: unknown = undefined;
  private timerAt = Infinity;
  private scheduled = false;
  private readonly txQueue: Array<{ readonly frame: Uint8Array; readonly options: NetFrameOptions | undefined }> = [];
  private sending = false;
  private closed = false;

  constructor(
    readonly iface: NetInterface,
    readonly nic: NetDevice,
    readonly scheduler: Scheduler,
  ) {
    nic.onReceive((frame) => {
      if (this.closed) return;
      this.iface.input(frame, this.scheduler.now());
      this.kick();
    });
  }

  /** The current time, ms. */
  now(): number {
    return this.scheduler.now();
  }

  /** Schedules a pass (microtask): flush TCP output, send frames, re-arm the timer. */
  kick(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    void Promise.resolve().then(() => {
      this.scheduled = false;
      this.pass();
    });
  }

  private pass(): void {
    if (this.closed) return;
    const now = this.scheduler.now();
    if (this.iface.nextPollAt() <= now) this.iface.poll(now);
    else this.iface.flush(now);
    for (const f of this.iface.takeFramesWithOptions()) this.txQueue.push(f);
    void this.transmit();
    this.arm();
  }

  private arm(): void {
    const at = this.iface.nextPollAt();
    if (at === this.timerAt) return;
    if (this.timer !== undefined) this.scheduler.clear(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (at === Infinity) return;
    const delay = Math.max(0, at - this.scheduler.now());
    this.timer = this.scheduler.set(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pass();
    }, delay);
  }

  private async transmit(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.txQueue.length > 0 && !this.closed) {
        const f = this.txQueue.shift()!;
        // Resolves when the device has room (backpressure).
        if (this.nic.linkUp()) await (f.options ? this.nic.send(f.frame, f.options) : this.nic.send(f.frame));
      }
    } finally {
      this.sending = false;
    }
  }

  /** Stops timers and ignores further frames. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.scheduler.clear(this.timer);
    this.timer = undefined;
  }
}
