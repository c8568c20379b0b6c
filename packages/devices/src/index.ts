// Public entry of @toro/devices: device interfaces consumed by upper layers (net, fs) and, later, bus
// discovery and the driver registry. Re-exports only; no side effects.
export type { BlockDevice, BlockDeviceInfo } from "./block-device.js";
export type { NetDevice, NetDeviceCapabilities, NetFrameOptions } from "./net-device.js";
export type { CharDevice } from "./char-device.js";
