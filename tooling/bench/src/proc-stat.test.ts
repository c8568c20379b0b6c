import { describe, expect, it } from "vitest";
import { cpuTicksFromStat } from "./proc-stat.js";

describe("cpuTicksFromStat", () => {
  it("adds utime and stime", () => {
    // A real line's first 17 fields (pid, comm, state, ppid, …, utime=14, stime=15, cutime, cstime).
    const line = "4242 (qemu-system-x86) S 1 4242 4242 0 -1 4194560 1200 0 0 0 37 12 0 0 20 0 3 0";
    expect(cpuTicksFromStat(line)).toBe(49);
  });
  it("copes with spaces and parentheses in the command name", () => {
    const line = "7 (a b) c)) R 1 7 7 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0";
    expect(cpuTicksFromStat(line)).toBe(11);
  });
  it("rejects garbage", () => {
    expect(() => cpuTicksFromStat("nonsense")).toThrow();
  });
});
