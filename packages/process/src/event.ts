// Process layer: a manual-reset event for threads of one core. Imports the wait queue; no Node APIs.
import type { Scheduler } from "./scheduler.js";
import { WaitQueue } from "./wait-queue.js";

/**
 * A flag threads can wait for: `set()` wakes every waiter and lets later waits pass until `reset()`.
 * Safe to `set()` from outside any thread (an IRQ handler, a host callback).
 *
 * @example
 * ```ts
 * const started = new Event(s);
 * s.spawn(async () => { await started.wait(); console.log("go"); });
 * started.set();
 * ```
 */
export class Event {
  private readonly queue: WaitQueue;
  private flag = false;

  /**
   * Creates a cleared event.
   *
   * @param scheduler - the core's scheduler
   * @returns the event
   * @example
   * ```ts
   * const e = new Event(scheduler);
   * ```
   */
  constructor(scheduler: Scheduler) {
    this.queue = new WaitQueue(scheduler);
  }

  /** True while set. */
  get isSet(): boolean {
    return this.flag;
  }

  /**
   * Sets the event and wakes every waiter.
   *
   * @returns nothing
   * @example
   * ```ts
   * e.set();
   * ```
   */
  set(): void {
    this.flag = true;
    this.queue.wakeAll();
  }

  /**
   * Clears the event.
   *
   * @returns nothing
   * @example
   * ```ts
   * e.reset();
   * ```
   */
  reset(): void {
    this.flag = false;
  }

  /**
   * Waits until the event is set (returns at once if it is).
   *
   * @param timeoutMs - how long at most
   * @returns true when set, false on timeout
   * @example
   * ```ts
   * if (await e.wait(50)) console.log("set within 50 ms");
   * ```
   */
  async wait(timeoutMs?: number): Promise<boolean> {
    if (this.flag) return true;
    await this.queue.wait(timeoutMs);
    return this.flag;
  }
}
