import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Channel } from "./channel.js";
import { createManualClock, hostTimer, type ManualClock } from "./clock.js";
import { Event } from "./event.js";
import { createScheduler, type Scheduler } from "./scheduler.js";
import { Mutex, Semaphore } from "./semaphore.js";

/** Lets every queued job run (the scheduler switches threads from jobs). */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Steps the manual clock deadline by deadline up to `untilMs`, letting threads run at each step. */
async function advance(clock: ManualClock, untilMs: number): Promise<void> {
  await settle();
  while (clock.fireNext(untilMs)) await settle();
}

function setup(): { clock: ManualClock; s: Scheduler } {
  const clock = createManualClock();
  return { clock, s: createScheduler({ clock, timer: clock }) };
}

describe("Scheduler", () => {
  it("runs ready threads FIFO; yield lets every other thread have a turn", async () => {
    const { s } = setup();
    const order: string[] = [];
    for (const name of ["a", "b", "c"]) {
      s.spawn(
        async () => {
          for (let i = 0; i < 3; i++) {
            order.push(`${name}${i}`);
            await s.yield();
          }
        },
        { name },
      );
    }
    await settle();
    expect(order).toEqual(["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"]);
    expect(s.stats()).toMatchObject({ live: 0, finished: 3, ready: 0, running: 0, switches: 12 });
  });

  it("sleep is driven by the one armed deadline, earliest sleeper first", async () => {
    const { clock, s } = setup();
    const woke: Array<[string, number]> = [];
    for (const [name, ms] of [["slow", 30], ["fast", 10], ["mid", 20]] as const) {
      s.spawn(async () => {
        await s.sleep(ms);
        woke.push([name, clock.nowMs()]);
      }, { name });
    }
    await settle();
    expect(s.stats().sleeping).toBe(3);
    expect(clock.deadline).toBe(10);
    await advance(clock, 15);
    expect(woke).toEqual([["fast", 10]]);
    expect(clock.deadline).toBe(20);
    await advance(clock, 100);
    expect(woke).toEqual([["fast", 10], ["mid", 20], ["slow", 30]]);
    // Idle: nothing armed, so the core may halt (and the event loop may end).
    expect(clock.deadline).toBeNull();
  });

  it("join returns results, rethrows failures, and exit(value) ends a thread", async () => {
    const { s } = setup();
    const a = s.spawn(async () => 6 * 7, { name: "a" });
    const b = s.spawn(async () => {
      throw new Error("boom");
    });
    const c = s.spawn(async () => {
      await s.yield();
      s.exit("early");
      return "late";
    });
    const waiter = s.spawn(async () => {
      const x = await a.join();
      const y = await c.join();
      return `${x}/${y}`;
    });
    expect(await waiter.done).toBe("42/early");
    await expect(b.done).rejects.toThrow("boom");
    expect(b.state).toBe("failed");
    expect(a.state).toBe("done");
    expect(a.name).toBe("a");
    expect(s.current()).toBeUndefined();
  });

  it("current() is the running thread; primitives outside a thread are typed errors", async () => {
    const { s } = setup();
    const seen: Array<string | undefined> = [];
    const t = s.spawn(async (self) => {
      seen.push(s.current()?.name);
      await s.yield();
      seen.push(s.current() === self ? "same" : "other");
    }, { name: "me" });
    await t.done;
    expect(seen).toEqual(["me", "same"]);
    await expect(s.yield()).rejects.toMatchObject({ code: "ENOTHREAD" });
    await expect(s.sleep(1)).rejects.toMatchObject({ code: "ENOTHREAD" });
    expect(() => s.spawn(async () => 1, { core: 3 })).toThrowError(expect.objectContaining({ code: "EXDEV" }));

  });

  it("waitFor gives the core to others while a foreign promise is pending", async () => {
    const { s } = setup();
    let release!: (v: string) => void;
    const foreign = new Promise<string>((r) => (release = r));
    const order: string[] = [];
    const a = s.spawn(async () => {
      order.push("a waits");
      const v = await s.waitFor(foreign);
      order.push(`a got ${v}`);
    });
    s.spawn(async () => {
      order.push("b runs");
      await s.yield();
      order.push("b again");
    });
    await settle();
    expect(order).toEqual(["a waits", "b runs", "b again"]);
    expect(a.state).toBe("waiting");
    release("x");
    await a.done;
    expect(order.at(-1)).toBe("a got x");
  });

  it("lists threads for the console", async () => {
    const { s } = setup();
    s.spawn(async () => s.sleep(5), { name: "sleepy" });
    await settle();
    expect(s.threads()).toEqual([{ id: 1, name: "sleepy", core: 0, state: "sleeping", switches: 1, runMs: 0 }]);
    expect(s.describe()).toContain("sleepy");
  });

  it("busy threads that yield do not starve host timers (slice breaks through a macrotask)", async () => {
    const clock = { nowMs: () => performance.now() };
    const s = createScheduler({ clock, timer: hostTimer(clock, { setTimeout, clearTimeout }), macrotask: setImmediate, sliceMs: 1 });
    let fired = false;
    setTimeout(() => (fired = true), 0);
    const spin = async (): Promise<number> => {
      let n = 0;
      while (!fired) {
        n++;
        await s.yield();
      }
      return n;
    };
    const [x, y] = await Promise.all([s.spawn(spin).done, s.spawn(spin).done]);
    expect(x + y).toBeGreaterThan(0);
    expect(s.stats().sliceBreaks).toBeGreaterThan(0);
  });
});

describe("slice breaks without a macrotask hook", () => {
  it("a long run of switches parks on a deadline of now, so timers and IRQs get the loop", async () => {
    const clock = createManualClock();
    const s = createScheduler({ clock, timer: clock, sliceMs: 10 });
    const order: string[] = [];
    for (const name of ["a", "b"]) {
      s.spawn(async () => {
        for (let i = 0; i < 3; i++) {
          order.push(`${name}${i}`);
          clock.setNow(clock.nowMs() + 4); // each turn "takes" 4 ms
          await s.yield();
        }
      });
    }
    await settle();
    // 10 ms of switching, then the scheduler waits for the event loop: a deadline at "now".
    expect(order).toEqual(["a0", "b0", "a1"]);
    expect(clock.deadline).toBe(clock.nowMs());
    expect(s.stats().sliceBreaks).toBe(1);
    await advance(clock, clock.nowMs());
    expect(order).toEqual(["a0", "b0", "a1", "b1", "a2", "b2"]);
    for (let i = 0; i < 10 && s.stats().live > 0; i++) await advance(clock, clock.nowMs());
    expect(s.stats().live).toBe(0);
    expect(s.stats().sliceBreaks).toBeGreaterThanOrEqual(2);
  });
});

describe("wait objects", () => {
  it("Event: set wakes all waiters; wait times out", async () => {
    const { clock, s } = setup();
    const e = new Event(s);
    const got: string[] = [];
    s.spawn(async () => got.push(`a ${await e.wait()}`));
    s.spawn(async () => got.push(`b ${await e.wait(5)}`));
    await advance(clock, 10);
    expect(got).toEqual(["b false"]);
    e.set(); // from outside any thread, like an IRQ handler
    await settle();
    expect(got).toEqual(["b false", "a true"]);
  });

  it("Semaphore hands permits over FIFO; Mutex serializes", async () => {
    const { clock, s } = setup();
    const sem = new Semaphore(s, 1);
    const order: string[] = [];
    for (const n of ["a", "b", "c"]) {
      s.spawn(async () => {
        await sem.acquire();
        order.push(`${n}+`);
        await s.sleep(1);
        order.push(`${n}-`);
        sem.release();
      });
    }
    await advance(clock, 10);
    expect(order).toEqual(["a+", "a-", "b+", "b-", "c+", "c-"]);
    const m = new Mutex(s);
    let inside = 0;
    let max = 0;
    const ts = [1, 2, 3].map(() =>
      s.spawn(() =>
        m.withLock(async () => {
          max = Math.max(max, ++inside);
          await s.yield();
          inside--;
        }),
      ),
    );
    await settle();
    await Promise.all(ts.map((t) => t.done));
    expect(max).toBe(1);
    const t = s.spawn(async () => {
      await sem.acquire();
      return sem.acquire(3);
    });
    await advance(clock, 20);
    expect(await t.done).toBe(false);
  });

  it("Channel: bounded with backpressure, order kept, close drains", async () => {
    const { clock, s } = setup();
    const ch = new Channel<number>(s, 2);
    const log: string[] = [];
    s.spawn(async () => {
      for (let i = 0; i < 5; i++) {
        await ch.send(i);
        log.push(`sent ${i}`);
      }
      ch.close();
    });
    const consumer = s.spawn(async () => {
      const got: number[] = [];
      await s.sleep(5);
      for (let r = await ch.recv(); r.ok; r = await ch.recv()) got.push(r.value);
      return got;
    });
    await settle();
    expect(log).toEqual(["sent 0", "sent 1"]); // full: the sender waits
    await advance(clock, 10);
    expect(await consumer.done).toEqual([0, 1, 2, 3, 4]);
    expect(await ch.send(9)).toBe("closed");
    const empty = new Channel<number>(s, 1);
    const t = s.spawn(() => empty.recv(4));
    await advance(clock, 20);
    expect(await t.done).toEqual({ ok: false, reason: "timeout" });
  });
});

describe("Scheduler against a model (fast-check)", () => {
  it("sleepers wake exactly at their deadlines, in deadline order, with one timer armed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 6 }), { minLength: 1, maxLength: 6 }), async (plans) => {
        const { clock, s } = setup();
        const log: Array<{ id: number; at: number; expected: number }> = [];
        plans.forEach((plan, id) => {
          s.spawn(async () => {
            let expected = 0;
            for (const ms of plan) {
              await s.sleep(ms);
              expected += ms;
              log.push({ id, at: clock.nowMs(), expected });
            }
          });
        });
        await settle();
        // The one armed deadline is the earliest sleeper's.
        const firsts = plans.filter((p) => p.length > 0 && p[0]! > 0).map((p) => p[0]!);
        if (plans.every((p) => p.length === 0 || p[0]! > 0)) expect(clock.deadline).toBe(firsts.length ? Math.min(...firsts) : null);
        await advance(clock, 10_000);
        // Every wake happened exactly at the thread's cumulative deadline, and time never ran backwards.
        for (const e of log) expect(e.at).toBe(e.expected);
        for (let i = 1; i < log.length; i++) expect(log[i]!.at).toBeGreaterThanOrEqual(log[i - 1]!.at);
        expect(log.length).toBe(plans.flat().length);
        expect(clock.deadline).toBeNull();
        expect(s.stats()).toMatchObject({ live: 0, ready: 0, sleeping: 0, waiting: 0 });
      }),
      { numRuns: 100 },
    );
  });
});
