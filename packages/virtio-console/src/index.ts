// Public entry of @toro/virtio-console: the virtio console driver (a `CharDevice` on port 0).
// Re-exports only; no registration on import: the app composes the driver.
export { createVirtioConsole, virtioConsole, virtioConsoleDriver, VirtioConsole, type VirtioConsoleOptions } from "./virtio-console.js";
