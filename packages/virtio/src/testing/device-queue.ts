// Test kit (@toro/virtio/testing): the device side of a split virtqueue, for Node tests. It reads
// the driver's available chains out of a fake machine's memory (following NEXT and INDIRECT, with
// loop protection), lets a test complete them in any order with any length, and can write hostile
// used entries on purpose. Imports the ring layout only; never a driver.
import { DESCRIPTOR_BYTES, DescFlag, needEvent, ringLayout, type RingLayout } from "../ring-layout.js";

/** Reads and writes physical memory (a fake machine's `physical.map` is enough). */
export interface PhysicalMemory {
  /** A live view of `length` bytes at `physical`. */
  map(physical: number, length: number): Uint8Array;
}

/** One available chain as the device sees it. */
export interface DeviceChain {
  /** Head descriptor index (what goes into the used ring). */
  readonly head: number;
  /** The device-readable bytes, concatenated (a copy). */
  readonly readable: Uint8Array;
  /** Total bytes the device may write. */
  readonly writableBytes: number;
  /** Number of descriptors walked (including those of an indirect table). */
  readonly descriptorCount: number;
  /** Whether it used an indirect table. */
  readonly indirect: boolean;
  /** Writes `bytes` into the writable segments from `offset`; returns bytes written (clipped). */
  write(bytes: Uint8Array, offset?: number): number;
}

interface Segment {
  physical: number;
  length: number;
  write: boolean;
}

/**
 * The device side of a split queue.
 *
 * @example
 * ```ts
 * const q = new DeviceQueue(machine, { size: 8, descriptors, driverArea, deviceArea }, { eventIdx: false });
 * for (const chain of q.takeAvailable()) q.complete(chain.head, chain.write(reply));
 * ```
 */
export class DeviceQueue {
  /** Queue size. */
  readonly size: number;
  readonly #memory: PhysicalMemory;
  readonly #desc: DataView;
  readonly #avail: DataView;
  readonly #used: DataView;
  readonly #eventIdx: boolean;
  #lastAvail = 0;
  #usedIdx = 0;
  #lastSignalled = 0;
  /** Interrupts the driver asked us to skip (suppression at work). */
  suppressedInterrupts = 0;

  /**
   * Attaches to a queue the driver set up.
   *
   * @param memory - physical memory of the fake machine
   * @param addresses - size and the three areas' physical addresses
   * @param options - whether EVENT_IDX was negotiated
   * @returns the device-side queue
   * @example
   * ```ts
   * new DeviceQueue(machine.physical, { size, descriptors, driverArea, deviceArea }, { eventIdx: true });
   * ```
   */
  constructor(
    memory: PhysicalMemory,
    addresses: { size: number; descriptors: number; driverArea: number; deviceArea: number },
    options: { eventIdx: boolean },
  ) {
    this.size = addresses.size;
    this.#memory = memory;
    const layout: RingLayout = ringLayout(addresses.size);
    const view = (physical: number, length: number) => {
      const b = memory.map(physical, length);
      return new DataView(b.buffer, b.byteOffset, b.byteLength);
    };
    this.#desc = view(addresses.descriptors, layout.availOffset);
    this.#avail = view(addresses.driverArea, 6 + 2 * this.size);
    this.#used = view(addresses.deviceArea, 6 + 8 * this.size);
    this.#eventIdx = options.eventIdx;
  }

  /** Chains available and not yet taken. */
  get pending(): number {
    return (this.#avail.getUint16(2, true) - this.#lastAvail) & 0xffff;
  }

  /**
   * Takes every newly available chain (or at most `max`).
   *
   * @param max - how many to take at most
   * @returns the chains, in ring order
   * @example
   * ```ts
   * const [request] = q.takeAvailable(1);
   * ```
   */
  takeAvailable(max = Infinity): DeviceChain[] {
    const out: DeviceChain[] = [];
    while (this.pending > 0 && out.length < max) {
      const head = this.#avail.getUint16(4 + 2 * (this.#lastAvail % this.size), true);
      this.#lastAvail = (this.#lastAvail + 1) & 0xffff;
      out.push(this.#walk(head));
    }
    // virtio 1.2 §2.7.10: with EVENT_IDX, ask to be notified at the next new entry.
    if (this.#eventIdx) this.#used.setUint16(4 + 8 * this.size, this.#lastAvail, true);
    return out;
  }

  /**
   * Puts a chain in the used ring and says whether the driver wants an interrupt for it.
   *
   * @param head - the chain's head
   * @param length - bytes written
   * @returns true when an interrupt should be raised (per the driver's suppression)
   * @example
   * ```ts
   * if (q.complete(chain.head, 0)) device.interrupt();
   * ```
   */
  complete(head: number, length: number): boolean {
    return this.completeRaw(head, length);
  }

  /**
   * Writes any used entry, valid or not (hostile-device tests), and publishes it.
   *
   * @param id - the id to report (may be out of range)
   * @param length - the length to report (may exceed the buffer)
   * @param indexStep - how far to move used.idx (default 1; more claims phantom entries)
   * @returns whether the driver asked for an interrupt
   * @example
   * ```ts
   * q.completeRaw(9999, 0); // a used id that was never made available
   * ```
   */
  completeRaw(id: number, length: number, indexStep = 1): boolean {
    const at = 4 + 8 * (this.#usedIdx % this.size);
    this.#used.setUint32(at, id >>> 0, true);
    this.#used.setUint32(at + 4, length >>> 0, true);
    const old = this.#lastSignalled;
    this.#usedIdx = (this.#usedIdx + indexStep) & 0xffff;
    this.#used.setUint16(2, this.#usedIdx, true);
    const want = this.#eventIdx
      ? needEvent(this.#avail.getUint16(4 + 2 * this.size, true), this.#usedIdx, old)
      : (this.#avail.getUint16(0, true) & 1) === 0;
    if (want) this.#lastSignalled = this.#usedIdx;
    else this.suppressedInterrupts++;
    return want;
  }

  /**
   * Sets VRING_USED_F_NO_NOTIFY (without EVENT_IDX): the driver should stop notifying.
   *
   * @param suppress - true to ask for no notifications
   * @returns nothing
   * @example
   * ```ts
   * q.suppressNotifications(true);
   * ```
   */
  suppressNotifications(suppress: boolean): void {
    this.#used.setUint16(0, suppress ? 1 : 0, true);
  }

  #walk(head: number): DeviceChain {
    const segments: Segment[] = [];
    let indirect = false;
    let count = 0;
    const visit = (table: DataView, entries: number, start: number) => {
      let i = start;
      for (let steps = 0; steps < entries; steps++) {
        if (i >= entries) throw new Error(`descriptor ${i} out of range`);
        const at = i * DESCRIPTOR_BYTES;
        const physical = table.getUint32(at, true) + table.getUint32(at + 4, true) * 2 ** 32;
        const length = table.getUint32(at + 8, true);
        const flags = table.getUint16(at + 12, true);
        count++;
        if ((flags & DescFlag.INDIRECT) !== 0) {
          indirect = true;
          const t = this.#memory.map(physical, length);
          visit(new DataView(t.buffer, t.byteOffset, t.byteLength), length / DESCRIPTOR_BYTES, 0);
          count--;
        } else {
          segments.push({ physical, length, write: (flags & DescFlag.WRITE) !== 0 });
        }
        if ((flags & DescFlag.NEXT) === 0) return;
        i = table.getUint16(at + 14, true);
      }
      throw new Error("descriptor chain loops");
    };
    visit(this.#desc, this.size, head);
    const readableSegs = segments.filter((s) => !s.write);
    const writableSegs = segments.filter((s) => s.write);
    const readable = new Uint8Array(readableSegs.reduce((n, s) => n + s.length, 0));
    let r = 0;
    for (const s of readableSegs) {
      readable.set(this.#memory.map(s.physical, s.length), r);
      r += s.length;
    }
    const memory = this.#memory;
    return {
      head,
      readable,
      writableBytes: writableSegs.reduce((n, s) => n + s.length, 0),
      descriptorCount: count,
      indirect,
      write(bytes: Uint8Array, offset = 0) {
        let written = 0;
        let skip = offset;
        for (const s of writableSegs) {
          if (written >= bytes.length) break;
          if (skip >= s.length) {
            skip -= s.length;
            continue;
          }
          const n = Math.min(s.length - skip, bytes.length - written);
          memory.map(s.physical + skip, n).set(bytes.subarray(written, written + n));
          written += n;
          skip = 0;
        }
        return written;
      },
    };
  }
}
