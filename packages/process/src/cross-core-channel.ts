// Process layer: the two ends of a channel between two cores, over one SPSC ring in shared memory.
// Values are encoded (JSON by default) into the ring; a waiting end is woken by a `Doorbell` (an
// inter-processor interrupt in the image, a MessagePort on Node) that the other end rings only when
// the waiter said it sleeps — so a busy channel costs no interrupts. Imports the ring, the wait queue
// and the scheduler types; no Node APIs, no locks.
//
// No lost wake-up (the original Toro's bug): a waiter publishes its "waiting" flag, then checks the
// ring again before it sleeps; the other end first publishes its data, then swaps the flag to 0 and
// rings if it was 1. With sequentially consistent Atomics one of the two always sees the other.
import type { Scheduler } from "./scheduler.js";
import type { SpscRing } from "./spsc-ring.js";
import { WaitQueue } from "./wait-queue.js";
import type { RecvResult, SendResult } from "./channel.js";

/** Wakes another core: rings its doorbell; that core then calls `notify()` on its channel ends. */
export interface Doorbell {
  /**
   * Wakes core `core` (an IPI in the image). Spurious rings are harmless.
   * @param core - the core to wake
   */
  ring(core: number): void;
}

/** Turns values into bytes and back; default JSON over UTF-8. */
export interface Codec<T> {
  /** Encodes one value. */
  encode(value: T): Uint8Array;
  /** Decodes one value. */
  decode(bytes: Uint8Array): T;
}

/**
 * The JSON codec cross-core channels use by default (needs the standard TextEncoder/TextDecoder,
 * which the image's runtime provides).
 *
 * @returns a codec of JSON values
 * @example
 * ```ts
 * const codec = jsonCodec<{ n: number }>();
 * codec.decode(codec.encode({ n: 1 })); // { n: 1 }
 * ```
 */
export function jsonCodec<T>(): Codec<T> {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  return { encode: (v) => enc.encode(JSON.stringify(v)), decode: (b) => JSON.parse(dec.decode(b)) as T };
}

/** What both ends are made from. */
export interface CrossCoreEndOptions<T> {
  /** The ring (formatted once, shared by both cores). */
  ring: SpscRing;
  /** This core's scheduler. */
  scheduler: Scheduler;
  /** Rings the other core. */
  doorbell: Doorbell;
  /** The core at the other end. */
  peer: number;
  /** Encoding; default JSON. */
  codec?: Codec<T>;
}

/**
 * The sending end of a cross-core channel (on the producing core).
 *
 * @example
 * ```ts
 * const tx = new CrossCoreSender<string>({ ring, scheduler, doorbell, peer: 1 });
 * await tx.send("hello core 1");
 * ```
 */
export class CrossCoreSender<T> {
  private readonly o: Required<CrossCoreEndOptions<T>>;
  private readonly room: WaitQueue;

  /**
   * Creates the sending end.
   *
   * @param options - ring, scheduler, doorbell, peer core, codec
   * @returns the end
   * @example
   * ```ts
   * const tx = new CrossCoreSender({ ring, scheduler, doorbell, peer: 2 });
   * ```
   */
  constructor(options: CrossCoreEndOptions<T>) {
    this.o = { codec: jsonCodec<T>(), ...options };
    this.room = new WaitQueue(options.scheduler);
  }

  /**
   * Sends without waiting.
   *
   * @param value - what to send
   * @returns true when written, false when the ring is full
   * @throws ToroError `EMSGSIZE` when the encoded value can never fit.
   * @example
   * ```ts
   * tx.trySend({ seq: 1 });
   * ```
   */
  trySend(value: T): boolean {
    return this.write(this.o.codec.encode(value));
  }

  /**
   * Sends, waiting (from a thread) while the ring is full — backpressure across cores.
   *
   * @param value - what to send
   * @param timeoutMs - how long at most to wait for room
   * @returns "sent" or "timeout"
   * @example
   * ```ts
   * await tx.send({ op: "add", a: 1, b: 2 });
   * ```
   */
  async send(value: T, timeoutMs?: number): Promise<SendResult> {
    const bytes = this.o.codec.encode(value);
    const clock = this.o.scheduler.clock;
    const deadline = timeoutMs === undefined ? Infinity : clock.nowMs() + timeoutMs;
    for (;;) {
      if (this.write(bytes)) return "sent";
      this.o.ring._flag("tx", 1);
      if (this.write(bytes)) {
        this.o.ring._flag("tx", 0);
        return "sent";
      }
      const left = deadline - clock.nowMs();
      if (left <= 0 || !(await this.room.wait(left))) {
        if (this.write(bytes)) return "sent";
        return "timeout";
      }
    }
  }

  /**
   * Call when this core's doorbell rang: wakes senders waiting for room.
   *
   * @returns nothing
   * @example
   * ```ts
   * onDoorbell(() => { tx.notify(); rx.notify(); });
   * ```
   */
  notify(): void {
    this.room.wakeAll();
  }

  private write(bytes: Uint8Array): boolean {
    if (!this.o.ring.tryWrite(bytes)) return false;
    if (this.o.ring._flag("rx", 0) === 1) this.o.doorbell.ring(this.o.peer);
    return true;
  }
}

/**
 * The receiving end of a cross-core channel (on the consuming core).
 *
 * @example
 * ```ts
 * const rx = new CrossCoreReceiver<string>({ ring, scheduler, doorbell, peer: 0 });
 * const r = await rx.recv();
 * ```
 */
export class CrossCoreReceiver<T> {
  private readonly o: Required<CrossCoreEndOptions<T>>;
  private readonly data: WaitQueue;

  /**
   * Creates the receiving end.
   *
   * @param options - ring, scheduler, doorbell, peer core, codec
   * @returns the end
   * @example
   * ```ts
   * const rx = new CrossCoreReceiver({ ring, scheduler, doorbell, peer: 0 });
   * ```
   */
  constructor(options: CrossCoreEndOptions<T>) {
    this.o = { codec: jsonCodec<T>(), ...options };
    this.data = new WaitQueue(options.scheduler);
  }

  /**
   * Receives without waiting.
   *
   * @returns the oldest value, or `{ ok: false, reason: "timeout" }` when empty
   * @example
   * ```ts
   * const r = rx.tryRecv();
   * ```
   */
  tryRecv(): RecvResult<T> {
    const bytes = this.read();
    return bytes === undefined ? { ok: false, reason: "timeout" } : { ok: true, value: this.o.codec.decode(bytes) };
  }

  /**
   * Receives the oldest value, waiting (from a thread, giving the core up) while the ring is empty.
   *
   * @param timeoutMs - how long at most
   * @returns the value, or `{ ok: false, reason: "timeout" }`
   * @example
   * ```ts
   * for (;;) { const r = await rx.recv(); if (r.ok) handle(r.value); }
   * ```
   */
  async recv(timeoutMs?: number): Promise<RecvResult<T>> {
    const clock = this.o.scheduler.clock;
    const deadline = timeoutMs === undefined ? Infinity : clock.nowMs() + timeoutMs;
    for (;;) {
      const first = this.tryRecv();
      if (first.ok) return first;
      this.o.ring._flag("rx", 1);
      const second = this.tryRecv();
      if (second.ok) {
        this.o.ring._flag("rx", 0);
        return second;
      }
      const left = deadline - clock.nowMs();
      if (left <= 0 || !(await this.data.wait(left))) return this.tryRecv();
    }
  }

  /**
   * Call when this core's doorbell rang: wakes receivers waiting for data.
   *
   * @returns nothing
   * @example
   * ```ts
   * onDoorbell(() => rx.notify());
   * ```
   */
  notify(): void {
    this.data.wakeAll();
  }

  private read(): Uint8Array | undefined {
    const bytes = this.o.ring.tryRead();
    if (bytes !== undefined && this.o.ring._flag("tx", 0) === 1) this.o.doorbell.ring(this.o.peer);
    return bytes;
  }
}
