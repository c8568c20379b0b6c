// Socket layer (@toro/net): TCP sockets shaped like Node's `net` — a Socket with data/end/close/
// error/drain/connect events and async iteration, write with backpressure, end, destroy, setNoDelay,
// setKeepAlive; a Server with listen/close and connection events. Errors are ToroErrors with Node's
// codes. TCP events reach listeners from a microtask, never from inside the stack's own call.
// Must not import a driver.
import { ToroError } from "@toro/kernel";
import type { TcpConnection, TcpListener } from "../tcp/host.js";
import type { TcpEvent } from "../tcp/tcb.js";
import { tcpSetKeepalive } from "../tcp/timers.js";
import { formatIpv4 } from "../wire/address.js";
import { encodeUtf8 } from "../utf8.js";
import type { Driver } from "./driver.js";
import { Emitter } from "./emitter.js";
import type { SocketAddress } from "./udp-socket.js";

const MESSAGES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by peer",
  ETIMEDOUT: "connection timed out",
  EPIPE: "write after end",
  EADDRINUSE: "address already in use",
  EADDRNOTAVAIL: "no free local port",
};

/** @internal */
export function netError(code: string, detail = ""): ToroError {
  return new ToroError(code, `${MESSAGES[code] ?? code}${detail ? `: ${detail}` : ""}`);
}

/**
 * A TCP connection, shaped like Node's `net.Socket`.
 *
 * Events: `connect`, `data` (Uint8Array), `end`, `drain`, `error` (ToroError), `close` (hadError).
 *
 * @example
 * ```ts
 * const s = stack.connect(80, "10.0.2.2");
 * s.on("connect", () => s.end("GET / HTTP/1.0\r\n\r\n"));
 * for await (const chunk of s) console.log(chunk.length);
 * ```
 */
export class Socket extends Emitter {
  /** Bytes received so far. */
  bytesRead = 0;
  /** Bytes accepted by `write` so far. */
  bytesWritten = 0;
  /** `true` after `destroy()` or once fully closed. */
  destroyed = false;
  private readonly pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private ended = false;
  private finSent = false;
  private paused = false;
  private peerEnded = false;
  private endEmitted = false;
  private queued: TcpEvent[] = [];
  private flushing = false;
  private hadError = false;

  /** @internal Use `stack.connect` or a server's `connection` event. */
  constructor(
    private readonly driver: Driver,
    private readonly conn: TcpConnection,
    private connecting: boolean,
  ) {
    super();
    conn.onEvent = (e) => this.queue(e);
    // A connection accepted from a listener may already hold data or a FIN.
    if (!connecting && conn.tcb.recvBuf.length > 0) this.queue({ type: "readable" });
    if (!connecting && conn.tcb.finReceived) this.queue({ type: "peer-closed" });
    if (!connecting && conn.tcb.state === "Closed") this.queue({ type: "closed" });
  }

  /** Remote address, dotted quad. */
  get remoteAddress(): string {
    return formatIpv4(this.conn.remoteAddress);
  }
  /** Remote port. */
  get remotePort(): number {
    return this.conn.tcb.remotePort;
  }
  /** Local address, dotted quad. */
  get localAddress(): string {
    return formatIpv4(this.conn.localAddress);
  }
  /** Local port. */
  get localPort(): number {
    return this.conn.tcb.localPort;
  }
  /** Node's readyState: `opening`, `open`, `readOnly`, `writeOnly` or `closed`. */
  get readyState(): "opening" | "open" | "readOnly" | "writeOnly" | "closed" {
    if (this.destroyed) return "closed";
    if (this.connecting) return "opening";
    if (this.ended && this.peerEnded) return "closed";
    if (this.ended) return "readOnly";
    if (this.peerEnded) return "writeOnly";
    return "open";
  }
  /** Bytes waiting in user space because the send buffer is full. */
  get writableLength(): number {
    return this.pendingBytes;
  }

  /**
   * Sends data. Returns `false` when the send buffer is full: wait for `drain` (backpressure).
   *
   * @param data - bytes, or a string sent as UTF-8
   * @param callback - called once the data was handed to TCP (or with the error)
   * @returns `true` when more may be written now
   * @example
   * ```ts
   * if (!socket.write(chunk)) await new Promise((r) => socket.once("drain", r));
   * ```
   */
  write(data: Uint8Array | string, callback?: (err?: Error) => void): boolean {
    const bytes = typeof data === "string" ? encodeUtf8(data) : data;
    if (this.ended || this.destroyed) {
      const err = netError("EPIPE");
      void Promise.resolve().then(() => {
        callback?.(err);
        this.fail(err);
      });
      return false;
    }
    this.pending.push(bytes.slice());
    this.pendingBytes += bytes.length;
    this.pump();
    if (callback) void Promise.resolve().then(() => callback());
    return this.pendingBytes === 0;
  }

  /**
   * Closes our side after the queued data (a FIN); the peer may still send.
   *
   * @param data - optional last data
   * @returns this
   * @example
   * ```ts
   * socket.end("bye\n");
   * ```
   */
  end(data?: Uint8Array | string): this {
    if (data !== undefined && !this.ended) this.write(data);
    this.ended = true;
    this.pump();
    return this;
  }

  /**
   * Aborts the connection at once (a RST) and emits `close`.
   *
   * @param error - emitted as `error` before `close` when given
   * @returns this
   * @example
   * ```ts
   * socket.destroy();
   * ```
   */
  destroy(error?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.driver.iface.tcp.abort(this.conn, this.driver.now());
    this.driver.kick();
    void Promise.resolve().then(() => {
      if (error) {
        this.hadError = true;
        this.emit("error", error);
      }
      this.emit("close", this.hadError);
    });
    return this;
  }

  /**
   * Turns Nagle's algorithm off (`true`, the default argument) or on.
   *
   * @param noDelay - `true` to send small segments at once
   * @returns this
   * @example
   * ```ts
   * socket.setNoDelay();
   * ```
   */
  setNoDelay(noDelay = true): this {
    this.conn.tcb.noDelay = noDelay;
    this.driver.iface.tcp.flush(this.conn, this.driver.now());
    this.driver.kick();
    return this;
  }

  /**
   * Turns keepalive probes on or off (RFC 1122 §4.2.3.6; 9 probes 75 s apart, like Linux).
   *
   * @param enable - on or off
   * @param initialDelayMs - idle time before the first probe (default 2 hours)
   * @returns this
   * @example
   * ```ts
   * socket.setKeepAlive(true, 60_000);
   * ```
   */
  setKeepAlive(enable = false, initialDelayMs = 0): this {
    const idleMs = initialDelayMs > 0 ? initialDelayMs : 7_200_000;
    tcpSetKeepalive(this.conn.tcb, enable ? { idleMs, intervalMs: 75_000, probes: 9 } : undefined, this.driver.now());
    this.driver.kick();
    return this;
  }

  /**
   * Stops `data` events; unread data stays in TCP's buffer and the window closes (flow control).
   *
   * @returns this
   * @example
   * ```ts
   * socket.pause();
   * ```
   */
  pause(): this {
    this.paused = true;
    return this;
  }

  /**
   * Resumes `data` events.
   *
   * @returns this
   * @example
   * ```ts
   * socket.resume();
   * ```
   */
  resume(): this {
    this.paused = false;
    this.queue({ type: "readable" });
    return this;
  }

  /**
   * Reads the connection as an async iterable of chunks (ends at the peer's FIN, throws on error).
   *
   * @returns an async iterator of Uint8Array chunks
   * @example
   * ```ts
   * for await (const chunk of socket) total += chunk.length;
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let done = false;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const poke = (): void => {
      wake?.();
      wake = undefined;
    };
    this.on("data", (c: Uint8Array) => {
      chunks.push(c);
      this.pause(); // backpressure: read more only when the consumer asks
      poke();
    });
    this.on("end", () => {
      done = true;
      poke();
    });
    this.on("close", () => {
      done = true;
      poke();
    });
    this.on("error", (e: unknown) => {
      failure = e;
      poke();
    });
    return {
      next: async (): Promise<IteratorResult<Uint8Array>> => {
        for (;;) {
          const c = chunks.shift();
          if (c) return { value: c, done: false };
          if (failure !== undefined) throw failure;
          if (done) return { value: undefined, done: true };
          this.resume();
          await new Promise<void>((r) => (wake = r));
        }
      },
      return: async (): Promise<IteratorResult<Uint8Array>> => {
        this.destroy();
        return { value: undefined, done: true };
      },
    };
  }

  private pump(): void {
    const tcp = this.driver.iface.tcp;
    const now = this.driver.now();
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      const n = tcp.write(this.conn, head, now);
      if (n < 0) {
        this.pending.length = 0;
        this.pendingBytes = 0;
        break;
      }
      this.bytesWritten += n;
      this.pendingBytes -= n;
      if (n === head.length) this.pending.shift();
      else {
        this.pending[0] = head.subarray(n);
        break;
      }
    }
    if (this.ended && this.pending.length === 0 && !this.finSent) {
      this.finSent = true;
      tcp.close(this.conn, now);
    }
    this.driver.kick();
  }

  private queue(e: TcpEvent): void {
    this.queued.push(e);
    if (this.flushing) return;
    this.flushing = true;
    void Promise.resolve().then(() => this.dispatch());
  }

  private dispatch(): void {
    this.flushing = false;
    const events = this.queued;
    this.queued = [];
    for (const e of events) {
      switch (e.type) {
        case "established":
          this.connecting = false;
          this.emit("connect");
          this.pump();
          break;
        case "readable":
          this.readAll();
          break;
        case "writable": {
          const had = this.pendingBytes > 0;
          this.pump();
          if (had && this.pendingBytes === 0) this.emit("drain");
          break;
        }
        case "peer-closed":
          this.peerEnded = true;
          this.readAll();
          break;
        case "error":
          this.fail(netError(e.code));
          break;
        case "closed":
          this.readAll();
          if (!this.destroyed) {
            this.destroyed = true;
            this.emit("close", this.hadError);
          }
          break;
      }
    }
  }

  private readAll(): void {
    if (this.paused) return;
    const tcp = this.driver.iface.tcp;
    for (;;) {
      const chunk = tcp.read(this.conn, 65536, this.driver.now());
      if (chunk.length === 0) break;
      this.bytesRead += chunk.length;
      this.emit("data", chunk);
      if (this.paused) break;
    }
    this.driver.kick();
    if (this.peerEnded && !this.endEmitted && this.conn.tcb.recvBuf.length === 0) {
      this.endEmitted = true;
      this.emit("end");
      if (!this.ended) this.end(); // allowHalfOpen: false, as Node's default
    }
  }

  private fail(err: ToroError): void {
    this.hadError = true;
    if (this.listenerCount("error") > 0) this.emit("error", err);
  }
}

/**
 * A TCP server, shaped like Node's `net.Server`. Events: `listening`, `connection` (Socket), `error`, `close`.
 *
 * @example
 * ```ts
 * const server = stack.createServer((s) => s.on("data", (d: Uint8Array) => s.write(d)));
 * server.listen(7, () => console.log("echo on 7"));
 * ```
 */
export class Server extends Emitter {
  private listener: TcpListener | undefined;

  /** @internal Use `stack.createServer`. */
  constructor(
    private readonly driver: Driver,
    onConnection?: (socket: Socket) => void,
  ) {
    super();
    if (onConnection) this.on("connection", onConnection);
  }

  /**
   * Starts listening.
   *
   * @param port - the port
   * @param callback - called on `listening`
   * @param backlog - accept-queue bound (default 511, Node's)
   * @returns this
   * @example
   * ```ts
   * server.listen(80);
   * ```
   */
  listen(port: number, callback?: () => void, backlog = 511): this {
    const l = this.driver.iface.tcp.listen(port, backlog);
    void Promise.resolve().then(() => {
      if (typeof l === "string") {
        this.emit("error", netError(l, `port ${port}`));
        return;
      }
      this.listener = l;
      l.onConnection = () => this.acceptAll();
      this.acceptAll();
      callback?.();
      this.emit("listening");
    });
    return this;
  }

  /**
   * The bound port.
   *
   * @returns `{ port }`, or `null` before listening
   * @example
   * ```ts
   * server.address()?.port;
   * ```
   */
  address(): SocketAddress | null {
    return this.listener ? { port: this.listener.port, address: formatIpv4(this.driver.iface.address), family: "IPv4" } : null;
  }

  /**
   * Stops accepting; existing connections stay open.
   *
   * @param callback - called on `close`
   * @returns this
   * @example
   * ```ts
   * server.close();
   * ```
   */
  close(callback?: () => void): this {
    if (this.listener) this.driver.iface.tcp.unlisten(this.listener, this.driver.now());
    this.listener = undefined;
    this.driver.kick();
    void Promise.resolve().then(() => {
      callback?.();
      this.emit("close");
    });
    return this;
  }

  private acceptAll(): void {
    const l = this.listener;
    if (!l) return;
    for (let c = this.driver.iface.tcp.accept(l); c; c = this.driver.iface.tcp.accept(l)) {
      this.emit("connection", new Socket(this.driver, c, false));
    }
  }
}
