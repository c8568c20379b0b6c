// Process layer: the one blocking primitive the other wait objects are built on — a FIFO of threads
// of one core waiting for something, with optional timeouts. Imports the scheduler; no Node APIs.
import type { Scheduler } from "./scheduler.js";
import type { Thread } from "./thread.js";

/**
 * A FIFO of threads (of one core) waiting for a condition. Waiters re-check their condition after
 * waking: a wake means "look again", not "it is yours".
 *
 * @example
 * ```ts
 * const q = new WaitQueue(s);
 * s.spawn(async () => { while (!ready) await q.wait(); });
 * ready = true; q.wakeAll();
 * ```
 */
export class WaitQueue {
  private readonly scheduler: Scheduler;
  private readonly waiters: Array<{ thread: Thread<any>; gen: number }> = [];

  /**
   * Creates an empty queue on `scheduler`'s core.
   *
   * @param scheduler - the core's scheduler
   * @returns the queue
   * @example
   * ```ts
   * const q = new WaitQueue(scheduler);
   * ```
   */
  constructor(scheduler: Scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Blocks the current thread until woken or until `timeoutMs` passes.
   *
   * @param timeoutMs - how long at most; omitted or Infinity = no limit
   * @returns true when woken, false on timeout
   * @throws ToroError `ENOTHREAD` outside a thread.
   * @example
   * ```ts
   * if (!(await q.wait(100))) console.log("timed out");
   * ```
   */
  async wait(timeoutMs?: number): Promise<boolean> {
    const t = this.scheduler._self("wait");
    // Drop entries of waits that timed out, so a queue nobody wakes does not grow.
    if (this.waiters.length >= 64) this.compact();
    this.waiters.push({ thread: t, gen: t._gen });
    const deadline = timeoutMs === undefined || timeoutMs === Infinity ? undefined : this.scheduler.clock.nowMs() + Math.max(0, timeoutMs);
    const reason = await this.scheduler._block(t, "waiting", deadline);
    return reason !== "timeout";
  }

  /**
   * Wakes the longest-waiting thread (skipping ones that timed out).
   *
   * @returns true when a thread was woken
   * @example
   * ```ts
   * q.wakeOne();
   * ```
   */
  wakeOne(): boolean {
    while (this.waiters.length > 0) {
      const { thread, gen } = this.waiters.shift()!;
      if (thread._gen === gen && thread.state === "waiting") {
        this.scheduler._wake(thread, "woken");
        return true;
      }
    }
    return false;
  }

  /**
   * Wakes every waiting thread, in FIFO order.
   *
   * @returns how many were woken
   * @example
   * ```ts
   * q.wakeAll();
   * ```
   */
  wakeAll(): number {
    let n = 0;
    while (this.wakeOne()) n++;
    return n;
  }

  private compact(): void {
    let j = 0;
    for (const w of this.waiters) if (w.thread._gen === w.gen && w.thread.state === "waiting") this.waiters[j++] = w;
    this.waiters.length = j;
  }

  /** Threads waiting now (timed-out entries not yet dropped are not counted). */
  get length(): number {
    return this.waiters.filter((w) => w.thread._gen === w.gen && w.thread.state === "waiting").length;
  }
}
