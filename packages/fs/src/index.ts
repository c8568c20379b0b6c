// Public entry of @toro/fs: the VFS and its fs/promises-like API, the block cache, the FAT driver
// and the in-memory filesystem. Re-exports only; no side effects. Never imports a device driver.
export type { FsErrorCode } from "./errors.js";
export { createVfs, Vfs, type ReadFileOptions, type RmOptions, type WriteFileOptions } from "./vfs/vfs.js";
export { FileHandle, type ReadResult, type WriteResult } from "./vfs/file-handle.js";
export { Dirent, Stats } from "./vfs/stats.js";
export type { OpenFlag, ParsedFlags } from "./vfs/open-flags.js";
export { joinPath, splitPath } from "./vfs/path.js";
export type { DirEntryInfo, FileSystem, FsUsage, NodeKind, NodeStat, OpenFile, OpenOptions } from "./vfs/types.js";
export { createMemoryFileSystem, type MemoryFileSystemOptions } from "./memfs/memory-file-system.js";
export { mountFat, type FatMountOptions } from "./fat/fat-file-system.js";
export type { OemCodePage } from "./fat/code-page.js";
export { parseBootSector, type FatGeometry, type FatType } from "./fat/boot-sector.js";
export { BlockCache, type BlockCacheOptions, type BlockCacheStats } from "./cache/block-cache.js";
export { createMemoryBlockDevice, type MemoryBlockDevice, type MemoryBlockDeviceOptions } from "./memory-block-device.js";
