import { describe, expect, it } from "vitest";
import { ratio, summarize } from "./stats.js";

describe("summarize", () => {
  it("takes the middle value of an odd count", () => {
    expect(summarize([5, 1, 3])).toEqual({ n: 3, median: 3, min: 1, max: 5, mean: 3 });
  });
  it("averages the two middle values of an even count", () => {
    expect(summarize([4, 1, 2, 10]).median).toBe(3);
  });
  it("does not reorder its input", () => {
    const input = [3, 1, 2];
    summarize(input);
    expect(input).toEqual([3, 1, 2]);
  });
  it("refuses empty and non-finite samples", () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(RangeError);
  });
});

describe("ratio", () => {
  it("divides", () => {
    expect(ratio(30, 10)).toBe(3);
  });
  it("is null without a usable baseline", () => {
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(undefined, 2)).toBeNull();
    expect(ratio(2, undefined)).toBeNull();
  });
});
