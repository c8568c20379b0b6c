// Process layer: a counting semaphore and a mutex for threads of one core, with FIFO hand-off (a
// release gives the permit to the longest waiter, so no thread can barge ahead). Imports the wait
// queue and the error base; no Node APIs.
import { ToroError } from "@toro/kernel";
import type { Scheduler } from "./scheduler.js";
import { WaitQueue } from "./wait-queue.js";

/**
 * A counting semaphore.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(s, 2);
 * if (await slots.acquire(100)) { try { await work(); } finally { slots.release(); } }
 * ```
 */
export class Semaphore {
  private readonly queue: WaitQueue;
  private permits: number;

  /**
   * Creates a semaphore with `permits` permits.
   *
   * @param scheduler - the core's scheduler
   * @param permits - initial permits, an integer >= 0
   * @returns the semaphore
   * @example
   * ```ts
   * const sem = new Semaphore(scheduler, 4);
   * ```
   */
  constructor(scheduler: Scheduler, permits: number) {
    if (!Number.isInteger(permits) || permits < 0) throw new ToroError("EINVAL", `permits must be an integer >= 0, got ${permits}`);
    this.queue = new WaitQueue(scheduler);
    this.permits = permits;
  }

  /** Permits available now. */
  get available(): number {
    return this.permits;
  }

  /**
   * Takes a permit, waiting (FIFO) if none is free.
   *
   * @param timeoutMs - how long at most
   * @returns true with a permit, false on timeout
   * @example
   * ```ts
   * await sem.acquire();
   * ```
   */
  async acquire(timeoutMs?: number): Promise<boolean> {
    if (this.permits > 0 && this.queue.length === 0) {
      this.permits--;
      return true;
    }
    // A wake is a hand-off: release() gave this waiter the permit without counting it.
    return this.queue.wait(timeoutMs);
  }

  /**
   * Returns a permit (to the longest waiter, if any).
   *
   * @returns nothing
   * @example
   * ```ts
   * sem.release();
   * ```
   */
  release(): void {
    if (!this.queue.wakeOne()) this.permits++;
  }
}

/**
 * A mutual-exclusion lock for sections that await while holding shared state.
 *
 * @example
 * ```ts
 * const m = new Mutex(s);
 * await m.withLock(async () => { await write(a); await write(b); });
 * ```
 */
export class Mutex {
  private readonly sem: Semaphore;

  /**
   * Creates an unlocked mutex.
   *
   * @param scheduler - the core's scheduler
   * @returns the mutex
   * @example
   * ```ts
   * const m = new Mutex(scheduler);
   * ```
   */
  constructor(scheduler: Scheduler) {
    this.sem = new Semaphore(scheduler, 1);
  }

  /** True while held. */
  get locked(): boolean {
    return this.sem.available === 0;
  }

  /**
   * Runs `fn` holding the lock, and releases it however `fn` ends.
   *
   * @param fn - the critical section
   * @returns what `fn` returns
   * @example
   * ```ts
   * const v = await m.withLock(() => counter++);
   * ```
   */
  async withLock<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.sem.acquire();
    try {
      return await fn();
    } finally {
      this.sem.release();
    }
  }
}
