// Bench app (tooling/bench/apps/yield), the workload shared by the image and the Node baseline: two
// @toro/process threads on one scheduler hand the core to each other with `yield()`, and the time per
// switch is printed as `BENCH` lines the harness parses. Takes the clock, timers and job queues as
// parameters (the edges differ); imports only @toro/process.
import { createScheduler, hostTimer, type Clock } from "@toro/process";

/** What the edge (image or Node) supplies. */
export interface YieldEdge {
  clock: Clock;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: never): void;
  queueMicrotask(fn: () => void): void;
  setImmediate(fn: () => void): unknown;
  print(line: string): void;
}

/** Guest milliseconds one timed sample aims at (iterations are calibrated to it, so TCG stays short). */
const SAMPLE_MS = 150;

/**
 * Runs `samples` timed samples (after a calibration) and prints, per sample,
 * `BENCH yield.switch_ns=<ns> unit=ns` and `BENCH yield.round_trip_ns=<ns> unit=ns`, then `BENCH done`.
 *
 * @returns nothing; the lines are the result
 */
export async function runYieldBench(edge: YieldEdge, samples: number): Promise<void> {
  const s = createScheduler({
    clock: edge.clock,
    timer: hostTimer(edge.clock, { setTimeout: edge.setTimeout, clearTimeout: edge.clearTimeout }),
    queueJob: edge.queueMicrotask,
    macrotask: (task) => void edge.setImmediate(task),
  });
  // Two threads, each yielding `rounds` times: every yield hands the core to the other thread, so
  // one round trip (A -> B -> A) is two switches. The scheduler's own switch counter is the divisor.
  const measure = async (rounds: number): Promise<{ ms: number; switches: number }> => {
    const before = s.stats().switches;
    const t0 = edge.clock.nowMs();
    const body = async (): Promise<void> => {
      for (let i = 0; i < rounds; i++) await s.yield();
    };
    const a = s.spawn(body, { name: "ping" });
    const b = s.spawn(body, { name: "pong" });
    await a.done;
    await b.done;
    return { ms: edge.clock.nowMs() - t0, switches: s.stats().switches - before };
  };
  let rounds = 1000;
  for (;;) {
    const { ms } = await measure(rounds);
    if (ms >= SAMPLE_MS / 4 || rounds >= 1 << 24) {
      rounds = Math.max(100, Math.round((rounds * SAMPLE_MS) / Math.max(ms, 0.001)));
      break;
    }
    rounds *= 4;
  }
  edge.print(`BENCH yield.rounds=${rounds} unit=count`);
  for (let i = 0; i < samples; i++) {
    const { ms, switches } = await measure(rounds);
    edge.print(`BENCH yield.switch_ns=${((ms * 1e6) / switches).toFixed(1)} unit=ns switches=${switches}`);
    edge.print(`BENCH yield.round_trip_ns=${((ms * 1e6) / rounds).toFixed(1)} unit=ns`);
  }
  edge.print("BENCH done");
}
