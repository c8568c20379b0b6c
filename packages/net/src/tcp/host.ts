// TCP layer (@toro/net): the host side of TCP for one address — demultiplexing segments to
// connections, listeners with a bounded accept backlog and a bounded number of half-open
// connections (a SYN flood fills a fixed table and is then dropped), ephemeral ports, RFC 6528 ISNs,
// and answering segments for no connection with RST (RFC 9293 §3.10.7.1). Collects outgoing
// segments in a queue; the interface (iface/) wraps them in IP. Must not import iface/ or socket.
import { TcpFlags, type TcpRepr } from "../wire/tcp.js";
import { tcpInput } from "./input.js";
import { initialSequenceNumber } from "./isn.js";
import { resetFor, tcpAbort, tcpAccept, tcpClose, tcpConnect, tcpOutput, tcpRead, tcpWrite } from "./output.js";
import { defaultTcpConfig, type TcpActions, type TcpConfig, type TcpEvent, type Tcb } from "./tcb.js";
import { tcpNextDeadline, tcpTimers } from "./timers.js";

/** One connection known to a {@link TcpHost}. */
export interface TcpConnection {
  /** The control block (state, buffers). */
  readonly tcb: Tcb;
  /** Local IPv4 address. */
  readonly localAddress: number;
  /** Remote IPv4 address. */
  readonly remoteAddress: number;
  /** Receives the connection's events; set by the socket layer. */
  onEvent: ((event: TcpEvent) => void) | undefined;
  /** @internal the listener a passive connection belongs to until accepted */
  listener: TcpListener | undefined;
}

/** A listening port. */
export interface TcpListener {
  /** The port. */
  readonly port: number;
  /** Most established connections waiting for {@link TcpHost.accept}. */
  readonly backlog: number;
  /** Most connections in SYN-RECEIVED at once. */
  readonly halfOpenLimit: number;
  /** @internal */ halfOpen: number;
  /** @internal */ readonly queue: TcpConnection[];
  /** Called when a connection is ready to accept. */
  onConnection: (() => void) | undefined;
}

/** A segment ready for IP. */
export interface TcpOutgoing {
  /** Source address. */
  readonly source: number;
  /** Destination address. */
  readonly destination: number;
  /** The segment. */
  readonly segment: TcpRepr;
}

/** Options of a {@link TcpHost}. */
export interface TcpHostOptions {
  /** Connection tunables (defaults: {@link defaultTcpConfig}). */
  readonly config?: TcpConfig;
  /** RFC 6528 secret: at least 8 random bytes per boot. */
  readonly secret: Uint8Array;
  /** First and last ephemeral port (default 49152..65535, RFC 6335). */
  readonly ephemeralPorts?: readonly [number, number];
}

/** Why an operation on a {@link TcpHost} failed. */
export type TcpHostError = "EADDRINUSE" | "EADDRNOTAVAIL";

const key = (localPort: number, remoteAddress: number, remotePort: number): string => `${localPort}/${remoteAddress}/${remotePort}`;

/**
 * TCP for one local address: connections, listeners, timers.
 *
 * @example
 * ```ts
 * const tcp = new TcpHost({ secret });
 * const l = tcp.listen(80, 128);
 * tcp.input(src, dst, segment, now);
 * for (const out of tcp.takeOutput()) sendIp(out);
 * ```
 */
export class TcpHost {
  /** Connection tunables. */
  readonly config: TcpConfig;
  private readonly secret: Uint8Array;
  private readonly connections = new Map<string, TcpConnection>();
  private readonly listeners = new Map<number, TcpListener>();
  private readonly output: TcpOutgoing[] = [];
  private readonly ports: readonly [number, number];
  private nextPort: number;

  /**
   * Creates the host.
   *
   * @param options - secret, config, port range
   * @returns the host
   * @example
   * ```ts
   * new TcpHost({ secret: crypto.getRandomValues(new Uint8Array(16)) });
   * ```
   */
  constructor(options: TcpHostOptions) {
    this.config = options.config ?? defaultTcpConfig;
    this.secret = options.secret;
    this.ports = options.ephemeralPorts ?? [49152, 65535];
    const span = this.ports[1] - this.ports[0] + 1;
    this.nextPort = this.ports[0] + ((this.secret[0] ?? 0) * 256 + (this.secret[1] ?? 0)) % span;
  }

  /**
   * Opens a listening port.
   *
   * @param port - the port
   * @param backlog - accept-queue bound
   * @param halfOpenLimit - SYN-RECEIVED bound (default: twice the backlog, at least 16)
   * @returns the listener, or `EADDRINUSE`
   * @example
   * ```ts
   * const l = tcp.listen(80, 128);
   * if (typeof l === "string") throw new Error(l);
   * ```
   */
  listen(port: number, backlog = 128, halfOpenLimit = Math.max(16, backlog * 2)): TcpListener | TcpHostError {
    if (this.listeners.has(port)) return "EADDRINUSE";
    const l: TcpListener = { port, backlog, halfOpenLimit, halfOpen: 0, queue: [], onConnection: undefined };
    this.listeners.set(port, l);
    return l;
  }

  /**
   * Stops listening; queued connections that were never accepted are reset.
   *
   * @param listener - the listener
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * tcp.unlisten(l, now);
   * ```
   */
  unlisten(listener: TcpListener, now: number): void {
    if (this.listeners.get(listener.port) !== listener) return;
    this.listeners.delete(listener.port);
    for (const c of listener.queue.splice(0)) this.abort(c, now);
  }

  /**
   * Takes the next established connection from a listener's queue.
   *
   * @param listener - the listener
   * @returns a connection, or `undefined` when none waits
   * @example
   * ```ts
   * listener.onConnection = () => { let c; while ((c = tcp.accept(listener))) serve(c); };
   * ```
   */
  accept(listener: TcpListener): TcpConnection | undefined {
    const c = listener.queue.shift();
    if (c) c.listener = undefined;
    return c;
  }

  /**
   * Starts an active open from an ephemeral port.
   *
   * @param localAddress - our address
   * @param remoteAddress - peer address
   * @param remotePort - peer port
   * @param now - current time, ms
   * @returns the connection (in SYN-SENT), or `EADDRNOTAVAIL` when no port is free
   * @example
   * ```ts
   * const c = tcp.connect(me, server, 80, now);
   * ```
   */
  connect(localAddress: number, remoteAddress: number, remotePort: number, now: number): TcpConnection | TcpHostError {
    const [lo, hi] = this.ports;
    for (let tries = 0; tries <= hi - lo; tries++) {
      const port = this.nextPort;
      this.nextPort = port >= hi ? lo : port + 1;
      if (this.listeners.has(port) || this.connections.has(key(port, remoteAddress, remotePort))) continue;
      const iss = initialSequenceNumber(this.secret, now, localAddress, port, remoteAddress, remotePort);
      const { tcb, actions } = tcpConnect(this.config, port, remotePort, iss, now);
      const conn: TcpConnection = { tcb, localAddress, remoteAddress, onEvent: undefined, listener: undefined };
      this.connections.set(key(port, remoteAddress, remotePort), conn);
      this.apply(conn, actions);
      return conn;
    }
    return "EADDRNOTAVAIL";
  }

  /**
   * Delivers a received segment (checksum verified).
   *
   * @param source - IP source
   * @param destination - IP destination (ours)
   * @param seg - the segment
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * tcp.input(ip.source, ip.destination, segment, now);
   * ```
   */
  input(source: number, destination: number, seg: TcpRepr, now: number): void {
    const conn = this.connections.get(key(seg.destinationPort, source, seg.sourcePort));
    if (conn) {
      this.apply(conn, tcpInput(conn.tcb, seg, now));
      return;
    }
    const listener = this.listeners.get(seg.destinationPort);
    const f = seg.flags;
    if (listener && !(f & TcpFlags.Rst)) {
      // RFC 9293 §3.10.7.2 LISTEN: an ACK gets a RST; a SYN opens a half-open connection.
      if (f & TcpFlags.Ack) return this.reset(destination, source, seg);
      if (!(f & TcpFlags.Syn)) return;
      if (listener.halfOpen >= listener.halfOpenLimit || listener.queue.length >= listener.backlog) return; // bounded: drop
      const iss = initialSequenceNumber(this.secret, now, destination, seg.destinationPort, source, seg.sourcePort);
      const { tcb, actions } = tcpAccept(this.config, seg, iss, now);
      const c: TcpConnection = { tcb, localAddress: destination, remoteAddress: source, onEvent: undefined, listener };
      listener.halfOpen++;
      this.connections.set(key(seg.destinationPort, source, seg.sourcePort), c);
      this.apply(c, actions);
      return;
    }
    if (!listener) this.reset(destination, source, seg); // RFC 9293 §3.10.7.1 CLOSED
  }

  /**
   * Runs due timers of every connection.
   *
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * if (now >= tcp.nextDeadline()) tcp.poll(now);
   * ```
   */
  poll(now: number): void {
    for (const c of [...this.connections.values()]) {
      if (tcpNextDeadline(c.tcb) <= now) this.apply(c, tcpTimers(c.tcb, now));
    }
  }

  /**
   * The earliest timer of any connection.
   *
   * @returns absolute ms, `-Infinity` when output is pending, `Infinity` when idle
   * @example
   * ```ts
   * const wake = tcp.nextDeadline();
   * ```
   */
  nextDeadline(): number {
    if (this.output.length > 0) return -Infinity;
    let t = Infinity;
    for (const c of this.connections.values()) t = Math.min(t, tcpNextDeadline(c.tcb));
    return t;
  }

  /**
   * Queues data on a connection and sends what the windows allow.
   *
   * @param conn - the connection
   * @param data - bytes
   * @param now - current time, ms
   * @returns bytes accepted, or -1 when the connection cannot send (EPIPE)
   * @example
   * ```ts
   * const n = tcp.write(conn, bytes, now);
   * ```
   */
  write(conn: TcpConnection, data: Uint8Array, now: number): number {
    const n = tcpWrite(conn.tcb, data);
    if (n > 0) this.apply(conn, tcpOutput(conn.tcb, now));
    return n;
  }

  /**
   * Reads received data and sends a window update when due.
   *
   * @param conn - the connection
   * @param maxBytes - at most this many
   * @param now - current time, ms
   * @returns bytes (empty when none)
   * @example
   * ```ts
   * const data = tcp.read(conn, 65536, now);
   * ```
   */
  read(conn: TcpConnection, maxBytes: number, now: number): Uint8Array {
    const data = tcpRead(conn.tcb, maxBytes);
    if (conn.tcb.ackNow) this.apply(conn, tcpOutput(conn.tcb, now));
    return data;
  }

  /**
   * Sends what is pending (e.g. after switching no-delay on).
   *
   * @param conn - the connection
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * conn.tcb.noDelay = true; tcp.flush(conn, now);
   * ```
   */
  flush(conn: TcpConnection, now: number): void {
    this.apply(conn, tcpOutput(conn.tcb, now));
  }

  /**
   * Closes our side (FIN after queued data).
   *
   * @param conn - the connection
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * tcp.close(conn, now);
   * ```
   */
  close(conn: TcpConnection, now: number): void {
    this.apply(conn, tcpClose(conn.tcb, now));
  }

  /**
   * Aborts with a RST.
   *
   * @param conn - the connection
   * @param now - current time, ms
   * @returns nothing
   * @example
   * ```ts
   * tcp.abort(conn, now);
   * ```
   */
  abort(conn: TcpConnection, now: number): void {
    this.apply(conn, tcpAbort(conn.tcb, now));
  }

  /**
   * Takes the segments queued for transmission.
   *
   * @returns the segments, oldest first
   * @example
   * ```ts
   * for (const o of tcp.takeOutput()) sendIp(o.source, o.destination, o.segment);
   * ```
   */
  takeOutput(): TcpOutgoing[] {
    return this.output.splice(0);
  }

  /**
   * Number of connections in the table (all states but CLOSED).
   *
   * @returns the count
   * @example
   * ```ts
   * tcp.connectionCount();
   * ```
   */
  connectionCount(): number {
    return this.connections.size;
  }

  private reset(local: number, remote: number, seg: TcpRepr): void {
    const rst = resetFor(seg);
    if (rst) this.output.push({ source: local, destination: remote, segment: rst });
  }

  private apply(conn: TcpConnection, actions: TcpActions): void {
    for (const s of actions.segments) this.output.push({ source: conn.localAddress, destination: conn.remoteAddress, segment: s });
    for (const e of actions.events) {
      const l = conn.listener;
      if (l && e.type === "established") {
        l.halfOpen--;
        if (l.queue.length >= l.backlog) {
          conn.listener = undefined;
          this.apply(conn, tcpAbort(conn.tcb, 0)); // backlog full: refuse (RFC 9293 leaves the policy to us)
          return;
        }
        l.queue.push(conn);
        l.onConnection?.();
        continue;
      }
      if (e.type === "closed") {
        if (l) {
          if (conn.tcb.passive && l.queue.indexOf(conn) < 0) l.halfOpen = Math.max(0, l.halfOpen - 1);
          const i = l.queue.indexOf(conn);
          if (i >= 0) l.queue.splice(i, 1);
          conn.listener = undefined;
        }
        const k = key(conn.tcb.localPort, conn.remoteAddress, conn.tcb.remotePort);
        if (this.connections.get(k) === conn) this.connections.delete(k);
      }
      conn.onEvent?.(e);
    }
  }
}
