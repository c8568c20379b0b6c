// Process layer: the handle of one cooperative thread (its identity, state, statistics and result).
// The scheduler drives it; this file holds no scheduling logic. Imports only the error base.
import { ToroError } from "@toro/kernel";

/** Where a thread is in its life. */
export type ThreadState = "ready" | "running" | "sleeping" | "waiting" | "done" | "failed";

/** Why a blocked thread was made ready again. */
export type WakeReason = "start" | "yield" | "woken" | "timeout";

/** A thread's figures, for stats and the console listing. */
export interface ThreadInfo {
  /** Id, unique on its core. */
  id: number;
  /** The name it was spawned with. */
  name: string;
  /** The core it runs on. */
  core: number;
  /** Its state now. */
  state: ThreadState;
  /** How many times it was given the core. */
  switches: number;
  /** Milliseconds it held the core, in total. */
  runMs: number;
}

/**
 * One cooperative thread: an async function run by a core's scheduler. Get one from
 * `Scheduler.spawn`.
 *
 * @example
 * ```ts
 * const t = scheduler.spawn(async () => 42, { name: "answer" });
 * console.log(t.id, t.name, t.state); // 1 "answer" "ready"
 * console.log(await t.join()); // 42
 * ```
 */
export class Thread<T = unknown> {
  /** Id, unique on its core (1, 2, ...). */
  readonly id: number;
  /** The name it was spawned with. */
  readonly name: string;
  /** The core it runs on. */
  readonly core: number;
  /** @internal */ _state: ThreadState = "ready";
  /** @internal */ _switches = 0;
  /** @internal */ _runMs = 0;
  /** @internal */ _resumedAt = 0;
  /** @internal Bumped on every wake: stale queue and timer entries carry an older value. */
  _gen = 0;
  /** @internal */ _resume: ((reason: WakeReason) => void) | undefined;
  /** @internal */ _reason: WakeReason = "start";
  /** @internal */ _started = false;
  /** @internal */ _result: T | undefined;
  /** @internal */ _error: unknown;
  /** @internal */ _onDone: Array<() => void> = [];
  /** @internal */ readonly _join: (thread: Thread<T>) => Promise<T>;

  /**
   * Made by `Scheduler.spawn`; not for direct use.
   *
   * @param id - id on its core
   * @param name - a name for listings
   * @param core - the core it runs on
   * @param join - the scheduler's join implementation
   * @returns the handle
   * @example
   * ```ts
   * const t = scheduler.spawn(work, { name: "worker" });
   * ```
   */
  constructor(id: number, name: string, core: number, join: (thread: Thread<T>) => Promise<T>) {
    this.id = id;
    this.name = name;
    this.core = core;
    this._join = join;
  }

  /** Its state now. */
  get state(): ThreadState {
    return this._state;
  }

  /** True once it returned, exited or threw. */
  get finished(): boolean {
    return this._state === "done" || this._state === "failed";
  }

  /**
   * Its outcome as a plain promise, for code outside threads (the app's main, tests, IRQ
   * handlers): it never touches the scheduler. Threads use `join()`, which gives the core up.
   *
   * @example
   * ```ts
   * const t = scheduler.spawn(work);
   * console.log(await t.done);
   * ```
   */
  get done(): Promise<T> {
    if (this.finished) return this._outcome();
    return new Promise<void>((resolve) => this._onDone.push(resolve)).then(() => this._outcome());
  }

  /**
   * Waits for the thread to finish, from another thread: the caller blocks and the core runs
   * others. Outside any thread it falls back to `done`; but code outside threads that may run while
   * a thread holds the core (a promise continuation in main or a test) should use `done`, since the
   * scheduler cannot tell it from the thread holding the core.
   *
   * @returns its result (its return value or the value given to `exit`)
   * @throws whatever the thread threw
   * @example
   * ```ts
   * const sum = await scheduler.spawn(async () => 1 + 1).join();
   * ```
   */
  join(): Promise<T> {
    return this._join(this);
  }

  /**
   * A snapshot of its figures.
   *
   * @returns id, name, core, state, switches, run time
   * @example
   * ```ts
   * console.log(thread.info().runMs);
   * ```
   */
  info(): ThreadInfo {
    return { id: this.id, name: this.name, core: this.core, state: this._state, switches: this._switches, runMs: this._runMs };
  }

  /** @internal The outcome as a settled promise (after it finished). */
  _outcome(): Promise<T> {
    if (this._state === "failed") return Promise.reject(this._error);
    if (this._state === "done") return Promise.resolve(this._result as T);
    return Promise.reject(new ToroError("EINVAL", `thread ${this.name} has not finished`));
  }
}
