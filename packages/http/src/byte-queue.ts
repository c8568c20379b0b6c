// Connection layer of @toro/http: the bytes received on one connection and not yet parsed — a
// queue of chunks with a "wait for more" promise. Imports only the byte helpers.
import { concatBytes } from "./ascii.js";

/** @internal Received bytes waiting to be parsed. */
export class ByteQueue {
  /** Bytes queued. */
  length = 0;
  /** No more bytes will come. */
  ended = false;
  private chunks: Uint8Array[] = [];
  private waiter: (() => void) | undefined;

  push(chunk: Uint8Array): void {
    if (this.ended || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  /** Resolves at the next push or end (or at once when `wake` is called). */
  wait(): Promise<void> {
    return new Promise((resolve) => (this.waiter = resolve));
  }

  wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** All queued bytes as one array (merges the chunks). */
  contiguous(): Uint8Array {
    if (this.chunks.length > 1) this.chunks = [concatBytes(this.chunks)];
    return this.chunks[0] ?? new Uint8Array(0);
  }

  /** Drops `n` bytes from the front. */
  consume(n: number): void {
    this.length -= n;
    while (n > 0) {
      const c = this.chunks[0]!;
      if (c.length <= n) {
        this.chunks.shift();
        n -= c.length;
      } else {
        this.chunks[0] = c.subarray(n);
        n = 0;
      }
    }
  }

  /** Removes and returns up to `max` bytes from the front (no copy). */
  take(max: number): Uint8Array {
    const c = this.chunks[0];
    if (!c) return new Uint8Array(0);
    const out = c.length <= max ? c : c.subarray(0, max);
    this.consume(out.length);
    return out;
  }

  /** Index of the first LF among the first `limit` bytes, or -1. */
  indexOfLf(limit: number): number {
    let base = 0;
    for (const c of this.chunks) {
      const end = Math.min(c.length, limit - base);
      for (let i = 0; i < end; i++) if (c[i] === 0x0a) return base + i;
      base += c.length;
      if (base >= limit) break;
    }
    return -1;
  }

  /** Removes and returns the first `n` bytes as one array. */
  takeExactly(n: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let left = n;
    while (left > 0) {
      const p = this.take(left);
      parts.push(p);
      left -= p.length;
    }
    return parts.length === 1 ? parts[0]! : concatBytes(parts);
  }
}
