// Device-interface layer (@toro/devices): what a filesystem needs from a disk. Depends on nothing; no
// virtio (or any transport) type may appear here, so @toro/fs never learns which driver it runs on.

/** Capabilities and geometry of a block device. */
export interface BlockDeviceInfo {
  /** Bytes per sector: the unit of every read and write (512 on virtio-blk unless it says otherwise). */
  readonly sectorSize: number;
  /** Number of sectors. */
  readonly sectorCount: number;
  /** `true` when writes are refused (`write` rejects with code `EROFS`). */
  readonly readOnly: boolean;
  /** `true` when `flush` reaches stable storage (the device has a volatile write cache and a flush command). */
  readonly flushable: boolean;
}

/**
 * A disk: sector-addressed, asynchronous, many requests may be in flight at once (the driver queues
 * them; a full queue simply delays the promise — that is the backpressure).
 *
 * @example
 * ```ts
 * const sector = new Uint8Array(disk.info.sectorSize);
 * await disk.read(0, sector); // the boot sector
 * ```
 */
export interface BlockDevice {
  /** Geometry and capabilities. */
  readonly info: BlockDeviceInfo;
  /**
   * Reads `buffer.length / sectorSize` sectors starting at `sector` into `buffer`.
   * Rejects with a `ToroError` (`EINVAL` for a bad range or length, `EIO` for a device error).
   */
  read(sector: number, buffer: Uint8Array): Promise<void>;
  /** Writes `data` (a whole number of sectors) at `sector`. Rejects with `EROFS` on a read-only device. */
  write(sector: number, data: Uint8Array): Promise<void>;
  /** Makes every completed write durable (a no-op when the device has no volatile cache). */
  flush(): Promise<void>;
}
