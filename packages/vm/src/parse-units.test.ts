import { describe, expect, it } from "vitest";
import { RunImageError } from "./errors.js";
import { parseDurationMs, parseMemoryMiB, parsePortForward } from "./parse-units.js";

describe("parseMemoryMiB", () => {
  it("reads MiB and GiB, bare numbers as MiB", () => {
    expect(parseMemoryMiB("128M")).toBe(128);
    expect(parseMemoryMiB("128m")).toBe(128);
    expect(parseMemoryMiB("256MiB")).toBe(256);
    expect(parseMemoryMiB("2G")).toBe(2048);
    expect(parseMemoryMiB("512")).toBe(512);
  });

  it("rejects anything else", () => {
    for (const text of ["", "0", "-1M", "12K", "1.5G", "lots"]) expect(() => parseMemoryMiB(text)).toThrow(RunImageError);
  });
});

describe("parseDurationMs", () => {
  it("reads ms, s, m, h; bare numbers as seconds", () => {
    expect(parseDurationMs("30s")).toBe(30_000);
    expect(parseDurationMs("500ms")).toBe(500);
    expect(parseDurationMs("2m")).toBe(120_000);
    expect(parseDurationMs("1h")).toBe(3_600_000);
    expect(parseDurationMs("1.5s")).toBe(1500);
    expect(parseDurationMs("10")).toBe(10_000);
  });

  it("rejects zero, negatives and unknown units", () => {
    for (const text of ["0", "0s", "-3s", "3d", "soon"]) expect(() => parseDurationMs(text)).toThrow(RunImageError);
  });
});

describe("parsePortForward", () => {
  it("reads HOST:GUEST with an optional protocol", () => {
    expect(parsePortForward("8080:80")).toEqual({ protocol: "tcp", host: 8080, guest: 80 });
    expect(parsePortForward("udp:5353:53")).toEqual({ protocol: "udp", host: 5353, guest: 53 });
  });

  it("rejects bad forms and ports", () => {
    for (const text of ["8080", "0:80", "80:65536", "sctp:1:2", "a:b"]) expect(() => parsePortForward(text)).toThrow(RunImageError);
  });
});
