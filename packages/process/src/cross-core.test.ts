import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker } from "node:worker_threads";
import { build } from "esbuild";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coreLinksBytes } from "./core-links.js";
import { ringBytes } from "./spsc-ring.js";

let script = "";
beforeAll(async () => {
  const entry = fileURLToPath(new URL("./cross-core.worker.ts", import.meta.url));
  const out = await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "node", write: false, conditions: ["toro-source"] });
  script = join(mkdtempSync(join(tmpdir(), "toro-process-")), "worker.mjs");
  writeFileSync(script, out.outputFiles[0]!.text);
});
const live: Worker[] = [];
afterAll(async () => {
  await Promise.all(live.map((w) => w.terminate()));
});

interface Result {
  echoed: unknown[];
  square: number;
  sum: number;
  errors: string[];
  bells: number;
}

async function run(load: unknown[], capacity: number): Promise<Result> {
  const rings = new SharedArrayBuffer(2 * ringBytes(capacity));
  const links = new SharedArrayBuffer(coreLinksBytes(2, 1024));
  const { port1, port2 } = new MessageChannel();
  const workers = [port1, port2].map(
    (bell, core) =>
      new Worker(script, { workerData: { core, rings, ringBytes: ringBytes(capacity), links, bell, load }, transferList: [bell] }),
  );
  live.push(...workers);
  try {
    return await new Promise<Result>((resolve, reject) => {
      for (const w of workers) w.on("error", reject);
      workers[0]!.on("message", resolve);
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

// JSON values that survive a round trip unchanged (no -0, no undefined, no NaN).
const jsonValue = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);

describe("cross-core channels between worker threads (real concurrency)", () => {
  it("a generated load round-trips core 0 -> core 1 -> core 0 in order and intact; RPC spawns work", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonValue, { minLength: 1, maxLength: 300 }), fc.constantFrom(256, 1024, 8192), async (load, capacity) => {
        // A message must fit the ring; the property is about order and content, not size limits.
        const fits = load.filter((v) => new TextEncoder().encode(JSON.stringify(v)).length <= capacity / 2 - 8);
        const r = await run(fits, capacity);
        expect(r.echoed).toEqual(fits);
        expect(r.square).toBe(144);
        expect(r.sum).toBe(10);
        expect(r.errors).toEqual(['EREMOTE: core 1: entry failed on purpose', 'ENOENT: core 1: no entry named "missing"']);
      }),
      { numRuns: 12 },
    );
  });
});
