// Bench app (tooling/bench/apps/cross-core), run with 2 vCPUs: message latency and throughput between
// core 0 and core 1 through @toro/process's in-image glue (`bootCores`: SPSC rings in the shared
// region, doorbell IPIs only when the other end sleeps, JSON codec). Core 1 serves two entries: an
// echo (round trips) and a sink (a one-way stream). Core 0 prints `BENCH cross-core.*` lines, then
// `BENCH done`, and exits. The image's edge: hardware, clock and timers from @toro/kernel.
import { coreHardware, exit, hardware, parseBootCommandLine } from "@toro/kernel";
import { createCoreMemory } from "@toro/memory";
import { bootCores, createScheduler, hostTimer, sharedLayoutBytes, type CoreNode } from "@toro/process";

const immediate = (globalThis as unknown as { setImmediate(fn: () => void): unknown }).setImmediate;

const SAMPLE_MS = 150;
const PAYLOAD_BYTES = 1024;
const ECHO_SLOT = 0;
const STREAM_SLOT = 1;

const hw = hardware();
const cores = coreHardware();
const clock = hw.clock;
const s = createScheduler({ clock, timer: hostTimer(clock, { setTimeout, clearTimeout }), core: cores.id, queueJob: queueMicrotask, macrotask: immediate });
let node: CoreNode | undefined;

// The same table on every core; core 0 spawns them on core 1 by name.
const entries = {
  /** Answers `count` numbers from core 0 with the same number. */
  async echo(count: number): Promise<number> {
    const rx = node!.receiver<number>(0, ECHO_SLOT);
    const tx = node!.sender<number>(0, ECHO_SLOT);
    for (let i = 0; i < count; i++) {
      const r = await rx.recv();
      if (!r.ok) return i;
      await tx.send(r.value);
    }
    return count;
  },
  /** Takes `count` messages from core 0 and returns how many string characters arrived. */
  async sink(count: number): Promise<number> {
    const rx = node!.receiver<string>(0, STREAM_SLOT);
    let chars = 0;
    for (let i = 0; i < count; i++) {
      const r = await rx.recv();
      if (!r.ok) return -1;
      chars += r.value.length;
    }
    return chars;
  },
};

// The raw phase, before bootCores: words in the shared region's last page (bootCores' layout ends
// far below it; checked at start), so the kernel's doorbell can be told apart from the glue.
const RAW_BYTES = 4096;
const R_READY = 0;
const R_PING = 1;
const R_PONG = 2;
const R_MODE = 3; // 0 serve by doorbell, 1 spin, 2 raw phase over
let rawWords: Int32Array | undefined;
let rawWake: (() => void) | undefined;

function raw(): Int32Array {
  if (rawWords !== undefined) return rawWords;
  const bytes = cores.map(cores.sharedRegion.base + cores.sharedRegion.length - RAW_BYTES, RAW_BYTES);
  rawWords = new Int32Array(bytes.buffer, bytes.byteOffset, RAW_BYTES / 4);
  return rawWords;
}

/** Core 1's side of the raw phase; resolves when core 0 ends it. */
function serveRaw(): Promise<void> {
  const w = raw();
  return new Promise((resolve) => {
    const check = (): void => {
      const mode = Atomics.load(w, R_MODE);
      if (mode === 2) {
        cores.onDoorbell(null);
        resolve();
        return;
      }
      if (mode === 1) {
        // Spin: answer pings by polling the word, without interrupts, until the mode changes.
        while (Atomics.load(w, R_MODE) === 1) {
          const ping = Atomics.load(w, R_PING);
          if (ping !== Atomics.load(w, R_PONG)) Atomics.store(w, R_PONG, ping);
        }
        check();
        return;
      }
      const ping = Atomics.load(w, R_PING);
      if (ping !== Atomics.load(w, R_PONG)) {
        Atomics.store(w, R_PONG, ping);
        cores.doorbell(0);
      }
    };
    cores.onDoorbell(check);
    Atomics.store(w, R_READY, 1);
    cores.doorbell(0);
    check();
  });
}

/** Core 0: raw round trips (by doorbell, or spinning on both sides); returns ms. */
async function rawRoundTrips(count: number, spin: boolean): Promise<number> {
  const w = raw();
  const t0 = clock.nowMs();
  for (let i = 0; i < count; i++) {
    const ping = Atomics.load(w, R_PING) + 1;
    Atomics.store(w, R_PING, ping);
    if (spin) {
      while (Atomics.load(w, R_PONG) !== ping) {
        // core 1 polls the ping word
      }
      continue;
    }
    cores.doorbell(1);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (Atomics.load(w, R_PONG) !== ping) return;
        rawWake = undefined;
        resolve();
      };
      rawWake = check;
      check();
    });
  }
  return clock.nowMs() - t0;
}

async function rawPhase(samples: number): Promise<void> {
  const w = raw();
  cores.onDoorbell(() => rawWake?.());
  await new Promise<void>((resolve) => {
    rawWake = () => {
      if (Atomics.load(w, R_READY) === 1) resolve();
    };
    rawWake();
  });
  const bellCount = await calibrate((c) => rawRoundTrips(c, false));
  for (let i = 0; i < samples; i++) {
    const ms = await rawRoundTrips(bellCount, false);
    console.log(`BENCH cross-core.raw_doorbell_round_trip_us=${((ms * 1000) / bellCount).toFixed(2)} unit=us count=${bellCount}`);
  }
  Atomics.store(w, R_MODE, 1);
  cores.doorbell(1);
  const spinCount = await calibrate((c) => rawRoundTrips(c, true));
  for (let i = 0; i < samples; i++) {
    const ms = await rawRoundTrips(spinCount, true);
    console.log(`BENCH cross-core.raw_spin_round_trip_us=${((ms * 1000) / spinCount).toFixed(3)} unit=us count=${spinCount}`);
  }
  Atomics.store(w, R_MODE, 2);
  cores.doorbell(1);
  cores.onDoorbell(null);
}

/** `count` round trips of a number through core 1; returns ms. */
async function roundTrips(n: CoreNode, count: number): Promise<number> {
  const peer = n.spawn<number>("echo", [count], { core: 1 });
  const tx = n.sender<number>(1, ECHO_SLOT);
  const rx = n.receiver<number>(1, ECHO_SLOT);
  const t0 = clock.nowMs();
  for (let i = 0; i < count; i++) {
    await tx.send(i);
    const r = await rx.recv();
    if (!r.ok || r.value !== i) throw new Error(`echo ${i} came back as ${JSON.stringify(r)}`);
  }
  const ms = clock.nowMs() - t0;
  await peer.join();
  return ms;
}

/** `count` messages of `payload` streamed to core 1; returns ms until core 1 confirmed the last. */
async function stream(n: CoreNode, count: number, payload: string): Promise<number> {
  const t0 = clock.nowMs();
  const peer = n.spawn<number>("sink", [count], { core: 1 });
  const tx = n.sender<string>(1, STREAM_SLOT);
  for (let i = 0; i < count; i++) await tx.send(payload);
  const chars = await peer.join();
  if (chars !== count * payload.length) throw new Error(`sink saw ${chars} characters, sent ${count * payload.length}`);
  return clock.nowMs() - t0;
}

/** Grows `count` until one run takes about SAMPLE_MS. */
async function calibrate(run: (count: number) => Promise<number>): Promise<number> {
  let count = 16;
  for (;;) {
    const ms = await run(count);
    if (ms >= SAMPLE_MS / 4 || count >= 1 << 22) return Math.max(16, Math.round((count * SAMPLE_MS) / Math.max(ms, 0.001)));
    count *= 4;
  }
}

async function main(): Promise<void> {
  const option = parseBootCommandLine(hw.bootCommandLine()).options["samples"];
  const samples = typeof option === "string" ? Number(option) : 5;
  if (sharedLayoutBytes(cores.count, 2, 16384) > cores.sharedRegion.length - RAW_BYTES) throw new Error("the raw phase's page overlaps bootCores' layout");
  if (cores.id === 0 && cores.count >= 2) await rawPhase(samples);
  else if (cores.id === 1) await serveRaw();
  const memory = createCoreMemory(cores);
  const n = await bootCores({ hw: cores, scheduler: s, entries, memory, channels: 2, ringCapacity: 16384 });
  node = n;
  if (cores.id !== 0) {
    await n.main(() => undefined); // serves spawns and channels; never settles here
    return;
  }
  if (cores.count < 2) {
    console.log("BENCH skipped=1 unit=flag reason=needs-2-cpus");
    console.log("BENCH done");
    exit(0);
  }
  await n.main(async () => {
    const payload = "x".repeat(PAYLOAD_BYTES - 2); // JSON adds the two quotes: 1024 bytes on the ring
    const rtCount = await calibrate((c) => roundTrips(n, c));
    for (let i = 0; i < samples; i++) {
      const ms = await roundTrips(n, rtCount);
      console.log(`BENCH cross-core.round_trip_us=${((ms * 1000) / rtCount).toFixed(2)} unit=us count=${rtCount}`);
    }
    const smallCount = await calibrate((c) => stream(n, c, ""));
    for (let i = 0; i < samples; i++) {
      const ms = await stream(n, smallCount, "");
      console.log(`BENCH cross-core.small_msgs_per_s=${Math.round((smallCount * 1000) / ms)} unit=msg/s count=${smallCount}`);
    }
    const bigCount = await calibrate((c) => stream(n, c, payload));
    for (let i = 0; i < samples; i++) {
      const ms = await stream(n, bigCount, payload);
      const perS = (bigCount * 1000) / ms;
      console.log(`BENCH cross-core.kib_msgs_per_s=${Math.round(perS)} unit=msg/s count=${bigCount}`);
      console.log(`BENCH cross-core.mb_per_s=${((perS * PAYLOAD_BYTES) / 1e6).toFixed(2)} unit=MB/s`);
    }
  });
  console.log(`BENCH cross-core.doorbells_core0=${n.stats().doorbells} unit=count`);
  console.log("BENCH done");
  exit(0);
}

main().catch((error: unknown) => {
  console.log(`BENCH error: ${String(error)}`);
  exit(1);
});
