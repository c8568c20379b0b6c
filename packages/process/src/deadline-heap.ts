// Process layer: a binary min-heap of deadlines (time, then insertion order), for the scheduler's
// sleepers and wait timeouts. Entries are cancelled lazily: each carries the generation of the wait
// it belongs to, and a stale entry is skipped when it reaches the top. Imports nothing.

/** One deadline: `at` (clock ms), `seq` (FIFO among equal times), and what it belongs to. */
export interface DeadlineEntry<T> {
  at: number;
  seq: number;
  item: T;
  gen: number;
}

/** A min-heap ordered by (at, seq). */
export class DeadlineHeap<T> {
  private readonly heap: DeadlineEntry<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, item: T, gen: number): void {
    const h = this.heap;
    h.push({ at, seq: this.seq++, item, gen });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  peek(): DeadlineEntry<T> | undefined {
    return this.heap[0];
  }

  pop(): DeadlineEntry<T> | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less<T>(a: DeadlineEntry<T>, b: DeadlineEntry<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
