// Runtime layer (runs inside the image): the timer queue behind setTimeout/setInterval/
// setImmediate and the timer pump the kernel's event loop calls (docs/internals.md §4). Pure: the
// clock is a parameter, so the same code runs under a fake loop on Node. Imports nothing.
//
// Order follows Node: timers fire by deadline, then by creation order; each firing is its own
// macrotask (the kernel drains microtasks after it). Like Node (whose timers count from libuv's
// cached loop time), a timer's start is the loop time: the `nowMs` of the latest pump call, or the
// queue's creation time before the first pump — so timers made in one macrotask share one start.

/** Node's limit: delays outside 1..2^31-1 ms (and NaN) become 1 ms. */
const TIMEOUT_MAX = 2 ** 31 - 1;

interface Entry {
  timer: Timeout;
  deadline: number;
  seq: number;
}

/**
 * A scheduled timer, as Node's `Timeout`: keep the loop alive or not (`ref`/`unref`), re-arm it
 * (`refresh`), and use it as a number id (`+timeout`, `clearTimeout(id)`).
 *
 * @example
 * ```ts
 * const t = setTimeout(() => console.log("late"), 1000);
 * t.unref(); // the VM may exit before it fires
 * clearTimeout(+t); // numeric ids work too
 * ```
 */
export class Timeout {
  /** @internal */ _queue: TimerQueue;
  /** @internal */ _id: number;
  /** @internal */ _callback: (...args: any[]) => void;
  /** @internal */ _args: unknown[];
  /** @internal */ _delay: number;
  /** @internal */ _repeat: boolean;
  /** @internal */ _ref = true;
  /** @internal */ _active = true;
  /** @internal */ _seq = 0;

  /** @internal */
  constructor(queue: TimerQueue, id: number, callback: (...args: any[]) => void, args: unknown[], delay: number, repeat: boolean) {
    this._queue = queue;
    this._id = id;
    this._callback = callback;
    this._args = args;
    this._delay = delay;
    this._repeat = repeat;
  }

  /**
   * Makes this timer keep the VM running until it fires (the default).
   *
   * @returns this timer
   * @example
   * ```ts
   * t.unref().ref();
   * ```
   */
  ref(): this {
    this._queue._setRef(this, true);
    return this;
  }

  /**
   * Lets the VM exit if only unreferenced timers remain; the timer still fires if it is still up.
   *
   * @returns this timer
   * @example
   * ```ts
   * setInterval(flushStats, 1000).unref();
   * ```
   */
  unref(): this {
    this._queue._setRef(this, false);
    return this;
  }

  /**
   * Whether this timer keeps the VM running.
   *
   * @returns true unless `unref()` was called
   * @example
   * ```ts
   * setTimeout(() => {}, 10).hasRef(); // true
   * ```
   */
  hasRef(): boolean {
    return this._ref;
  }

  /**
   * Restarts the countdown from now with the same delay (re-arms a fired timeout too).
   *
   * @returns this timer
   * @example
   * ```ts
   * idle.refresh(); // on every request: close after 30 s without one
   * ```
   */
  refresh(): this {
    this._queue._arm(this);
    return this;
  }

  /**
   * Cancels the timer, like `clearTimeout(this)`.
   *
   * @returns this timer
   * @example
   * ```ts
   * t.close();
   * ```
   */
  close(): this {
    this._queue.clear(this);
    return this;
  }

  /**
   * The timer's numeric id, accepted by `clearTimeout`.
   *
   * @returns the id
   * @example
   * ```ts
   * const id = +setTimeout(() => {}, 5);
   * ```
   */
  [Symbol.toPrimitive](): number {
    return this._id;
  }
}

/**
 * The timers of one core: a binary heap ordered by (deadline, creation sequence), with lazy
 * removal (cleared or re-armed timers leave stale heap entries that are skipped).
 */
export class TimerQueue {
  private readonly now: () => number;
  private heap: Entry[] = [];
  private readonly byId = new Map<number, Timeout>();
  private nextId = 1;
  private nextSeq = 1;
  private refCount = 0;
  /** The loop time: timers created now start counting from here. */
  loopNowMs: number;

  /** Creates an empty queue over a monotonic clock in milliseconds. */
  constructor(now: () => number) {
    this.now = now;
    this.loopNowMs = now();
  }

  /** Schedules `callback(...args)` after `delay` ms (coerced like Node), once or repeatedly. */
  add(callback: unknown, delay: unknown, args: unknown[], repeat: boolean, immediate = false): Timeout {
    if (typeof callback !== "function") {
      const err = new TypeError(`The "callback" argument must be of type function. Received ${describe(callback)}`);
      (err as TypeError & { code: string }).code = "ERR_INVALID_ARG_TYPE";
      throw err;
    }
    let ms = 0;
    if (!immediate) {
      ms = (delay as number) * 1;
      if (!(ms >= 1 && ms <= TIMEOUT_MAX)) ms = 1;
    }
    const timer = new Timeout(this, this.nextId++, callback as (...a: unknown[]) => void, args, ms, repeat);
    this.byId.set(timer._id, timer);
    this.refCount++;
    this.push(timer);
    return timer;
  }

  /** Cancels a timer given as the object or its numeric id; anything else is ignored (as Node). */
  clear(timer: unknown): void {
    const t = timer instanceof Timeout ? timer : typeof timer === "number" || typeof timer === "string" ? this.byId.get(Number(timer)) : undefined;
    if (t === undefined || t._queue !== this || !t._active) return;
    t._active = false;
    t._seq = 0;
    this.byId.delete(t._id);
    if (t._ref) this.refCount--;
  }

  /** @internal */
  _setRef(timer: Timeout, ref: boolean): void {
    if (timer._ref === ref) return;
    timer._ref = ref;
    if (timer._active) this.refCount += ref ? 1 : -1;
  }

  /** @internal Re-arms a timer from the loop time (refresh). */
  _arm(timer: Timeout): void {
    if (!timer._active) {
      timer._active = true;
      this.byId.set(timer._id, timer);
      if (timer._ref) this.refCount++;
    }
    this.push(timer);
  }

  /**
   * The timer pump (docs/internals.md §4): runs at most one due timer.
   *
   * @returns 0 after running one; else the deadline of the next timer (> 0) while a referenced
   * timer remains; else -1.
   */
  pump(nowMs: number): number {
    this.loopNowMs = nowMs;
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      const timer = top.timer;
      if (top.seq !== timer._seq) {
        this.pop();
        continue;
      }
      if (top.deadline > nowMs) return this.refCount > 0 ? top.deadline : -1;
      this.pop();
      if (!timer._repeat) this.clear(timer);
      try {
        timer._callback.apply(timer, timer._args);
      } finally {
        // An interval re-arms from this loop time unless its callback cleared or refreshed it.
        if (timer._repeat && timer._active && timer._seq === top.seq) this.push(timer);
      }
      return 0;
    }
    return -1;
  }

  /** Whether any referenced timer is pending. */
  hasRef(): boolean {
    return this.refCount > 0;
  }

  private push(timer: Timeout): void {
    const entry: Entry = { timer, deadline: this.loopNowMs + timer._delay, seq: this.nextSeq++ };
    timer._seq = entry.seq;
    const heap = this.heap;
    // Stale entries pile up when timers are refreshed often; rebuild once they dominate.
    if (heap.length > 64 && heap.length > 4 * this.byId.size) {
      this.heap = heap.filter((e) => e.seq === e.timer._seq);
      for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
    }
    const h = this.heap;
    let i = h.length;
    h.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = entry;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    this.down(0);
  }

  private down(i: number): void {
    const h = this.heap;
    const entry = h[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= h.length) break;
      if (child + 1 < h.length && before(h[child + 1]!, h[child]!)) child++;
      if (!before(h[child]!, entry)) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = entry;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

function describe(v: unknown): string {
  if (v == null) return String(v);
  if (typeof v === "object") return `an instance of ${(v as object).constructor?.name ?? "Object"}`;
  return `type ${typeof v} (${String(v)})`;
}
