import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Channel } from "./channel.js";
import { createManualClock } from "./clock.js";
import { createScheduler } from "./scheduler.js";

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("Channel against a FIFO model (fast-check)", () => {
  it("any mix of producers, consumers, capacities and yields delivers every item once, in per-producer order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(fc.boolean(), { maxLength: 20 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (capacity, producers, consumers) => {
          const clock = createManualClock();
          const s = createScheduler({ clock, timer: clock });
          const ch = new Channel<[number, number]>(s, capacity);
          const got: Array<[number, number]> = [];
          let maxLength = 0;
          const ps = producers.map((plan, p) =>
            s.spawn(async () => {
              for (let i = 0; i < plan.length; i++) {
                expect(await ch.send([p, i])).toBe("sent");
                maxLength = Math.max(maxLength, ch.length);
                if (plan[i]) await s.yield();
              }
            }),
          );
          const cs = Array.from({ length: consumers }, () =>
            s.spawn(async () => {
              for (let r = await ch.recv(); r.ok; r = await ch.recv()) {
                got.push(r.value);
                if (got.length % 3 === 0) await s.yield();
              }
            }),
          );
          await Promise.all(ps.map((t) => t.done));
          ch.close();
          await Promise.all(cs.map((t) => t.done));
          await settle();
          expect(got.length).toBe(producers.flat().length);
          expect(maxLength).toBeLessThanOrEqual(capacity);
          for (let p = 0; p < producers.length; p++) {
            expect(got.filter(([q]) => q === p).map(([, i]) => i)).toEqual(producers[p]!.map((_, i) => i));
          }
          expect(s.stats()).toMatchObject({ live: 0, waiting: 0, ready: 0 });
        },
      ),
      { numRuns: 150 },
    );
  });
});
