// apps/hello: the smallest Toro microservice. It greets, does real work in JS (primes by sieve and a
// SHA-like mixing hash), reads its boot command line, reports how long the guest took from its first
// instruction to here, then exits 0. Imports only @toro/kernel: nothing else ends up in its image.
import { bootCommandLine, exit, hardware, parseBootCommandLine } from "@toro/kernel";

/** Counts the primes below `limit` with the sieve of Eratosthenes. */
export function countPrimes(limit: number): number {
  const composite = new Uint8Array(limit);
  let count = 0;
  for (let i = 2; i < limit; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
  return count;
}

/** FNV-1a over the UTF-8 bytes of `text`, as 8 hex digits. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

function main(): void {
  const hw = hardware();
  const toMainMs = hw.bootTimes().appStartMs;
  console.log("Hello from Toro! This TypeScript program is the kernel.");
  const t0 = performance.now();
  const primes = countPrimes(100_000);
  const workMs = performance.now() - t0;
  console.log(`primes below 100,000: ${primes} (sieve took ${workMs.toFixed(1)} ms)`);
  console.log(`fnv1a("toro") = ${fnv1a("toro")}`);
  const cmdline = bootCommandLine();
  const parsed = parseBootCommandLine(cmdline);
  console.log(`boot command line: ${JSON.stringify(cmdline)}`);
  const name = parsed.options["name"];
  if (typeof name === "string") console.log(`hello, ${name}!`);
  console.log(`cpu: ${hw.cpu.vendor}, hypervisor: ${hw.cpu.hypervisor || "none"}, cores: ${hw.cpu.count}`);
  console.log(`guest time from first instruction to main: ${toMainMs.toFixed(2)} ms`);
  exit(0);
}

main();
