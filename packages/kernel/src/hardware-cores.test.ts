import { afterEach, describe, expect, it } from "vitest";
import { coreHardware } from "./hardware-cores.js";
import { createFakeCores } from "./hardware-cores-fake.js";

describe("coreHardware over __toro.hw", () => {
  const g = globalThis as Record<string, unknown>;
  afterEach(() => {
    delete g.__toro;
  });

  it("refuses outside an image and without core intrinsics", () => {
    expect(() => coreHardware()).toThrow(expect.objectContaining({ code: "ENOTIMAGE" }));
    g.__toro = { cpu: { id: 0, count: 1 }, hw: { ioIn: () => 0 } };
    expect(() => coreHardware()).toThrow(expect.objectContaining({ code: "ENOTSUP" }));
  });

  it("maps the §7 intrinsics: doorbell vector, online checks, regions", () => {
    const calls: unknown[][] = [];
    const online = new Set([0, 1]);
    g.__toro = {
      cpu: { id: 1, count: 3, vendor: "x", hypervisor: "" },
      hw: {
        mapPhysical: (base: number, length: number) => {
          if (base !== 0x200000) throw new RangeError("not RAM");
          return new ArrayBuffer(length);
        },
        sharedRegion: { base: 0x200000, length: 1 << 20 },
        doorbellVector: 239,
        doorbell: (core: number) => {
          if (!online.has(core)) throw new RangeError("not online");
          calls.push(["doorbell", core]);
        },
        coreOnline: (core: number) => online.has(core),
        dmaRegions: [0, 1, 2].map((core) => ({ core, base: 0x1000000 * (core + 1), length: 0x1000000 })),
        setIrqHandler: (vector: number, fn: unknown) => void calls.push(["handler", vector, typeof fn]),
      },
    };
    const cores = coreHardware();
    expect(coreHardware()).toBe(cores);
    expect([cores.id, cores.count]).toEqual([1, 3]);
    expect(cores.sharedRegion).toEqual({ base: 0x200000, length: 1 << 20 });
    expect(cores.dmaRegions.map((r) => r.base)).toEqual([0x1000000, 0x2000000, 0x3000000]);
    expect([cores.online(0), cores.online(2), cores.online(7)]).toEqual([true, false, false]);
    expect(cores.doorbell(0)).toBe(true);
    expect(cores.doorbell(2)).toBe(false);
    expect(() => cores.doorbell(3)).toThrow(expect.objectContaining({ code: "ERANGE" }));
    cores.onDoorbell(() => undefined);
    cores.onDoorbell(null);
    expect(calls).toEqual([["doorbell", 0], ["handler", 239, "function"], ["handler", 239, "object"]]);
    expect(cores.map(0x200000, 64).byteLength).toBe(64);
    expect(() => cores.map(0x300000, 64)).toThrow(expect.objectContaining({ code: "EFAULT" }));
  });
});

describe("createFakeCores", () => {
  it("shares memory between cores and delivers doorbells to online cores with a handler", async () => {
    const fake = createFakeCores({ count: 3, online: [0, 1] });
    const [a, b, c] = fake.cores;
    const mine = a!.map(a!.sharedRegion.base, 16);
    const theirs = b!.map(b!.sharedRegion.base, 16);
    Atomics.store(new Int32Array(mine.buffer, mine.byteOffset, 4), 1, 42);
    expect(Atomics.load(new Int32Array(theirs.buffer, theirs.byteOffset, 4), 1)).toBe(42);
    const dma = c!.dmaRegions[2]!;
    expect(a!.map(dma.base, dma.length).byteLength).toBe(dma.length);
    expect(() => a!.map(0, 4)).toThrow(expect.objectContaining({ code: "EFAULT" }));

    let rings = 0;
    b!.onDoorbell(() => rings++);
    expect(a!.doorbell(1)).toBe(true);
    expect(a!.doorbell(2)).toBe(false);
    fake.setOnline(2);
    expect(a!.online(2)).toBe(true);
    expect(a!.doorbell(2)).toBe(true); // no handler there: dropped
    await Promise.resolve();
    expect(rings).toBe(1);
    expect(b!.doorbellsReceived).toBe(1);
    expect(c!.doorbellsReceived).toBe(1);
    expect(b!.hasDoorbellHandler).toBe(true);
    expect(() => a!.doorbell(-1)).toThrow(expect.objectContaining({ code: "ERANGE" }));
  });
});
