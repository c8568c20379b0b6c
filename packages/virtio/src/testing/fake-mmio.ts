// Test kit (@toro/virtio/testing): plugs a `FakeVirtioDevice` into a fake machine as virtio-mmio
// version 2 registers (virtio 1.2 §4.2.2), interrupting through an IOAPIC input. Imports the
// kernel's fake machine types and the device model.
import type { FakeMachine } from "@toro/kernel";
import type { FakeVirtioDevice } from "./fake-virtio-device.js";

/** Where to plug a fake virtio-mmio device. */
export interface FakeMmioPlacement {
  /** Register window base; default 0xd000_0000. */
  readonly base?: number;
  /** IOAPIC input; default 5. */
  readonly gsi?: number;
  /** Transport version to report; default 2. */
  readonly version?: number;
}

/**
 * Exposes `device` as a virtio-mmio window on `machine` and returns the command-line entry that
 * lists it (Firecracker style), so discovery finds it.
 *
 * @param machine - the fake machine
 * @param device - the device model
 * @param placement - base, GSI, version
 * @returns the `virtio_mmio.device=...` entry for the boot command line
 * @example
 * ```ts
 * const entry = attachVirtioMmio(machine, dev, { base: 0xd0000000, gsi: 5 });
 * ```
 */
export function attachVirtioMmio(machine: FakeMachine, device: FakeVirtioDevice, placement: FakeMmioPlacement = {}): string {
  const base = placement.base ?? 0xd000_0000;
  const gsi = placement.gsi ?? 5;
  let featuresSel = 0;
  let driverFeaturesSel = 0;
  let queueSel = 0;
  let interruptStatus = 0;
  device.raiseInterrupt = (cause) => {
    interruptStatus |= cause;
    machine.raiseGsi(gsi);
  };
  const q = () => device.queueState[queueSel];
  const half = (value: bigint, sel: number) => Number((value >> BigInt(32 * sel)) & 0xffffffffn);
  const setHalf = (value: bigint, sel: number, word: number) =>
    (value & ~(0xffffffffn << BigInt(32 * sel))) | (BigInt(word >>> 0) << BigInt(32 * sel));
  const setAddr = (field: "descriptors" | "driverArea" | "deviceArea", high: boolean, v: number) => {
    const s = q();
    if (s === undefined) return;
    s[field] = high ? (s[field] % 2 ** 32) + v * 2 ** 32 : Math.floor(s[field] / 2 ** 32) * 2 ** 32 + v;
  };
  machine.addMmio(base, 0x200, {
    read(offset, width) {
      if (offset >= 0x100) return device.readConfig(offset - 0x100, Number(width));
      switch (offset) {
        case 0x000: return 0x74726976;
        case 0x004: return placement.version ?? 2;
        case 0x008: return device.options.deviceType;
        case 0x00c: return 0x554d4551;
        case 0x010: return half(device.deviceFeatures, featuresSel);
        case 0x034: return q() === undefined ? 0 : device.options.queueMaxSizes[queueSel]!;
        case 0x044: return q()?.ready === true ? 1 : 0;
        case 0x060: return interruptStatus;
        case 0x070: return device.status;
        case 0x0fc: return device.generation;
        default: return 0;
      }
    },
    write(offset, width, value) {
      const v = Number(value);
      if (offset >= 0x100) return device.writeConfig(offset - 0x100, Number(width), v);
      switch (offset) {
        case 0x014: featuresSel = v; break;
        case 0x020: if (driverFeaturesSel < 2) device.driverFeatures = setHalf(device.driverFeatures, driverFeaturesSel, v); break;
        case 0x024: driverFeaturesSel = v; break;
        case 0x030: queueSel = v; break;
        case 0x038: { const s = q(); if (s) s.size = v; break; }
        case 0x044: if (v === 1) device.enableQueue(queueSel); break;
        case 0x050: device.notify(v); break;
        case 0x064: interruptStatus &= ~v; break;
        case 0x070: device.writeStatus(v); if (v === 0) interruptStatus = 0; break;
        case 0x080: setAddr("descriptors", false, v); break;
        case 0x084: setAddr("descriptors", true, v); break;
        case 0x090: setAddr("driverArea", false, v); break;
        case 0x094: setAddr("driverArea", true, v); break;
        case 0x0a0: setAddr("deviceArea", false, v); break;
        case 0x0a4: setAddr("deviceArea", true, v); break;
        default: break;
      }
    },
  });
  return `virtio_mmio.device=512@0x${base.toString(16)}:${gsi}`;
}
