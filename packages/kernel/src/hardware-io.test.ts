import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { ToroError } from "./errors.js";
import { deviceHardware } from "./hardware-io.js";
import { createDmaAllocator } from "./hardware-io-dma.js";
import { createFakeMachine } from "./hardware-io-fake.js";

describe("deviceHardware over __toro.hw", () => {
  const g = globalThis as Record<string, unknown>;
  afterEach(() => {
    delete g.__toro;
  });
  it("refuses outside an image and without intrinsics", () => {
    expect(() => deviceHardware()).toThrow(expect.objectContaining({ code: "ENOTIMAGE" }));
    g.__toro = { cmdline: "" };
    expect(() => deviceHardware()).toThrow(expect.objectContaining({ code: "ENOTSUP" }));
  });
  it("passes accesses through with their exact widths", () => {
    const calls: unknown[][] = [];
    const mem = new ArrayBuffer(64);
    g.__toro = {
      cmdline: "virtio_mmio.device=4K@0xd0000000:5",
      hw: {
        ioIn: (...a: unknown[]) => (calls.push(["in", ...a]), 0x12),
        ioOut: (...a: unknown[]) => void calls.push(["out", ...a]),
        mmioRead: (addr: number, size: number) => (calls.push(["rd", addr, size]), size === 8 ? 5n : 7),
        mmioWrite: (...a: unknown[]) => void calls.push(["wr", ...a]),
        mapPhysical: (base: number) => {
          if (base !== 0x1000) throw new RangeError("no");
          return mem;
        },
        dmaRegion: { base: 0x100000, length: 4096 },
        allocateVector: () => 48,
        routeIoapic: (...a: unknown[]) => void calls.push(["route", ...a]),
        msiMessage: (v: number) => ({ address: 0xfee00000, data: v }),
        setIrqHandler: (...a: unknown[]) => void calls.push(["handler", a[0]]),
        acpiRsdp: 0xf0000,
      },
    };
    const hw = deviceHardware();
    expect(deviceHardware()).toBe(hw);
    expect(hw.io.read(0xcfc, 4)).toBe(0x12);
    hw.io.write(0xcf8, 4, 0x80000000);
    expect(hw.mmio.read(0xd0000000, 4)).toBe(7);
    expect(hw.mmio.read64(0xd0000000)).toBe(5n);
    hw.mmio.write(0xd0000070, 1, 3);
    hw.mmio.write64(0xd0000080, 9n);
    hw.irq.routeIoapic(5, 48, { level: false, activeLow: false });
    hw.irq.setHandler(48, null);
    expect(hw.physical.map(0x1000, 64).length).toBe(64);
    expect(() => hw.physical.map(0x2000, 64)).toThrow(expect.objectContaining({ code: "EFAULT" }));
    expect(hw.irq.msiMessage(50)).toEqual({ address: 0xfee00000, data: 50 });
    expect(hw.acpiRsdp).toBe(0xf0000);
    expect(hw.bootCommandLine()).toContain("virtio_mmio");
    expect(calls).toEqual([
      ["in", 0xcfc, 4],
      ["out", 0xcf8, 4, 0x80000000],
      ["rd", 0xd0000000, 4],
      ["rd", 0xd0000000, 8],
      ["wr", 0xd0000070, 1, 3],
      ["wr", 0xd0000080, 8, 9n],
      ["route", 5, 48, false, false],
      ["handler", 48],
    ]);
  });
});

describe("createDmaAllocator", () => {
  it("aligns, zeroes, refuses when full and merges freed blocks", () => {
    const memory = new Uint8Array(8192).fill(0xaa);
    const dma = createDmaAllocator(memory, 0x10_0000);
    const a = dma.allocate(100, 16);
    expect(a.physical).toBe(0x10_0000);
    expect(a.view.every((b) => b === 0)).toBe(true);
    const b = dma.allocate(4096, 4096);
    expect(b.physical).toBe(0x10_1000);
    expect(() => dma.allocate(4096, 4096)).toThrow(ToroError);
    dma.free(a);
    dma.free(b);
    expect(() => dma.free(b)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(dma.allocate(8192, 4096).physical).toBe(0x10_0000);
  });
  it("never hands out overlapping or out-of-window blocks (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 8 }), fc.boolean()), { maxLength: 40 }), (ops) => {
        const dma = createDmaAllocator(new Uint8Array(16384), 0x4000);
        const live: { physical: number; view: Uint8Array }[] = [];
        for (const [size, alignLog, doFree] of ops) {
          if (doFree && live.length > 0) dma.free(live.splice(size % live.length, 1)[0]!);
          try {
            const buf = dma.allocate(size, 1 << alignLog);
            expect(buf.physical % (1 << alignLog)).toBe(0);
            expect(buf.physical - 0x4000 + size).toBeLessThanOrEqual(16384);
            for (const other of live) {
              expect(buf.physical + size <= other.physical || other.physical + other.view.length <= buf.physical).toBe(true);
            }
            live.push(buf);
          } catch (e) {
            expect((e as ToroError).code).toBe("ENOMEM");
          }
        }
      }),
    );
  });
});

describe("createFakeMachine", () => {
  it("routes ports, MMIO, RAM and interrupts", async () => {
    const m = createFakeMachine();
    const written: number[] = [];
    m.addPorts(0xcf8, 8, { read: (o) => o, write: (_o, _w, v) => void written.push(v) });
    expect(m.io.read(0xcfc, 4)).toBe(4);
    expect(m.io.read(0x60, 1)).toBe(0xff);
    m.io.write(0xcf8, 4, 7);
    expect(written).toEqual([7]);
    const ram = m.addRam(0x1000, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    expect(m.mmio.read(0x1000, 4)).toBe(0x04030201);
    expect(m.mmio.read64(0x1000)).toBe(0x0807060504030201n);
    m.mmio.write(0x1000, 2, 0xbeef);
    expect(ram[0]).toBe(0xef);
    expect(m.physical.map(0x1002, 2)).toEqual(Uint8Array.of(3, 4));
    expect(() => m.physical.map(0x9000, 1)).toThrow(ToroError);
    const v = m.irq.allocateVector();
    let fired = 0;
    m.irq.setHandler(v, () => fired++);
    m.irq.routeIoapic(16, v, { level: true, activeLow: false });
    expect(m.raiseGsi(16)).toBe(true);
    const msi = m.irq.msiMessage(v);
    m.mmio.write(msi.address, 4, msi.data);
    await Promise.resolve();
    await Promise.resolve();
    expect(fired).toBe(2);
    expect(m.handledVectors).toEqual([v]);
    expect(m.dmaRegion.length).toBeGreaterThan(0);
    expect(m.physical.map(m.dmaRegion.base, 16).length).toBe(16);
  });
});
