// Every vCPU comes up with its own runtime and heap, and cores wake each other with the doorbell.
import { describe, expect, it } from "vitest";
import { boot, fixture, link } from "./boot.js";

describe.each([
  ["microvm", "kvm", 2],
  ["microvm", "tcg", 4],
  ["q35", "tcg", 3],
] as const)("SMP on %s/%s with %i vCPUs", (machine, accel, cpus) => {
  it("starts every core, each with its own heap, and they meet through shared memory", async () => {
    const r = await boot(await link(fixture("smp-checkin")), { machine, accel, cpus, memoryMiB: 256 });
    expect(r.output).toContain(`core 0 of ${cpus}`);
    const m = /all (\d+) other cores checked in; their heaps: ([\d, ]+)/.exec(r.output);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(cpus - 1);
    const heaps = m![2]!.split(", ").map(Number);
    expect(heaps.every((h) => h > 8 * 1024 * 1024)).toBe(true);
    expect(r.exitCode).toBe(0);
  }, 120_000);
});
