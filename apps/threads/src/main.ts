// apps/threads: cooperative threads on one core, then across every core of the VM. Every core runs
// this same program in its own runtime: each formats its own memory, joins its peers (`bootCores`)
// and serves spawns; core 0 runs the demos and prints everything, so the output is deterministic.
//  - one core: sleepers wake in deadline order, ping/pong over a bounded Channel, FIFO yields;
//  - across cores: work spawned by name on every other core, a token passed around the ring of
//    cores and echo round trips over cross-core channels, blocks freed on a core other than their
//    owner (the owner takes them back: remoteFrees), and per-core statistics.
// With `idle=MS` on the command line every core only sleeps MS (to measure an idle guest).
// The edge of the app: it takes the image's hardware, clock and host timers and hands them to the units.
import { coreHardware, exit, hardware, parseBootCommandLine } from "@toro/kernel";
import { createCoreMemory } from "@toro/memory";
import { Channel, Event, bootCores, createScheduler, hostTimer, type CoreNode, type Scheduler } from "@toro/process";

// The image's runtime has Node's setImmediate (a macrotask with no delay); its typings do not name it.
const immediate = (globalThis as unknown as { setImmediate(fn: () => void): unknown }).setImmediate;

const hw = hardware();
const cores = coreHardware();
const clock = hw.clock;
const s = createScheduler({
  clock,
  timer: hostTimer(clock, { setTimeout, clearTimeout }),
  core: cores.id,
  queueJob: queueMicrotask,
  macrotask: immediate,
});
const memory = createCoreMemory(cores);
const options = parseBootCommandLine(hw.bootCommandLine()).options;
const ROUNDS = 3;
const ECHOES = 20;
let node: CoreNode | undefined;
const peerNode = (): CoreNode => node!;

/** Per-core figures, as the "stats" entry reports them. */
interface CoreFigures {
  core: number;
  heapUsed: number;
  heapPeak: number;
  switches: number;
  finished: number;
  inUse: number;
  remoteFrees: number;
  doorbells: number;
}

// Entries other cores may spawn here, by name: the same table on every core (closures cannot cross).
const entries = {
  /** Sums 1..n on this core (after a short sleep, so the core really switches). */
  async work(n: number): Promise<{ core: number; sum: number }> {
    await s.sleep(5);
    let sum = 0;
    for (let i = 1; i <= n; i++) sum += i;
    return { core: cores.id, sum };
  },
  /** Passes a token from the previous core to the next one, `rounds` times, adding this core's id. */
  async relay(rounds: number): Promise<number> {
    const n = peerNode();
    const from = n.receiver<number[]>((cores.id + n.count - 1) % n.count, 0);
    const to = n.sender<number[]>((cores.id + 1) % n.count, 0);
    for (let i = 0; i < rounds; i++) {
      const r = await from.recv();
      if (!r.ok) return i;
      await to.send([...r.value, cores.id]);
    }
    return rounds;
  },
  /** Answers `count` messages from core 0 on channel slot 1 with their double. */
  async echo(count: number): Promise<number> {
    const n = peerNode();
    const rx = n.receiver<number>(0, 1);
    const tx = n.sender<number>(0, 1);
    let answered = 0;
    for (; answered < count; answered++) {
      const r = await rx.recv();
      if (!r.ok) break;
      await tx.send(r.value * 2);
    }
    return answered;
  },
  /** Checks the pattern of another core's block and frees it here: it goes back to its owner. */
  freeBlock(address: number, size: number, pattern: number): boolean {
    const bytes = cores.map(address, size);
    const intact = bytes.every((b) => b === pattern);
    memory.free(address);
    return intact;
  },
  /** Allocates a block here and hands its address out (another core will free it). */
  allocateBlock(size: number): number {
    return memory.allocate(size).address;
  },
  /** Sleeps `ms` (the idle measurement). */
  async idle(ms: number): Promise<number> {
    await s.sleep(ms);
    return cores.id;
  },
  /** This core's figures, after taking back any remote frees. */
  stats(): CoreFigures {
    memory.reclaim();
    const m = memory.stats();
    const heap = hw.heapStats();
    const st = s.stats();
    return {
      core: cores.id,
      heapUsed: heap.used,
      heapPeak: heap.peak,
      switches: st.switches,
      finished: st.finished,
      inUse: m.inUseBytes,
      remoteFrees: m.remoteFrees,
      doorbells: node?.stats().doorbells ?? 0,
    };
  },
};

/** The single-core demo on core 0, from outside threads (it awaits `done`). */
async function oneCore(): Promise<boolean> {
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
      const t0 = performance.now();
      await s.sleep(ms);
      const took = performance.now() - t0;
      log(`${name} woke`);
      console.log(`sleep accuracy: asked ${ms} ms, slept ${took.toFixed(3)} ms`);
    }, { name });
  }

  // Ping/pong: each message is a block of this core's physical memory, freed by the receiver.
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

  const ok =
    JSON.stringify(order.filter((l) => l.startsWith("sleeper"))) === JSON.stringify(["sleeper-10 woke", "sleeper-20 woke", "sleeper-30 woke"]) &&
    JSON.stringify(order.filter((l) => l.startsWith("yield"))) === JSON.stringify(["yield a0", "yield b0", "yield a1", "yield b1"]) &&
    order.filter((l) => l.startsWith("ping got")).join() === "ping got 10,ping got 20,ping got 30" &&
    m.inUseBytes === 0;
  console.log(ok ? "threads: order OK" : "threads: order WRONG");
  return ok;
}

/** The cross-core demo: runs in core 0's "main" thread (it joins threads). */
async function allCores(n: CoreNode): Promise<boolean> {
  const peers = Array.from({ length: n.count - 1 }, (_, i) => i + 1);
  let ok = true;
  const check = (good: boolean, line: string): void => {
    ok &&= good;
    console.log(`${line}${good ? "" : "  <-- WRONG"}`);
  };
  console.log(`cores: ${n.count}`);

  // 1. Work spawned by name on every other core.
  const work = peers.map((core) => ({ core, t: n.spawn<{ core: number; sum: number }>("work", [core * 100], { core }) }));
  for (const { core, t } of work) {
    const r = await t.join();
    check(r.core === core && r.sum === (core * 100 * (core * 100 + 1)) / 2, `spawn: work(${core * 100}) on core ${core} = ${r.sum} (ran on core ${r.core})`);
  }

  // 2. A token around the ring of cores, over app channels (slot 0).
  let sent = 0;
  let received = 0;
  if (peers.length > 0) {
    const relays = peers.map((core) => n.spawn<number>("relay", [ROUNDS], { core }));
    const out = n.sender<number[]>(1, 0);
    const back = n.receiver<number[]>(n.count - 1, 0);
    const expected = [...Array.from({ length: n.count }, (_, i) => i), 0].join(">");
    for (let round = 1; round <= ROUNDS; round++) {
      await out.send([0]);
      sent++;
      const r = await back.recv(5000);
      if (r.ok) received++;
      const path = r.ok ? [...r.value, 0].join(">") : "lost";
      check(path === expected, `ring: round ${round} ${path}`);
    }
    for (const t of relays) check((await t.join()) === ROUNDS, `ring: relay done`);
  }

  // 3. Echo round trips with every peer (slot 1): sends first, then replies, in order.
  for (const core of peers) {
    const echo = n.spawn<number>("echo", [ECHOES], { core });
    const tx = n.sender<number>(core, 1);
    const rx = n.receiver<number>(core, 1);
    let good = 0;
    for (let i = 1; i <= ECHOES; i++) {
      await tx.send(i);
      sent++;
      const r = await rx.recv(5000);
      if (r.ok) received++;
      if (r.ok && r.value === i * 2) good++;
    }
    const answered = await echo.join();
    check(good === ECHOES && answered === ECHOES, `channels: core ${core} echoed ${good}/${ECHOES}`);
  }
  check(sent === received, `messages: sent=${sent} received=${received}`);

  // 4. Remote frees: core 0's blocks freed on the peers come back to core 0 ...
  const baseline = memory.stats().remoteFrees;
  for (const core of peers) {
    const block = memory.allocate(512);
    block.bytes.fill(core);
    check(await n.spawn<boolean>("freeBlock", [block.address, 512, core], { core }).join(), `free: core 0's block freed on core ${core}`);
  }
  memory.reclaim();
  const got = memory.stats().remoteFrees - baseline;
  check(got === peers.length, `remote frees: owner core 0 took back ${got} of ${peers.length}`);
  // ... and the peers' blocks freed here go back to each peer.
  for (const core of peers) memory.free(await n.spawn<number>("allocateBlock", [1024], { core }).join());

  // 5. Per-core statistics, gathered by core 0.
  for (let core = 0; core < n.count; core++) {
    const f = await n.spawn<CoreFigures>("stats", [], { core }).join();
    const expectRemote = core === 0 ? peers.length : 1;
    check(
      f.inUse === 0 && f.remoteFrees === expectRemote,
      `core ${f.core}: memInUse=${f.inUse} remoteFrees=${f.remoteFrees} switches=${f.switches} threadsFinished=${f.finished} heapUsed=${f.heapUsed} heapPeak=${f.heapPeak} doorbells=${f.doorbells}`,
    );
  }
  console.log(ok ? `cross-core: OK cores=${n.count}` : `cross-core: WRONG cores=${n.count}`);
  return ok;
}

/** Every core sleeps `ms` (core 0's main marks three quarters of it), then core 0 ends the VM. */
async function idle(n: CoreNode, sched: Scheduler, ms: number): Promise<boolean> {
  console.log(`idle: start ${ms}ms on ${n.count} cores`);
  const sleepers = Array.from({ length: n.count }, (_, core) => n.spawn<number>("idle", [ms], { core }));
  // A mark while every core still sleeps, so the host can sample QEMU before the VM ends.
  await sched.sleep(Math.floor((ms * 3) / 4));
  console.log("idle: mark");
  const woke: number[] = [];
  for (const t of sleepers) woke.push(await t.join());
  console.log(`idle: end (cores ${woke.join(",")} woke)`);
  return woke.length === n.count;
}

async function start(): Promise<void> {
  node = await bootCores({ hw: cores, scheduler: s, entries, memory, channels: 2 });
  const idleMs = typeof options.idle === "string" ? Number(options.idle) : 0;
  const single = node.id === 0 && idleMs === 0 ? await oneCore() : true;
  const n = node;
  const ok = await n.main(() => (idleMs > 0 ? idle(n, s, idleMs) : allCores(n)));
  exit(single && ok ? 0 : 1);
}

void start();
