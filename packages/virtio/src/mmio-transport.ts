// VirtIO transport layer (@toro/virtio): virtio-mmio version 2 (virtio 1.2 §4.2.2 register layout,
// §4.2.3 initialization). Interrupts come through an IOAPIC input; the handler reads and
// acknowledges InterruptStatus. Imports the kernel's face and devices' discovery types only.
import { ToroError, type DeviceHardware } from "@toro/kernel";
import type { MmioDevice } from "@toro/devices";
import type { InterruptCause, QueueAddresses, VirtioTransport } from "./transport.js";

// virtio 1.2 §4.2.2, offsets from the window's base.
const R = {
  magic: 0x000,
  version: 0x004,
  deviceId: 0x008,
  deviceFeatures: 0x010,
  deviceFeaturesSel: 0x014,
  driverFeatures: 0x020,
  driverFeaturesSel: 0x024,
  queueSel: 0x030,
  queueNumMax: 0x034,
  queueNum: 0x038,
  queueReady: 0x044,
  queueNotify: 0x050,
  interruptStatus: 0x060,
  interruptAck: 0x064,
  status: 0x070,
  queueDescLow: 0x080,
  queueDescHigh: 0x084,
  queueDriverLow: 0x090,
  queueDriverHigh: 0x094,
  queueDeviceLow: 0x0a0,
  queueDeviceHigh: 0x0a4,
  configGeneration: 0x0fc,
  config: 0x100,
} as const;

// MMIO has no queue count register; no device we drive uses more.
const MAX_QUEUES = 16;

/**
 * Opens a virtio-mmio device (version 2 only).
 *
 * @param hw - the device hardware
 * @param device - the device from `findVirtioMmioDevices` / `discoverDevices`
 * @returns its transport
 * @throws ToroError `ENOTSUP` for a legacy (version 1) device; `ENODEV` when the magic is wrong.
 * @example
 * ```ts
 * const transport = virtioMmioTransport(hw, found.mmio);
 * ```
 */
export function virtioMmioTransport(hw: DeviceHardware, device: MmioDevice): VirtioTransport {
  const base = device.baseAddress;
  const rd = (offset: number) => hw.mmio.read(base + offset, 4);
  const wr = (offset: number, value: number) => hw.mmio.write(base + offset, 4, value >>> 0);
  if (rd(R.magic) !== 0x74726976) {
    throw new ToroError("ENODEV", `no virtio-mmio device at 0x${base.toString(16)}`);
  }
  const version = rd(R.version);
  if (version !== 2) {
    throw new ToroError("ENOTSUP", `virtio-mmio device at 0x${base.toString(16)} is version ${version}; only version 2 is supported`, {
      hint: "start QEMU with -global virtio-mmio.force-legacy=false",
    });
  }
  let vector: number | undefined;
  const configBytes = Math.max(0, device.sizeBytes - R.config);
  const configOk = (offset: number, width: number) =>
    Number.isInteger(offset) && offset >= 0 && offset + width <= configBytes && offset % width === 0;
  const split = (value: number) => [value >>> 0, Math.floor(value / 2 ** 32) >>> 0] as const;
  return {
    kind: "mmio",
    deviceType: rd(R.deviceId),
    deviceFeatures() {
      wr(R.deviceFeaturesSel, 0);
      const low = rd(R.deviceFeatures);
      wr(R.deviceFeaturesSel, 1);
      const high = rd(R.deviceFeatures);
      return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
    },
    setDriverFeatures(features) {
      wr(R.driverFeaturesSel, 0);
      wr(R.driverFeatures, Number(features & 0xffffffffn));
      wr(R.driverFeaturesSel, 1);
      wr(R.driverFeatures, Number((features >> 32n) & 0xffffffffn));
    },
    status: () => rd(R.status) & 0xff,
    setStatus: (status) => wr(R.status, status),
    queueCount() {
      let n = 0;
      while (n < MAX_QUEUES && this.queueMaxSize(n) > 0) n++;
      return n;
    },
    queueMaxSize(index) {
      wr(R.queueSel, index);
      // virtio 1.2 §4.2.3.2: a queue already in use reports QueueReady; we only ask before using it.
      return rd(R.queueNumMax) & 0xffff;
    },
    enableQueue(index, q: QueueAddresses) {
      wr(R.queueSel, index);
      if (rd(R.queueReady) !== 0) throw new ToroError("EBUSY", `virtio-mmio queue ${index} is already in use`);
      wr(R.queueNum, q.size);
      const [dl, dh] = split(q.descriptors);
      const [al, ah] = split(q.driverArea);
      const [ul, uh] = split(q.deviceArea);
      wr(R.queueDescLow, dl);
      wr(R.queueDescHigh, dh);
      wr(R.queueDriverLow, al);
      wr(R.queueDriverHigh, ah);
      wr(R.queueDeviceLow, ul);
      wr(R.queueDeviceHigh, uh);
      wr(R.queueReady, 1);
    },
    notify: (index) => wr(R.queueNotify, index),
    configGeneration: () => rd(R.configGeneration),
    readConfig(offset, width) {
      if (!configOk(offset, width)) throw new ToroError("EINVAL", `config read at ${offset}+${width} is outside the device config`);
      return hw.mmio.read(base + R.config + offset, width);
    },
    writeConfig(offset, width, value) {
      if (!configOk(offset, width)) throw new ToroError("EINVAL", `config write at ${offset}+${width} is outside the device config`);
      hw.mmio.write(base + R.config + offset, width, value);
    },
    enableInterrupts(handler: (cause: InterruptCause) => void) {
      if (vector !== undefined) return;
      const v = hw.irq.allocateVector();
      vector = v;
      hw.irq.setHandler(v, () => {
        // virtio 1.2 §4.2.3.4: read the cause, acknowledge it, then act (the line is level-triggered
        // on QEMU: the kernel unmasks it after we return, so the acknowledge must come first).
        const status = rd(R.interruptStatus);
        if (status !== 0) wr(R.interruptAck, status);
        handler({ queue: (status & 1) !== 0, config: (status & 2) !== 0 });
      });
      hw.irq.routeIoapic(device.gsi, v, { level: device.level, activeLow: device.activeLow });
    },
    disableInterrupts() {
      if (vector !== undefined) hw.irq.setHandler(vector, null);
      vector = undefined;
    },
  };
}
