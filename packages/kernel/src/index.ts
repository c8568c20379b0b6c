// Public entry of @toro/kernel: the typed face of the hardware (interface, in-image implementation,
// fake for tests), the shared error base and the pure UTF-8 encoder behind TextEncoder (for units that
// must not use runtime globals). Re-exports only: no side effects, and none of the runtime globals
// themselves (that is the "./runtime" entry, which the linker bundles separately).
export { ToroError } from "./errors.js";
export { encodeUtf8 } from "./runtime/utf8.js";
export {
  bootCommandLine,
  exit,
  hardware,
  memoryRegionType,
  type BootTimes,
  type CpuInfo,
  type Hardware,
  type HeapStats,
  type MemoryRegion,
  type MemoryRegionType,
} from "./hardware.js";
export { createFakeHardware, FakeExit, type ConsoleWrite, type FakeHardware, type FakeHardwareOptions } from "./fake-hardware.js";
export { parseBootCommandLine, type BootCommandLine } from "./boot-command-line.js";
export {
  deviceHardware,
  type DeviceHardware,
  type DmaAllocator,
  type DmaBuffer,
  type InterruptController,
  type IoapicRoute,
  type MmioWidth,
  type MsiMessage,
  type PhysicalRange,
  type PortWidth,
} from "./hardware-io.js";
export { createDmaAllocator, dmaAllocatorFor } from "./hardware-io-dma.js";
export {
  createFakeMachine,
  type FakeMachine,
  type FakeIoapicRoute,
  type FakeMachineOptions,
  type FakeMmioHandler,
  type FakePortHandler,
} from "./hardware-io-fake.js";
export { coreHardware, type CoreHardware, type CoreRegion } from "./hardware-cores.js";
export { createFakeCores, type FakeCore, type FakeCores, type FakeCoresOptions } from "./hardware-cores-fake.js";
