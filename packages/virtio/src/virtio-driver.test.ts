import { describe, expect, it } from "vitest";
import { VirtioFeature } from "./features.js";
import { createFakeVirtioRig, settleMicrotasks } from "./testing/index.js";
import type { VirtioDevice } from "./virtio-device.js";
import { startVirtioDriverOn, virtioDriverEntry, type VirtioDriverOptions, type VirtioDriverSpec } from "./virtio-driver.js";

class Probe {
  readonly services: boolean[] = [];
  constructor(readonly dev: VirtioDevice) {
    dev.ready();
  }
  service(configChanged: boolean): void {
    this.services.push(configChanged);
  }
}

const spec: VirtioDriverSpec<Probe, VirtioDriverOptions> = {
  name: "virtio-probe",
  kind: "probe",
  deviceType: 2,
  description: "a probe",
  transitionalDeviceId: 0x1001,
  wantedFeatures: 1n << 9n,
  queues: 1,
  defaultMaxQueueSize: 8,
  create: (dev) => new Probe(dev),
};

describe.each(["mmio", "pci"] as const)("virtio driver bring-up over virtio-%s", (transport) => {
  const rig = (deviceType = 2) =>
    createFakeVirtioRig(transport, { deviceType, features: (1n << 9n) | (1n << 5n) | VirtioFeature.RING_EVENT_IDX, config: new Uint8Array(8), queueMaxSizes: [64] });

  it("negotiates the spec's features, sizes the queue and routes interrupts to service", async () => {
    const r = rig();
    const probe = await startVirtioDriverOn(spec, r.machine, r.found, { dma: r.dma });
    expect(probe.dev.has(1n << 9n)).toBe(true);
    expect(probe.dev.has(1n << 5n)).toBe(false);
    expect(probe.dev.queue(0).size).toBe(8);
    r.device.interruptQueue();
    await settleMicrotasks();
    r.device.setConfig(0, Uint8Array.of(1));
    await settleMicrotasks();
    // A queue interrupt may also be reported as a possible config change (shared vector); a config
    // change always is.
    expect(probe.services).toHaveLength(2);
    expect(probe.services[1]).toBe(true);
  });

  it("takes the options' queue size over the default", async () => {
    const r = rig();
    const probe = await startVirtioDriverOn(spec, r.machine, r.found, { dma: r.dma, maxQueueSize: 32 });
    expect(probe.dev.queue(0).size).toBe(32);
  });

  it("rejects another device type with ENODEV", async () => {
    const r = rig(1);
    await expect(startVirtioDriverOn(spec, r.machine, r.found, { dma: r.dma })).rejects.toMatchObject({
      code: "ENODEV",
      message: "virtio device type 1 is not a probe",
    });
  });

  it("gives a registry entry with the modern and transitional ids", async () => {
    const r = rig();
    const entry = virtioDriverEntry(spec, r.machine, { dma: r.dma });
    expect(entry).toMatchObject({ name: "virtio-probe", kind: "probe" });
    expect(entry.ids).toEqual([
      { vendorId: 0x1af4, deviceId: 0x1042 },
      { vendorId: 0x1af4, deviceId: 0x1001 },
    ]);
    expect(await entry.create(r.found)).toBeInstanceOf(Probe);
  });
});
