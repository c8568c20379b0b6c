// apps/threads: cooperative threads on one core. Three sleepers wake in deadline order, a ping/pong
// pair exchanges messages over a bounded Channel, a producer meets backpressure, and a block of
// memory is allocated and freed per round; at the end the app prints the order of events and the
// core's scheduler and memory statistics, then exits 0 (1 if the order is wrong).
// The edge of the app: it takes the image's clock and host timers and hands them to the units.
import { exit, hardware } from "@toro/kernel";
import { createCoreAllocator } from "@toro/memory";
import { Channel, Event, createScheduler, hostTimer } from "@toro/process";

// The image's runtime has Node's setImmediate (a macrotask with no delay); its typings do not name it.
const immediate = (globalThis as unknown as { setImmediate(fn: () => void): unknown }).setImmediate;

async function main(): Promise<void> {
  const hw = hardware();
  const clock = hw.clock;
  const s = createScheduler({
    clock,
    timer: hostTimer(clock, { setTimeout, clearTimeout }),
    core: hw.cpu.id,
    queueJob: queueMicrotask,
    macrotask: immediate,
  });
  // An ArrayBuffer stands in for this core's DMA region (hw.dmaRegion + mapPhysical) until the
  // device intrinsics are in the Hardware face; the allocator does not know the difference.
  const memory = createCoreAllocator({ region: { base: 0x0100_0000, bytes: new ArrayBuffer(1 << 20) }, core: hw.cpu.id });
  const t0 = clock.nowMs();
  const at = (): string => `${Math.round(clock.nowMs() - t0)}ms`.padStart(5);
  const order: string[] = [];
  const log = (line: string): void => {
    order.push(line);
    console.log(`[${at()}] ${line}`);
  };

  // Sleepers: spawned slowest first, they must wake fastest first.
  for (const [name, ms] of [["sleeper-30", 30], ["sleeper-10", 10], ["sleeper-20", 20]] as const) {
    s.spawn(async () => {
      await s.sleep(ms);
      log(`${name} woke`);
    }, { name });
  }

  // Ping/pong: each message is a block of physical memory, freed by the receiver.
  const toPong = new Channel<{ n: number; address: number }>(s, 1);
  const toPing = new Channel<number>(s, 1);
  const started = new Event(s);
  const ping = s.spawn(async () => {
    await started.wait();
    for (let n = 1; n <= 3; n++) {
      const block = memory.allocate(256);
      block.view.setUint32(0, n * 1000, true);
      await toPong.send({ n, address: block.address });
      log(`ping sent ${n}`);
      const r = await toPing.recv(1000);
      log(r.ok ? `ping got ${r.value}` : `ping: ${r.reason}`);
    }
    toPong.close();
    return "ping done";
  }, { name: "ping" });
  const pong = s.spawn(async () => {
    started.set();
    for (let r = await toPong.recv(); r.ok; r = await toPong.recv()) {
      log(`pong got ${r.value.n}`);
      await s.sleep(5);
      memory.free(r.value.address);
      await toPing.send(r.value.n * 10);
    }
    return "pong done";
  }, { name: "pong" });

  // Yielders interleave FIFO.
  const yielders = ["a", "b"].map((name) =>
    s.spawn(async () => {
      for (let i = 0; i < 2; i++) {
        log(`yield ${name}${i}`);
        await s.yield();
      }
    }, { name: `yield-${name}` }),
  );

  // main is not a thread: it waits with `done` (plain promises), threads wait with `join()`.
  const results = await Promise.all([ping.done, pong.done, ...yielders.map((t) => t.done)]);
  await s.spawn(() => s.sleep(40), { name: "waiter" }).done; // the slowest sleeper is done by then
  console.log(`results: ${results.filter(Boolean).join(", ")}`);
  console.log(s.describe());
  const st = s.stats();
  console.log(`scheduler: switches=${st.switches} finished=${st.finished} live=${st.live} sliceBreaks=${st.sliceBreaks}`);
  const m = memory.stats();
  console.log(`memory: inUse=${m.inUseBytes} peak=${m.peakInUseBytes} allocations=${m.allocations} frees=${m.frees} largestFree=${m.largestFreeBlockBytes}`);
  const heap = hw.heapStats();
  console.log(`engine heap: used=${heap.used} peak=${heap.peak}`);

  const sleepers = order.filter((l) => l.startsWith("sleeper"));
  const ok =
    JSON.stringify(sleepers) === JSON.stringify(["sleeper-10 woke", "sleeper-20 woke", "sleeper-30 woke"]) &&
    JSON.stringify(order.filter((l) => l.startsWith("yield"))) === JSON.stringify(["yield a0", "yield b0", "yield a1", "yield b1"]) &&
    order.filter((l) => l.startsWith("ping got")).join() === "ping got 10,ping got 20,ping got 30" &&
    m.inUseBytes === 0;
  console.log(ok ? "threads: order OK" : "threads: order WRONG");
  exit(ok ? 0 : 1);
}

void main();
