import { VirtioFeature } from "@toro/virtio";
import { createFakeVirtioRig, settleMicrotasks as flush, type DeviceChain } from "@toro/virtio/testing";
import { describe, expect, it } from "vitest";
import { virtioConsole } from "./virtio-console.js";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => String.fromCharCode(...b);

function rig(transport: "mmio" | "pci") {
  const output: number[] = [];
  const held: DeviceChain[] = [];
  let hold = false;
  const r = createFakeVirtioRig(transport, {
    deviceType: 3,
    features: VirtioFeature.RING_EVENT_IDX,
    config: new Uint8Array(12),
    queueMaxSizes: [4, 4],
    onNotify: (index, dev) => {
      if (index !== 1) return;
      for (const c of dev.queue(1).takeAvailable()) {
        if (hold) held.push(c);
        else {
          output.push(...c.readable);
          if (dev.queue(1).complete(c.head, 0)) dev.interruptQueue();
        }
      }
    },
  });
  const type = (text: string) => {
    const [c] = r.device.queue(0).takeAvailable(1);
    const n = c!.write(ascii(text));
    if (r.device.queue(0).complete(c!.head, n)) r.device.interruptQueue();
  };
  return { ...r, output, held, type, hold: (on: boolean) => (hold = on) };
}

describe.each(["mmio", "pci"] as const)("virtio-console over virtio-%s", (transport) => {
  it("writes text the host sees, in order, split into chunks", async () => {
    const r = rig(transport);
    const port = await virtioConsole(r.machine, r.found, { dma: r.dma });
    await port.write(ascii("hello from toro\n"));
    const big = new Uint8Array(10000).map((_, i) => 65 + (i % 26));
    await port.write(big);
    expect(text(Uint8Array.from(r.output.slice(0, 16)))).toBe("hello from toro\n");
    expect(Uint8Array.from(r.output.slice(16))).toEqual(big);
  });

  it("delivers input, including what arrived before a handler was set, and keeps buffers posted", async () => {
    const r = rig(transport);
    const port = await virtioConsole(r.machine, r.found, { dma: r.dma });
    r.type("early ");
    await flush();
    let got = "";
    port.onData((b) => (got += text(b)));
    for (let i = 0; i < 10; i++) {
      r.type(`line${i} `);
      await flush();
    }
    expect(got).toBe("early line0 line1 line2 line3 line4 line5 line6 line7 line8 line9 ");
  });

  it("resolves a write only when the device consumed it, and fails pending writes on close", async () => {
    const r = rig(transport);
    const port = await virtioConsole(r.machine, r.found, { dma: r.dma });
    r.hold(true);
    let done = false;
    const w = port.write(Uint8Array.of(1, 2, 3)).then(() => (done = true));
    await flush();
    expect(done).toBe(false);
    const [c] = r.held.splice(0);
    r.device.queue(1).complete(c!.head, 0);
    r.device.interruptQueue();
    await w;
    expect(done).toBe(true);
    const pending = port.write(Uint8Array.of(4));
    await port.close();
    await expect(pending).rejects.toMatchObject({ code: "EIO" });
  });
});
