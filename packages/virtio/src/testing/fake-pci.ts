// Test kit (@toro/virtio/testing): a fake PCI bus on the legacy 0xCF8/0xCFC ports, and a
// `FakeVirtioDevice` exposed as a virtio-pci modern function (virtio 1.2 §4.1: vendor capabilities,
// common/notify/ISR/device structures in a 64-bit BAR, MSI-X). Imports the kernel's fake machine
// types and the device model.
import type { FakeMachine } from "@toro/kernel";
import type { FakeVirtioDevice } from "./fake-virtio-device.js";

/** A function on the fake bus: 256 bytes of configuration space with hooks. */
export interface FakePciFunction {
  /** Reads `width` bytes at `offset`. */
  read(offset: number, width: 1 | 2 | 4): number;
  /** Writes `width` bytes at `offset`. */
  write(offset: number, width: 1 | 2 | 4, value: number): void;
}

/** A fake PCI bus 0 behind the legacy configuration ports. */
export interface FakePciBus {
  /** Plugs a function at `device`.`fn` of bus 0. */
  plug(device: number, fn: number, func: FakePciFunction): void;
}

/**
 * Creates a fake PCI bus on `machine`'s ports 0xCF8..0xCFF, with a host bridge at 00.0.
 *
 * @param machine - the fake machine
 * @returns the bus
 * @example
 * ```ts
 * const bus = createFakePciBus(machine);
 * attachVirtioPci(machine, bus, dev, { device: 3 });
 * ```
 */
export function createFakePciBus(machine: FakeMachine): FakePciBus {
  const functions = new Map<number, FakePciFunction>();
  let address = 0;
  machine.addPorts(0xcf8, 8, {
    read(offset, width) {
      if (offset < 4) return address;
      if ((address & 0x8000_0000) === 0 || ((address >>> 16) & 0xff) !== 0) return 2 ** (8 * width) - 1;
      const f = functions.get((address >>> 8) & 0xff);
      return f === undefined ? 2 ** (8 * width) - 1 : f.read((address & 0xfc) + (offset - 4), width);
    },
    write(offset, width, value) {
      if (offset === 0 && width === 4) {
        address = value >>> 0;
        return;
      }
      if (offset < 4 || ((address >>> 16) & 0xff) !== 0) return;
      functions.get((address >>> 8) & 0xff)?.write((address & 0xfc) + (offset - 4), width, value);
    },
  });
  const bus: FakePciBus = {
    plug(device, fn, func) {
      functions.set((device << 3) | fn, func);
    },
  };
  bus.plug(0, 0, configSpace(Uint8Array.of(0x86, 0x80, 0xc0, 0x29, 0, 0, 0, 0, 0, 0, 0, 6)));
  return bus;
}

function configSpace(head: Uint8Array): FakePciFunction {
  const bytes = new Uint8Array(256);
  bytes.set(head);
  return {
    read: (o, w) => readLe(bytes, o, w),
    write: (o, w, v) => writeLe(bytes, o, w, v),
  };
}

const readLe = (b: Uint8Array, o: number, w: number) => {
  let v = 0;
  for (let i = w - 1; i >= 0; i--) v = v * 256 + (b[o + i] ?? 0);
  return v;
};
const writeLe = (b: Uint8Array, o: number, w: number, v: number) => {
  for (let i = 0; i < w; i++) if (o + i < b.length) b[o + i] = Math.floor(v / 256 ** i) & 0xff;
};

/** Where to plug a fake virtio-pci function. */
export interface FakePciPlacement {
  /** Device number on bus 0; default 3. */
  readonly device?: number;
  /** Where the firmware "assigned" BAR 4; default 0xfe00_0000. */
  readonly barBase?: number;
  /** Leave out the MSI-X capability. */
  readonly noMsix?: boolean;
}

const BAR_SIZE = 0x4000;
const MSIX_ENTRIES = 4;

/**
 * Exposes `device` as a virtio-pci modern function on the fake bus.
 *
 * @param machine - the fake machine
 * @param bus - the fake bus
 * @param device - the device model
 * @param placement - slot, BAR address, MSI-X presence
 * @returns nothing
 * @example
 * ```ts
 * attachVirtioPci(machine, createFakePciBus(machine), dev);
 * ```
 */
export function attachVirtioPci(machine: FakeMachine, bus: FakePciBus, device: FakeVirtioDevice, placement: FakePciPlacement = {}): void {
  const barBase = placement.barBase ?? 0xfe00_0000;
  const cfg = new Uint8Array(256);
  const set = (o: number, w: number, v: number) => writeLe(cfg, o, w, v);
  set(0x00, 2, 0x1af4);
  set(0x02, 2, 0x1040 + device.options.deviceType);
  set(0x06, 2, 0x10);
  set(0x08, 4, 0x01 | ({ 1: 0x02, 2: 0x01, 3: 0x07 }[device.options.deviceType] ?? 0xff) << 24);
  set(0x20, 4, (barBase | 0x4) >>> 0); // BAR 4: 64-bit memory
  set(0x24, 4, 0);
  set(0x2c, 2, 0x1af4);
  set(0x2e, 2, 0x1100);
  set(0x3d, 1, 1);
  set(0x34, 1, placement.noMsix === true ? 0x50 : 0x40);
  // MSI-X: table at BAR4+0x3000, PBA at BAR4+0x3800.
  set(0x40, 1, 0x11); set(0x41, 1, 0x50); set(0x42, 2, MSIX_ENTRIES - 1); set(0x44, 4, 0x3000 | 4); set(0x48, 4, 0x3800 | 4);
  const vcap = (at: number, next: number, type: number, offset: number, length: number, len = 16) => {
    set(at, 1, 0x09); set(at + 1, 1, next); set(at + 2, 1, len); set(at + 3, 1, type); set(at + 4, 1, 4);
    set(at + 8, 4, offset); set(at + 12, 4, length);
  };
  vcap(0x50, 0x60, 1, 0x0000, 0x38);
  vcap(0x60, 0x70, 3, 0x1000, 4);
  vcap(0x70, 0x80, 4, 0x2000, Math.max(4, device.config.length));
  vcap(0x80, 0x00, 2, 0x2800, 0x400, 20);
  set(0x90, 4, 4); // notify_off_multiplier at cap + 16
  let barProbe = [false, false];
  bus.plug(placement.device ?? 3, 0, {
    read(o, w) {
      if (o === 0x20 && barProbe[0]) return (~(BAR_SIZE - 1) | 0x4) >>> 0;
      if (o === 0x24 && barProbe[1]) return 0xffffffff;
      if ((o >= 0x10 && o < 0x20) || (o >= 0x28 && o < 0x2c)) return 0; // unused BARs
      return readLe(cfg, o, w);
    },
    write(o, w, v) {
      if (o === 0x20 || o === 0x24) {
        const i = o === 0x20 ? 0 : 1;
        barProbe[i] = v >>> 0 === 0xffffffff;
        if (!barProbe[i]) set(o, 4, o === 0x20 ? (v & ~0xf) | 0x4 : v);
        return;
      }
      if (o === 0x04 || o === 0x42 || o === 0x43) set(o, w, v);
    },
  });
  barProbe = [false, false];

  let featureSel = 0;
  let driverFeatureSel = 0;
  let queueSel = 0;
  let configVector = 0xffff;
  let isr = 0;
  const table = new Uint8Array(MSIX_ENTRIES * 16);
  for (let i = 0; i < MSIX_ENTRIES; i++) table[i * 16 + 12] = 1; // masked at reset
  const msixControl = () => readLe(cfg, 0x42, 2);
  const signal = (entry: number) => {
    const ctl = msixControl();
    if ((ctl & 0x8000) === 0 || (ctl & 0x4000) !== 0 || entry >= MSIX_ENTRIES) return;
    if ((table[entry * 16 + 12]! & 1) !== 0) return;
    machine.msiWrite(readLe(table, entry * 16, 4), readLe(table, entry * 16 + 8, 4));
  };
  device.raiseInterrupt = (cause) => {
    isr |= cause;
    if ((cause & 2) !== 0) signal(configVector);
    if ((cause & 1) !== 0) for (const q of device.queueState) if (q.ready) { signal(q.msixVector); break; }
  };
  const q = () => device.queueState[queueSel];
  const addrField = (o: number): ["descriptors" | "driverArea" | "deviceArea", boolean] | undefined =>
    o >= 32 && o < 56 ? [(["descriptors", "driverArea", "deviceArea"] as const)[Math.floor((o - 32) / 8)]!, o % 8 === 4] : undefined;
  machine.addMmio(barBase, BAR_SIZE, {
    read(offset, width) {
      const w = Number(width);
      if (offset >= 0x3000 && offset < 0x3000 + table.length) return readLe(table, offset - 0x3000, w);
      if (offset >= 0x2000 && offset < 0x2800) return device.readConfig(offset - 0x2000, w);
      if (offset === 0x1000) {
        const v = isr;
        isr = 0; // virtio 1.2 §4.1.4.5: reading the ISR clears it
        return v;
      }
      switch (offset) {
        case 4: return Number((device.deviceFeatures >> BigInt(32 * featureSel)) & 0xffffffffn);
        case 16: return configVector;
        case 18: return device.queueState.length;
        case 20: return device.status;
        case 21: return device.generation;
        case 22: return queueSel;
        case 24: { const s = q(); return s === undefined ? 0 : s.size || device.options.queueMaxSizes[queueSel]!; }
        case 26: return q()?.msixVector ?? 0xffff;
        case 28: return q()?.ready === true ? 1 : 0;
        case 30: return queueSel;
        default: {
          const f = addrField(offset);
          const s = q();
          if (f === undefined || s === undefined) return 0;
          return f[1] ? Math.floor(s[f[0]] / 2 ** 32) : s[f[0]] % 2 ** 32;
        }
      }
    },
    write(offset, width, value) {
      const v = Number(value);
      if (offset >= 0x3000 && offset < 0x3000 + table.length) return writeLe(table, offset - 0x3000, Number(width), v);
      if (offset >= 0x2000 && offset < 0x2800) return device.writeConfig(offset - 0x2000, Number(width), v);
      if (offset >= 0x2800 && offset < 0x2c00) return device.notify(v);
      switch (offset) {
        case 0: featureSel = v; return;
        case 8: driverFeatureSel = v; return;
        case 12: {
          if (driverFeatureSel > 1) return;
          const shift = BigInt(32 * driverFeatureSel);
          device.driverFeatures = (device.driverFeatures & ~(0xffffffffn << shift)) | (BigInt(v >>> 0) << shift);
          return;
        }
        case 16: configVector = v < MSIX_ENTRIES ? v : 0xffff; return;
        case 20: device.writeStatus(v); if (v === 0) { configVector = 0xffff; isr = 0; } return;
        case 22: queueSel = v; return;
        case 24: { const s = q(); if (s) s.size = v; return; }
        case 26: { const s = q(); if (s) s.msixVector = v < MSIX_ENTRIES ? v : 0xffff; return; }
        case 28: if (v === 1) device.enableQueue(queueSel); return;
        default: {
          const f = addrField(offset);
          const s = q();
          if (f === undefined || s === undefined) return;
          s[f[0]] = f[1] ? (s[f[0]] % 2 ** 32) + v * 2 ** 32 : Math.floor(s[f[0]] / 2 ** 32) * 2 ** 32 + v;
        }
      }
    },
  });
}
