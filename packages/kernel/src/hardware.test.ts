import { afterEach, describe, expect, it } from "vitest";
import { ToroError } from "./errors.js";
import { bootCommandLine, exit, hardware, memoryRegionType } from "./hardware.js";
import { INTRINSICS_KEY } from "./intrinsics.js";
import { createFakeIntrinsics } from "./runtime/testing.js";
import { FakeExit } from "./fake-hardware.js";

const g = globalThis as unknown as Record<PropertyKey, unknown>;
afterEach(() => {
  delete g[INTRINSICS_KEY];
  delete g.__toro;
});

describe("hardware()", () => {
  it("throws ENOTIMAGE with a hint outside an image", () => {
    expect(() => hardware()).toThrow(ToroError);
    expect(() => hardware()).toThrow(expect.objectContaining({ code: "ENOTIMAGE", hint: "use createFakeHardware() in tests" }));
    expect(() => bootCommandLine()).toThrow(expect.objectContaining({ code: "ENOTIMAGE" }));
  });

  it("reads the intrinsics the runtime stored (or still at __toro)", () => {
    const fake = createFakeIntrinsics({
      cmdline: "debug",
      startMs: 4.5,
      memoryMap: [
        { base: 0, length: 0x9fc00, type: 1 },
        { base: 0xf0000, length: 0x10000, type: 2 },
        { base: 0xfee00000, length: 0x1000, type: 20 },
      ],
    });
    g.__toro = fake;
    expect(hardware().bootCommandLine()).toBe("debug");
    delete g.__toro;
    g[INTRINSICS_KEY] = fake;
    const hw = hardware();
    expect(hardware()).toBe(hw);
    expect(hw.memoryMap()).toEqual([
      { baseAddress: 0, lengthBytes: 0x9fc00, type: "ram" },
      { baseAddress: 0xf0000, lengthBytes: 0x10000, type: "reserved" },
      { baseAddress: 0xfee00000, lengthBytes: 0x1000, type: 20 },
    ]);
    expect(hw.clock.nowMs()).toBe(4.5);
    fake.clockMs = 9;
    expect(hw.clock.nowMs()).toBe(9);
    expect(hw.bootTimes()).toEqual({ appStartMs: 4.5 });
    expect(hw.cpu).toEqual({ id: 0, count: 1, vendor: "FakeCPU", hypervisor: "FAKE" });
    expect(hw.heapStats()).toEqual({ used: 0, free: 0, peak: 0 });
    hw.console.write("out");
    hw.console.write("err", "stderr");
    expect(fake.writes).toEqual([{ fd: 1, text: "out" }, { fd: 2, text: "err" }]);
    expect(bootCommandLine()).toBe("debug");
    expect(() => exit(5)).toThrow(FakeExit);
  });

  it("validates exit codes before stopping the VM", () => {
    g[INTRINSICS_KEY] = createFakeIntrinsics();
    for (const bad of [-1, 128, 1.5, NaN]) expect(() => exit(bad)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(() => hardware().exit(300)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(() => exit(127)).toThrow(expect.objectContaining({ exitCode: 127 }));
  });

  it("names E820 types", () => {
    expect([1, 2, 3, 4, 5, 0, 99].map(memoryRegionType)).toEqual(["ram", "reserved", "acpi", "nvs", "unusable", 0, 99]);
  });
});
