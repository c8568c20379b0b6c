import fc from "fast-check";
import { createFakeMachine, type FakeMachine } from "@toro/kernel";
import { describe, expect, it } from "vitest";
import { discoverDevices, virtioDeviceType } from "./discover.js";
import { ecamPciConfig, legacyPciConfig } from "./pci-config.js";
import { enableBusMaster, enumeratePci, readCapabilities } from "./pci-enumerate.js";
import { readMsix, setMsixEnabled, writeMsixEntry } from "./pci-msix.js";

/** A function's config space with sizable BARs: `bars[i]` = [size, flags] (flags: low 4 bits). */
interface FakeFn {
  bytes: Uint8Array;
  bars: ([number, number] | undefined)[];
}
function fn(vendor: number, device: number, opts: { header?: number; classCode?: number; bars?: FakeFn["bars"]; caps?: [number, number, number][] } = {}): FakeFn {
  const bytes = new Uint8Array(256);
  const v = new DataView(bytes.buffer);
  v.setUint16(0, vendor, true);
  v.setUint16(2, device, true);
  v.setUint32(8, (opts.classCode ?? 0xff) << 24, true);
  bytes[0x0e] = opts.header ?? 0;
  if (opts.caps !== undefined && opts.caps.length > 0) {
    v.setUint16(6, 0x10, true);
    bytes[0x34] = opts.caps[0]![0];
    for (const [at, id, next] of opts.caps) {
      bytes[at] = id;
      bytes[at + 1] = next;
    }
  }
  return { bytes, bars: opts.bars ?? [] };
}
/** Plugs functions (keyed "bus:dev.fn") behind the legacy ports and, optionally, an ECAM window. */
function bus(machine: FakeMachine, fns: Record<string, FakeFn>, ecamBase?: number) {
  const probing = new Map<string, boolean>();
  const read = (key: string, off: number, w: number) => {
    const f = fns[key];
    if (f === undefined) return 2 ** (8 * w) - 1;
    const bar = (off - 0x10) >> 2;
    const spec = off >= 0x10 && off < 0x28 ? f.bars[bar] : undefined;
    if (spec !== undefined && probing.get(`${key}/${bar}`) === true) {
      return spec[0] === 0 ? 0xffffffff : (((~(spec[0] - 1)) >>> 0) | spec[1]) >>> 0;
    }
    return f.bytes.subarray(off, off + w).reduceRight((a, b) => a * 256 + b, 0);
  };
  const write = (key: string, off: number, w: number, value: number) => {
    const f = fns[key];
    if (f === undefined) return;
    const bar = (off - 0x10) >> 2;
    if (off >= 0x10 && off < 0x28 && w === 4) {
      probing.set(`${key}/${bar}`, value >>> 0 === 0xffffffff);
      if (value >>> 0 === 0xffffffff) return;
    }
    for (let i = 0; i < w; i++) f.bytes[off + i] = Math.floor(value / 256 ** i) & 0xff;
  };
  let address = 0;
  const keyOf = (a: number) => `${(a >>> 16) & 0xff}:${(a >>> 11) & 0x1f}.${(a >>> 8) & 7}`;
  machine.addPorts(0xcf8, 8, {
    read: (o, w) => (o < 4 ? address : read(keyOf(address), (address & 0xfc) + o - 4, w)),
    write: (o, w, v) => (o === 0 && w === 4 ? void (address = v >>> 0) : write(keyOf(address), (address & 0xfc) + o - 4, w, v)),
  });
  if (ecamBase !== undefined) {
    const keyAt = (o: number) => `${o >>> 20}:${(o >>> 15) & 0x1f}.${(o >>> 12) & 7}`;
    machine.addMmio(ecamBase, 256 << 20, {
      read: (o, w) => ((o & 0xfff) < 256 ? read(keyAt(o), o & 0xfff, Number(w)) : 0xffffffff),
      write: (o, w, v) => write(keyAt(o), o & 0xfff, Number(w), Number(v)),
    });
  }
}

function machineWithBus(ecam?: number) {
  const m = createFakeMachine();
  const bridge = fn(0x8086, 0x2448, { header: 0x01, classCode: 0x06 });
  bridge.bytes[0x19] = 1; // secondary bus 1
  const multi = fn(0x8086, 0x2918, { header: 0x80 });
  const virtio = fn(0x1af4, 0x1042, {
    classCode: 0x01,
    bars: [[0x1000, 0x0], [0x40, 0x1], undefined, undefined, [0x4000, 0xc], [0, 0]], // [0, 0]: the upper half of BAR 4 (reads all ones)
    caps: [[0x40, 0x11, 0x50], [0x50, 0x09, 0x60], [0x60, 0x09, 0x00]],
  });
  const v = new DataView(virtio.bytes.buffer);
  v.setUint32(0x10, 0xfebf1000, true);
  v.setUint32(0x14, 0xc041, true);
  v.setUint32(0x20, 0x0000000c, true);
  v.setUint32(0x24, 0x1, true); // BAR4 at 0x1_0000_0000 (above 4 GiB)
  v.setUint16(0x42, 3, true); // 4 MSI-X entries
  v.setUint32(0x44, 0x3000 | 4, true);
  v.setUint32(0x48, 0x3800 | 4, true);
  bus(m, {
    "0:0.0": fn(0x8086, 0x29c0, { classCode: 0x06 }),
    "0:2.0": bridge,
    "0:31.0": multi,
    "0:31.3": fn(0x8086, 0x2930),
    "1:0.0": virtio,
  }, ecam);
  return { m, virtio };
}

describe("PCI", () => {
  it.each([["legacy ports", undefined], ["ECAM", 0xb000_0000]] as const)("enumerates buses, bridges and multi-function devices through %s", (_name, ecam) => {
    const { m } = machineWithBus(ecam);
    const config = ecam === undefined ? legacyPciConfig(m) : ecamPciConfig(m, [{ baseAddress: ecam, segment: 0, startBus: 0, endBus: 255 }]);
    const fns = enumeratePci(config);
    expect(fns.map((f) => `${f.bus}:${f.device}.${f.function} ${f.vendorId.toString(16)}:${f.deviceId.toString(16)}`)).toEqual([
      "0:0.0 8086:29c0",
      "0:2.0 8086:2448",
      "1:0.0 1af4:1042",
      "0:31.0 8086:2918",
      "0:31.3 8086:2930",
    ]);
    const virtio = fns.find((f) => f.vendorId === 0x1af4)!;
    expect(virtio.bars).toEqual([
      { index: 0, kind: "memory", address: 0xfebf1000, sizeBytes: 0x1000, is64: false, prefetchable: false },
      { index: 1, kind: "io", address: 0xc040, sizeBytes: 0x40, is64: false, prefetchable: false },
      { index: 4, kind: "memory", address: 0x1_0000_0000, sizeBytes: 0x4000, is64: true, prefetchable: true },
    ]);
    expect(virtio.capabilities).toEqual([{ id: 0x11, offset: 0x40 }, { id: 0x09, offset: 0x50 }, { id: 0x09, offset: 0x60 }]);
    expect(virtio.classCode).toBe(1);
  });

  it("restores BARs and the command register after sizing and enables bus mastering", () => {
    const { m, virtio } = machineWithBus();
    const config = legacyPciConfig(m);
    virtio.bytes[4] = 0x03;
    const [fnRead] = enumeratePci(config).filter((f) => f.vendorId === 0x1af4);
    expect(new DataView(virtio.bytes.buffer).getUint32(0x10, true)).toBe(0xfebf1000);
    expect(virtio.bytes[4]).toBe(0x03);
    enableBusMaster(config, fnRead!);
    expect(virtio.bytes[4]).toBe(0x07);
  });

  it("reads and programs the MSI-X table", () => {
    const { m, virtio } = machineWithBus();
    const config = legacyPciConfig(m);
    const table = new Uint8Array(0x4000);
    m.addMmio(0x1_0000_0000, 0x4000, {
      read: (o, w) => table.subarray(o, o + Number(w)).reduceRight((a, b) => a * 256 + b, 0),
      write: (o, w, v) => { for (let i = 0; i < Number(w); i++) table[o + i] = Math.floor(Number(v) / 256 ** i) & 0xff; },
    });
    const f = enumeratePci(config).find((x) => x.vendorId === 0x1af4)!;
    const msix = readMsix(config, f)!;
    expect(msix).toEqual({ capabilityOffset: 0x40, tableSize: 4, tableAddress: 0x1_0000_3000, pbaAddress: 0x1_0000_3800 });
    setMsixEnabled(config, f, msix, true);
    expect(new DataView(virtio.bytes.buffer).getUint16(0x42, true) & 0xc000).toBe(0x8000);
    writeMsixEntry(m, msix, 1, { address: 0xfee01000, data: 0x31 });
    const t = new DataView(table.buffer);
    expect([t.getUint32(0x3010, true), t.getUint32(0x3014, true), t.getUint32(0x3018, true), t.getUint32(0x301c, true)]).toEqual([0xfee01000, 0, 0x31, 0]);
    writeMsixEntry(m, msix, 9, { address: 0, data: 0 }); // out of range: ignored
  });

  it("terminates on a capability list that loops, and on garbage config space (property)", () => {
    const m = createFakeMachine();
    const looping = fn(0x1234, 0x5678, { caps: [[0x40, 0x09, 0x48], [0x48, 0x05, 0x40]] });
    bus(m, { "0:0.0": looping });
    expect(readCapabilities(legacyPciConfig(m), { segment: 0, bus: 0, device: 0, function: 0 })).toHaveLength(2);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), (bytes) => {
        const mm = createFakeMachine();
        const f: FakeFn = { bytes, bars: [] };
        bytes[0] = 0x34; // a present vendor
        bus(mm, { "0:0.0": f, "0:1.0": { bytes: bytes.slice(), bars: [] } });
        const found = enumeratePci(legacyPciConfig(mm));
        for (const x of found) expect(x.capabilities.length).toBeLessThanOrEqual(48);
      }),
      { numRuns: 50 },
    );
  });

  it("discoverDevices sees PCI through the legacy ports and does not probe MMIO there", () => {
    const { m } = machineWithBus();
    const found = discoverDevices(m);
    expect(found.filter((d) => d.kind === "pci")).toHaveLength(5);
    expect(found.filter((d) => virtioDeviceType(d) === 2)).toHaveLength(1);
  });
});
