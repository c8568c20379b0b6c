// Driver layer (@toro/virtio-blk): a virtio block device (virtio 1.2 §5.2) as a `BlockDevice`:
// capacity and sector size from config, read/write/flush requests (§5.2.6) with many in flight on
// one queue, bounce buffers from the DMA allocator, read-only devices refused with EROFS, and a
// device that breaks the protocol reset and its requests failed with EIO. Imports devices, virtio
// and the kernel's face; never @toro/fs or @toro/net.
import { ToroError, type DeviceHardware, type DmaAllocator, type DmaBuffer } from "@toro/kernel";
import type { BlockDevice, BlockDeviceInfo, DeviceDriver, FoundDevice } from "@toro/devices";
import {
  startVirtioDriver,
  startVirtioDriverOn,
  virtioDriverEntry,
  type SplitVirtqueue,
  type VirtioDevice,
  type VirtioDriverSpec,
  type VirtioTransport,
} from "@toro/virtio";

// virtio 1.2 §5.2.3 feature bits.
const F_SIZE_MAX = 1n << 1n;
const F_SEG_MAX = 1n << 2n;
const F_RO = 1n << 5n;
const F_BLK_SIZE = 1n << 6n;
const F_FLUSH = 1n << 9n;
// §5.2.6 request types and status values.
const T_IN = 0;
const T_OUT = 1;
const T_FLUSH = 4;
const S_OK = 0;
const S_UNSUPP = 2;
// Request sectors are always 512 bytes, whatever the logical block size (§5.2.6).
const VIRTIO_SECTOR = 512;
const DEFAULT_MAX_REQUEST_BYTES = 256 * 1024;

/** Options of the virtio-blk driver. */
export interface VirtioBlkOptions {
  /** Where request headers and bounce buffers come from. */
  readonly dma: DmaAllocator;
  /** Largest queue to use; default 128. */
  readonly maxQueueSize?: number;
  /** Largest single request in bytes (bigger reads and writes are split); default 256 KiB. */
  readonly maxRequestBytes?: number;
}

interface Request {
  readonly header: DmaBuffer;
  readonly data: DmaBuffer | undefined;
  readonly into: Uint8Array | undefined;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A virtio-blk disk.
 *
 * @example
 * ```ts
 * const disk = await virtioBlk(hw, found, { dma });
 * const sector0 = new Uint8Array(disk.info.sectorSize);
 * await disk.read(0, sector0);
 * ```
 */
export class VirtioBlk implements BlockDevice {
  /** Geometry and capabilities. */
  readonly info: BlockDeviceInfo;
  readonly #dev: VirtioDevice;
  readonly #queue: SplitVirtqueue<Request>;
  readonly #dma: DmaAllocator;
  readonly #maxRequestBytes: number;
  readonly #waiting: (() => void)[] = [];
  #failure: ToroError | undefined;

  /**
   * Wraps an initialized device; use {@link createVirtioBlk} or {@link virtioBlk}.
   *
   * @param dev - the initialized virtio device (not yet DRIVER_OK)
   * @param options - allocator and limits
   * @returns the disk
   * @example
   * ```ts
   * const disk = await createVirtioBlk(transport, { dma });
   * ```
   */
  constructor(dev: VirtioDevice, options: VirtioBlkOptions) {
    this.#dev = dev;
    this.#dma = options.dma;
    this.#queue = dev.queue<Request>(0);
    const { capacity, blkSize, sizeMax } = dev.readConfig((c) => ({
      capacity: c.u64(0),
      sizeMax: dev.has(F_SIZE_MAX) ? c.u32(8) : 0,
      blkSize: dev.has(F_BLK_SIZE) ? c.u32(20) : VIRTIO_SECTOR,
    }));
    // A logical block size that is not a power-of-two multiple of 512 is bogus: fall back to 512.
    const sectorSize = blkSize >= VIRTIO_SECTOR && blkSize <= 65536 && (blkSize & (blkSize - 1)) === 0 ? blkSize : VIRTIO_SECTOR;
    this.info = Object.freeze({
      sectorSize,
      sectorCount: Math.floor(capacity / (sectorSize / VIRTIO_SECTOR)),
      readOnly: dev.has(F_RO),
      flushable: dev.has(F_FLUSH),
    });
    let max = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    if (sizeMax >= sectorSize) max = Math.min(max, sizeMax);
    this.#maxRequestBytes = Math.max(sectorSize, max - (max % sectorSize));
    dev.ready();
  }

  /**
   * Reads whole sectors.
   *
   * @param sector - first sector (of `info.sectorSize` bytes)
   * @param buffer - receives the data; its length is a multiple of the sector size
   * @returns resolves when the data is in `buffer`
   * @throws ToroError `EINVAL` for a bad range, `EIO` for a device error.
   * @example
   * ```ts
   * await disk.read(2048, new Uint8Array(4096));
   * ```
   */
  read(sector: number, buffer: Uint8Array): Promise<void> {
    return this.#transfer(T_IN, sector, buffer);
  }

  /**
   * Writes whole sectors.
   *
   * @param sector - first sector
   * @param data - the bytes; a multiple of the sector size
   * @returns resolves when the device completed the write (call `flush` for durability)
   * @throws ToroError `EROFS` on a read-only device, `EINVAL` for a bad range, `EIO` for a device error.
   * @example
   * ```ts
   * await disk.write(0, bootSector);
   * ```
   */
  write(sector: number, data: Uint8Array): Promise<void> {
    if (this.info.readOnly) {
      return Promise.reject(new ToroError("EROFS", "the disk is read-only", { hint: "attach it read-write to write to it" }));
    }
    return this.#transfer(T_OUT, sector, data);
  }

  /**
   * Makes completed writes durable (VIRTIO_BLK_T_FLUSH); a no-op without VIRTIO_BLK_F_FLUSH.
   *
   * @returns resolves when the device says the data is stable
   * @example
   * ```ts
   * await disk.write(0, data);
   * await disk.flush();
   * ```
   */
  async flush(): Promise<void> {
    if (!this.info.flushable) return;
    await this.#submit(T_FLUSH, 0, undefined, undefined);
  }

  /**
   * Resets the device and frees its memory; pending requests fail with `EIO`.
   *
   * @returns resolves when closed
   * @example
   * ```ts
   * await disk.close();
   * ```
   */
  async close(): Promise<void> {
    this.#fail(new ToroError("EIO", "the disk was closed"));
  }

  async #transfer(type: number, sector: number, buffer: Uint8Array): Promise<void> {
    const { sectorSize, sectorCount } = this.info;
    const count = buffer.length / sectorSize;
    if (!Number.isSafeInteger(sector) || sector < 0 || !Number.isInteger(count) || sector + count > sectorCount) {
      throw new ToroError("EINVAL", `${type === T_IN ? "read" : "write"} of ${buffer.length} bytes at sector ${sector} is outside the ${sectorCount}×${sectorSize}-byte disk or not whole sectors`);
    }
    const ratio = sectorSize / VIRTIO_SECTOR;
    const parts: Promise<void>[] = [];
    for (let offset = 0; offset < buffer.length; offset += this.#maxRequestBytes) {
      const chunk = buffer.subarray(offset, Math.min(buffer.length, offset + this.#maxRequestBytes));
      const virtioSector = (sector + offset / sectorSize) * ratio;
      parts.push(type === T_IN ? this.#submit(T_IN, virtioSector, undefined, chunk) : this.#submit(T_OUT, virtioSector, chunk, undefined));
    }
    await Promise.all(parts);
  }

  async #submit(type: number, virtioSector: number, out: Uint8Array | undefined, into: Uint8Array | undefined): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    // Header (16 bytes, device-readable) and status (1 byte, device-writable) share one block.
    const header = this.#dma.allocate(17, 16);
    const view = new DataView(header.view.buffer, header.view.byteOffset, 17);
    view.setUint32(0, type, true);
    view.setUint32(8, virtioSector >>> 0, true);
    view.setUint32(12, Math.floor(virtioSector / 2 ** 32), true);
    header.view[16] = 0xff; // a device that never writes the status reads as an error
    let data: DmaBuffer | undefined;
    try {
      const bytes = out?.length ?? into?.length ?? 0;
      data = bytes > 0 ? this.#dma.allocate(bytes, 16) : undefined;
    } catch (error) {
      this.#dma.free(header);
      throw error;
    }
    if (out !== undefined && data !== undefined) data.view.set(out);
    const headerSeg = { physical: header.physical, length: 16 };
    const statusSeg = { physical: header.physical + 16, length: 1 };
    const dataSeg = data === undefined ? [] : [{ physical: data.physical, length: data.view.length }];
    const chain = type === T_IN ? { readable: [headerSeg], writable: [...dataSeg, statusSeg] } : { readable: [headerSeg, ...dataSeg], writable: [statusSeg] };
    return new Promise<void>((resolve, reject) => {
      const request: Request = { header, data, into, resolve, reject };
      const attempt = () => {
        if (this.#failure !== undefined) {
          this.#release(request);
          reject(this.#failure);
          return;
        }
        // A full queue is backpressure: wait for a completion to free descriptors.
        if (!this.#queue.add(chain, request)) {
          this.#waiting.push(attempt);
          return;
        }
        this.#queue.kick();
      };
      attempt();
    });
  }

  /**
   * Services the queue after an interrupt (called by the interrupt handler; exposed for the handler
   * wiring only).
   *
   * @param configChanged - whether the interrupt may be a configuration change
   * @returns nothing
   * @example
   * ```ts
   * disk.service(false);
   * ```
   */
  service(configChanged: boolean): void {
    if (this.#failure !== undefined) return;
    if (configChanged && this.#dev.needsReset()) {
      this.#fail(new ToroError("EIO", "the disk asked to be reset (DEVICE_NEEDS_RESET)"));
      return;
    }
    let used;
    try {
      used = this.#queue.takeUsed();
    } catch (error) {
      this.#fail(new ToroError("EIO", "the disk broke the virtio protocol and was reset", { cause: error }));
      return;
    }
    for (const { token: request } of used) {
      const status = request.header.view[16];
      if (status === S_OK) {
        if (request.into !== undefined && request.data !== undefined) request.into.set(request.data.view);
        request.resolve();
      } else {
        request.reject(new ToroError(status === S_UNSUPP ? "ENOTSUP" : "EIO", `disk request failed with status ${status}`));
      }
      this.#release(request);
    }
    // Wake waiters while there is room; each re-queues itself if there is not.
    const waiting = this.#waiting.splice(0);
    for (const attempt of waiting) attempt();
  }

  #release(request: Request): void {
    this.#dma.free(request.header);
    if (request.data !== undefined) this.#dma.free(request.data);
  }

  #fail(error: ToroError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    // virtio 1.2 §2.1.2: reset stops the device from touching our memory before we free it.
    for (const token of this.#dev.reset()) {
      const request = token as Request;
      this.#release(request);
      request.reject(error);
    }
    for (const attempt of this.#waiting.splice(0)) attempt();
  }
}

const VIRTIO_BLK: VirtioDriverSpec<VirtioBlk, VirtioBlkOptions> = {
  name: "virtio-blk",
  kind: "block",
  deviceType: 2,
  description: "a block device",
  transitionalDeviceId: 0x1001,
  wantedFeatures: F_SIZE_MAX | F_SEG_MAX | F_RO | F_BLK_SIZE | F_FLUSH,
  queues: 1,
  defaultMaxQueueSize: 128,
  create: (dev, options) => new VirtioBlk(dev, options),
};

/**
 * Brings up a virtio-blk device over a transport.
 *
 * @param transport - virtio-pci or virtio-mmio transport of a block device (type 2)
 * @param options - allocator and limits
 * @returns the disk, ready for requests
 * @throws ToroError `ENODEV` when the transport is not a block device; virtio init errors.
 * @example
 * ```ts
 * const disk = await createVirtioBlk(virtioMmioTransport(hw, mmioDevice), { dma });
 * ```
 */
export function createVirtioBlk(transport: VirtioTransport, options: VirtioBlkOptions): Promise<VirtioBlk> {
  return startVirtioDriver(VIRTIO_BLK, transport, options);
}

/**
 * Brings up a discovered virtio-blk device (PCI or MMIO).
 *
 * @param hw - the device hardware
 * @param device - from `discoverDevices`
 * @param options - allocator and limits
 * @returns the disk
 * @example
 * ```ts
 * const found = discoverDevices(hw).find((d) => virtioDeviceType(d) === 2)!;
 * const disk = await virtioBlk(hw, found, { dma });
 * ```
 */
export function virtioBlk(hw: DeviceHardware, device: FoundDevice, options: VirtioBlkOptions): Promise<VirtioBlk> {
  return startVirtioDriverOn(VIRTIO_BLK, hw, device, options);
}

/**
 * The virtio-blk entry for a driver registry (kind `"block"`; ids 0x1af4:0x1042 and transitional 0x1001).
 *
 * @param hw - the device hardware
 * @param options - allocator and limits
 * @returns the driver
 * @example
 * ```ts
 * const registry = createDriverRegistry<BlockDevice>([virtioBlkDriver(hw, { dma })]);
 * const disk = await registry.bindFirst(discoverDevices(hw), "block");
 * ```
 */
export function virtioBlkDriver(hw: DeviceHardware, options: VirtioBlkOptions): DeviceDriver<BlockDevice> {
  return virtioDriverEntry(VIRTIO_BLK, hw, options);
}
