// VirtIO transport layer (@toro/virtio): virtio-pci modern (virtio 1.2 §4.1): the vendor-specific
// capabilities locate the common, notify, ISR and device configuration structures in BARs; one
// MSI-X vector serves configuration changes and every queue. Imports the kernel's face and
// @toro/devices' PCI helpers only.
import { ToroError, type DeviceHardware } from "@toro/kernel";
import { enableBusMaster, readMsix, setMsixEnabled, writeMsixEntry, type FoundPciDevice, type PciConfigAccess, type PciFunction } from "@toro/devices";
import type { InterruptCause, QueueAddresses, VirtioTransport } from "./transport.js";

/** One virtio structure found through a vendor capability (virtio 1.2 §4.1.4). */
export interface VirtioPciStructure {
  /** cfg_type: 1 common, 2 notify, 3 ISR, 4 device, 5 PCI config access. */
  readonly type: number;
  /** Physical address (BAR address + offset). */
  readonly address: number;
  /** Length in bytes. */
  readonly length: number;
  /** For the notify structure: notify_off_multiplier. */
  readonly notifyMultiplier: number;
}

/**
 * Reads the virtio vendor capabilities of a function (virtio 1.2 §4.1.4). Capabilities whose BAR is
 * absent, not memory, or too small for them are skipped; the first usable one of each type wins.
 *
 * @param config - configuration access
 * @param fn - the function
 * @returns the structures by type
 * @example
 * ```ts
 * const common = readVirtioPciStructures(config, fn).get(1);
 * ```
 */
export function readVirtioPciStructures(config: PciConfigAccess, fn: PciFunction): Map<number, VirtioPciStructure> {
  const out = new Map<number, VirtioPciStructure>();
  for (const cap of fn.capabilities) {
    if (cap.id !== 0x09) continue;
    const capLength = config.read(fn, cap.offset + 2, 1);
    if (capLength < 16) continue;
    const type = config.read(fn, cap.offset + 3, 1);
    const barIndex = config.read(fn, cap.offset + 4, 1);
    const offset = config.read(fn, cap.offset + 8, 4) >>> 0;
    const length = config.read(fn, cap.offset + 12, 4) >>> 0;
    const bar = fn.bars.find((b) => b.index === barIndex && b.kind === "memory");
    if (out.has(type) || bar === undefined || bar.address === 0 || offset + length > bar.sizeBytes) continue;
    const notifyMultiplier = type === 2 && capLength >= 20 ? config.read(fn, cap.offset + 16, 4) >>> 0 : 0;
    out.set(type, { type, address: bar.address + offset, length, notifyMultiplier });
  }
  return out;
}

// virtio 1.2 §4.1.4.3: struct virtio_pci_common_cfg.
const C = {
  deviceFeatureSelect: 0,
  deviceFeature: 4,
  driverFeatureSelect: 8,
  driverFeature: 12,
  configMsixVector: 16,
  numQueues: 18,
  deviceStatus: 20,
  configGeneration: 21,
  queueSelect: 22,
  queueSize: 24,
  queueMsixVector: 26,
  queueEnable: 28,
  queueNotifyOff: 30,
  queueDesc: 32,
  queueDriver: 40,
  queueDevice: 48,
} as const;
const NO_VECTOR = 0xffff;

/**
 * Opens a virtio-pci modern device: enables bus mastering, finds its structures, sets up MSI-X.
 *
 * @param hw - the device hardware
 * @param found - the PCI device from `discoverDevices`
 * @returns its transport
 * @throws ToroError `ENOTSUP` when the function lacks the modern structures or MSI-X.
 * @example
 * ```ts
 * const transport = virtioPciTransport(hw, found);
 * ```
 */
export function virtioPciTransport(hw: DeviceHardware, found: FoundPciDevice): VirtioTransport {
  const { pci: fn, config } = found;
  const structures = readVirtioPciStructures(config, fn);
  const common = structures.get(1);
  const notifyCfg = structures.get(2);
  const isr = structures.get(3);
  const device = structures.get(4);
  if (common === undefined || common.length < 56 || notifyCfg === undefined || isr === undefined) {
    throw new ToroError("ENOTSUP", `PCI ${fn.bus}:${fn.device}.${fn.function} has no virtio 1.x structures`, {
      hint: "use a modern virtio-pci device (QEMU: disable-legacy=on or a non-transitional device)",
    });
  }
  const msix = readMsix(config, fn);
  if (msix === undefined) {
    throw new ToroError("ENOTSUP", `PCI ${fn.bus}:${fn.device}.${fn.function} has no usable MSI-X`);
  }
  enableBusMaster(config, fn);
  // The kernel identity-maps only the low 4 GiB at boot; a window above it (a 64-bit BAR the
  // firmware placed high) is mapped by asking for it once.
  for (const s of [common, notifyCfg, isr, device]) {
    if (s !== undefined && s.address + s.length > 2 ** 32) hw.physical.map(s.address, s.length);
  }
  if (msix.tableAddress + msix.tableSize * 16 > 2 ** 32) hw.physical.map(msix.tableAddress, msix.tableSize * 16);
  const c = common.address;
  const r8 = (o: number) => hw.mmio.read(c + o, 1);
  const r16 = (o: number) => hw.mmio.read(c + o, 2);
  const r32 = (o: number) => hw.mmio.read(c + o, 4);
  const w8 = (o: number, v: number) => hw.mmio.write(c + o, 1, v);
  const w16 = (o: number, v: number) => hw.mmio.write(c + o, 2, v);
  const w32 = (o: number, v: number) => hw.mmio.write(c + o, 4, v >>> 0);
  const w64 = (o: number, v: number) => {
    // virtio 1.2 §4.1.3.1: 64-bit fields may be written as two 32-bit halves, low first.
    w32(o, v >>> 0);
    w32(o + 4, Math.floor(v / 2 ** 32) >>> 0);
  };
  const configOk = (offset: number, width: number) =>
    device !== undefined && Number.isInteger(offset) && offset >= 0 && offset + width <= device.length && offset % width === 0;
  let vector: number | undefined;
  return {
    kind: "pci",
    deviceType: fn.deviceId >= 0x1040 ? fn.deviceId - 0x1040 : fn.subsystemId,
    deviceFeatures() {
      w32(C.deviceFeatureSelect, 0);
      const low = r32(C.deviceFeature);
      w32(C.deviceFeatureSelect, 1);
      const high = r32(C.deviceFeature);
      return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
    },
    setDriverFeatures(features) {
      w32(C.driverFeatureSelect, 0);
      w32(C.driverFeature, Number(features & 0xffffffffn));
      w32(C.driverFeatureSelect, 1);
      w32(C.driverFeature, Number((features >> 32n) & 0xffffffffn));
    },
    status: () => r8(C.deviceStatus),
    setStatus: (status) => w8(C.deviceStatus, status),
    queueCount: () => r16(C.numQueues),
    queueMaxSize(index) {
      if (index >= r16(C.numQueues)) return 0;
      w16(C.queueSelect, index);
      return r16(C.queueSize);
    },
    enableQueue(index, q: QueueAddresses) {
      w16(C.queueSelect, index);
      w16(C.queueSize, q.size);
      if (vector !== undefined) {
        w16(C.queueMsixVector, 0);
        // virtio 1.2 §4.1.5.1.2: the device answers NO_VECTOR when it could not take the vector.
        if (r16(C.queueMsixVector) === NO_VECTOR) throw new ToroError("EIO", `queue ${index} refused MSI-X entry 0`);
      }
      w64(C.queueDesc, q.descriptors);
      w64(C.queueDriver, q.driverArea);
      w64(C.queueDevice, q.deviceArea);
      w16(C.queueEnable, 1);
    },
    notify(index) {
      w16(C.queueSelect, index);
      const offset = r16(C.queueNotifyOff) * notifyCfg.notifyMultiplier;
      // virtio 1.2 §4.1.4.4: a 16-bit write of the queue index at the queue's notify address.
      if (offset + 2 <= notifyCfg.length) hw.mmio.write(notifyCfg.address + offset, 2, index);
    },
    configGeneration: () => r8(C.configGeneration),
    readConfig(offset, width) {
      if (!configOk(offset, width)) throw new ToroError("EINVAL", `config read at ${offset}+${width} is outside the device config`);
      return hw.mmio.read(device!.address + offset, width);
    },
    writeConfig(offset, width, value) {
      if (!configOk(offset, width)) throw new ToroError("EINVAL", `config write at ${offset}+${width} is outside the device config`);
      hw.mmio.write(device!.address + offset, width, value);
    },
    enableInterrupts(handler: (cause: InterruptCause) => void) {
      if (vector !== undefined) return;
      const v = hw.irq.allocateVector();
      vector = v;
      hw.irq.setHandler(v, () => {
        // With MSI-X the ISR is not read (virtio 1.2 §4.1.5.3); one vector means "look at everything".
        handler({ queue: true, config: true });
      });
      writeMsixEntry(hw, msix, 0, hw.irq.msiMessage(v));
      setMsixEnabled(config, fn, msix, true);
      w16(C.configMsixVector, 0);
      if (r16(C.configMsixVector) === NO_VECTOR) throw new ToroError("EIO", "the device refused MSI-X entry 0 for config changes");
    },
    disableInterrupts() {
      if (vector === undefined) return;
      w16(C.configMsixVector, NO_VECTOR);
      setMsixEnabled(config, fn, msix, false);
      hw.irq.setHandler(vector, null);
      vector = undefined;
    },
  };
}
