// Test support (Node only, never shipped): an in-memory client/server stream pair with a bounded
// write buffer (real backpressure), and manual timers for virtual time. Imports @toro/http's types only.
import type { Timers } from "../connection.js";
import type { ByteStream } from "../transport.js";

/** The client's side of a {@link memoryPair}. */
export interface MemoryClient {
  /** Sends bytes (or text) to the server. */
  send(data: Uint8Array | string): void;
  /** Half-closes the client's direction (the server sees the end). */
  end(): void;
  /** Everything the server wrote so far, as Latin-1 text. */
  text(): string;
  /** Everything the server wrote so far. */
  bytes(): Uint8Array;
  /** Resolves once the server ended or destroyed its side. */
  closed: Promise<"end" | "destroy">;
  /** Whether the client reads (false: the server's writes block once `capacity` bytes are unread). */
  reading: boolean;
  /** Starts reading again. */
  read(): void;
  /** Largest unread byte count seen. */
  maxUnread: number;
}

/**
 * A connected pair: the server's ByteStream and a scripted client.
 *
 * @param capacity - unread bytes the client's side buffers before `write` blocks
 */
export function memoryPair(capacity = 64 * 1024): { server: ByteStream; client: MemoryClient } {
  let onData: ((c: Uint8Array) => void) | undefined;
  let onEnd: (() => void) | undefined;
  const early: Uint8Array[] = [];
  let clientEnded = false;
  let serverGone: "end" | "destroy" | undefined;
  const received: Uint8Array[] = [];
  let unread = 0;
  let blocked: Array<() => void> = [];
  let resolveClosed!: (how: "end" | "destroy") => void;
  const closed = new Promise<"end" | "destroy">((r) => (resolveClosed = r));
  const gone = (how: "end" | "destroy"): void => {
    if (serverGone) return;
    serverGone = how;
    resolveClosed(how);
    for (const b of blocked.splice(0)) b();
  };
  const client: MemoryClient = {
    send(data) {
      const bytes = typeof data === "string" ? Uint8Array.from(data, (c) => c.charCodeAt(0)) : data;
      if (onData) onData(bytes);
      else early.push(bytes);
    },
    end() {
      clientEnded = true;
      onEnd?.();
    },
    text: () => Buffer.concat(received).toString("latin1"),
    bytes: () => new Uint8Array(Buffer.concat(received)),
    closed,
    reading: true,
    read() {
      client.reading = true;
      unread = 0;
      for (const b of blocked.splice(0)) b();
    },
    maxUnread: 0,
  };
  const server: ByteStream = {
    onData(l) {
      onData = l;
      for (const c of early.splice(0)) l(c);
    },
    onEnd(l) {
      onEnd = l;
      if (clientEnded) l();
    },
    write(bytes) {
      if (serverGone) return Promise.reject(new Error("EPIPE: write after close"));
      received.push(new Uint8Array(bytes));
      if (!client.reading) {
        unread += bytes.length;
        client.maxUnread = Math.max(client.maxUnread, unread);
        if (unread >= capacity) return new Promise<void>((r) => blocked.push(r)).then(() => (serverGone ? Promise.reject(new Error("EPIPE")) : undefined));
      }
      return Promise.resolve();
    },
    end: () => gone("end"),
    destroy: () => {
      gone("destroy");
      onEnd?.();
    },
  };
  return { server, client };
}

/** Timers that fire only when the test says so. */
export class ManualTimers implements Timers {
  private next = 1;
  private readonly pending = new Map<number, { fn: () => void; delayMs: number }>();

  setTimeout(fn: () => void, delayMs: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, delayMs });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Armed timers' delays. */
  delays(): number[] {
    return [...this.pending.values()].map((p) => p.delayMs);
  }

  /** Fires every armed timer once. */
  fireAll(): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.fn();
  }
}

/** Lets every queued microtask and promise job run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
