// FAT on-disk layer (@toro/fs/fat): parses and validates the boot sector / BIOS Parameter Block and
// derives the volume geometry (fatgen103 §3, §4 "FAT type determination"). Pure: bytes in, a value or
// a reason out; it never throws on bad bytes. Imports nothing from the VFS, the cache or any device.
import type { Parsed } from "@toro/devices";

/** The FAT variant, decided only by the count of data clusters (fatgen103 §4). */
export type FatType = 12 | 16 | 32;

/** The geometry of a FAT volume, in the volume's own (logical) sectors unless the name says bytes. */
export interface FatGeometry {
  /** FAT12, FAT16 or FAT32. */
  readonly type: FatType;
  /** BPB_BytsPerSec: 512, 1024, 2048 or 4096. */
  readonly bytesPerSector: number;
  /** BPB_SecPerClus: a power of two up to 128. */
  readonly sectorsPerCluster: number;
  /** Bytes per cluster. */
  readonly bytesPerCluster: number;
  /** BPB_RsvdSecCnt: sectors before the first FAT. */
  readonly reservedSectors: number;
  /** BPB_NumFATs: copies of the FAT. */
  readonly fatCount: number;
  /** Sectors per FAT copy. */
  readonly fatSectors: number;
  /** FAT12/16: entries of the fixed root directory; 0 on FAT32. */
  readonly rootEntryCount: number;
  /** First sector of the fixed root directory (FAT12/16). */
  readonly rootDirSector: number;
  /** Sectors of the fixed root directory (0 on FAT32). */
  readonly rootDirSectors: number;
  /** First sector of cluster 2. */
  readonly firstDataSector: number;
  /** Sectors of the whole volume. */
  readonly totalSectors: number;
  /** Number of data clusters: valid cluster numbers are 2 ..= clusterCount + 1. */
  readonly clusterCount: number;
  /** FAT32: first cluster of the root directory; 0 otherwise. */
  readonly rootCluster: number;
  /** FAT32: sector of the FSInfo structure (0 when absent). */
  readonly fsInfoSector: number;
  /** FAT32 BPB_ExtFlags bit 7: only `activeFat` is written. */
  readonly mirroringDisabled: boolean;
  /** FAT32 BPB_ExtFlags bits 0-3: the FAT in use when mirroring is off. */
  readonly activeFat: number;
  /** BPB_Media (0xF8 for fixed disks). */
  readonly media: number;
}

const fail = (error: string): Parsed<FatGeometry> => ({ ok: false, error });
const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/**
 * Parses a boot sector (at least 512 bytes) into the volume's geometry, checking every field the
 * driver relies on, so a damaged image is refused here instead of misread later.
 *
 * @param sector - the first sector of the volume
 * @param deviceBytes - the size of the device in bytes: the volume must fit in it
 * @returns the geometry, or `{ ok: false, error }` with the reason
 * @example
 * ```ts
 * const r = parseBootSector(bytes.subarray(0, 512), bytes.length);
 * if (r.ok) console.log(`FAT${r.value.type}, ${r.value.clusterCount} clusters`);
 * ```
 */
export function parseBootSector(sector: Uint8Array, deviceBytes: number): Parsed<FatGeometry> {
  if (sector.length < 512) return fail("boot sector shorter than 512 bytes");
  const v = new DataView(sector.buffer, sector.byteOffset, sector.byteLength);
  // fatgen103 §3.1: BS_jmpBoot is EB ?? 90 or E9 ?? ??; the 55 AA signature sits at byte 510.
  const jmp = sector[0];
  if (!((jmp === 0xeb && sector[2] === 0x90) || jmp === 0xe9)) return fail("no x86 jump at the start of the boot sector");
  if (sector[510] !== 0x55 || sector[511] !== 0xaa) return fail("missing 0x55 0xAA boot signature");
  const bytesPerSector = v.getUint16(11, true);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector)) return fail(`bad BPB_BytsPerSec ${bytesPerSector}`);
  const sectorsPerCluster = v.getUint8(13);
  if (!isPowerOfTwo(sectorsPerCluster) || sectorsPerCluster > 128) return fail(`bad BPB_SecPerClus ${sectorsPerCluster}`);
  const reservedSectors = v.getUint16(14, true);
  if (reservedSectors === 0) return fail("BPB_RsvdSecCnt is 0");
  const fatCount = v.getUint8(16);
  if (fatCount === 0 || fatCount > 4) return fail(`bad BPB_NumFATs ${fatCount}`);
  const rootEntryCount = v.getUint16(17, true);
  const totalSectors16 = v.getUint16(19, true);
  const media = v.getUint8(21);
  const fatSectors16 = v.getUint16(22, true);
  const totalSectors32 = v.getUint32(32, true);
  const fatSectors = fatSectors16 !== 0 ? fatSectors16 : v.getUint32(36, true);
  const totalSectors = totalSectors16 !== 0 ? totalSectors16 : totalSectors32;
  if (fatSectors === 0) return fail("FAT size is 0");
  if (totalSectors === 0) return fail("total sector count is 0");
  if (totalSectors * bytesPerSector > deviceBytes) {
    return fail(`volume of ${totalSectors * bytesPerSector} bytes does not fit the ${deviceBytes}-byte device`);
  }
  // fatgen103 §4: RootDirSectors, then the data region; the cluster count alone decides the type.
  const rootDirSectors = Math.ceil((rootEntryCount * 32) / bytesPerSector);
  const rootDirSector = reservedSectors + fatCount * fatSectors;
  const firstDataSector = rootDirSector + rootDirSectors;
  if (firstDataSector >= totalSectors) return fail("no room for a data region");
  const clusterCount = Math.floor((totalSectors - firstDataSector) / sectorsPerCluster);
  const type: FatType = clusterCount < 4085 ? 12 : clusterCount < 65525 ? 16 : 32;
  if (clusterCount < 1) return fail("no data clusters");
  // Every cluster needs a FAT entry: the FAT must be large enough (FAT12 packs 1.5 bytes per entry).
  const fatBytesNeeded = type === 12 ? Math.ceil(((clusterCount + 2) * 3) / 2) : (clusterCount + 2) * (type / 8);
  if (fatSectors * bytesPerSector < fatBytesNeeded) return fail("FAT too small for the cluster count");
  let rootCluster = 0;
  let fsInfoSector = 0;
  let mirroringDisabled = false;
  let activeFat = 0;
  if (type === 32) {
    if (rootEntryCount !== 0 || fatSectors16 !== 0) return fail("FAT32 volume with FAT16 root/FAT fields");
    const extFlags = v.getUint16(40, true);
    mirroringDisabled = (extFlags & 0x80) !== 0;
    activeFat = extFlags & 0x0f;
    if (mirroringDisabled && activeFat >= fatCount) return fail("BPB_ExtFlags names a FAT that does not exist");
    if (v.getUint16(42, true) !== 0) return fail("unknown FAT32 version");
    rootCluster = v.getUint32(44, true);
    if (rootCluster < 2 || rootCluster > clusterCount + 1) return fail(`root cluster ${rootCluster} out of range`);
    const info = v.getUint16(48, true);
    fsInfoSector = info !== 0 && info !== 0xffff && info < reservedSectors ? info : 0;
  } else if (rootEntryCount === 0) {
    return fail("FAT12/16 volume without a root directory");
  }
  return {
    ok: true,
    value: {
      type,
      bytesPerSector,
      sectorsPerCluster,
      bytesPerCluster: bytesPerSector * sectorsPerCluster,
      reservedSectors,
      fatCount,
      fatSectors,
      rootEntryCount,
      rootDirSector,
      rootDirSectors,
      firstDataSector,
      totalSectors,
      clusterCount,
      rootCluster,
      fsInfoSector,
      mirroringDisabled,
      activeFat,
      media,
    },
  };
}
