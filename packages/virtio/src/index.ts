// Public entry of @toro/virtio: split virtqueues, feature negotiation, device initialization, the
// virtio-pci / virtio-mmio transports and the driver bring-up the device drivers share. Re-exports
// only; no side effects. The device model for tests is the "./testing" entry.
export { negotiateFeatures, VirtioFeature, VirtioStatus } from "./features.js";
export { DescFlag, DESCRIPTOR_BYTES, needEvent, ringLayout, type RingLayout } from "./ring-layout.js";
export { SplitVirtqueue, type Chain, type DmaSegment, type UsedBuffer, type VirtqueueOptions } from "./virtqueue.js";
export type { InterruptCause, QueueAddresses, VirtioTransport } from "./transport.js";
export { virtioMmioTransport } from "./mmio-transport.js";
export { readVirtioPciStructures, virtioPciTransport, type VirtioPciStructure } from "./pci-transport.js";
export { openTransport } from "./open-transport.js";
export { openVirtioDevice, VirtioDevice, type ConfigReader, type OpenVirtioOptions } from "./virtio-device.js";
export {
  startVirtioDriver,
  startVirtioDriverOn,
  virtioDriverEntry,
  type ServicedVirtioDriver,
  type VirtioDriverOptions,
  type VirtioDriverSpec,
} from "./virtio-driver.js";
