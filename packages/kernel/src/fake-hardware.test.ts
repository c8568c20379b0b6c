import { describe, expect, it } from "vitest";
import { createFakeHardware, FakeExit } from "./fake-hardware.js";

describe("createFakeHardware", () => {
  it("has a clock the test moves, captured output and the given boot facts", () => {
    const hw = createFakeHardware({ cmdline: "a=1", startMs: 2, appStartMs: 3, cpu: { count: 4 } });
    expect(hw.clock.nowMs()).toBe(2);
    hw.advance(5.5);
    expect(hw.clock.nowMs()).toBe(7.5);
    expect(() => hw.advance(-1)).toThrow(RangeError);
    hw.console.write("x");
    hw.console.write("y", "stderr");
    hw.console.write("z\n");
    expect(hw.stdout).toBe("xz\n");
    expect(hw.stderr).toBe("y");
    expect(hw.writes).toHaveLength(3);
    expect(hw.bootCommandLine()).toBe("a=1");
    expect(hw.bootTimes()).toEqual({ appStartMs: 3 });
    expect(hw.cpu).toMatchObject({ id: 0, count: 4 });
    expect(hw.memoryMap()[0]).toMatchObject({ type: "ram" });
  });

  it("records exit and throws FakeExit instead of stopping", () => {
    const hw = createFakeHardware();
    expect(hw.exitCode).toBeUndefined();
    expect(() => hw.exit(3)).toThrow(FakeExit);
    expect(() => hw.exit(4)).toThrow(expect.objectContaining({ exitCode: 4 }));
    expect(hw.exitCode).toBe(3);
    expect(() => hw.exit(200)).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });
});
