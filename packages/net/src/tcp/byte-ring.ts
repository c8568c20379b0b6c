// TCP layer (@toro/net): a fixed-capacity byte ring for send and receive buffers. Copies in on
// push, copies out on read; never grows past its capacity (that is the flow-control bound).
// Imports nothing.

/** @internal A bounded FIFO of bytes. */
export class ByteRing {
  private readonly buf: Uint8Array;
  private head = 0;
  private len = 0;

  constructor(readonly capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  /** Bytes stored. */
  get length(): number {
    return this.len;
  }
  /** Room left. */
  get free(): number {
    return this.capacity - this.len;
  }

  /** Appends as much of `data` as fits; returns the count taken. */
  push(data: Uint8Array): number {
    const n = Math.min(data.length, this.free);
    let tail = (this.head + this.len) % this.capacity;
    let done = 0;
    while (done < n) {
      const chunk = Math.min(n - done, this.capacity - tail);
      this.buf.set(data.subarray(done, done + chunk), tail);
      done += chunk;
      tail = (tail + chunk) % this.capacity;
    }
    this.len += n;
    return n;
  }

  /** Copies `length` bytes starting `offset` bytes after the head (clamped to what is stored). */
  peek(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.len - offset));
    const out = new Uint8Array(n);
    let pos = (this.head + offset) % this.capacity;
    let done = 0;
    while (done < n) {
      const chunk = Math.min(n - done, this.capacity - pos);
      out.set(this.buf.subarray(pos, pos + chunk), done);
      done += chunk;
      pos = (pos + chunk) % this.capacity;
    }
    return out;
  }

  /** Discards up to `n` bytes from the head. */
  drop(n: number): void {
    const k = Math.min(n, this.len);
    this.head = (this.head + k) % this.capacity;
    this.len -= k;
    if (this.len === 0) this.head = 0;
  }

  /** Removes and returns up to `n` bytes from the head. */
  take(n: number): Uint8Array {
    const out = this.peek(0, n);
    this.drop(out.length);
    return out;
  }
}
