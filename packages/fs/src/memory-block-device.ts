// Device layer helper of @toro/fs: a `BlockDevice` over a Uint8Array, for tests and for apps that want
// a RAM disk. Imports only interfaces (@toro/devices types) and the error base; never a driver.
import type { BlockDevice, BlockDeviceInfo } from "@toro/devices";
import { ToroError } from "@toro/kernel";

/** Options of {@link createMemoryBlockDevice}. */
export interface MemoryBlockDeviceOptions {
  /** Bytes per sector (default 512). */
  readonly sectorSize?: number;
  /** Refuse writes with `EROFS` (default `false`). */
  readonly readOnly?: boolean;
}

/** A RAM-backed block device that also exposes its bytes and counts requests. */
export interface MemoryBlockDevice extends BlockDevice {
  /** The disk's bytes (shared, not copied: writes show up here). */
  readonly bytes: Uint8Array;
  /** Requests served so far: useful to check caching in tests. */
  readonly stats: {
    /** `read` requests served. */
    reads: number;
    /** `write` requests served. */
    writes: number;
    /** `flush` requests served. */
    flushes: number;
  };
}

/**
 * Creates a block device over `bytes` (used in place, so the caller sees every write).
 *
 * @param bytes - the disk image; its length must be a whole number of sectors
 * @param options - sector size and read-only flag
 * @returns the device
 * @example
 * ```ts
 * const disk = createMemoryBlockDevice(new Uint8Array(1024 * 1024));
 * await disk.write(0, new Uint8Array(512));
 * ```
 */
export function createMemoryBlockDevice(bytes: Uint8Array, options: MemoryBlockDeviceOptions = {}): MemoryBlockDevice {
  const sectorSize = options.sectorSize ?? 512;
  if (!Number.isInteger(sectorSize) || sectorSize <= 0 || bytes.length % sectorSize !== 0) {
    throw new ToroError("EINVAL", `image length ${bytes.length} is not a multiple of the sector size ${sectorSize}`);
  }
  const info: BlockDeviceInfo = {
    sectorSize,
    sectorCount: bytes.length / sectorSize,
    readOnly: options.readOnly ?? false,
    flushable: true,
  };
  const stats = { reads: 0, writes: 0, flushes: 0 };
  const range = (sector: number, length: number): number => {
    if (!Number.isInteger(sector) || sector < 0 || length % sectorSize !== 0 || sector * sectorSize + length > bytes.length) {
      throw new ToroError("EINVAL", `bad request: sector ${sector}, ${length} bytes`);
    }
    return sector * sectorSize;
  };
  return {
    info,
    bytes,
    stats,
    async read(sector, buffer) {
      const at = range(sector, buffer.length);
      stats.reads++;
      buffer.set(bytes.subarray(at, at + buffer.length));
    },
    async write(sector, data) {
      if (info.readOnly) throw new ToroError("EROFS", "the device is read-only");
      const at = range(sector, data.length);
      stats.writes++;
      bytes.set(data, at);
    },
    async flush() {
      stats.flushes++;
    },
  };
}
