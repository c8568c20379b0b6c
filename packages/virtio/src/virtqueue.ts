// VirtIO core layer (@toro/virtio): the driver side of a split virtqueue (virtio 1.2 §2.7): free
// descriptors, chains, indirect tables, publishing available buffers, notification suppression
// (flags or EVENT_IDX), and collecting used buffers. Every index the device writes is checked: a
// used id or length out of range marks the queue broken and throws `EPROTO`, never reads out of
// bounds. Memory comes from the `DmaAllocator` passed in. Imports the kernel's face only.
import { ToroError, type DmaAllocator, type DmaBuffer } from "@toro/kernel";
import type { QueueAddresses } from "./transport.js";
import { DESCRIPTOR_BYTES, DescFlag, needEvent, ringLayout, type RingLayout } from "./ring-layout.js";

/** A buffer the device reads or writes: physical address and length. */
export interface DmaSegment {
  /** Physical address. */
  readonly physical: number;
  /** Bytes. */
  readonly length: number;
}

/** A chain to make available: device-readable segments first, then device-writable ones. */
export interface Chain {
  /** Buffers the device reads (driver to device). */
  readonly readable: readonly DmaSegment[];
  /** Buffers the device writes (device to driver). */
  readonly writable: readonly DmaSegment[];
}

/** A completed chain. */
export interface UsedBuffer<T> {
  /** The token given to `add`. */
  readonly token: T;
  /** Bytes the device wrote into the writable segments. */
  readonly length: number;
}

/** Options of a {@link SplitVirtqueue}. */
export interface VirtqueueOptions {
  /** Queue index on the device. */
  readonly index: number;
  /** Descriptors (power of two). */
  readonly size: number;
  /** Where the rings and indirect tables come from. */
  readonly dma: DmaAllocator;
  /** VIRTIO_F_RING_EVENT_IDX was negotiated. */
  readonly eventIdx: boolean;
  /** VIRTIO_F_RING_INDIRECT_DESC was negotiated. */
  readonly indirect: boolean;
  /** Rings the device's doorbell for this queue. */
  readonly notify: () => void;
}

interface InFlight<T> {
  token: T;
  descriptors: number[];
  table: DmaBuffer | undefined;
  writableBytes: number;
}

const u16 = (n: number) => n & 0xffff;

/**
 * A split virtqueue, driver side.
 *
 * @typeParam T - what the driver attaches to each chain to recognise it when it comes back
 * @example
 * ```ts
 * const q = new SplitVirtqueue<Request>({ index: 0, size: 128, dma, eventIdx: true, indirect: true, notify: () => transport.notify(0) });
 * transport.enableQueue(0, q.addresses);
 * q.add({ readable: [header], writable: [data, status] }, request);
 * q.kick();
 * for (const { token, length } of q.takeUsed()) token.done(length);
 * ```
 */
export class SplitVirtqueue<T> {
  /** Queue index on the device. */
  readonly index: number;
  /** Number of descriptors. */
  readonly size: number;
  /** Physical addresses to hand the transport. */
  readonly addresses: QueueAddresses;
  readonly #options: VirtqueueOptions;
  readonly #block: DmaBuffer;
  readonly #layout: RingLayout;
  readonly #view: DataView;
  readonly #avail16: Uint16Array;
  readonly #free: number[] = [];
  readonly #inFlight = new Map<number, InFlight<T>>();
  #availIdx = 0; // next free slot in the available ring (shadow of avail.idx)
  #lastKicked = 0; // avail.idx at the last notification decision
  #lastUsed = 0; // next used ring entry to read
  #broken: ToroError | undefined;

  /**
   * Allocates and zeroes the rings.
   *
   * @param options - index, size, allocator, negotiated ring features, doorbell
   * @returns the queue
   * @throws ToroError `EINVAL` when `size` is not a power of two in 1..32768.
   * @example
   * ```ts
   * new SplitVirtqueue({ index: 1, size: 64, dma, eventIdx: false, indirect: false, notify: () => {} });
   * ```
   */
  constructor(options: VirtqueueOptions) {
    const { size } = options;
    if (!Number.isInteger(size) || size < 1 || size > 32768 || (size & (size - 1)) !== 0) {
      throw new ToroError("EINVAL", `virtqueue size ${size} is not a power of two in 1..32768`);
    }
    this.#options = options;
    this.index = options.index;
    this.size = size;
    this.#layout = ringLayout(size);
    // virtio 1.2 §2.7: table 16-byte, avail 2-byte, used 4-byte alignment; a page covers all three.
    this.#block = options.dma.allocate(this.#layout.totalBytes, 4096);
    const v = this.#block.view;
    this.#view = new DataView(v.buffer, v.byteOffset, v.byteLength);
    this.#avail16 = new Uint16Array(v.buffer, v.byteOffset + this.#layout.availOffset, 2);
    for (let i = size - 1; i >= 0; i--) this.#free.push(i);
    const base = this.#block.physical;
    this.addresses = { size, descriptors: base, driverArea: base + this.#layout.availOffset, deviceArea: base + this.#layout.usedOffset };
  }

  /** Descriptors free now. */
  get freeDescriptors(): number {
    return this.#free.length;
  }

  /** Chains the device holds. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** The error that broke the queue, if the device misbehaved. */
  get broken(): ToroError | undefined {
    return this.#broken;
  }

  /**
   * Makes a chain available (not yet visible to the device until {@link kick}).
   *
   * @param chain - readable then writable segments
   * @param token - returned with the chain by {@link takeUsed}
   * @param preferIndirect - use an indirect table even when direct descriptors are free
   * @returns false when there is no room now (try again after some used buffers come back)
   * @throws ToroError `EINVAL` for an empty chain or one longer than the queue; the broken error when broken.
   * @example
   * ```ts
   * if (!q.add({ readable: [frame], writable: [] }, frame)) await room();
   * ```
   */
  add(chain: Chain, token: T, preferIndirect = false): boolean {
    if (this.#broken !== undefined) throw this.#broken;
    const segments = [...chain.readable.map((s) => ({ s, write: false })), ...chain.writable.map((s) => ({ s, write: true }))];
    const n = segments.length;
    if (n === 0 || n > this.size) throw new ToroError("EINVAL", `a chain needs 1..${this.size} buffers, got ${n}`);
    for (const { s } of segments) {
      if (!(s.length > 0 && s.length <= 0xffffffff)) throw new ToroError("EINVAL", `a buffer length must be 1..2^32-1, got ${s.length}`);
    }
    const writableBytes = chain.writable.reduce((sum, s) => sum + s.length, 0);
    const useIndirect = this.#options.indirect && n > 1 && (preferIndirect || this.#free.length < n);
    if (this.#free.length < (useIndirect ? 1 : n)) return false;
    let head: number;
    let descriptors: number[];
    let table: DmaBuffer | undefined;
    if (useIndirect) {
      table = this.#options.dma.allocate(n * DESCRIPTOR_BYTES, 16);
      const tv = new DataView(table.view.buffer, table.view.byteOffset, table.view.byteLength);
      segments.forEach(({ s, write }, i) => {
        writeDescriptor(tv, i, s.physical, s.length, (write ? DescFlag.WRITE : 0) | (i + 1 < n ? DescFlag.NEXT : 0), i + 1 < n ? i + 1 : 0);
      });
      head = this.#free.pop()!;
      descriptors = [head];
      writeDescriptor(this.#view, head, table.physical, n * DESCRIPTOR_BYTES, DescFlag.INDIRECT, 0);
    } else {
      descriptors = [];
      for (let i = 0; i < n; i++) descriptors.push(this.#free.pop()!);
      head = descriptors[0]!;
      segments.forEach(({ s, write }, i) => {
        const next = descriptors[i + 1];
        writeDescriptor(this.#view, descriptors[i]!, s.physical, s.length, (write ? DescFlag.WRITE : 0) | (next !== undefined ? DescFlag.NEXT : 0), next ?? 0);
      });
    }
    this.#inFlight.set(head, { token, descriptors, table, writableBytes });
    // virtio 1.2 §2.7.13.2: put the head in the next ring slot; the index is published by kick().
    this.#view.setUint16(this.#layout.availOffset + 4 + 2 * (this.#availIdx % this.size), head, true);
    this.#availIdx = u16(this.#availIdx + 1);
    return true;
  }

  /**
   * Publishes the chains added since the last kick and notifies the device unless it asked not to
   * be (VRING_USED_F_NO_NOTIFY, or its avail_event with EVENT_IDX — virtio 1.2 §2.7.10).
   *
   * @returns true when the device was notified
   * @example
   * ```ts
   * q.add(chain, token);
   * q.kick();
   * ```
   */
  kick(): boolean {
    if (this.#broken !== undefined) return false;
    const old = this.#lastKicked;
    const next = this.#availIdx;
    if (old === next) return false;
    // virtio 1.2 §2.7.13.3: the ring entries must be visible before the index; the index store must
    // be visible before we read the device's suppression fields (a full barrier: Atomics.store is
    // sequentially consistent).
    storeIndex(this.#avail16, 1, next);
    this.#lastKicked = next;
    const used = this.#layout.usedOffset;
    const notify = this.#options.eventIdx
      ? needEvent(this.#view.getUint16(used + 4 + 8 * this.size, true), next, old)
      : (this.#view.getUint16(used, true) & 1) === 0;
    if (notify) this.#options.notify();
    return notify;
  }

  /**
   * Collects the chains the device has finished, frees their descriptors and (with EVENT_IDX) asks
   * for an interrupt at the next completion.
   *
   * @returns the completed chains, in the order the device used them
   * @throws ToroError `EPROTO` when the device wrote an impossible index, id or length (the queue is then broken).
   * @example
   * ```ts
   * for (const { token, length } of q.takeUsed()) token.resolve(length);
   * ```
   */
  takeUsed(): UsedBuffer<T>[] {
    if (this.#broken !== undefined) throw this.#broken;
    const out: UsedBuffer<T>[] = [];
    const used = this.#layout.usedOffset;
    for (;;) {
      const deviceIdx = this.#view.getUint16(used + 2, true);
      const pending = u16(deviceIdx - this.#lastUsed);
      if (pending > this.#inFlight.size) {
        return this.#break(`used.idx moved by ${pending} with ${this.#inFlight.size} chains in flight`);
      }
      if (pending === 0) break;
      for (let i = 0; i < pending; i++) {
        const at = used + 4 + 8 * (this.#lastUsed % this.size);
        const id = this.#view.getUint32(at, true);
        const length = this.#view.getUint32(at + 4, true);
        const entry = id < this.size ? this.#inFlight.get(id) : undefined;
        if (entry === undefined) return this.#break(`used id ${id} is not a chain in flight`);
        if (length > entry.writableBytes) {
          return this.#break(`used length ${length} exceeds the ${entry.writableBytes} writable bytes of chain ${id}`);
        }
        this.#inFlight.delete(id);
        for (const d of entry.descriptors) this.#free.push(d);
        if (entry.table !== undefined) this.#options.dma.free(entry.table);
        this.#lastUsed = u16(this.#lastUsed + 1);
        out.push({ token: entry.token, length });
      }
      if (!this.#options.eventIdx) break;
      // virtio 1.2 §2.7.10: ask for an interrupt after the next used entry, then look again so an
      // entry written between our read and this store is not left without an interrupt.
      this.#view.setUint16(this.#layout.availOffset + 4 + 2 * this.size, this.#lastUsed, true);
      fence(this.#avail16);
    }
    return out;
  }

  /**
   * Gives back every chain still in flight (after a device reset) without touching the rings.
   *
   * @returns the tokens of the chains that never completed
   * @example
   * ```ts
   * for (const token of q.drain()) token.reject(error);
   * ```
   */
  drain(): T[] {
    const tokens: T[] = [];
    for (const entry of this.#inFlight.values()) {
      tokens.push(entry.token);
      if (entry.table !== undefined) this.#options.dma.free(entry.table);
    }
    this.#inFlight.clear();
    return tokens;
  }

  /**
   * Frees the rings. Call after the device was reset (it must no longer touch them).
   *
   * @returns nothing
   * @example
   * ```ts
   * transport.setStatus(0);
   * q.destroy();
   * ```
   */
  destroy(): void {
    this.drain();
    this.#options.dma.free(this.#block);
  }

  #break(message: string): never {
    this.#broken = new ToroError("EPROTO", `virtqueue ${this.index}: ${message}`, { hint: "the device is buggy or hostile; reset it" });
    throw this.#broken;
  }
}

function writeDescriptor(view: DataView, index: number, physical: number, length: number, flags: number, next: number): void {
  const at = index * DESCRIPTOR_BYTES;
  view.setUint32(at, physical >>> 0, true);
  view.setUint32(at + 4, Math.floor(physical / 2 ** 32), true);
  view.setUint32(at + 8, length >>> 0, true);
  view.setUint16(at + 12, flags, true);
  view.setUint16(at + 14, next, true);
}

// A sequentially consistent 16-bit store (a full barrier on x86: QuickJS uses C11 seq_cst atomics),
// or a plain store where Atomics is unavailable.
function storeIndex(view: Uint16Array, index: number, value: number): void {
  try {
    Atomics.store(view, index, value);
  } catch {
    view[index] = value;
  }
}

// A full barrier: a no-op atomic read-modify-write of avail.flags (which only the driver writes).
function fence(view: Uint16Array): void {
  try {
    Atomics.add(view, 0, 0);
  } catch {
    // No Atomics: nothing stronger is available.
  }
}
