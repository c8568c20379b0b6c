import { describe, expect, it } from "vitest";
import { CASE_NAMES, parseBenchArgs } from "./cli-args.js";

describe("parseBenchArgs", () => {
  it("defaults to every case, 10 runs, with the report", () => {
    const o = parseBenchArgs([]);
    expect(o.cases).toEqual([...CASE_NAMES]);
    expect(o.runs).toBe(10);
    expect(o.quick).toBe(false);
    expect(o.writeReport).toBe(true);
    expect(o.idleSeconds).toBe(10);
  });
  it("--quick lowers the run count", () => {
    expect(parseBenchArgs(["--quick"]).runs).toBe(3);
    expect(parseBenchArgs(["--quick", "--runs", "5"]).runs).toBe(5);
  });
  it("--only picks cases (with aliases, commas, repeats) in canonical order and skips the report", () => {
    const o = parseBenchArgs(["--only", "memory-floor,boot", "--only", "size"]);
    expect(o.cases).toEqual(["boot", "size", "memory"]);
    expect(o.writeReport).toBe(false);
  });
  it("knows the micro-benchmark cases and their aliases", () => {
    expect(parseBenchArgs(["--only", "cores,yield,cross-core,allocator"]).cases).toEqual(["yield", "alloc", "cross-core", "cores"]);
    expect(parseBenchArgs(["--only", "smp"]).cases).toEqual(["cores"]);
  });

  it("knows the I/O cases and their aliases", () => {
    expect(parseBenchArgs(["--only", "http,fs,blk"]).cases).toEqual(["blk", "fs", "http"]);
    expect(parseBenchArgs(["--only", "throughput,tcp,fat,virtio-blk"]).cases).toEqual(["blk", "fs", "http"]);
  });
  it("ignores pnpm's bare --", () => {
    expect(parseBenchArgs(["--", "--quick"]).quick).toBe(true);
  });
  it("takes --json, --no-report and --no-linux", () => {
    const o = parseBenchArgs(["--json", "out.json", "--no-report", "--no-linux"]);
    expect(o.jsonPath).toBe("out.json");
    expect(o.writeReport).toBe(false);
    expect(o.skipLinux).toBe(true);
  });
  it("rejects unknown cases, flags and bad numbers", () => {
    expect(() => parseBenchArgs(["--only", "nope"])).toThrow(/unknown case/);
    expect(() => parseBenchArgs(["--fast"])).toThrow();
    expect(() => parseBenchArgs(["--runs", "0"])).toThrow(/--runs/);
    expect(() => parseBenchArgs(["--runs", "2.5"])).toThrow(/--runs/);
  });
});
