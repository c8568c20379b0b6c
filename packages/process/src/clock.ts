// Process layer, bottom: the time a scheduler runs on — a `Clock` to read and a one-shot `Timer` to
// wake it — plus two implementations: over host timers (setTimeout in the image or on Node, passed
// in, never taken from globals) and a manual one for tests. Imports nothing; no Node APIs.

/** A monotonic clock in milliseconds (fractional allowed). */
export interface Clock {
  /** Milliseconds on a monotonic scale (in the image: since the guest's first instruction). */
  nowMs(): number;
}

/**
 * The core's one deadline timer. The scheduler keeps at most one deadline armed (its earliest
 * sleeper), so an idle core can halt until then.
 */
export interface Timer {
  /**
   * Arms the deadline at `atMs` (clock time), replacing any armed one; `null` disarms. When the
   * time comes, `onDeadline` runs once, as a macrotask (never synchronously inside this call).
   */
  setDeadline(atMs: number | null, onDeadline: () => void): void;
}

/**
 * A `Timer` over host timer functions — pass the image's (or Node's) `setTimeout`/`clearTimeout`,
 * so the unit itself touches no globals.
 *
 * @param clock - the clock deadlines are measured on
 * @param host - `setTimeout` and `clearTimeout`
 * @returns the timer
 * @example
 * ```ts
 * const clock = { nowMs: () => performance.now() };
 * const timer = hostTimer(clock, { setTimeout, clearTimeout });
 * const scheduler = createScheduler({ clock, timer });
 * ```
 */
export function hostTimer(
  clock: Clock,
  host: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: never): void },
): Timer {
  let handle: unknown;
  return {
    setDeadline(atMs, onDeadline) {
      if (handle !== undefined) host.clearTimeout(handle as never);
      handle = undefined;
      if (atMs === null) return;
      handle = host.setTimeout(() => {
        handle = undefined;
        onDeadline();
      }, Math.max(0, atMs - clock.nowMs()));
    },
  };
}

/** A clock and timer a test moves by hand. */
export interface ManualClock extends Clock, Timer {
  /** The armed deadline, or null. */
  readonly deadline: number | null;
  /** How many times a deadline was armed (not disarmed): shows the scheduler arms one at a time. */
  readonly armCount: number;
  /**
   * Sets the time to `atMs` without firing anything (time only moves forward).
   * @param atMs - the new time
   */
  setNow(atMs: number): void;
  /**
   * If the armed deadline is due at or before `untilMs`, moves time to it and fires it; returns
   * whether it fired. Call repeatedly (letting promises run in between) to step through time.
   * @param untilMs - the latest time to move to
   */
  fireNext(untilMs: number): boolean;
}

/**
 * A manual clock + timer for tests: time moves only when the test says so.
 *
 * @param startMs - the initial time
 * @returns the clock, which is also the timer
 * @example
 * ```ts
 * const clock = createManualClock();
 * const s = createScheduler({ clock, timer: clock });
 * s.spawn(async () => { await s.sleep(10); });
 * clock.fireNext(10); // now = 10, the sleeper is ready
 * ```
 */
export function createManualClock(startMs = 0): ManualClock {
  let now = startMs;
  let deadline: number | null = null;
  let callback: (() => void) | undefined;
  let armCount = 0;
  return {
    nowMs: () => now,
    get deadline() {
      return deadline;
    },
    get armCount() {
      return armCount;
    },
    setDeadline(atMs, onDeadline) {
      deadline = atMs;
      callback = atMs === null ? undefined : onDeadline;
      if (atMs !== null) armCount++;
    },
    setNow(atMs) {
      now = Math.max(now, atMs);
    },
    fireNext(untilMs) {
      if (deadline === null || deadline > untilMs) {
        now = Math.max(now, untilMs);
        return false;
      }
      now = Math.max(now, deadline);
      const fn = callback!;
      deadline = null;
      callback = undefined;
      fn();
      return true;
    },
  };
}
