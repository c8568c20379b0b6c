// Test fixture (Node only, never exported): one worker thread plays one core with its own scheduler
// on real time. Core 0 sends a generated load to core 1 over a cross-core channel and checks the echo;
// core 1 echoes; core 0 also spawns entries on core 1 through CoreRpc. The doorbell is a MessagePort.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { hostTimer } from "./clock.js";
import { CoreRpc } from "./core-rpc.js";
import { CrossCoreReceiver, CrossCoreSender } from "./cross-core-channel.js";
import { createScheduler } from "./scheduler.js";
import { SpscRing } from "./spsc-ring.js";
import { coreLinks } from "./core-links.js";

interface Data {
  core: number;
  rings: SharedArrayBuffer;
  ringBytes: number;
  links: SharedArrayBuffer;
  bell: MessagePort;
  load: unknown[];
}
const d = workerData as Data;
const clock = { nowMs: () => performance.now() };
const scheduler = createScheduler({ clock, timer: hostTimer(clock, { setTimeout, clearTimeout }), core: d.core, macrotask: setImmediate });
const doorbell = { ring: () => d.bell.postMessage(0) };
const peer = 1 - d.core;
const ring = (from: number): SpscRing => new SpscRing(d.rings, from * d.ringBytes, d.ringBytes);
const tx = new CrossCoreSender<unknown>({ ring: ring(d.core), scheduler, doorbell, peer });
const rx = new CrossCoreReceiver<unknown>({ ring: ring(peer), scheduler, doorbell, peer });
const entries = {
  square: (n: number) => n * n,
  slowSum: async (xs: number[]) => {
    await scheduler.sleep(2);
    return xs.reduce((a, b) => a + b, 0);
  },
  fail: () => {
    throw new Error("entry failed on purpose");
  },
};
const rpc = new CoreRpc({ scheduler, entries, links: coreLinks({ shared: d.links, cores: 2, core: d.core, scheduler, doorbell, ringCapacity: 1024 }) });
let bells = 0;
d.bell.on("message", () => {
  bells++;
  tx.notify();
  rx.notify();
  rpc.notify();
});
rpc.start();

if (d.core === 1) {
  scheduler.spawn(async () => {
    for (let i = 0; i < d.load.length; i++) {
      const r = await rx.recv();
      if (!r.ok) throw new Error("recv failed");
      await tx.send(r.value);
    }
  }, { name: "echo" });
} else {
  const sender = scheduler.spawn(async () => {
    for (const m of d.load) await tx.send(m);
  }, { name: "sender" });
  const receiver = scheduler.spawn(async () => {
    const got: unknown[] = [];
    for (let i = 0; i < d.load.length; i++) {
      const r = await rx.recv();
      if (!r.ok) throw new Error("recv failed");
      got.push(r.value);
    }
    return got;
  }, { name: "receiver" });
  scheduler.spawn(async () => {
    await sender.join();
    const echoed = await receiver.join();
    const square = await rpc.spawn<number>(1, "square", [12]).join();
    const sum = await rpc.spawn<number>(1, "slowSum", [[1, 2, 3, 4]]).join();
    const errors: string[] = [];
    for (const name of ["fail", "missing"]) {
      try {
        await rpc.spawn(1, name).join();
      } catch (error) {
        errors.push(`${(error as { code: string }).code}: ${(error as Error).message}`);
      }
    }
    parentPort!.postMessage({ echoed, square, sum, errors, bells, stats: scheduler.stats() });
  }, { name: "main" });
}
