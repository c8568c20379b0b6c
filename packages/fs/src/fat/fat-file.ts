// FAT file layer (@toro/fs/fat): the in-memory state of an open FAT file (shared by every handle on
// it) and its positional read/write/truncate over the cluster chain. The short entry is rewritten
// after each change (size, first cluster, times: fatgen103 §6). Imports the volume and on-disk helpers;
// never the VFS or a driver.
import { corrupt, fsError } from "../errors.js";
import type { NodeStat, OpenFile } from "../vfs/types.js";
import { ATTR, encodeShortEntry, type DirRecord } from "./dir-entry.js";
import { fromFatTimestamp, toFatTimestamp } from "./fat-time.js";
import { DIR_ORDER, type FatVolume } from "./fat-volume.js";

// DIR_FileSize is 32 bits (fatgen103 §6).
const MAX_FILE_BYTES = 0xffffffff;

/** One file's state, shared by all its open handles. */
export interface FatNode {
  /** Key in the open-node table: `${parentRef}:${slot}`. */
  key: string;
  parentRef: number;
  slot: number;
  /** Device byte offset of the short entry. */
  entryOffset: number;
  /** Unlinked while open: the clusters are freed at the last close. */
  detached: boolean;
  refs: number;
  fields: {
    shortName: Uint8Array;
    attr: number;
    ntCase: number;
    firstCluster: number;
    size: number;
    createDate: number;
    createTime: number;
    createTenths: number;
    accessDate: number;
    writeDate: number;
    writeTime: number;
  };
  /** The cluster chain, loaded on first use. */
  chain: number[] | undefined;
}

/** Builds a node from a directory record. */
export function nodeFromRecord(parentRef: number, record: DirRecord, entryOffset: number): FatNode {
  return {
    key: `${parentRef}:${record.slot}`,
    parentRef,
    slot: record.slot,
    entryOffset,
    detached: false,
    refs: 0,
    fields: {
      shortName: record.shortName,
      attr: record.attr,
      ntCase: record.ntRes & 0x18,
      firstCluster: record.firstCluster,
      size: record.size,
      createDate: record.createDate,
      createTime: record.createTime,
      createTenths: record.createTenths,
      accessDate: record.accessDate,
      writeDate: record.writeDate,
      writeTime: record.writeTime,
    },
    chain: undefined,
  };
}

/** Metadata of a record or node's fields. */
export function statOf(f: FatNode["fields"] | DirRecord): NodeStat {
  const dir = (f.attr & ATTR.DIRECTORY) !== 0;
  return {
    kind: dir ? "directory" : "file",
    size: dir ? 0 : f.size,
    mtimeMs: fromFatTimestamp(f.writeDate, f.writeTime),
    atimeMs: fromFatTimestamp(f.accessDate),
    birthtimeMs: fromFatTimestamp(f.createDate, f.createTime, f.createTenths),
    readOnly: (f.attr & ATTR.READ_ONLY) !== 0,
  };
}

/** The operations a handle needs from its filesystem (serialisation and node lifetime). */
export interface FatFileHost {
  readonly volume: FatVolume;
  readonly now: () => number;
  run<T>(op: () => Promise<T>): Promise<T>;
  release(node: FatNode): Promise<void>;
  checkWritable(): void;
}

/** Loads (and checks) the node's chain: it must hold at least `size` bytes. */
export async function nodeChain(volume: FatVolume, node: FatNode): Promise<number[]> {
  if (node.chain) return node.chain;
  const chain = await volume.table.chain(node.fields.firstCluster);
  if (chain.length * volume.geo.bytesPerCluster < node.fields.size) {
    throw corrupt(`file size ${node.fields.size} is larger than its ${chain.length}-cluster chain`);
  }
  node.chain = chain;
  return chain;
}

/** Writes the node's short entry back to its directory slot. */
export async function writeNodeEntry(volume: FatVolume, node: FatNode): Promise<void> {
  if (node.detached) return;
  const entry = encodeShortEntry(node.fields);
  await volume.cache.write(node.entryOffset, entry, DIR_ORDER);
  volume.patchCachedEntry(node.parentRef, node.slot, entry);
}

/** Sets the size of `node`, freeing or allocating (and zeroing) clusters. */
export async function resizeNode(volume: FatVolume, node: FatNode, size: number): Promise<void> {
  const bpc = volume.geo.bytesPerCluster;
  const chain = await nodeChain(volume, node);
  const want = Math.ceil(size / bpc);
  if (want < chain.length) {
    const dropped = chain.splice(want);
    // Cut the chain first, then free the rest: a crash in between only leaks clusters.
    if (want === 0) node.fields.firstCluster = 0;
    else await volume.table.setEnd(chain[want - 1]!);
    await volume.table.free(dropped);
  } else if (want > chain.length) {
    const added = await volume.table.allocate(want - chain.length, chain[chain.length - 1] ?? 0);
    if (chain.length === 0) node.fields.firstCluster = added[0]!;
    chain.push(...added);
  }
  if (size > node.fields.size) {
    // New bytes read as zeros (fatgen103 leaves fresh clusters' contents undefined).
    const gap = size - node.fields.size;
    const zeros = new Uint8Array(Math.min(gap, 64 * 1024));
    for (let at = node.fields.size; at < size; at += zeros.length) {
      await volume.writeClusters(chain, at, zeros.subarray(0, Math.min(zeros.length, size - at)));
    }
  }
  node.fields.size = size;
}

/** An open handle on a FAT file. */
export class FatOpenFile implements OpenFile {
  private closed = false;

  constructor(
    private readonly host: FatFileHost,
    private readonly node: FatNode,
  ) {}

  size(): number {
    return this.node.fields.size;
  }

  stat(): Promise<NodeStat> {
    return this.host.run(async () => {
      this.check();
      return statOf(this.node.fields);
    });
  }

  read(position: number, target: Uint8Array): Promise<number> {
    return this.host.run(async () => {
      this.check();
      const n = Math.max(0, Math.min(target.length, this.node.fields.size - position));
      if (n === 0) return 0;
      const chain = await nodeChain(this.host.volume, this.node);
      await this.host.volume.readClusters(chain, position, target.subarray(0, n));
      return n;
    });
  }

  write(position: number, data: Uint8Array): Promise<number> {
    return this.host.run(async () => {
      this.check();
      this.host.checkWritable();
      const end = position + data.length;
      if (end > MAX_FILE_BYTES) throw fsError("EFBIG", "FAT files are limited to 4 GiB - 1 bytes");
      if (data.length === 0) return 0;
      const volume = this.host.volume;
      if (end > this.node.fields.size) {
        const chain = await nodeChain(volume, this.node);
        const needed = Math.ceil(end / volume.geo.bytesPerCluster) - chain.length;
        if (needed > volume.table.available) throw fsError("ENOSPC", "no space left on device");
        // Grow first (zero-filling any hole), so a failed allocation changes nothing.
        const old = this.node.fields.size;
        await resizeNode(volume, this.node, Math.max(old, position));
        if (end > this.node.fields.size) await this.grow(end);
      }
      await volume.writeClusters(this.node.chain!, position, data);
      this.touch();
      await writeNodeEntry(volume, this.node);
      return data.length;
    });
  }

  truncate(size: number): Promise<void> {
    return this.host.run(async () => {
      this.check();
      this.host.checkWritable();
      if (!Number.isInteger(size) || size < 0) throw fsError("EINVAL", `invalid length ${size}`);
      if (size > MAX_FILE_BYTES) throw fsError("EFBIG", "FAT files are limited to 4 GiB - 1 bytes");
      await resizeNode(this.host.volume, this.node, size);
      this.touch();
      await writeNodeEntry(this.host.volume, this.node);
    });
  }

  sync(): Promise<void> {
    return this.host.run(async () => {
      this.check();
      await this.host.volume.sync();
    });
  }

  close(): Promise<void> {
    return this.host.run(async () => {
      this.check();
      this.closed = true;
      await this.host.release(this.node);
    });
  }

  private async grow(end: number): Promise<void> {
    // Allocate without zeroing: the caller overwrites [size, end) right away.
    const volume = this.host.volume;
    const chain = await nodeChain(volume, this.node);
    const want = Math.ceil(end / volume.geo.bytesPerCluster);
    if (want > chain.length) {
      const added = await volume.table.allocate(want - chain.length, chain[chain.length - 1] ?? 0);
      if (chain.length === 0) this.node.fields.firstCluster = added[0]!;
      chain.push(...added);
    }
    this.node.fields.size = end;
  }

  private touch(): void {
    const t = toFatTimestamp(this.host.now());
    this.node.fields.writeDate = t.date;
    this.node.fields.writeTime = t.time;
    this.node.fields.accessDate = t.date;
    this.node.fields.attr |= ATTR.ARCHIVE;
  }

  private check(): void {
    if (this.closed) throw fsError("EBADF", "file handle is closed");
  }
}
