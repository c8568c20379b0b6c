// Public entry of @toro/virtio-blk: the virtio block driver (a `BlockDevice`). Re-exports only; no
// registration on import: the app composes the driver.
export { createVirtioBlk, virtioBlk, virtioBlkDriver, VirtioBlk, type VirtioBlkOptions } from "./virtio-blk.js";
