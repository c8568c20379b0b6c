import { createFakeCores } from "@toro/kernel";
import { describe, expect, it } from "vitest";
import { createCoreMemory } from "./core-memory.js";

describe("createCoreMemory over fake cores", () => {
  it("formats each core's DMA region and sends cross-core frees back to the owner", () => {
    const { cores } = createFakeCores({ count: 3, dmaBytes: 1 << 20 });
    const memories = cores.map((hw) => createCoreMemory(hw));
    const block = memories[0]!.allocate(300);
    const small = memories[0]!.allocate(64);
    expect(memories[0]!.stats().inUseBytes).toBeGreaterThan(0);
    // Before attaching, another core's block is foreign.
    expect(() => memories[1]!.free(block.address)).toThrow(expect.objectContaining({ code: "EFOREIGN" }));
    for (const m of memories) m.attach();
    expect(memories.every((m) => m.attached)).toBe(true);
    memories[1]!.free(block.address);
    memories[2]!.free(small.address);
    expect(memories[0]!.reclaim()).toBe(2);
    const s = memories[0]!.stats();
    expect([s.inUseBytes, s.remoteFrees, s.core]).toEqual([0, 2, 0]);
    // Local frees stay local.
    const own = memories[2]!.allocate(4096);
    memories[2]!.free(own);
    expect(memories[2]!.stats()).toMatchObject({ inUseBytes: 0, remoteFrees: 0, frees: 1 });
  });

  it("refuses a core without a DMA region", () => {
    const { cores } = createFakeCores({ count: 1 });
    const hw = { ...cores[0]!, id: 0, dmaRegions: [] };
    expect(() => createCoreMemory(hw)).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });
});
