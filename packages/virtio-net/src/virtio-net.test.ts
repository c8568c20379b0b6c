import { createDriverRegistry, discoverDevices, type NetDevice } from "@toro/devices";
import { VirtioFeature } from "@toro/virtio";
import { createFakeVirtioRig, settleMicrotasks as flush, type DeviceChain } from "@toro/virtio/testing";
import { describe, expect, it } from "vitest";
import { finishChecksum, virtioNet, virtioNetDriver } from "./virtio-net.js";

const F_CSUM = 1n << 0n;
const F_GUEST_CSUM = 1n << 1n;
const F_MTU = 1n << 3n;
const F_MAC = 1n << 5n;
const F_STATUS = 1n << 16n;

function rig(transport: "mmio" | "pci", features = F_MAC | F_STATUS | F_MTU | F_CSUM | F_GUEST_CSUM | VirtioFeature.RING_EVENT_IDX, queue = 16) {
  const config = new Uint8Array(12);
  config.set([0x52, 0x54, 0x00, 0xab, 0xcd, 0xef], 0);
  new DataView(config.buffer).setUint16(6, 1, true);
  new DataView(config.buffer).setUint16(10, 1400, true);
  const sent: { header: Uint8Array; frame: Uint8Array }[] = [];
  const heldTx: DeviceChain[] = [];
  let holdTx = false;
  const r = createFakeVirtioRig(transport, {
    deviceType: 1,
    features,
    config,
    queueMaxSizes: [queue, queue],
    onNotify: (index, dev) => {
      if (index !== 1) return;
      for (const chain of dev.queue(1).takeAvailable()) {
        if (holdTx) {
          heldTx.push(chain);
          continue;
        }
        sent.push({ header: chain.readable.slice(0, 12), frame: chain.readable.slice(12) });
        if (dev.queue(1).complete(chain.head, 0)) dev.interruptQueue();
      }
    },
  });
  /** The device receives a frame from the wire and hands it to the driver. */
  const inject = (frame: Uint8Array, header = new Uint8Array(12)) => {
    const [chain] = r.device.queue(0).takeAvailable(1);
    if (chain === undefined) return false;
    chain.write(header);
    const n = chain.write(frame, 12);
    if (r.device.queue(0).complete(chain.head, 12 + n)) r.device.interruptQueue();
    return true;
  };
  return { ...r, sent, heldTx, inject, hold: (on: boolean) => (holdTx = on) };
}

const frame = (n: number, fill = 0xee) => {
  const f = new Uint8Array(n).fill(fill);
  f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0, 0xab, 0xcd, 0xef, 0x08, 0x06]);
  return f;
};

describe.each(["mmio", "pci"] as const)("virtio-net over virtio-%s", (transport) => {
  it("reads MAC, MTU and link status; sends and receives frames", async () => {
    const r = rig(transport);
    const nic = await virtioNet(r.machine, r.found, { dma: r.dma });
    expect([...nic.mac]).toEqual([0x52, 0x54, 0x00, 0xab, 0xcd, 0xef]);
    expect(nic.capabilities).toEqual({ mtu: 1400, rxChecksumOffload: false, txChecksumOffload: true });
    expect(nic.linkUp()).toBe(true);
    const got: Uint8Array[] = [];
    nic.onReceive((f) => got.push(f));
    await nic.send(frame(60));
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.frame).toEqual(frame(60));
    expect(r.sent[0]!.header[0]).toBe(0);
    expect(r.inject(frame(100, 0x11))).toBe(true);
    await flush();
    expect(got).toEqual([frame(100, 0x11)]);
    expect(nic.stats).toMatchObject({ framesSent: 1, framesReceived: 1 });
  });

  it("keeps the receive queue refilled across many more frames than buffers", async () => {
    const r = rig(transport, F_MAC, 8);
    const nic = await virtioNet(r.machine, r.found, { dma: r.dma });
    let count = 0;
    nic.onReceive(() => count++);
    for (let i = 0; i < 100; i++) {
      expect(r.inject(frame(64 + i))).toBe(true);
      if (i % 5 === 4) await flush();
    }
    await flush();
    expect(count).toBe(100);
    expect(r.device.queue(0).pending).toBe(8);
  });

  it("has several frames in flight and waits for room when the transmit queue is full", async () => {
    const r = rig(transport, F_MAC, 4);
    const nic = await virtioNet(r.machine, r.found, { dma: r.dma });
    r.hold(true);
    let accepted = 0;
    const sends = Array.from({ length: 10 }, (_, i) => nic.send(frame(60, i)).then(() => accepted++));
    await flush();
    expect(accepted).toBe(4);
    expect(r.heldTx).toHaveLength(4);
    r.hold(false);
    // Complete out of order; the rest go out as room appears.
    for (const c of r.heldTx.splice(0).reverse()) r.device.queue(1).complete(c.head, 0);
    r.device.interruptQueue();
    await Promise.all(sends);
    expect(accepted).toBe(10);
    await flush();
    expect(r.sent.map((s) => s.frame[14])).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it("asks the device for a checksum when offered, computes it itself when not", async () => {
    const withCsum = rig(transport);
    const nic = await virtioNet(withCsum.machine, withCsum.found, { dma: withCsum.dma });
    await nic.send(frame(80), { checksum: { start: 34, offset: 16 } });
    const h = new DataView(withCsum.sent[0]!.header.buffer);
    expect([h.getUint8(0), h.getUint16(6, true), h.getUint16(8, true)]).toEqual([1, 34, 16]);

    const without = rig(transport, F_MAC);
    const nic2 = await virtioNet(without.machine, without.found, { dma: without.dma });
    expect(nic2.capabilities.txChecksumOffload).toBe(false);
    const f = frame(80);
    f[50] = 0;
    f[51] = 0;
    await nic2.send(f, { checksum: { start: 34, offset: 16 } });
    const out = without.sent[0]!.frame;
    expect(out[0]).toBe(0xff);
    expect(without.sent[0]!.header[0]).toBe(0);
    // The stored checksum makes the ones' complement sum of the covered bytes 0xffff.
    let sum = 0;
    for (let i = 34; i < out.length; i += 2) sum += (out[i]! << 8) | (out[i + 1] ?? 0);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    expect(sum).toBe(0xffff);
  });

  it("finishes partially checksummed received frames (NEEDS_CSUM)", async () => {
    const r = rig(transport);
    const nic = await virtioNet(r.machine, r.found, { dma: r.dma });
    const got: Uint8Array[] = [];
    nic.onReceive((f) => got.push(f));
    const header = new Uint8Array(12);
    const hv = new DataView(header.buffer);
    hv.setUint8(0, 1);
    hv.setUint16(6, 34, true);
    hv.setUint16(8, 16, true);
    const f = frame(90);
    r.inject(f, header);
    await flush();
    const expected = f.slice();
    finishChecksum(expected, 34, 16);
    expect(got[0]).toEqual(expected);
  });

  it("follows the link status and refuses oversize frames", async () => {
    const r = rig(transport);
    const nic = await virtioNet(r.machine, r.found, { dma: r.dma });
    r.device.setConfig(6, Uint8Array.of(0, 0));
    await flush();
    expect(nic.linkUp()).toBe(false);
    r.device.setConfig(6, Uint8Array.of(1, 0));
    await flush();
    expect(nic.linkUp()).toBe(true);
    await expect(nic.send(new Uint8Array(1400 + 19))).rejects.toMatchObject({ code: "EMSGSIZE" });
  });

  it("resets a device that reports impossible receive lengths and fails later sends", async () => {
    const r = rig(transport, F_MAC);
    const nic = await virtioNet(r.machine, r.found, { dma: r.dma });
    const [chain] = r.device.queue(0).takeAvailable(1);
    r.device.queue(0).completeRaw(chain!.head, 1 << 20);
    r.device.interruptQueue();
    await flush();
    expect(nic.linkUp()).toBe(false);
    await expect(nic.send(frame(60))).rejects.toMatchObject({ code: "EIO" });
    expect(r.machine.handledVectors).toEqual([]);
  });

  it("binds through a registry", async () => {
    const r = rig(transport);
    const nic = await createDriverRegistry<NetDevice>([virtioNetDriver(r.machine, { dma: r.dma })]).bindFirst(discoverDevices(r.machine), "net");
    expect(nic.mac).toHaveLength(6);
    await nic.close();
  });
});

it("uses a fallback MAC when the device has none", async () => {
  const r = rig("mmio", 0n);
  const nic = await virtioNet(r.machine, r.found, { dma: r.dma, fallbackMac: Uint8Array.of(2, 0, 0, 0, 0, 1) });
  expect([...nic.mac]).toEqual([2, 0, 0, 0, 0, 1]);
  expect(nic.capabilities.mtu).toBe(1500);
});
