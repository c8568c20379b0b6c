// Order test: the same scenario runs on Node's real timers and on our runtime under the fake
// kernel loop (testing.ts); the logs must be equal. Deadlines are >= 30 ms apart so scheduling
// jitter on a loaded machine cannot reorder Node's run.
import { describe, expect, it } from "vitest";
import { startRuntime } from "./install-globals.js";
import { createFakeIntrinsics } from "./testing.js";

interface Env {
  setTimeout(cb: () => void, ms?: number): unknown;
  setInterval(cb: () => void, ms?: number): unknown;
  setImmediate(cb: () => void): unknown;
  clearInterval(t: unknown): void;
  clearTimeout(t: unknown): void;
  queueMicrotask(cb: () => void): void;
}

function scenario(g: Env, log: (s: string) => void, done: () => void): void {
  log("start");
  g.setTimeout(() => {
    log("t1");
    void Promise.resolve().then(() => log("t1-promise"));
    g.queueMicrotask(() => log("t1-micro"));
  }, 1);
  g.setTimeout(() => log("t0"), 0);
  g.setTimeout(() => {
    log("t0b");
    g.setTimeout(() => log("nested-0"), 0);
    g.setImmediate(() => log("immediate"));
  });
  g.setTimeout(() => {
    log("t30");
    g.queueMicrotask(() => log("m1"));
    void Promise.resolve()
      .then(() => log("p1"))
      .then(() => log("p2"));
    g.queueMicrotask(() => log("m2"));
  }, 30);
  let n = 0;
  const interval = g.setInterval(() => {
    log(`iv${++n}`);
    if (n === 2) {
      g.clearInterval(interval);
      done();
    }
  }, 90);
  void Promise.resolve().then(() => {
    log("promise1");
    g.setTimeout(() => log("from-micro-60"), 60);
  });
  g.queueMicrotask(() => log("micro1"));
  g.setTimeout(() => log("t120"), 120);
  const cancelled = g.setTimeout(() => log("never"), 45);
  g.setTimeout(() => g.clearTimeout(cancelled), 35);
  log("end-sync");
}

describe("event loop order", () => {
  it("matches Node for timers, intervals, immediates, promises and microtasks", async () => {
    const nodeLog: string[] = [];
    await new Promise<void>((resolve) => scenario(globalThis as unknown as Env, (s) => nodeLog.push(s), resolve));

    const fake = createFakeIntrinsics();
    const runtime = startRuntime(fake);
    const ourLog: string[] = [];
    const result = await fake.run(() => scenario(runtime.globals as unknown as Env, (s) => ourLog.push(s), () => {}));

    expect(result).toEqual({ exitCode: 0, reason: "done" });
    expect(ourLog).toEqual(nodeLog);
    expect(ourLog).toEqual([
      "start", "end-sync", "promise1", "micro1", "t1", "t1-promise", "t1-micro", "t0", "t0b", "immediate",
      "nested-0", "t30", "m1", "p1", "m2", "p2", "from-micro-60", "iv1", "t120", "iv2",
    ]);
  });

  it("ends when only unreferenced timers remain, and honours process.exitCode", async () => {
    const fake = createFakeIntrinsics();
    const { globals } = startRuntime(fake);
    const log: string[] = [];
    const result = await fake.run(() => {
      globals.setTimeout(() => log.push("unref"), 10).unref();
      globals.setTimeout(() => {
        log.push("ref");
        globals.process.exitCode = 3;
      }, 5);
    });
    expect(log).toEqual(["ref"]);
    expect(result).toEqual({ exitCode: 3, reason: "exit" });
  });

  it("sends a throw inside queueMicrotask to the error handler and exits 1", async () => {
    const fake = createFakeIntrinsics();
    const { globals } = startRuntime(fake);
    const result = await fake.run(() => {
      globals.queueMicrotask(() => {
        const err = new Error("boom");
        err.stack = "Error: boom\n    at job (main.js:3)";
        throw err;
      });
      globals.setTimeout(() => globals.console.log("not reached"), 1);
    });
    expect(result).toEqual({ exitCode: 1, reason: "uncaughtException" });
    expect(fake.stderr).toBe("Uncaught Error: boom\n    at job (main.js:3)\n");
    expect(fake.stdout).toBe("");
  });

  it("process.exit stops the loop from a timer", async () => {
    const fake = createFakeIntrinsics({ cmdline: "debug -- a b" });
    const { globals } = startRuntime(fake);
    expect(globals.process.argv).toEqual(["toro", "main.js", "a", "b"]);
    const result = await fake.run(() => {
      globals.setTimeout(() => globals.process.exit(7), 3);
      globals.setTimeout(() => globals.console.log("later"), 4);
    });
    expect(result).toEqual({ exitCode: 7, reason: "exit" });
    expect(fake.stdout).toBe("");
    expect(fake.clockMs).toBe(3);
  });
});
