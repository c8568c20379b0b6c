// The typed face of the device hardware (docs/internals.md §6): port I/O, MMIO of exact width,
// physical-memory windows, the DMA region and interrupt vectors, as the `DeviceHardware` interface
// drivers receive as a parameter, and its in-image implementation over `__toro.hw`. Imports only
// errors and intrinsics; must not import the runtime globals or anything Node-only.
import { ToroError } from "./errors.js";
import { findIntrinsics } from "./intrinsics.js";

/** Width of one port I/O access, in bytes. */
export type PortWidth = 1 | 2 | 4;

/** Width of one MMIO access that returns a number, in bytes (8-byte accesses use `read64`/`write64`). */
export type MmioWidth = 1 | 2 | 4;

/** A range of physical memory. */
export interface PhysicalRange {
  /** Physical start address. */
  readonly base: number;
  /** Length in bytes. */
  readonly length: number;
}

/** A block of DMA-able memory: where the device sees it and where the driver sees it. */
export interface DmaBuffer {
  /** Physical address the device uses. */
  readonly physical: number;
  /** The same bytes as the driver sees them. */
  readonly view: Uint8Array;
}

/**
 * Hands out DMA-able memory. Tiny on purpose: `@toro/memory` implements it with per-core pools;
 * {@link createDmaAllocator} is a simple first-fit allocator over the kernel's DMA region.
 */
export interface DmaAllocator {
  /**
   * Allocates zeroed memory.
   * @throws ToroError `ENOMEM` when no block of that size and alignment is left.
   */
  allocate(bytes: number, align?: number): DmaBuffer;
  /** Returns a block obtained from `allocate` (freeing twice or a foreign block throws `EINVAL`). */
  free(buffer: DmaBuffer): void;
}

/** An MSI/MSI-X message: the address and data a device writes to raise an interrupt. */
export interface MsiMessage {
  /** The message address (0xFEExxxxx on x86). */
  readonly address: number;
  /** The message data (holds the vector). */
  readonly data: number;
}

/** How an IOAPIC input signals. */
export interface IoapicRoute {
  /** Level-triggered (true) or edge-triggered (false). */
  readonly level: boolean;
  /** Active low (true) or active high (false). */
  readonly activeLow: boolean;
}

/** Interrupts of this core: vectors, their routing, and the handlers the event loop calls. */
export interface InterruptController {
  /** A free vector on this core. @throws ToroError `EBUSY` when none is left. */
  allocateVector(): number;
  /** Points IOAPIC input `gsi` at `vector` on this core, unmasked. */
  routeIoapic(gsi: number, vector: number, route: IoapicRoute): void;
  /** The MSI/MSI-X message that delivers `vector` to this core. */
  msiMessage(vector: number): MsiMessage;
  /** Sets (or, with `null`, removes) the handler the event loop calls after `vector` fired. */
  setHandler(vector: number, handler: (() => void) | null): void;
}

/**
 * The machine as a driver sees it: what `@toro/devices`, `@toro/virtio` and drivers receive as a
 * parameter. In the image it is {@link deviceHardware}; on Node, `createFakeMachine()`.
 */
export interface DeviceHardware {
  /** Port I/O (x86 `in`/`out`); each access is a trap to ring 0 in the image. */
  readonly io: {
    /** Reads `width` bytes from `port`. */
    read(port: number, width: PortWidth): number;
    /** Writes the low `width` bytes of `value` to `port`. */
    write(port: number, width: PortWidth, value: number): void;
  };
  /** Memory-mapped device registers: one volatile access of exactly the given width. */
  readonly mmio: {
    /** Reads 1, 2 or 4 bytes at physical `address`. */
    read(address: number, width: MmioWidth): number;
    /** Writes 1, 2 or 4 bytes at physical `address`. */
    write(address: number, width: MmioWidth, value: number): void;
    /** Reads 8 bytes at physical `address`. */
    read64(address: number): bigint;
    /** Writes 8 bytes at physical `address`. */
    write64(address: number, value: bigint): void;
  };
  /** Physical memory windows (ACPI tables, RAM). */
  readonly physical: {
    /** A view of `length` bytes at physical `base`. @throws ToroError `EFAULT` when not mappable. */
    map(base: number, length: number): Uint8Array;
  };
  /** The physical memory set aside for this core's device buffers. */
  readonly dmaRegion: PhysicalRange;
  /** Interrupt vectors and handlers. */
  readonly irq: InterruptController;
  /** Physical address of the ACPI RSDP, 0 when the boot loader gave none. */
  readonly acpiRsdp: number;
  /** The boot command line (Firecracker lists its virtio-mmio devices there). */
  bootCommandLine(): string;
}

/** `__toro.hw` as the C runtime defines it (docs/internals.md §6). */
interface HwIntrinsics {
  ioIn(port: number, size: 1 | 2 | 4): number;
  ioOut(port: number, size: 1 | 2 | 4, value: number): void;
  mmioRead(addr: number, size: 1 | 2 | 4 | 8): number | bigint;
  mmioWrite(addr: number, size: 1 | 2 | 4 | 8, value: number | bigint): void;
  mapPhysical(base: number, length: number): ArrayBuffer;
  dmaRegion: { base: number; length: number };
  allocateVector(): number;
  routeIoapic(gsi: number, vector: number, level: boolean, activeLow: boolean): void;
  msiMessage(vector: number): { address: number; data: number };
  setIrqHandler(vector: number, fn: (() => void) | null): void;
  acpiRsdp: number;
}

let cached: { from: object; hardware: DeviceHardware } | undefined;

/**
 * The device hardware of the VM this code runs in, over the kernel's `__toro.hw` intrinsics. Call
 * it at the edge (the app's main) and pass it to discovery and drivers.
 *
 * @returns the in-image `DeviceHardware` (the same object on every call)
 * @throws ToroError `ENOTIMAGE` outside an image; `ENOTSUP` when the kernel has no hardware intrinsics.
 * @example
 * ```ts
 * import { deviceHardware } from "@toro/kernel";
 * const hw = deviceHardware();
 * const devices = discoverDevices(hw);
 * ```
 */
export function deviceHardware(): DeviceHardware {
  const intrinsics = findIntrinsics() as (ReturnType<typeof findIntrinsics> & { hw?: HwIntrinsics }) | undefined;
  if (intrinsics === undefined) {
    throw new ToroError("ENOTIMAGE", "deviceHardware(): not running inside a Toro image", {
      hint: "use createFakeMachine() in tests",
    });
  }
  const hw = intrinsics.hw;
  if (hw === undefined) {
    throw new ToroError("ENOTSUP", "deviceHardware(): this kernel has no hardware intrinsics (__toro.hw)", {
      hint: "rebuild @toro/kernel with the issue 4 intrinsics",
    });
  }
  if (cached !== undefined && cached.from === hw) return cached.hardware;
  cached = { from: hw, hardware: deviceHardwareOver(hw, () => intrinsics.cmdline) };
  return cached.hardware;
}

function deviceHardwareOver(hw: HwIntrinsics, cmdline: () => string): DeviceHardware {
  const dmaRegion = Object.freeze({ base: hw.dmaRegion.base, length: hw.dmaRegion.length });
  return {
    io: {
      read: (port, width) => hw.ioIn(port, width),
      write: (port, width, value) => hw.ioOut(port, width, value),
    },
    mmio: {
      read: (address, width) => Number(hw.mmioRead(address, width)),
      write: (address, width, value) => hw.mmioWrite(address, width, value),
      read64: (address) => BigInt(hw.mmioRead(address, 8)),
      write64: (address, value) => hw.mmioWrite(address, 8, value),
    },
    physical: {
      map(base, length) {
        try {
          return new Uint8Array(hw.mapPhysical(base, length));
        } catch (cause) {
          throw new ToroError("EFAULT", `cannot map physical 0x${base.toString(16)}+${length}`, { cause });
        }
      },
    },
    dmaRegion,
    irq: {
      allocateVector() {
        try {
          return hw.allocateVector();
        } catch (cause) {
          throw new ToroError("EBUSY", "no free interrupt vector on this core", { cause });
        }
      },
      routeIoapic: (gsi, vector, route) => hw.routeIoapic(gsi, vector, route.level, route.activeLow),
      msiMessage: (vector) => hw.msiMessage(vector),
      setHandler: (vector, handler) => hw.setIrqHandler(vector, handler),
    },
    acpiRsdp: hw.acpiRsdp,
    bootCommandLine: cmdline,
  };
}
