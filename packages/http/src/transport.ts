// Transport layer of @toro/http: the minimal duplex byte stream and listener the server runs over,
// and adapters from Node-`net`-shaped sockets and servers to them. The adapters are structural: they
// fit @toro/net's `Socket`/`Server` and Node's `net.Socket`/`net.Server` alike, so this package imports
// neither (nor any driver). Imports only @toro/kernel's error base.
import { ToroError } from "@toro/kernel";

/**
 * A connected, reliable, ordered duplex byte stream (a TCP connection, or an in-memory pipe in tests).
 *
 * @example
 * ```ts
 * stream.onData((chunk) => console.log(chunk.length));
 * await stream.write(new Uint8Array([104, 105])); // resolves when more may be written
 * stream.end();
 * ```
 */
export interface ByteStream {
  /** Registers the receiver of incoming bytes (called once per chunk, in order). */
  onData(listener: (chunk: Uint8Array) => void): void;
  /** Registers the listener for "no more bytes will come" (the peer's FIN, a reset or a close); called once. */
  onEnd(listener: () => void): void;
  /** Sends bytes; resolves when the caller may write more (backpressure), rejects when the stream failed. */
  write(bytes: Uint8Array): Promise<void>;
  /** Sends what is queued, then closes our direction. */
  end(): void;
  /** Aborts at once (a RST for TCP). */
  destroy(): void;
  /** Optional: stop delivering data until `resume` (flow control for a slow reader). */
  pause?(): void;
  /** Optional: resume delivering data. */
  resume?(): void;
}

/**
 * Something that accepts connections.
 *
 * @example
 * ```ts
 * listener.onConnection((stream) => stream.end());
 * ```
 */
export interface StreamListener {
  /** Registers the receiver of new connections. */
  onConnection(listener: (stream: ByteStream) => void): void;
  /** Optional: stop accepting new connections. */
  close?(): void;
}

/**
 * The part of a Node-`net`-shaped socket {@link fromSocket} uses: events `data`, `end`, `drain`,
 * `error`, `close`, and `write` returning `false` when the caller should wait for `drain`.
 * @toro/net's `Socket` and Node's `net.Socket` both fit.
 */
export interface SocketLike {
  /** Adds an event listener. */
  on(event: string, listener: (...args: any[]) => void): unknown;
  /** Queues bytes; `false` means "wait for drain". */
  write(data: Uint8Array): boolean;
  /** Half-closes after queued data. */
  end(): unknown;
  /** Aborts. */
  destroy(): unknown;
  /** Stops data events. */
  pause?(): unknown;
  /** Resumes data events. */
  resume?(): unknown;
  /** Turns Nagle's algorithm off (`true`) or on. */
  setNoDelay?(noDelay?: boolean): unknown;
}

/** The part of a Node-`net`-shaped server {@link fromServer} uses. @toro/net's `Server` and Node's `net.Server` both fit. */
export interface ServerLike {
  /** Adds an event listener (`connection` gives a socket). */
  on(event: string, listener: (...args: any[]) => void): unknown;
  /** Stops accepting. */
  close?(): unknown;
}

/**
 * Adapts a Node-`net`-shaped socket (from @toro/net or Node) to a {@link ByteStream}.
 *
 * @param socket - a connected socket
 * @returns the byte stream
 * @example
 * ```ts
 * const stream = fromSocket(socket);
 * await stream.write(bytes);
 * ```
 */
export function fromSocket(socket: SocketLike): ByteStream {
  let failure: Error | undefined;
  let ended = false;
  let endListener: (() => void) | undefined;
  const waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const finish = (): void => {
    if (ended) return;
    ended = true;
    endListener?.();
  };
  const fail = (e: Error): void => {
    failure ??= e;
    for (const w of waiters.splice(0)) w.reject(failure);
  };
  // Like Node's http.Server (noDelay defaults to true): a response head and a small body leave as
  // separate writes, and with Nagle on, the body would wait for the client's delayed ACK (~40 ms).
  socket.setNoDelay?.(true);
  socket.on("drain", () => {
    for (const w of waiters.splice(0)) w.resolve();
  });
  socket.on("end", finish);
  socket.on("error", (e: unknown) => fail(e instanceof Error ? e : new ToroError("EIO", String(e))));
  socket.on("close", () => {
    fail(new ToroError("EPIPE", "the connection is closed"));
    finish();
  });
  return {
    onData: (listener) => {
      socket.on("data", (chunk: Uint8Array) => listener(chunk));
    },
    onEnd: (listener) => {
      endListener = listener;
      if (ended) listener();
    },
    write: (bytes) => {
      if (failure) return Promise.reject(failure);
      if (socket.write(bytes)) return Promise.resolve();
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    end: () => void socket.end(),
    destroy: () => void socket.destroy(),
    pause: () => void socket.pause?.(),
    resume: () => void socket.resume?.(),
  };
}

/**
 * Adapts a Node-`net`-shaped server (from @toro/net or Node) to a {@link StreamListener}.
 *
 * @param server - a listening (or soon listening) server
 * @returns the listener
 * @example
 * ```ts
 * const http = createServer(handler);
 * http.listen(fromServer(stack.createServer().listen(80)));
 * ```
 */
export function fromServer(server: ServerLike): StreamListener {
  return {
    onConnection: (listener) => {
      server.on("connection", (socket: SocketLike) => listener(fromSocket(socket)));
    },
    close: () => void server.close?.(),
  };
}
