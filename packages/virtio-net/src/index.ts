// Public entry of @toro/virtio-net: the virtio network driver (a `NetDevice`). Re-exports only; no
// registration on import: the app composes the driver.
export { createVirtioNet, finishChecksum, virtioNet, virtioNetDriver, VirtioNet, type VirtioNetOptions, type VirtioNetStats } from "./virtio-net.js";
