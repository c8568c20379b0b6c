// Process layer: a lock-free single-producer/single-consumer ring of byte messages in shared memory
// — the wire of every cross-core channel. One core writes, one core reads; no locks. Imports only
// the error base; no Node APIs (SharedArrayBuffer and Atomics exist in QuickJS).
//
// Layout (bytes from the ring's start; 8-aligned):
//   0    head      consumer's read counter (bytes, free-running u32)
//   64   tail      producer's write counter
//   128  rxWaiting 1 while the consumer sleeps waiting for data (producer rings its doorbell)
//   192  txWaiting 1 while the producer sleeps waiting for room (consumer rings its doorbell)
//   256  data      `capacity` bytes, a power of two
// Each message is a u32 length then its bytes, padded to 4; a length of 0xffffffff means "skip to the
// start of the data area" (a record never wraps). Counters are published with Atomics.store and read
// with Atomics.load, which orders the plain data accesses around them (JS memory model).
import { ToroError } from "@toro/kernel";

const HEAD = 0;
const TAIL = 16;
const RX_WAITING = 32;
const TX_WAITING = 48;
/** Bytes before the data area. */
export const RING_HEADER_BYTES = 256;
const SKIP = -1;

/**
 * Bytes a ring with `capacity` data bytes takes (header + data).
 *
 * @param capacity - data bytes, a power of two >= 64
 * @returns total bytes
 * @example
 * ```ts
 * const sab = new SharedArrayBuffer(ringBytes(65536));
 * ```
 */
export function ringBytes(capacity: number): number {
  return RING_HEADER_BYTES + capacity;
}

/**
 * One SPSC ring of byte messages over shared memory. Create both ends over the same bytes, one on
 * the producing core and one on the consuming core; call `format()` once before either uses it.
 *
 * @example
 * ```ts
 * const ring = new SpscRing(new SharedArrayBuffer(ringBytes(4096)));
 * ring.format();
 * ring.tryWrite(new TextEncoder().encode("hi"));
 * ring.tryRead(); // Uint8Array [104, 105]
 * ```
 */
export class SpscRing {
  private readonly words: Int32Array;
  private readonly data: Uint8Array;
  private readonly dataView: DataView;
  /** Data bytes (a power of two). */
  readonly capacity: number;
  private readonly mask: number;

  /**
   * Wraps the ring at `buffer[byteOffset ..]`.
   *
   * @param buffer - shared memory (a SharedArrayBuffer, or an ArrayBuffer on one core)
   * @param byteOffset - where the ring starts (multiple of 8)
   * @param byteLength - header + data bytes; default: the rest of the buffer
   * @returns the ring
   * @throws ToroError `EINVAL` on a bad size or offset.
   * @example
   * ```ts
   * const ring = new SpscRing(shared, 0, ringBytes(8192));
   * ```
   */
  constructor(buffer: ArrayBufferLike, byteOffset = 0, byteLength = buffer.byteLength - byteOffset) {
    const capacity = byteLength - RING_HEADER_BYTES;
    if (byteOffset % 8 !== 0 || capacity < 64 || (capacity & (capacity - 1)) !== 0 || byteOffset + byteLength > buffer.byteLength) {
      throw new ToroError("EINVAL", `ring at ${byteOffset}+${byteLength}: data must be a power of two >= 64 inside the buffer`, {
        hint: "size it with ringBytes(capacity)",
      });
    }
    this.words = new Int32Array(buffer, byteOffset, RING_HEADER_BYTES / 4);
    this.data = new Uint8Array(buffer, byteOffset + RING_HEADER_BYTES, capacity);
    this.dataView = new DataView(buffer, byteOffset + RING_HEADER_BYTES, capacity);
    this.capacity = capacity;
    this.mask = capacity - 1;
  }

  /**
   * Empties the ring (only while neither end is in use).
   *
   * @returns nothing
   * @example
   * ```ts
   * ring.format();
   * ```
   */
  format(): void {
    for (const w of [HEAD, TAIL, RX_WAITING, TX_WAITING]) Atomics.store(this.words, w, 0);
  }

  /** The largest message it can ever carry. */
  get maxMessageBytes(): number {
    return this.capacity / 2 - 8;
  }

  /**
   * Producer: appends one message, or returns false when there is no room now.
   *
   * @param message - the bytes (copied)
   * @returns true when written
   * @throws ToroError `EMSGSIZE` when it could never fit.
   * @example
   * ```ts
   * if (!ring.tryWrite(bytes)) await roomLater();
   * ```
   */
  tryWrite(message: Uint8Array): boolean {
    if (message.byteLength > this.maxMessageBytes) {
      throw new ToroError("EMSGSIZE", `message of ${message.byteLength} bytes exceeds the ring's ${this.maxMessageBytes}`, {
        hint: "send smaller messages or build the ring larger",
      });
    }
    const tail = Atomics.load(this.words, TAIL);
    const head = Atomics.load(this.words, HEAD);
    const used = (tail - head) >>> 0;
    const record = 4 + ((message.byteLength + 3) & ~3);
    const at = tail & this.mask;
    const toEnd = this.capacity - at;
    // A record never wraps: if it does not fit before the end, mark a skip and start over at 0.
    const need = record <= toEnd ? record : toEnd + record;
    if (used + need > this.capacity) return false;
    let pos = at;
    if (record > toEnd) {
      if (toEnd >= 4) this.dataView.setInt32(pos, SKIP, true);
      pos = 0;
    }
    this.dataView.setUint32(pos, message.byteLength, true);
    this.data.set(message, pos + 4);
    Atomics.store(this.words, TAIL, (tail + need) | 0);
    return true;
  }

  /**
   * Consumer: takes the oldest message (a copy), or undefined when empty.
   *
   * @returns the message bytes, or undefined
   * @example
   * ```ts
   * for (let m = ring.tryRead(); m; m = ring.tryRead()) handle(m);
   * ```
   */
  tryRead(): Uint8Array | undefined {
    const tail = Atomics.load(this.words, TAIL);
    let head = Atomics.load(this.words, HEAD);
    if (tail === head) return undefined;
    let at = head & this.mask;
    const toEnd = this.capacity - at;
    if (toEnd < 4 || this.dataView.getInt32(at, true) === SKIP) {
      head = (head + toEnd) | 0;
      at = 0;
    }
    const length = this.dataView.getUint32(at, true);
    const message = this.data.slice(at + 4, at + 4 + length);
    Atomics.store(this.words, HEAD, (head + 4 + ((length + 3) & ~3)) | 0);
    return message;
  }

  /** True when nothing is waiting to be read (a snapshot). */
  get empty(): boolean {
    return Atomics.load(this.words, TAIL) === Atomics.load(this.words, HEAD);
  }

  /** @internal Sets or clears a waiting flag; returns the previous value. */
  _flag(which: "rx" | "tx", value: 0 | 1): number {
    return Atomics.exchange(this.words, which === "rx" ? RX_WAITING : TX_WAITING, value);
  }
}
