// A fake machine for driver tests on Node: RAM regions you place, MMIO and port handlers you plug
// in (device models), and interrupt vectors whose handlers run as microtasks when a test (or a
// model) raises them. Pure TS, no Node APIs; it must not import the in-image implementation.
import { ToroError } from "./errors.js";
import type { DeviceHardware, IoapicRoute, MmioWidth, PhysicalRange, PortWidth } from "./hardware-io.js";

/** A device model's register window, plugged into a fake machine at some physical address. */
export interface FakeMmioHandler {
  /** Reads `width` bytes at `offset` within the window. */
  read(offset: number, width: MmioWidth | 8): number | bigint;
  /** Writes `width` bytes at `offset` within the window. */
  write(offset: number, width: MmioWidth | 8, value: number | bigint): void;
}

/** A device model's I/O ports. */
export interface FakePortHandler {
  /** Reads `width` bytes at `offset` from the first port. */
  read(offset: number, width: PortWidth): number;
  /** Writes `width` bytes at `offset` from the first port. */
  write(offset: number, width: PortWidth, value: number): void;
}

/** How to build a fake machine; everything is optional. */
export interface FakeMachineOptions {
  /** The DMA region; default 4 MiB at 0x2000_0000. */
  dmaRegion?: PhysicalRange;
  /** The boot command line; default `""`. */
  cmdline?: string;
  /** The RSDP address; default 0 (set it after `addRam` with `machine.setAcpiRsdp`). */
  acpiRsdp?: number;
}

/** An IOAPIC input as a fake machine recorded it. */
export interface FakeIoapicRoute extends IoapicRoute {
  /** The vector it was pointed at. */
  readonly vector: number;
}

/** A fake `DeviceHardware` plus the controls a test (or a device model) needs. */
export interface FakeMachine extends DeviceHardware {
  /** Places RAM (zeroed, or the given bytes copied) at `base`; returns the live bytes. */
  addRam(base: number, contents: number | Uint8Array): Uint8Array;
  /** Plugs a register window of `length` bytes at `base`. */
  addMmio(base: number, length: number, handler: FakeMmioHandler): void;
  /** Plugs `count` I/O ports from `base`. */
  addPorts(base: number, count: number, handler: FakePortHandler): void;
  /** Sets the RSDP address `acpiRsdp` reports. */
  setAcpiRsdp(address: number): void;
  /** Raises a vector: its handler (if any) runs as a microtask. Returns whether a handler exists. */
  raise(vector: number): boolean;
  /** Raises IOAPIC input `gsi` (routed with `routeIoapic`); returns whether it reached a handler. */
  raiseGsi(gsi: number): boolean;
  /** A device's MSI write: raises the vector in `data` when `address` is the MSI window. */
  msiWrite(address: number, data: number): boolean;
  /** The IOAPIC routes set so far, by GSI. */
  readonly routes: ReadonlyMap<number, FakeIoapicRoute>;
  /** Vectors that have a handler now. */
  readonly handledVectors: readonly number[];
}

interface Window<T> {
  base: number;
  length: number;
  handler: T;
}

const MSI_BASE = 0xfee00000;

/**
 * Builds a fake machine for driver tests on Node.
 *
 * @param options - DMA region, command line, RSDP
 * @returns the fake, with RAM, MMIO and port plugs and interrupt controls
 * @example
 * ```ts
 * const machine = createFakeMachine();
 * machine.addPorts(0x3f8, 8, { read: () => 0x20, write: () => {} });
 * expect(machine.io.read(0x3fd, 1)).toBe(0x20);
 * const v = machine.irq.allocateVector();
 * machine.irq.setHandler(v, () => console.log("fired"));
 * machine.raise(v);
 * ```
 */
export function createFakeMachine(options: FakeMachineOptions = {}): FakeMachine {
  const dmaRegion = Object.freeze({ ...(options.dmaRegion ?? { base: 0x2000_0000, length: 4 << 20 }) });
  const ram: Window<Uint8Array>[] = [];
  const mmio: Window<FakeMmioHandler>[] = [];
  const ports: Window<FakePortHandler>[] = [];
  const handlers = new Map<number, () => void>();
  const routes = new Map<number, FakeIoapicRoute>();
  let nextVector = 48;
  let acpiRsdp = options.acpiRsdp ?? 0;

  const find = <T>(list: Window<T>[], address: number, length: number) =>
    list.find((w) => address >= w.base && address + length <= w.base + w.length);
  const ramAt = (address: number, length: number) => {
    const w = find(ram, address, length);
    return w === undefined ? undefined : w.handler.subarray(address - w.base, address - w.base + length);
  };
  const readLe = (bytes: Uint8Array) => bytes.reduceRight((acc, b) => acc * 256 + b, 0);
  const writeLe = (bytes: Uint8Array, value: number) => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(value / 2 ** (8 * i)) & 0xff;
  };
  const raise = (vector: number) => {
    const handler = handlers.get(vector);
    if (handler === undefined) return false;
    void Promise.resolve().then(() => {
      // The handler may have been removed between the raise and now.
      if (handlers.get(vector) === handler) handler();
    });
    return true;
  };
  addRamTo(dmaRegion.base, dmaRegion.length);

  function addRamTo(base: number, contents: number | Uint8Array): Uint8Array {
    const bytes = typeof contents === "number" ? new Uint8Array(contents) : Uint8Array.from(contents);
    ram.push({ base, length: bytes.length, handler: bytes });
    return bytes;
  }

  return {
    io: {
      read(port, width) {
        const w = find(ports, port, width);
        // Real hardware floats an unclaimed port to all ones.
        return w === undefined ? 2 ** (8 * width) - 1 : w.handler.read(port - w.base, width) >>> 0;
      },
      write(port, width, value) {
        const w = find(ports, port, width);
        w?.handler.write(port - w.base, width, value);
      },
    },
    mmio: {
      read(address, width) {
        const w = find(mmio, address, width);
        if (w !== undefined) return Number(w.handler.read(address - w.base, width));
        const bytes = ramAt(address, width);
        return bytes === undefined ? 2 ** (8 * width) - 1 : readLe(bytes);
      },
      write(address, width, value) {
        if (address >= MSI_BASE && address < MSI_BASE + 0x100000 && width === 4) {
          raise(value & 0xff);
          return;
        }
        const w = find(mmio, address, width);
        if (w !== undefined) return w.handler.write(address - w.base, width, value);
        const bytes = ramAt(address, width);
        if (bytes !== undefined) writeLe(bytes, value);
      },
      read64(address) {
        const w = find(mmio, address, 8);
        if (w !== undefined) return BigInt(w.handler.read(address - w.base, 8));
        const bytes = ramAt(address, 8);
        return bytes === undefined ? 0xffff_ffff_ffff_ffffn : new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
      },
      write64(address, value) {
        const w = find(mmio, address, 8);
        if (w !== undefined) return w.handler.write(address - w.base, 8, value);
        const bytes = ramAt(address, 8);
        if (bytes !== undefined) new DataView(bytes.buffer, bytes.byteOffset, 8).setBigUint64(0, BigInt.asUintN(64, value), true);
      },
    },
    physical: {
      map(base, length) {
        const bytes = ramAt(base, length);
        if (bytes === undefined) {
          throw new ToroError("EFAULT", `cannot map physical 0x${base.toString(16)}+${length}: not RAM in this fake`);
        }
        return bytes;
      },
    },
    dmaRegion,
    irq: {
      allocateVector() {
        if (nextVector > 239) throw new ToroError("EBUSY", "no free interrupt vector on this core");
        return nextVector++;
      },
      routeIoapic(gsi, vector, route) {
        routes.set(gsi, { vector, level: route.level, activeLow: route.activeLow });
      },
      msiMessage: (vector) => ({ address: MSI_BASE, data: vector }),
      setHandler(vector, handler) {
        if (handler === null) handlers.delete(vector);
        else handlers.set(vector, handler);
      },
    },
    get acpiRsdp() {
      return acpiRsdp;
    },
    bootCommandLine: () => options.cmdline ?? "",
    addRam: addRamTo,
    addMmio(base, length, handler) {
      mmio.push({ base, length, handler });
    },
    addPorts(base, count, handler) {
      ports.push({ base, length: count, handler });
    },
    setAcpiRsdp(address) {
      acpiRsdp = address;
    },
    raise,
    raiseGsi(gsi) {
      const route = routes.get(gsi);
      return route === undefined ? false : raise(route.vector);
    },
    msiWrite(address, data) {
      return address >= MSI_BASE && address < MSI_BASE + 0x100000 ? raise(data & 0xff) : false;
    },
    routes,
    get handledVectors() {
      return [...handlers.keys()];
    },
  };
}
