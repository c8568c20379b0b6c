// Memory layer: the lock-free single-producer/single-consumer ring that carries frees from one core
// (the producer) to the core that owns the memory (the consumer). It lives in the owner's region,
// one ring per producer core, so no two cores ever write the same index word. Imports only the
// layout; no Node APIs (Atomics and SharedArrayBuffer exist in QuickJS too).
//
// Protocol: `tail` is written only by the producer, `head` only by the consumer; both are
// free-running 32-bit counters (slot = counter & (slots - 1)), so full is `tail - head == slots`
// and nothing is ever reset. The producer writes the slot, then publishes it with Atomics.store on
// `tail`; the consumer reads `tail` with Atomics.load before it reads the slot, and releases it
// with Atomics.store on `head`. Atomics are sequentially consistent in the JS memory model, so the
// plain slot accesses are ordered by them (no data race on a slot).
import { RING_CONTROL_BYTES, RING_HEAD_WORD, RING_TAIL_WORD } from "./layout.js";

/** One remote-free ring over Int32 words of a shared region. */
export class RemoteFreeRing {
  private readonly words: Int32Array;
  private readonly control: number;
  private readonly slotsWord: number;
  private readonly mask: number;
  readonly slots: number;

  /**
   * @param words - Int32 view over the owner's region (shared)
   * @param byteOffset - where this ring starts in the region
   * @param slots - a power of two
   */
  constructor(words: Int32Array, byteOffset: number, slots: number) {
    this.words = words;
    this.control = byteOffset / 4;
    this.slotsWord = (byteOffset + RING_CONTROL_BYTES) / 4;
    this.slots = slots;
    this.mask = slots - 1;
  }

  /** Zeroes both counters (only while no producer or consumer uses the ring: at format time). */
  reset(): void {
    Atomics.store(this.words, this.control + RING_HEAD_WORD, 0);
    Atomics.store(this.words, this.control + RING_TAIL_WORD, 0);
  }

  /** Producer: posts one region offset; false when the ring is full (nothing written). */
  push(offset: number): boolean {
    const tail = Atomics.load(this.words, this.control + RING_TAIL_WORD);
    const head = Atomics.load(this.words, this.control + RING_HEAD_WORD);
    if (((tail - head) | 0) >= this.slots) return false;
    this.words[this.slotsWord + (tail & this.mask)] = offset | 0;
    Atomics.store(this.words, this.control + RING_TAIL_WORD, (tail + 1) | 0);
    return true;
  }

  /** Consumer: hands every posted offset to `take`, oldest first; returns how many. */
  drain(take: (offset: number) => void): number {
    const tail = Atomics.load(this.words, this.control + RING_TAIL_WORD);
    let head = Atomics.load(this.words, this.control + RING_HEAD_WORD);
    let n = 0;
    while (head !== tail) {
      const offset = this.words[this.slotsWord + (head & this.mask)]! >>> 0;
      head = (head + 1) | 0;
      // Release the slot before processing, so a throwing `take` cannot replay it.
      Atomics.store(this.words, this.control + RING_HEAD_WORD, head);
      n++;
      take(offset);
    }
    return n;
  }

  /** Posted but not yet drained (a snapshot). */
  pending(): number {
    return (Atomics.load(this.words, this.control + RING_TAIL_WORD) - Atomics.load(this.words, this.control + RING_HEAD_WORD)) | 0;
  }
}
