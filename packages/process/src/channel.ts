// Process layer: a bounded channel between threads of one core, with backpressure (a sender waits
// while it is full) and close. Cross-core channels are in cross-core-channel.ts. Imports the wait
// queue; no Node APIs.
import type { Scheduler } from "./scheduler.js";
import { WaitQueue } from "./wait-queue.js";

/** What `send` did. */
export type SendResult = "sent" | "timeout" | "closed";

/** What `recv` got: a value, or why not. */
export type RecvResult<T> =
  | {
      /** A value came. */
      ok: true;
      /** The value. */
      value: T;
    }
  | {
      /** No value. */
      ok: false;
      /** Why: nothing came in time ("timeout", also "empty" for tryRecv), or closed and drained. */
      reason: "timeout" | "closed";
    };

/**
 * A bounded FIFO channel between threads of one core.
 *
 * @example
 * ```ts
 * const ch = new Channel<string>(s, 4);
 * s.spawn(async () => { await ch.send("ping"); ch.close(); });
 * s.spawn(async () => { for (let r = await ch.recv(); r.ok; r = await ch.recv()) console.log(r.value); });
 * ```
 */
export class Channel<T> {
  private readonly scheduler: Scheduler;
  private readonly items: T[] = [];
  private readonly senders: WaitQueue;
  private readonly receivers: WaitQueue;
  private closed = false;
  /** The most items it holds before senders wait. */
  readonly capacity: number;

  /**
   * Creates an open, empty channel.
   *
   * @param scheduler - the core's scheduler
   * @param capacity - items buffered before `send` waits (>= 1)
   * @returns the channel
   * @example
   * ```ts
   * const jobs = new Channel<number>(scheduler, 16);
   * ```
   */
  constructor(scheduler: Scheduler, capacity: number) {
    this.scheduler = scheduler;
    this.capacity = Math.max(1, Math.floor(capacity));
    this.senders = new WaitQueue(scheduler);
    this.receivers = new WaitQueue(scheduler);
  }

  /** Items buffered now. */
  get length(): number {
    return this.items.length;
  }

  /** True after `close()`. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Sends `value`, waiting while the channel is full.
   *
   * @param value - what to send
   * @param timeoutMs - how long at most to wait for room
   * @returns "sent", "timeout" or "closed"
   * @example
   * ```ts
   * if ((await ch.send(job, 100)) !== "sent") dropJob(job);
   * ```
   */
  async send(value: T, timeoutMs?: number): Promise<SendResult> {
    const deadline = timeoutMs === undefined ? Infinity : this.scheduler.clock.nowMs() + timeoutMs;
    for (;;) {
      if (this.closed) return "closed";
      if (this.trySend(value)) return "sent";
      const left = deadline - this.scheduler.clock.nowMs();
      if (left <= 0 || !(await this.senders.wait(left))) return this.closed ? "closed" : "timeout";
    }
  }

  /**
   * Sends without waiting.
   *
   * @param value - what to send
   * @returns true when sent, false when full or closed
   * @example
   * ```ts
   * ch.trySend(event) || dropped++;
   * ```
   */
  trySend(value: T): boolean {
    if (this.closed || this.items.length >= this.capacity) return false;
    this.items.push(value);
    this.receivers.wakeOne();
    return true;
  }

  /**
   * Receives the oldest item, waiting while the channel is empty.
   *
   * @param timeoutMs - how long at most
   * @returns `{ ok: true, value }`, or `{ ok: false, reason }` on timeout or when closed and drained
   * @example
   * ```ts
   * const r = await ch.recv(1000);
   * if (r.ok) handle(r.value);
   * ```
   */
  async recv(timeoutMs?: number): Promise<RecvResult<T>> {
    const deadline = timeoutMs === undefined ? Infinity : this.scheduler.clock.nowMs() + timeoutMs;
    for (;;) {
      const r = this.tryRecv();
      if (r.ok || r.reason === "closed") return r;
      const left = deadline - this.scheduler.clock.nowMs();
      if (left <= 0 || !(await this.receivers.wait(left))) {
        const again = this.tryRecv();
        return again.ok || again.reason === "closed" ? again : { ok: false, reason: "timeout" };
      }
    }
  }

  /**
   * Receives without waiting.
   *
   * @returns the oldest item, or why not ("timeout" here means empty)
   * @example
   * ```ts
   * const r = ch.tryRecv();
   * ```
   */
  tryRecv(): RecvResult<T> {
    if (this.items.length > 0) {
      const value = this.items.shift()!;
      this.senders.wakeOne();
      return { ok: true, value };
    }
    return { ok: false, reason: this.closed ? "closed" : "timeout" };
  }

  /**
   * Closes the channel: sends fail, receivers drain what is left, then get "closed".
   *
   * @returns nothing
   * @example
   * ```ts
   * ch.close();
   * ```
   */
  close(): void {
    this.closed = true;
    this.senders.wakeAll();
    this.receivers.wakeAll();
  }
}
