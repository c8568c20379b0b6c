// Bench app (tooling/bench/apps/cores), run with 2 vCPUs: the same CPU-bound job (an integer hash
// over N iterations) done by core 0 alone, then split in halves between core 0 and core 1, in
// alternating rounds. Coordination is raw Atomics on words of the shared region plus the doorbell
// (the kernel's `CoreHardware` face; no scheduler): core 0 posts a range, rings core 1, hashes its
// own half, then waits on its doorbell for core 1's result. Both results are checked against the
// single-core one. Prints `BENCH cores.*` lines, then `BENCH done`. Imports @toro/kernel only.
import { coreHardware, exit, hardware, parseBootCommandLine } from "@toro/kernel";

const ROUND_MS = 400; // core 0 alone takes about this long per round (calibrated)
// Words of the shared region (Int32): a request sequence, the range, core 1's answer.
const W_READY = 0;
const W_REQUEST = 1;
const W_START = 2;
const W_END = 3;
const W_DONE = 4;
const W_RESULT = 5;

const hw = hardware();
const cores = coreHardware();
const clock = hw.clock;
const sharedBytes = cores.map(cores.sharedRegion.base, 4096);
const words = new Int32Array(sharedBytes.buffer, sharedBytes.byteOffset, 1024);

/** The job: a multiply-xorshift hash chained over iterations [start, end); returns a 32-bit digest. */
function hashRange(start: number, end: number): number {
  let h = 0x811c9dc5 ^ start;
  for (let i = start; i < end; i++) {
    h = Math.imul(h ^ i, 0x9e3779b1);
    h ^= h >>> 15;
  }
  return h | 0;
}

/** Core 1: answer every new request, then ring core 0. */
function serve(): void {
  let handled = 0;
  const check = (): void => {
    const request = Atomics.load(words, W_REQUEST);
    if (request === handled) return;
    const result = hashRange(Atomics.load(words, W_START), Atomics.load(words, W_END));
    Atomics.store(words, W_RESULT, result);
    handled = request;
    Atomics.store(words, W_DONE, request); // publishes the result above
    cores.doorbell(0);
  };
  cores.onDoorbell(check);
  Atomics.store(words, W_READY, 1);
  cores.doorbell(0);
  check();
}

let wake: (() => void) | undefined;
/** Resolves once `ready()` holds, re-checked on every doorbell of core 0. */
function until(ready: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!ready()) return;
      wake = undefined;
      resolve();
    };
    wake = check;
    check();
  });
}

async function main(): Promise<void> {
  const option = parseBootCommandLine(hw.bootCommandLine()).options["rounds"];
  const rounds = typeof option === "string" ? Number(option) : 3;
  console.log(`BENCH cores.count=${cores.count} unit=count`);
  if (cores.count < 2) {
    console.log("BENCH done");
    exit(0);
  }
  cores.onDoorbell(() => wake?.());
  await until(() => Atomics.load(words, W_READY) === 1);

  // Calibrate N so core 0 alone takes about ROUND_MS, whatever the accelerator.
  let n = 1 << 16;
  for (;;) {
    const t0 = clock.nowMs();
    hashRange(0, n);
    const ms = clock.nowMs() - t0;
    if (ms >= ROUND_MS / 8) {
      n = Math.round((n * ROUND_MS) / ms);
      break;
    }
    n *= 4;
  }
  const half = n >>> 1;
  console.log(`BENCH cores.iterations=${n} unit=count`);
  let request = 0;
  for (let round = 0; round < rounds; round++) {
    let t0 = clock.nowMs();
    const alone = [hashRange(0, half), hashRange(half, n)];
    const oneMs = clock.nowMs() - t0;

    t0 = clock.nowMs();
    request++;
    Atomics.store(words, W_START, half);
    Atomics.store(words, W_END, n);
    Atomics.store(words, W_REQUEST, request); // publishes the range above
    cores.doorbell(1);
    const mine = hashRange(0, half);
    const afterOwnMs = clock.nowMs() - t0;
    const expected = request;
    await until(() => Atomics.load(words, W_DONE) === expected);
    const theirs = Atomics.load(words, W_RESULT);
    const twoMs = clock.nowMs() - t0;
    if (mine !== alone[0] || theirs !== alone[1]) throw new Error(`results differ: ${mine},${theirs} vs ${alone.join(",")}`);
    console.log(`BENCH cores.one_core_ms=${oneMs.toFixed(2)} unit=ms`);
    console.log(`BENCH cores.two_cores_ms=${twoMs.toFixed(2)} unit=ms`);
    console.log(`BENCH cores.core0_half_ms=${afterOwnMs.toFixed(2)} unit=ms`);
    console.log(`BENCH cores.speedup=${(oneMs / twoMs).toFixed(3)} unit=x`);
  }
  cores.onDoorbell(null);
  console.log("BENCH done");
  exit(0);
}

if (cores.id === 0) {
  main().catch((error: unknown) => {
    console.log(`BENCH error: ${String(error)}`);
    exit(1);
  });
} else if (cores.id === 1) {
  serve();
}
