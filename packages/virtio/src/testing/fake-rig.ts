// Test kit (@toro/virtio/testing): one call that builds a fake machine with a DMA allocator, plugs a
// fake virtio device in through virtio-mmio (listed on the command line, as Firecracker does) or
// virtio-pci (on a fake bus), and discovers it the way an app would. Imports the kernel's fakes,
// @toro/devices' discovery and this kit.
import { createDmaAllocator, createFakeMachine, type DmaAllocator, type FakeMachine } from "@toro/kernel";
import { discoverDevices, type FoundDevice } from "@toro/devices";
import { attachVirtioMmio } from "./fake-mmio.js";
import { attachVirtioPci, createFakePciBus } from "./fake-pci.js";
import { FakeVirtioDevice, type FakeVirtioDeviceOptions } from "./fake-virtio-device.js";

/** A fake machine with one fake virtio device, discovered. */
export interface FakeVirtioRig {
  /** The machine (drivers get it as their `DeviceHardware`). */
  readonly machine: FakeMachine;
  /** An allocator over the machine's DMA region. */
  readonly dma: DmaAllocator;
  /** The device model. */
  readonly device: FakeVirtioDevice;
  /** The device as `discoverDevices` found it. */
  readonly found: FoundDevice;
}

/**
 * Builds a fake machine with one virtio device on the chosen transport.
 *
 * @param transport - `"mmio"` or `"pci"`
 * @param options - the device model's options
 * @returns the rig
 * @example
 * ```ts
 * const rig = createFakeVirtioRig("pci", { deviceType: 2, features: 0n, config, queueMaxSizes: [16] });
 * const disk = await virtioBlk(rig.machine, rig.found, { dma: rig.dma });
 * ```
 */
export function createFakeVirtioRig(transport: "mmio" | "pci", options: FakeVirtioDeviceOptions): FakeVirtioRig {
  let cmdline = "";
  let machine = createFakeMachine();
  const device = new FakeVirtioDevice({ map: (p, n) => machine.physical.map(p, n) }, options);
  if (transport === "mmio") {
    // The command line must be known when the machine is built: build a throwaway to get the entry.
    cmdline = attachVirtioMmio(createFakeMachine(), device, { base: 0xd000_0000, gsi: 5 });
    machine = createFakeMachine({ cmdline });
    attachVirtioMmio(machine, device, { base: 0xd000_0000, gsi: 5 });
  } else {
    attachVirtioPci(machine, createFakePciBus(machine), device, { device: 3 });
  }
  const dma = createDmaAllocator(machine.physical.map(machine.dmaRegion.base, machine.dmaRegion.length), machine.dmaRegion.base);
  const found = discoverDevices(machine).find((d) => d.vendorId === 0x1af4);
  if (found === undefined) throw new Error("the fake virtio device was not discovered");
  return { machine, dma, device, found };
}

/**
 * Lets queued microtasks run — the fake machine's interrupts and the promise reactions they cause —
 * without leaving the microtask queue (no timers, so fake clocks are untouched).
 *
 * @param rounds - how many promise jobs to wait through; default 50
 * @returns resolves after `rounds` jobs
 * @example
 * ```ts
 * rig.device.interruptQueue();
 * await settleMicrotasks();
 * ```
 */
export async function settleMicrotasks(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
