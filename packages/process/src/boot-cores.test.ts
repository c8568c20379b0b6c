import { createFakeCores, type CoreHardware } from "@toro/kernel";
import { describe, expect, it } from "vitest";
import { bootCores, sharedLayoutBytes, type CoreNode } from "./boot-cores.js";
import { hostTimer } from "./clock.js";
import { createScheduler } from "./scheduler.js";

// Every simulated core gets its own scheduler on real time; they share one JS thread, which is
// enough to check the protocol (layout, ready handshake, doorbells, spawn, channels, main).
function schedulerFor(core: number) {
  const clock = { nowMs: () => performance.now() };
  return createScheduler({ clock, timer: hostTimer(clock, { setTimeout, clearTimeout }), core, macrotask: setImmediate });
}

function entriesFor(nodes: CoreNode[], core: number) {
  return {
    square: (n: number) => n * n,
    whoami: () => core,
    relay: async (rounds: number) => {
      const node = nodes[core]!;
      const from = node.receiver<number[]>((core + node.count - 1) % node.count);
      const to = node.sender<number[]>((core + 1) % node.count);
      for (let i = 0; i < rounds; i++) {
        const r = await from.recv();
        if (!r.ok) throw new Error("relay recv failed");
        await to.send([...r.value, core]);
      }
      return rounds;
    },
  };
}

async function bootAll(hws: readonly CoreHardware[], attach: number[] = [], reclaim: number[] = []): Promise<CoreNode[]> {
  const nodes: CoreNode[] = [];
  // Boot the highest core first: cores that start before core 0 laid out the region must wait.
  const booted = [...hws].reverse().map((hw) =>
    bootCores({
      hw,
      scheduler: schedulerFor(hw.id),
      entries: entriesFor(nodes, hw.id),
      memory: { attach: () => attach.push(hw.id), reclaim: () => (reclaim.push(hw.id), 0) },
    }).then((node) => (nodes[hw.id] = node)),
  );
  await Promise.all(booted);
  return nodes;
}

describe("bootCores on fake cores", () => {
  it("lays out, waits for every core, attaches memory once all are ready, and spawns by name", async () => {
    const fake = createFakeCores({ count: 3, online: [1, 2] });
    const attach: number[] = [];
    const reclaim: number[] = [];
    // Core 0 comes online last (as if its INIT/SIPI were slow): the others wait on their doorbells.
    const nodes: CoreNode[] = [];
    const early = [2, 1].map((id) =>
      bootCores({
        hw: fake.cores[id]!,
        scheduler: schedulerFor(id),
        entries: entriesFor(nodes, id),
        memory: { attach: () => attach.push(id), reclaim: () => (reclaim.push(id), 0) },
      }).then((n) => (nodes[id] = n)),
    );
    await new Promise((r) => setImmediate(r));
    expect(attach).toEqual([]);
    fake.setOnline(0);
    const zero = bootCores({
      hw: fake.cores[0]!,
      scheduler: schedulerFor(0),
      entries: entriesFor(nodes, 0),
      memory: { attach: () => attach.push(0), reclaim: () => (reclaim.push(0), 0) },
    }).then((n) => (nodes[0] = n));
    await Promise.all([...early, zero]);
    expect(attach.sort()).toEqual([0, 1, 2]);
    expect(reclaim.length).toBeGreaterThan(0); // doorbells ran the reclaim hook

    const node = nodes[0]!;
    const result = await node.main(async () => {
      // A thread blocks on one thing at a time: start every spawn, then join them one by one.
      const squareThreads = [1, 2].map((core) => node.spawn<number>("square", [core + 10], { core }));
      const idThreads = [0, 1, 2].map((core) => node.spawn<number>("whoami", [], { core }));
      const squares: number[] = [];
      for (const t of squareThreads) squares.push(await t.join());
      const ids: number[] = [];
      for (const t of idThreads) ids.push(await t.join());
      let missing = "";
      try {
        await node.spawn("nope", [], { core: 1 }).join();
      } catch (error) {
        missing = (error as { code: string }).code;
      }
      return { squares, ids, missing };
    });
    expect(result).toEqual({ squares: [121, 144], ids: [0, 1, 2], missing: "ENOENT" });
    expect(fake.cores[0]!.hasDoorbellHandler).toBe(false); // main returned: core 0 stops serving
    expect(fake.cores[1]!.hasDoorbellHandler).toBe(true);
    expect(() => node.sender(0)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(() => node.receiver(1, 1)).toThrow(expect.objectContaining({ code: "EINVAL" }));
  });

  it("passes a token around the ring of cores through app channels", async () => {
    const fake = createFakeCores({ count: 4 });
    const nodes = await bootAll(fake.cores);
    const node = nodes[0]!;
    const paths = await node.main(async () => {
      const relays = [1, 2, 3].map((core) => node.spawn<number>("relay", [5], { core }));
      const out = node.sender<number[]>(1);
      const back = node.receiver<number[]>(3);
      const seen: string[] = [];
      for (let round = 0; round < 5; round++) {
        await out.send([0]);
        const r = await back.recv();
        seen.push(r.ok ? [...r.value, 0].join(">") : "lost");
      }
      for (const t of relays) expect(await t.join()).toBe(5);
      return seen;
    });
    expect(paths).toEqual(Array(5).fill("0>1>2>3>0"));
    expect(nodes[1]!.stats().doorbells).toBeGreaterThan(0);
    expect(nodes[1]!.stats().scheduler.finished).toBeGreaterThan(0);
  });

  it("fits 16 cores in 1 MiB by shrinking rings, and refuses what cannot fit", async () => {
    expect(sharedLayoutBytes(4, 1, 16384)).toBeLessThanOrEqual(1 << 20);
    const nodes = await bootAll(createFakeCores({ count: 16, dmaBytes: 4096 }).cores);
    expect(nodes.length).toBe(16);
    const hw = createFakeCores({ count: 2, sharedBytes: 8192 }).cores[0]!;
    await expect(bootCores({ hw, scheduler: schedulerFor(0), entries: {}, ringCapacity: 16384 })).rejects.toMatchObject({ code: "ENOSPC" });
  });
});
