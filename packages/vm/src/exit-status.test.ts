import { describe, expect, it } from "vitest";
import { decodeExitStatus } from "./exit-status.js";

describe("decodeExitStatus", () => {
  it("decodes odd statuses written through isa-debug-exit", () => {
    expect(decodeExitStatus(1)).toBe(0);
    expect(decodeExitStatus(3)).toBe(1);
    expect(decodeExitStatus(255)).toBe(127);
    for (let code = 0; code <= 127; code++) expect(decodeExitStatus((code << 1) | 1)).toBe(code);
  });

  it("reports no code for even statuses and signals", () => {
    expect(decodeExitStatus(0)).toBeNull();
    expect(decodeExitStatus(2)).toBeNull();
    expect(decodeExitStatus(null)).toBeNull();
  });
});
