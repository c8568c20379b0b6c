import fc from "fast-check";
import { createFakeMachine, type FakeMachine } from "@toro/kernel";
import { describe, expect, it } from "vitest";
import { createDriverRegistry } from "./driver-registry.js";
import { discoverDevices, virtioDeviceType, type FoundDevice } from "./discover.js";
import { findVirtioMmioDevices, microvmProbeWindow, parseVirtioMmioCmdline } from "./virtio-mmio-discovery.js";

function slot(m: FakeMachine, base: number, deviceId: number, version = 2) {
  const regs: Record<number, number> = { 0: 0x74726976, 4: version, 8: deviceId, 0xc: 0x554d4551 };
  m.addMmio(base, 0x200, { read: (o) => regs[o] ?? 0, write: () => {} });
}

describe("virtio-mmio discovery", () => {
  it("parses Firecracker's command-line entries and skips malformed ones", () => {
    expect(
      parseVirtioMmioCmdline("console=ttyS0 virtio_mmio.device=4K@0xd0000000:5 virtio_mmio.device=0x200@0xd0001000:6:1 virtio_mmio.device=4K@zz:5 virtio_mmio.device=1M@4026531840:300"),
    ).toEqual([
      { baseAddress: 0xd0000000, sizeBytes: 4096, gsi: 5, level: false, activeLow: false, source: "cmdline" },
      { baseAddress: 0xd0001000, sizeBytes: 512, gsi: 6, level: false, activeLow: false, source: "cmdline" },
    ]);
    fc.assert(fc.property(fc.string(), (s) => void parseVirtioMmioCmdline(s)));
    fc.assert(
      fc.property(fc.nat(0xffff), fc.nat(0xfffff), fc.nat(255), (kib, page, irq) => {
        const [d] = parseVirtioMmioCmdline(`virtio_mmio.device=${kib + 1}K@0x${(page * 4096).toString(16)}:${irq}`);
        expect(d).toMatchObject({ baseAddress: page * 4096, sizeBytes: (kib + 1) * 1024, gsi: irq });
      }),
    );
  });

  it("identifies the devices the command line lists", () => {
    const m = createFakeMachine({ cmdline: "virtio_mmio.device=512@0xd0000000:5 virtio_mmio.device=512@0xd0000200:6 virtio_mmio.device=512@0xd0000400:7" });
    slot(m, 0xd0000000, 2);
    slot(m, 0xd0000200, 0); // empty
    // 0xd0000400: nothing there (reads all ones)
    expect(findVirtioMmioDevices(m)).toEqual([
      { baseAddress: 0xd0000000, sizeBytes: 512, gsi: 5, level: false, activeLow: false, source: "cmdline", deviceId: 2, vendorId: 0x554d4551, version: 2 },
    ]);
  });

  it("probes microvm's window when nothing lists devices, top slots first filled", () => {
    const m = createFakeMachine();
    for (let i = 0; i < 24; i++) slot(m, 0xfeb00000 + i * 512, i === 23 ? 1 : i === 22 ? 2 : 0);
    const found = findVirtioMmioDevices(m);
    expect(found.map((d) => [d.deviceId, d.gsi, d.source])).toEqual([[2, 27, "probe"], [1, 28, "probe"]]);
    expect(microvmProbeWindow().gsiBase).toBe(5);
    expect(findVirtioMmioDevices(m, { probe: false })).toEqual([]);
  });

  it("maps virtio-mmio ids onto the virtio-pci ids a registry matches", async () => {
    const m = createFakeMachine({ cmdline: "virtio_mmio.device=512@0xd0000000:5 virtio_mmio.device=512@0xd0000200:6" });
    slot(m, 0xd0000000, 1);
    slot(m, 0xd0000200, 3);
    const devices = discoverDevices(m);
    expect(devices.map((d) => [d.kind, d.deviceId.toString(16), virtioDeviceType(d)])).toEqual([
      ["mmio", "1041", 1],
      ["mmio", "1043", 3],
    ]);
    const created: string[] = [];
    const registry = createDriverRegistry<string>([
      { name: "net", kind: "net", ids: [{ vendorId: 0x1af4, deviceId: 0x1041 }], create: async (d: FoundDevice) => (created.push("net"), `net@${d.kind}`) },
    ]);
    expect(registry.driverFor(devices[1]!)).toBeUndefined();
    expect(await registry.bindAll(devices)).toMatchObject([{ driver: "net", kind: "net", instance: "net@mmio" }]);
    expect(await registry.bindFirst(devices, "net")).toBe("net@mmio");
    await expect(registry.bindFirst(devices, "block")).rejects.toMatchObject({ code: "ENODEV" });
  });
});
