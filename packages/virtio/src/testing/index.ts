// Public entry of @toro/virtio/testing: a device-side model of virtio devices for Node tests — the
// device end of a split queue, a transport-independent device, and virtio-mmio / virtio-pci front
// ends on a fake machine. Test-only: apps never import it. Re-exports only.
export { DeviceQueue, type DeviceChain, type PhysicalMemory } from "./device-queue.js";
export { FakeVirtioDevice, type FakeQueueState, type FakeVirtioDeviceOptions } from "./fake-virtio-device.js";
export { attachVirtioMmio, type FakeMmioPlacement } from "./fake-mmio.js";
export { attachVirtioPci, createFakePciBus, type FakePciBus, type FakePciFunction, type FakePciPlacement } from "./fake-pci.js";
export { createFakeVirtioRig, settleMicrotasks, type FakeVirtioRig } from "./fake-rig.js";
