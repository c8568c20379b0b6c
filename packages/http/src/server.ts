// Server layer of @toro/http: `createServer(handler, options)` — accepts byte streams from any
// listener, runs one Connection per stream, and closes gracefully. The edge of the package: the only
// file that falls back to the runtime's global timers and clock when none are injected. Must not
// import a driver or @toro/net (listeners are structural, see transport.ts).
import { Connection, type Handler, type Timers } from "./connection.js";
import { formatHttpDate } from "./http-date.js";
import { defaultLimits, type HttpLimits } from "./limits.js";
import type { ByteStream, StreamListener } from "./transport.js";

/**
 * Options of {@link createServer}.
 *
 * @example
 * ```ts
 * const options: ServerOptions = { idleTimeoutMs: 10_000, limits: { maxBodyBytes: 64 * 1024 } };
 * ```
 */
export interface ServerOptions {
  /** Input bounds, merged over {@link defaultLimits}. */
  readonly limits?: Partial<HttpLimits>;
  /** Close a keep-alive connection after this long without a request (default 5 s). */
  readonly idleTimeoutMs?: number;
  /** Answer 408 and close when a started request stalls this long between bytes (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Timers (default: the global `setTimeout`/`clearTimeout`). */
  readonly timers?: Timers;
  /** Wall clock in epoch ms for the Date header; `null` for no Date header (default `Date.now`). */
  readonly clock?: (() => number) | null;
  /** Receives errors thrown by the handler (each one is answered with 500; default: `console.error`). */
  readonly onError?: (error: unknown) => void;
}

/**
 * An HTTP/1.1 server: give it listeners (or single streams) and it serves them with the handler.
 *
 * @example
 * ```ts
 * const server = createServer(() => new Response("hi\n"));
 * server.listen(fromServer(stack.createServer().listen(80)));
 * await server.close();
 * ```
 */
export class HttpServer {
  private readonly connections = new Set<Connection>();
  private readonly listeners: StreamListener[] = [];
  private closing = false;
  private idleWaiters: Array<() => void> = [];

  /** @internal Use {@link createServer}. */
  constructor(private readonly config: ConstructorParameters<typeof Connection>[1]) {}

  /** Open connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Serves every connection the listener accepts.
   *
   * @param listener - e.g. `fromServer(netServer)`
   * @returns this
   * @example
   * ```ts
   * server.listen(fromServer(stack.createServer().listen(80)));
   * ```
   */
  listen(listener: StreamListener): this {
    this.listeners.push(listener);
    listener.onConnection((stream) => this.serve(stream));
    return this;
  }

  /**
   * Serves one already connected stream (a listener calls this for each connection).
   *
   * @param stream - the connection
   * @returns a promise that settles when the connection has closed
   * @example
   * ```ts
   * await server.serve(fromSocket(socket));
   * ```
   */
  async serve(stream: ByteStream): Promise<void> {
    if (this.closing) {
      stream.destroy();
      return;
    }
    const c = new Connection(stream, this.config);
    this.connections.add(c);
    await c.run();
    this.connections.delete(c);
    if (this.connections.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /**
   * Graceful close: stops accepting, closes idle keep-alive connections, lets requests in progress
   * finish (their responses carry `Connection: close`), and resolves when every connection is closed.
   *
   * @returns a promise that resolves when the last connection has closed
   * @example
   * ```ts
   * await server.close();
   * ```
   */
  close(): Promise<void> {
    this.closing = true;
    for (const l of this.listeners.splice(0)) l.close?.();
    for (const c of this.connections) c.shutdown();
    if (this.connections.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Destroys every open connection at once (after `close()` when a graceful close takes too long).
   *
   * @returns nothing
   * @example
   * ```ts
   * setTimeout(() => server.closeAllConnections(), 10_000);
   * ```
   */
  closeAllConnections(): void {
    for (const c of this.connections) c.destroy();
  }
}

interface Globals {
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (h: unknown) => void;
  console?: { error(...args: unknown[]): void };
}

/**
 * Creates an HTTP/1.1 server around a fetch-style handler.
 *
 * @param handler - `(request) => Response`, sync or async; a throw is answered with 500
 * @param options - limits, timeouts, timers, clock, error sink
 * @returns the server (give it a listener with `listen`)
 * @example
 * ```ts
 * import { createServer, fromServer, Response } from "@toro/http";
 * const server = createServer(async (req) => new Response(`${req.method} ${req.path}\n`));
 * server.listen(fromServer(stack.createServer().listen(80)));
 * ```
 */
export function createServer(handler: Handler, options: ServerOptions = {}): HttpServer {
  const g = globalThis as unknown as Globals;
  const set = g.setTimeout;
  const clear = g.clearTimeout;
  const timers: Timers = options.timers ?? {
    setTimeout: (fn, ms) => (set ? set(fn, ms) : undefined),
    clearTimeout: (h) => clear?.(h),
  };
  const clock = options.clock === undefined ? () => Date.now() : options.clock;
  // One Date string per second at most (RFC 9110 §6.6.1 needs second resolution only).
  let lastSecond = NaN;
  let lastDate = "";
  const date = (): string | undefined => {
    if (clock === null) return undefined;
    const s = Math.floor(clock() / 1000);
    if (s !== lastSecond) {
      lastSecond = s;
      lastDate = formatHttpDate(s * 1000);
    }
    return lastDate;
  };
  return new HttpServer({
    handler,
    limits: { ...defaultLimits, ...options.limits },
    timers,
    idleTimeoutMs: options.idleTimeoutMs ?? 5_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    date,
    onError: options.onError ?? ((e) => g.console?.error("http: handler failed:", e)),
  });
}
