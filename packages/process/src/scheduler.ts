// Process layer: one core's cooperative scheduler — a FIFO run queue of async-function threads, the
// sleepers ordered by deadline, one armed timer, statistics. It receives its clock, timer and core id
// as parameters (no globals, no singleton). Imports the thread handle, the deadline heap and the
// error base; no Node APIs.
//
// Model: exactly one thread holds the core at a time (`current()`). A thread gives the core up only
// at a scheduler primitive (`yield`, `sleep`, a wait object, `join`, `waitFor`) or when it finishes;
// the scheduler then hands the core to the head of the run queue. Awaiting anything else keeps the
// core (it is a blocking call, as in any cooperative kernel): wrap foreign promises in `waitFor`.
//
// Where the switch happens: the next thread is resumed from a job in the engine's job queue
// (a microtask: cheap, no timer round trip), so `yield()` resolves after every other ready thread
// had one turn. Because the event loop runs timers and interrupt handlers only when the job queue
// is empty, a run of switches longer than `sliceMs` ends with one macrotask hop (`macrotask`, e.g.
// setImmediate, else a deadline of "now" on the timer): busy threads that yield cannot starve timers,
// IRQ handlers or other cores' doorbells.
import { ToroError } from "@toro/kernel";
import type { Clock, Timer } from "./clock.js";
import { DeadlineHeap } from "./deadline-heap.js";
import { Thread, type ThreadInfo, type ThreadState, type WakeReason } from "./thread.js";

/** How to create a core's scheduler. */
export interface SchedulerOptions {
  /** The core's monotonic clock. */
  clock: Clock;
  /** The core's deadline timer (at most one deadline is armed at a time). */
  timer: Timer;
  /** This core's id; default 0. */
  core?: number;
  /** Queues a job in the engine's job queue; default `Promise.resolve().then(job)`. */
  queueJob?: (job: () => void) => void;
  /** Queues a macrotask (setImmediate); default: the timer with a deadline of now. */
  macrotask?: (task: () => void) => void;
  /** Longest run of switches before a macrotask hop, in ms; default 10. */
  sliceMs?: number;
}

/** Options of `spawn`. */
export interface SpawnOptions {
  /** A name for listings; default `thread-<id>`. */
  name?: string;
  /** The core to run on; only this scheduler's core (use `CoreRpc.spawn` for another core). */
  core?: number;
}

/** One core's scheduler figures. */
export interface SchedulerStats {
  /** This core. */
  core: number;
  /** Threads in the run queue. */
  ready: number;
  /** 1 while a thread holds the core, else 0. */
  running: number;
  /** Threads sleeping (`sleep`). */
  sleeping: number;
  /** Threads blocked on a wait object or `join`. */
  waiting: number;
  /** Threads spawned and not finished. */
  live: number;
  /** Threads finished so far. */
  finished: number;
  /** Times a thread was given the core. */
  switches: number;
  /** Macrotask hops taken to let timers and interrupts run. */
  sliceBreaks: number;
}

/** Thrown by `exit(value)` through the thread's stack; caught by the scheduler. */
class ThreadExit {
  constructor(readonly value: unknown) {}
}

/**
 * Creates one core's cooperative scheduler.
 *
 * @param options - clock, timer, core id, job and macrotask hooks
 * @returns the scheduler
 * @example
 * ```ts
 * const clock = { nowMs: () => performance.now() };
 * const s = createScheduler({ clock, timer: hostTimer(clock, { setTimeout, clearTimeout }), macrotask: setImmediate });
 * s.spawn(async () => { await s.sleep(100); console.log("woke"); }, { name: "sleeper" });
 * ```
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  return new Scheduler(options);
}

/** One core's cooperative scheduler; see `createScheduler`. */
export class Scheduler {
  /** This core's id. */
  readonly core: number;
  /** The clock it runs on. */
  readonly clock: Clock;
  private readonly timer: Timer;
  private readonly queueJob: (job: () => void) => void;
  private readonly macrotask: ((task: () => void) => void) | undefined;
  private readonly sliceMs: number;
  private readonly ready: Thread<any>[] = [];
  private readyHead = 0;
  private readonly deadlines = new DeadlineHeap<Thread<any>>();
  private readonly live = new Set<Thread<any>>();
  // The thread holding the core (no other is dispatched while set)...
  private running: Thread<any> | undefined;
  // ...and the one whose code runs now, as far as the scheduler can tell: set by a job queued just
  // before the thread's continuation, so code outside threads that runs between the switch and the
  // continuation (earlier jobs in the queue) is not taken for the thread.
  private active: Thread<any> | undefined;
  private dispatchQueued = false;
  private sliceStart = -1;
  private sliceBreak = false;
  private armed: number | null = null;
  private nextId = 1;
  private switches = 0;
  private sliceBreaks = 0;
  private finishedCount = 0;
  private readonly onDeadline = (): void => this.deadlineFired();

  /**
   * Use `createScheduler`.
   *
   * @param options - see `SchedulerOptions`
   * @returns the scheduler
   * @example
   * ```ts
   * const s = new Scheduler({ clock, timer });
   * ```
   */
  constructor(options: SchedulerOptions) {
    this.core = options.core ?? 0;
    this.clock = options.clock;
    this.timer = options.timer;
    this.queueJob = options.queueJob ?? ((job) => void Promise.resolve().then(job));
    this.macrotask = options.macrotask;
    this.sliceMs = options.sliceMs ?? 10;
  }

  /**
   * Starts a thread: `fn` runs when the thread first gets the core (not inside `spawn`).
   *
   * @param fn - the thread's body; its return value is the thread's result
   * @param options - name, and core (must be this one)
   * @returns the thread handle
   * @throws ToroError `EXDEV` when `core` is another core.
   * @example
   * ```ts
   * const t = s.spawn(async (self) => `hello from ${self.name}`, { name: "greeter" });
   * ```
   */
  spawn<T>(fn: (self: Thread<T>) => T | Promise<T>, options: SpawnOptions = {}): Thread<T> {
    if (options.core !== undefined && options.core !== this.core) {
      throw new ToroError("EXDEV", `spawn on core ${options.core} from core ${this.core}'s scheduler`, {
        hint: "a function cannot cross cores: register an entry and use CoreRpc.spawn(core, entryName, args)",
      });
    }
    const id = this.nextId++;
    const thread = new Thread<T>(id, options.name ?? `thread-${id}`, this.core, (t) => this.join(t));
    (thread as unknown as { _fn: unknown })._fn = fn;
    this.live.add(thread);
    this.makeReady(thread, "start");
    return thread;
  }

  /**
   * The thread that holds the core now, or undefined outside any thread.
   *
   * @returns the running thread
   * @example
   * ```ts
   * console.log(s.current()?.name);
   * ```
   */
  current(): Thread | undefined {
    return this.active;
  }

  /**
   * Lets every other ready thread run once, then continues (FIFO).
   *
   * @returns a promise that resolves when this thread has the core again
   * @throws ToroError `ENOTHREAD` outside a thread.
   * @example
   * ```ts
   * for (const item of bigList) { work(item); await s.yield(); }
   * ```
   */
  async yield(): Promise<void> {
    const t = this.self("yield");
    await this.suspend(t, "ready");
  }

  /**
   * Sleeps for `ms` milliseconds of the core's clock (at least; no busy waiting: the core's timer is
   * armed for the earliest sleeper).
   *
   * @param ms - how long; 0 or less behaves as `yield()`
   * @returns a promise that resolves when this thread has the core again
   * @throws ToroError `ENOTHREAD` outside a thread.
   * @example
   * ```ts
   * await s.sleep(250);
   * ```
   */
  async sleep(ms: number): Promise<void> {
    const t = this.self("sleep");
    if (!(ms > 0)) return this.suspend(t, "ready").then(() => undefined);
    await this.suspend(t, "sleeping", this.clock.nowMs() + ms);
  }

  /**
   * Ends the current thread with `value` as its result (throws through the thread's own frames; do
   * not catch it).
   *
   * @param value - the thread's result
   * @returns never
   * @throws ToroError `ENOTHREAD` outside a thread.
   * @example
   * ```ts
   * if (done) s.exit("early");
   * ```
   */
  exit(value?: unknown): never {
    this.self("exit");
    throw new ThreadExit(value);
  }

  /**
   * Waits for a promise that is not a scheduler primitive (an interrupt, a host callback) while
   * giving the core to other threads; this thread is ready again once it settles.
   *
   * @param promise - what to wait for
   * @returns its value
   * @throws ToroError `ENOTHREAD` outside a thread; or the promise's rejection.
   * @example
   * ```ts
   * const frame = await s.waitFor(nic.receive());
   * ```
   */
  async waitFor<T>(promise: PromiseLike<T>): Promise<T> {
    const t = this.self("waitFor");
    let settled: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    // The generation this wait will have: a wake only counts while it is still this wait.
    const gen = t._gen;
    Promise.resolve(promise).then(
      (value) => {
        settled = { ok: true, value };
        if (t._gen === gen && t._state === "waiting") this._wake(t, "woken");
      },
      (error: unknown) => {
        settled = { ok: false, error };
        if (t._gen === gen && t._state === "waiting") this._wake(t, "woken");
      },
    );
    await this.suspend(t, "waiting");
    const s = settled!;
    if (s.ok) return s.value;
    throw s.error;
  }

  /**
   * This core's figures.
   *
   * @returns ready/sleeping/waiting counts, switches, slice breaks
   * @example
   * ```ts
   * const { ready, switches } = s.stats();
   * ```
   */
  stats(): SchedulerStats {
    let sleeping = 0;
    let waiting = 0;
    for (const t of this.live) {
      if (t._state === "sleeping") sleeping++;
      else if (t._state === "waiting") waiting++;
    }
    return {
      core: this.core,
      ready: this.ready.length - this.readyHead,
      running: this.running === undefined ? 0 : 1,
      sleeping,
      waiting,
      live: this.live.size,
      finished: this.finishedCount,
      switches: this.switches,
      sliceBreaks: this.sliceBreaks,
    };
  }

  /**
   * The live threads, for debugging.
   *
   * @returns one record per unfinished thread, by id
   * @example
   * ```ts
   * console.table(s.threads());
   * ```
   */
  threads(): ThreadInfo[] {
    return [...this.live].map((t) => t.info()).sort((a, b) => a.id - b.id);
  }

  /**
   * The live threads as text lines (`id name state switches runMs`), for the console.
   *
   * @returns a printable table
   * @example
   * ```ts
   * console.log(s.describe());
   * ```
   */
  describe(): string {
    const rows = this.threads().map(
      (t) => `${String(t.id).padStart(4)}  ${t.name.padEnd(16)} ${t.state.padEnd(9)} ${String(t.switches).padStart(8)} ${t.runMs.toFixed(1).padStart(9)}`,
    );
    return [`core ${this.core}:   id  name             state     switches     runMs`, ...rows].join("\n");
  }

  /** @internal Blocks the running thread `t` in `state` until woken or until `deadline`. */
  _block(t: Thread<any>, state: "waiting", deadline?: number): Promise<WakeReason> {
    return this.suspend(t, state, deadline);
  }

  /** @internal Makes a sleeping or waiting thread ready; ignores others. */
  _wake(t: Thread<any>, reason: WakeReason): void {
    if (t._state !== "sleeping" && t._state !== "waiting") return;
    this.makeReady(t, reason);
  }

  /** @internal The running thread, or throws ENOTHREAD naming `what`. */
  _self(what: string): Thread<any> {
    return this.self(what);
  }

  private self(what: string): Thread<any> {
    const t = this.active;
    if (t === undefined) {
      throw new ToroError("ENOTHREAD", `${what}() called outside a thread on core ${this.core}`, {
        hint: "call it from a function started with spawn()",
      });
    }
    return t;
  }

  private join<T>(t: Thread<T>): Promise<T> {
    if (t.finished) return t._outcome();
    const me = this.active;
    // `me === t` cannot be told apart from outside code running while `t` holds the core: treat it
    // as outside (a plain promise), never as a thread blocking on itself.
    if (me === undefined || me === t) {
      return new Promise<void>((resolve) => t._onDone.push(resolve)).then(() => t._outcome());
    }
    // From a thread: block it (it gives the core up) until `t` finishes.
    const gen = me._gen;
    t._onDone.push(() => {
      if (me._gen === gen) this._wake(me, "woken");
    });
    return this.suspend(me, "waiting").then(() => t._outcome());
  }

  private suspend(t: Thread<any>, state: ThreadState, deadline?: number): Promise<WakeReason> {
    const promise = new Promise<WakeReason>((resolve) => {
      t._resume = resolve;
    });
    this.release(t);
    if (state === "ready") {
      this.makeReady(t, "yield");
    } else {
      t._state = state;
      if (deadline !== undefined) {
        this.deadlines.push(deadline, t, t._gen);
        this.arm();
      }
    }
    return promise;
  }

  private makeReady(t: Thread<any>, reason: WakeReason): void {
    t._gen++;
    t._state = "ready";
    t._reason = reason;
    this.ready.push(t);
    this.queueDispatch();
  }

  private release(t: Thread<any>): void {
    if (this.running !== t) return;
    t._runMs += this.clock.nowMs() - t._resumedAt;
    this.running = undefined;
    this.active = undefined;
    this.queueDispatch();
  }

  private queueDispatch(): void {
    if (this.dispatchQueued || this.running !== undefined) return;
    this.dispatchQueued = true;
    const now = this.clock.nowMs();
    if (this.sliceStart < 0) this.sliceStart = now;
    if (now - this.sliceStart >= this.sliceMs) {
      // Let the event loop breathe: timers, IRQ handlers and doorbells run before the next switch.
      this.sliceBreaks++;
      if (this.macrotask !== undefined) {
        this.macrotask(() => {
          this.sliceStart = this.clock.nowMs();
          this.dispatch();
        });
      } else {
        this.sliceBreak = true;
        this.arm();
      }
      return;
    }
    this.queueJob(() => this.dispatch());
  }

  private dispatch(): void {
    this.dispatchQueued = false;
    if (this.running !== undefined) return;
    this.promoteDue(this.clock.nowMs());
    if (this.readyHead === this.ready.length) {
      // Idle: the next hop comes from the timer or a wake; the slice starts afresh then.
      this.ready.length = 0;
      this.readyHead = 0;
      this.sliceStart = -1;
      this.arm();
      return;
    }
    const t = this.ready[this.readyHead++]!;
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready.splice(0, this.readyHead);
      this.readyHead = 0;
    }
    this.running = t;
    t._state = "running";
    t._switches++;
    this.switches++;
    t._resumedAt = this.clock.nowMs();
    if (!t._started) {
      t._started = true;
      this.active = t;
      this.start(t);
    } else {
      const resume = t._resume!;
      t._resume = undefined;
      this.active = undefined;
      // FIFO job queue: this job runs right before the thread's continuation (queued by resume).
      this.queueJob(() => {
        if (this.running === t) this.active = t;
      });
      resume(t._reason);
    }
    this.arm();
  }

  private start(t: Thread<any>): void {
    const fn = (t as unknown as { _fn: (self: Thread<any>) => unknown })._fn;
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(fn(t));
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      (value) => this.finish(t, "done", value),
      (error: unknown) => (error instanceof ThreadExit ? this.finish(t, "done", error.value) : this.finish(t, "failed", error)),
    );
  }

  private finish(t: Thread<any>, state: "done" | "failed", value: unknown): void {
    this.release(t);
    t._gen++;
    t._state = state;
    if (state === "done") t._result = value;
    else t._error = value;
    (t as unknown as { _fn: unknown })._fn = undefined;
    this.live.delete(t);
    this.finishedCount++;
    for (const f of t._onDone.splice(0)) f();
  }

  private promoteDue(now: number): void {
    for (let e = this.deadlines.peek(); e !== undefined && e.at <= now; e = this.deadlines.peek()) {
      this.deadlines.pop();
      const t = e.item;
      if (t._gen === e.gen && (t._state === "sleeping" || t._state === "waiting")) {
        t._gen++;
        t._state = "ready";
        t._reason = "timeout";
        this.ready.push(t);
      }
    }
  }

  /** Keeps exactly one deadline armed: "now" for a slice break, else the earliest live sleeper. */
  private arm(): void {
    let want: number | null = null;
    if (this.sliceBreak) {
      want = this.clock.nowMs();
    } else {
      for (let e = this.deadlines.peek(); e !== undefined; e = this.deadlines.peek()) {
        const t = e.item;
        if (t._gen === e.gen && (t._state === "sleeping" || t._state === "waiting")) {
          want = e.at;
          break;
        }
        this.deadlines.pop(); // stale: that wait already ended
      }
    }
    if (want === this.armed) return;
    this.armed = want;
    this.timer.setDeadline(want, this.onDeadline);
  }

  private deadlineFired(): void {
    this.armed = null;
    const sliceBreak = this.sliceBreak;
    if (sliceBreak) {
      this.sliceBreak = false;
      this.sliceStart = this.clock.nowMs();
    }
    this.promoteDue(this.clock.nowMs());
    // A slice break left its dispatch pending on this deadline: run it now.
    if (this.running === undefined && (sliceBreak || !this.dispatchQueued)) this.dispatch();
    else this.arm();
  }
}
