import { describe, expect, it } from "vitest";
import { findFloor } from "./bisect.js";

const atLeast = (floor: number) => async (value: number) => value >= floor;

describe("findFloor", () => {
  it("finds the floor between the bounds", async () => {
    const result = await findFloor(2, 256, atLeast(37));
    expect(result.floor).toBe(37);
    // high, low, then ~log2(254) bisection steps
    expect(result.probes.length).toBeLessThanOrEqual(2 + 8);
    expect(result.probes[0]).toEqual({ value: 256, ok: true });
  });
  it("returns low when low already passes", async () => {
    expect((await findFloor(4, 64, atLeast(1))).floor).toBe(4);
  });
  it("returns null when high fails", async () => {
    const result = await findFloor(4, 64, atLeast(100));
    expect(result.floor).toBeNull();
    expect(result.probes).toEqual([{ value: 64, ok: false }]);
  });
  it("handles a floor right above low", async () => {
    expect((await findFloor(2, 3, atLeast(3))).floor).toBe(3);
  });
  it("rejects bad bounds", async () => {
    await expect(findFloor(10, 2, atLeast(1))).rejects.toThrow(RangeError);
  });
});
