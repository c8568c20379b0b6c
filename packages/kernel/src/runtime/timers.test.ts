import { describe, expect, it } from "vitest";
import { Timeout, TimerQueue } from "./timers.js";

function queueAt(start = 0) {
  let now = start;
  const queue = new TimerQueue(() => now);
  const log: string[] = [];
  return { queue, log, setNow: (ms: number) => void (now = ms) };
}

describe("TimerQueue", () => {
  it("runs one due timer per pump, by deadline then creation order", () => {
    const { queue, log } = queueAt();
    queue.add(() => log.push("b5"), 5, [], false);
    queue.add(() => log.push("a1"), 1, [], false);
    queue.add(() => log.push("c5"), 5, [], false);
    queue.add(() => log.push("d0"), 0, [], false);
    expect(queue.pump(0)).toBe(1);
    expect(queue.pump(10)).toBe(0);
    expect(log).toEqual(["a1"]);
    while (queue.pump(10) === 0);
    expect(log).toEqual(["a1", "d0", "b5", "c5"]);
    expect(queue.pump(10)).toBe(-1);
  });

  it("coerces delays like Node: NaN, < 1 and > 2^31-1 become 1 ms; numeric strings count", () => {
    const { queue } = queueAt();
    for (const delay of [NaN, -5, 0.5, 2 ** 31, undefined, "abc"]) {
      const t = queue.add(() => {}, delay, [], false);
      expect(t._delay).toBe(1);
    }
    expect(queue.add(() => {}, "25", [], false)._delay).toBe(25);
  });

  it("passes extra arguments and the timer as this", () => {
    const { queue } = queueAt();
    let seen: unknown[] = [];
    let self: unknown;
    const t = queue.add(
      function (this: unknown, ...args: unknown[]) {
        seen = args;
        self = this;
      },
      1,
      ["a", 2],
      false,
    );
    queue.pump(1);
    expect(seen).toEqual(["a", 2]);
    expect(self).toBe(t);
  });

  it("clears by object or numeric id, and ignores anything else", () => {
    const { queue, log } = queueAt();
    const a = queue.add(() => log.push("a"), 1, [], false);
    const b = queue.add(() => log.push("b"), 1, [], false);
    queue.add(() => log.push("c"), 1, [], false);
    queue.clear(a);
    queue.clear(+b);
    queue.clear(undefined);
    queue.clear({});
    while (queue.pump(5) === 0);
    expect(log).toEqual(["c"]);
    expect(a).toBeInstanceOf(Timeout);
    expect(typeof +a).toBe("number");
  });

  it("repeats intervals from the loop time until cleared, even from inside the callback", () => {
    const { queue, log } = queueAt();
    let n = 0;
    const t = queue.add(() => {
      log.push(`tick${++n}`);
      if (n === 3) queue.clear(t);
    }, 10, [], true);
    expect(queue.pump(0)).toBe(10);
    expect(queue.pump(12)).toBe(0);
    expect(queue.pump(12)).toBe(22);
    expect(queue.pump(22)).toBe(0);
    expect(queue.pump(32)).toBe(0);
    expect(queue.pump(100)).toBe(-1);
    expect(log).toEqual(["tick1", "tick2", "tick3"]);
  });

  it("unref lets the loop end but an unref'd timer still fires while others keep it alive", () => {
    const { queue, log } = queueAt();
    const u = queue.add(() => log.push("unref"), 5, [], false).unref();
    expect(u.hasRef()).toBe(false);
    expect(queue.pump(0)).toBe(-1);
    queue.add(() => log.push("ref"), 10, [], false);
    expect(queue.pump(0)).toBe(5);
    expect(queue.pump(5)).toBe(0);
    expect(queue.pump(5)).toBe(10);
    u.ref();
    expect(queue.hasRef()).toBe(true);
    expect(queue.pump(10)).toBe(0);
    expect(log).toEqual(["unref", "ref"]);
  });

  it("refresh restarts the countdown from the loop time and re-arms a fired timeout", () => {
    const { queue, log } = queueAt();
    const t = queue.add(() => log.push("fired"), 10, [], false);
    queue.pump(8);
    t.refresh();
    expect(queue.pump(12)).toBe(18);
    expect(queue.pump(18)).toBe(0);
    expect(queue.pump(18)).toBe(-1);
    t.refresh();
    expect(queue.pump(30)).toBe(0);
    expect(log).toEqual(["fired", "fired"]);
  });

  it("stays correct under many refreshes (stale entries are compacted)", () => {
    const { queue, log } = queueAt();
    const t = queue.add(() => log.push("idle"), 100, [], false);
    for (let i = 0; i < 1000; i++) {
      queue.pump(i / 10);
      t.refresh();
    }
    expect(queue.pump(99.9 + 99)).toBeCloseTo(199.9);
    expect(queue.pump(200)).toBe(0);
    expect(log).toEqual(["idle"]);
  });

  it("rejects a non-function callback with Node's error code", () => {
    const { queue } = queueAt();
    expect(() => queue.add("code", 1, [], false)).toThrow(expect.objectContaining({ name: "TypeError", code: "ERR_INVALID_ARG_TYPE" }));
  });
});
