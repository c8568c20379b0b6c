import { createDriverRegistry, discoverDevices, type BlockDevice } from "@toro/devices";
import { ToroError } from "@toro/kernel";
import { VirtioFeature } from "@toro/virtio";
import { createFakeVirtioRig, settleMicrotasks, type DeviceChain, type FakeVirtioDevice } from "@toro/virtio/testing";
import { describe, expect, it } from "vitest";
import { virtioBlk, virtioBlkDriver } from "./virtio-blk.js";

const F_SIZE_MAX = 1n << 1n;
const F_RO = 1n << 5n;
const F_BLK_SIZE = 1n << 6n;
const F_FLUSH = 1n << 9n;

interface DiskModel {
  storage: Uint8Array;
  flushes: number;
  requests: number;
  /** When set, requests are held and completed by the test. */
  held?: DeviceChain[];
  failSector?: number;
}

function serve(dev: FakeVirtioDevice, model: DiskModel, chain: DeviceChain): void {
  const header = new DataView(chain.readable.buffer, 0, 16);
  const type = header.getUint32(0, true);
  const sector = Number(header.getBigUint64(8, true));
  let status = 0;
  let written = 0;
  model.requests++;
  if (sector === model.failSector) status = 1;
  else if (type === 0) {
    const bytes = chain.writableBytes - 1;
    written = chain.write(model.storage.subarray(sector * 512, sector * 512 + bytes));
  } else if (type === 1) {
    model.storage.set(chain.readable.subarray(16), sector * 512);
  } else if (type === 4) {
    model.flushes++;
  } else status = 2;
  chain.write(Uint8Array.of(status), type === 0 ? chain.writableBytes - 1 : 0);
  if (dev.queue(0).complete(chain.head, written + 1)) dev.interruptQueue();
}

function rig(transport: "mmio" | "pci", opts: { features?: bigint; sectors?: number; blkSize?: number; sizeMax?: number; queue?: number } = {}) {
  const sectors = opts.sectors ?? 2048;
  const storage = new Uint8Array(sectors * 512);
  for (let i = 0; i < storage.length; i++) storage[i] = (i * 7 + (i >> 9)) & 0xff;
  const model: DiskModel = { storage, flushes: 0, requests: 0 };
  const config = new Uint8Array(60);
  const v = new DataView(config.buffer);
  v.setBigUint64(0, BigInt(sectors), true);
  v.setUint32(8, opts.sizeMax ?? 0, true);
  v.setUint32(20, opts.blkSize ?? 512, true);
  const r = createFakeVirtioRig(transport, {
    deviceType: 2,
    features: opts.features ?? F_FLUSH | VirtioFeature.RING_EVENT_IDX | VirtioFeature.RING_INDIRECT_DESC,
    config,
    queueMaxSizes: [opts.queue ?? 16],
    onNotify: (index, dev) => {
      for (const chain of dev.queue(index).takeAvailable()) {
        if (model.held !== undefined) model.held.push(chain);
        else serve(dev, model, chain);
      }
    },
  });
  return { ...r, model };
}

describe.each(["mmio", "pci"] as const)("virtio-blk over virtio-%s", (transport) => {
  it("reports geometry, reads known sectors and writes sectors back byte-exact", async () => {
    const { machine, found, dma, model, device } = rig(transport);
    const disk = await virtioBlk(machine, found, { dma });
    expect(disk.info).toEqual({ sectorSize: 512, sectorCount: 2048, readOnly: false, flushable: true });
    expect(device.status & 0x0f).toBe(0x0f);
    const got = new Uint8Array(1024);
    await disk.read(3, got);
    expect(got).toEqual(model.storage.subarray(3 * 512, 5 * 512));
    const pattern = Uint8Array.from({ length: 4096 }, (_, i) => (i * 31) & 0xff);
    await disk.write(100, pattern);
    await disk.flush();
    expect(model.storage.subarray(100 * 512, 108 * 512)).toEqual(pattern);
    expect(model.flushes).toBe(1);
    const back = new Uint8Array(4096);
    await disk.read(100, back);
    expect(back).toEqual(pattern);
  });

  it("keeps many requests in flight, queues the rest (backpressure) and accepts out-of-order completion", async () => {
    const { machine, found, dma, model, device } = rig(transport, { queue: 8 });
    const disk = await virtioBlk(machine, found, { dma });
    model.held = [];
    const reads = Array.from({ length: 40 }, (_, i) => {
      const b = new Uint8Array(512);
      return disk.read(i * 3, b).then(() => b);
    });
    // Only what fits is with the device; complete it backwards, repeatedly.
    while (model.held.length > 0) {
      const batch = model.held.splice(0).reverse();
      model.held = [];
      for (const chain of batch) serve(device, model, chain);
      await settleMicrotasks();
    }
    const results = await Promise.all(reads);
    results.forEach((b, i) => expect(b).toEqual(model.storage.subarray(i * 3 * 512, i * 3 * 512 + 512)));
    expect(model.requests).toBe(40);
  });

  it("splits requests larger than size_max", async () => {
    const { machine, found, dma, model } = rig(transport, { features: F_SIZE_MAX, sizeMax: 4096 });
    const disk = await virtioBlk(machine, found, { dma });
    const buf = new Uint8Array(64 * 512);
    await disk.read(0, buf);
    expect(buf).toEqual(model.storage.subarray(0, buf.length));
    expect(model.requests).toBe(8);
  });

  it("uses the logical block size", async () => {
    const { machine, found, dma, model } = rig(transport, { features: F_BLK_SIZE, blkSize: 4096, sectors: 64 });
    const disk = await virtioBlk(machine, found, { dma });
    expect(disk.info).toMatchObject({ sectorSize: 4096, sectorCount: 8, flushable: false });
    const buf = new Uint8Array(4096);
    await disk.read(2, buf);
    expect(buf).toEqual(model.storage.subarray(8192, 12288));
    await disk.flush(); // no FLUSH feature: nothing to do
    expect(model.flushes).toBe(0);
  });

  it("refuses writes on a read-only disk with EROFS", async () => {
    const { machine, found, dma, model } = rig(transport, { features: F_RO });
    const disk = await virtioBlk(machine, found, { dma });
    expect(disk.info.readOnly).toBe(true);
    await expect(disk.write(0, new Uint8Array(512))).rejects.toMatchObject({ code: "EROFS" });
    expect(model.requests).toBe(0);
  });

  it("rejects bad ranges with EINVAL and device errors with EIO", async () => {
    const { machine, found, dma, model } = rig(transport);
    const disk = await virtioBlk(machine, found, { dma });
    await expect(disk.read(2048, new Uint8Array(512))).rejects.toMatchObject({ code: "EINVAL" });
    await expect(disk.read(0, new Uint8Array(100))).rejects.toMatchObject({ code: "EINVAL" });
    await expect(disk.read(-1, new Uint8Array(512))).rejects.toBeInstanceOf(ToroError);
    model.failSector = 7;
    await expect(disk.read(7, new Uint8Array(512))).rejects.toMatchObject({ code: "EIO" });
    await disk.read(8, new Uint8Array(512));
  });

  it("resets a hostile device and fails its requests with EIO instead of hanging", async () => {
    const { machine, found, dma, model, device } = rig(transport);
    const disk = await virtioBlk(machine, found, { dma });
    model.held = [];
    const pending = [disk.read(0, new Uint8Array(512)), disk.read(1, new Uint8Array(512))];
    const resetsBefore = device.resets;
    device.queue(0).completeRaw(4000, 0); // a used id that was never made available
    device.interruptQueue();
    for (const p of pending) await expect(p).rejects.toMatchObject({ code: "EIO" });
    expect(device.resets).toBe(resetsBefore + 1);
    await expect(disk.read(0, new Uint8Array(512))).rejects.toMatchObject({ code: "EIO" });
    expect(machine.handledVectors).toEqual([]);
  });

  it("fails pending requests when the device asks to be reset", async () => {
    const { machine, found, dma, model, device } = rig(transport);
    const disk = await virtioBlk(machine, found, { dma });
    model.held = [];
    const pending = disk.read(0, new Uint8Array(512));
    device.requestReset();
    await expect(pending).rejects.toMatchObject({ code: "EIO" });
  });

  it("is found and bound through an app-composed registry", async () => {
    const { machine, dma } = rig(transport);
    const registry = createDriverRegistry<BlockDevice>([virtioBlkDriver(machine, { dma })]);
    const disk = await registry.bindFirst(discoverDevices(machine), "block");
    expect(disk.info.sectorCount).toBe(2048);
    await expect(registry.bindFirst(discoverDevices(machine), "net")).rejects.toMatchObject({ code: "ENODEV" });
  });
});

it("refuses a legacy-only device (no VERSION_1)", async () => {
  const config = new Uint8Array(60);
  const r = createFakeVirtioRig("mmio", { deviceType: 2, features: 0n, config, queueMaxSizes: [8], legacyOnly: true });
  await expect(virtioBlk(r.machine, r.found, { dma: r.dma })).rejects.toMatchObject({ code: "ENOTSUP" });
  expect(r.device.status & 0x80).toBe(0x80);
});
