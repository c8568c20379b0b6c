import fc from "fast-check";
import { createDmaAllocator, createFakeMachine, ToroError } from "@toro/kernel";
import { describe, expect, it } from "vitest";
import { DeviceQueue } from "./testing/device-queue.js";
import { SplitVirtqueue } from "./virtqueue.js";

function setup(size: number, opts: { eventIdx?: boolean; indirect?: boolean } = {}) {
  const machine = createFakeMachine();
  const dma = createDmaAllocator(machine.physical.map(machine.dmaRegion.base, machine.dmaRegion.length), machine.dmaRegion.base);
  let notifications = 0;
  const q = new SplitVirtqueue<string>({
    index: 0,
    size,
    dma,
    eventIdx: opts.eventIdx ?? false,
    indirect: opts.indirect ?? false,
    notify: () => notifications++,
  });
  const dev = new DeviceQueue(machine.physical, q.addresses, { eventIdx: opts.eventIdx ?? false });
  const buf = (bytes: number | Uint8Array) => {
    const b = dma.allocate(typeof bytes === "number" ? bytes : bytes.length);
    if (typeof bytes !== "number") b.view.set(bytes);
    return { physical: b.physical, length: b.view.length, view: b.view };
  };
  return { q, dev, dma, buf, notifications: () => notifications };
}

describe("SplitVirtqueue against the device model", () => {
  it("moves a chain of readable and writable buffers both ways", () => {
    const { q, dev, buf, notifications } = setup(8);
    const out = buf(Uint8Array.of(1, 2, 3));
    const into = buf(4);
    expect(q.add({ readable: [out], writable: [into] }, "req")).toBe(true);
    expect(q.kick()).toBe(true);
    expect(notifications()).toBe(1);
    const [chain] = dev.takeAvailable();
    expect(chain!.readable).toEqual(Uint8Array.of(1, 2, 3));
    expect(chain!.writableBytes).toBe(4);
    expect(chain!.descriptorCount).toBe(2);
    dev.complete(chain!.head, chain!.write(Uint8Array.of(9, 8)));
    expect(q.takeUsed()).toEqual([{ token: "req", length: 2 }]);
    expect(into.view.subarray(0, 2)).toEqual(Uint8Array.of(9, 8));
    expect(q.freeDescriptors).toBe(8);
  });

  it("survives many wrap-arounds of the 16-bit indices with out-of-order completion", () => {
    const { q, dev, buf } = setup(4);
    const b = buf(16);
    let completed = 0;
    for (let round = 0; round < 70000 / 4; round++) {
      for (let i = 0; i < 4; i++) expect(q.add({ readable: [], writable: [b] }, `t${i}`)).toBe(true);
      expect(q.add({ readable: [b], writable: [] }, "full")).toBe(false);
      q.kick();
      const chains = dev.takeAvailable();
      for (const c of chains.reverse()) dev.complete(c.head, 1);
      const used = q.takeUsed();
      expect(used.map((u) => u.token)).toEqual(["t3", "t2", "t1", "t0"]);
      completed += used.length;
    }
    expect(completed).toBe(70000 - (70000 % 4));
  });

  it("uses an indirect table when asked or when direct descriptors run short", () => {
    const { q, dev, buf } = setup(4, { indirect: true });
    const segs = [buf(1), buf(2), buf(3), buf(4), buf(5)];
    expect(() => q.add({ readable: segs, writable: [] }, "too long")).toThrow(ToroError);
    expect(q.add({ readable: segs.slice(0, 3), writable: [segs[3]!] }, "a", true)).toBe(true);
    expect(q.freeDescriptors).toBe(3);
    expect(q.add({ readable: segs.slice(0, 2), writable: [] }, "b")).toBe(true);
    expect(q.add({ readable: segs.slice(0, 4), writable: [] }, "c")).toBe(true); // only 1 free: indirect
    q.kick();
    const chains = dev.takeAvailable();
    expect(chains.map((c) => [c.indirect, c.descriptorCount])).toEqual([[true, 4], [false, 2], [true, 4]]);
    expect(chains[0]!.readable).toHaveLength(6);
    for (const c of chains) dev.complete(c.head, 0);
    expect(q.takeUsed().map((u) => u.token)).toEqual(["a", "b", "c"]);
    expect(q.freeDescriptors).toBe(4);
  });

  it("suppresses notifications and interrupts with EVENT_IDX", () => {
    const { q, dev, buf, notifications } = setup(8, { eventIdx: true });
    const b = buf(8);
    q.add({ readable: [b], writable: [] }, "1");
    expect(q.kick()).toBe(true);
    // The device has not consumed entry 0 yet: its avail_event still says 0, so no new doorbell.
    q.add({ readable: [b], writable: [] }, "2");
    expect(q.kick()).toBe(false);
    const chains = dev.takeAvailable();
    q.add({ readable: [b], writable: [] }, "3");
    expect(q.kick()).toBe(true);
    expect(notifications()).toBe(2);
    // The driver asked for an interrupt after used entry 0 only (used_event = 0 until it reads).
    expect(dev.complete(chains[0]!.head, 0)).toBe(true);
    expect(dev.complete(chains[1]!.head, 0)).toBe(false);
    expect(q.takeUsed()).toHaveLength(2);
    const [third] = dev.takeAvailable();
    expect(dev.complete(third!.head, 0)).toBe(true);
  });

  it("honours VRING_USED_F_NO_NOTIFY without EVENT_IDX", () => {
    const { q, dev, buf } = setup(8);
    dev.suppressNotifications(true);
    q.add({ readable: [buf(1)], writable: [] }, "x");
    expect(q.kick()).toBe(false);
  });

  it.each([
    ["an id out of range", (d: DeviceQueue) => d.completeRaw(9999, 0)],
    ["an id not in flight", (d: DeviceQueue) => d.completeRaw(5, 0)],
    ["a length beyond the buffer", (d: DeviceQueue, head: number) => d.completeRaw(head, 1 << 20)],
    ["an index that jumps past the ring", (d: DeviceQueue, head: number) => d.completeRaw(head, 0, 300)],
  ])("breaks the queue on %s, with a typed error", (_name, hostile) => {
    const { q, dev, buf } = setup(8);
    q.add({ readable: [], writable: [buf(16)] }, "victim");
    q.kick();
    const [chain] = dev.takeAvailable();
    hostile(dev, chain!.head);
    expect(() => q.takeUsed()).toThrow(expect.objectContaining({ code: "EPROTO" }));
    expect(q.broken).toBeInstanceOf(ToroError);
    expect(() => q.add({ readable: [buf(1)], writable: [] }, "after")).toThrow(ToroError);
    expect(q.drain()).toEqual(["victim"]);
  });

  it("never reads out of bounds or accepts garbage, whatever the device writes (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(0xffff), fc.nat(), fc.integer({ min: 0, max: 3 })), { maxLength: 20 }), (entries) => {
        const { q, dev, buf } = setup(8);
        for (let i = 0; i < 5; i++) q.add({ readable: [], writable: [buf(32)] }, `t${i}`);
        q.kick();
        dev.takeAvailable();
        let ok = true;
        for (const [id, len, step] of entries) {
          dev.completeRaw(id, len, step);
          try {
            for (const u of q.takeUsed()) expect(u.length).toBeLessThanOrEqual(32);
          } catch (e) {
            expect((e as ToroError).code).toBe("EPROTO");
            ok = false;
            break;
          }
        }
        return ok || q.broken !== undefined;
      }),
    );
  });
});
