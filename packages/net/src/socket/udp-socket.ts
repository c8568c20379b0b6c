// Socket layer (@toro/net): UDP sockets shaped like Node's `dgram` (bind, send, message events,
// close). Must not import a driver.
import { formatIpv4, ipv4 } from "../wire/address.js";
import { encodeUtf8 } from "../utf8.js";
import type { Driver } from "./driver.js";
import { Emitter } from "./emitter.js";
import { netError } from "./tcp-socket.js";

/** A bound address (Node's `AddressInfo`). */
export interface SocketAddress {
  /** Address, dotted quad. */
  readonly address: string;
  /** Port. */
  readonly port: number;
  /** Always `"IPv4"`. */
  readonly family: "IPv4";
}

/** Where a datagram came from (Node's `rinfo`). */
export interface RemoteInfo {
  /** Sender address, dotted quad. */
  readonly address: string;
  /** Sender port. */
  readonly port: number;
  /** Always `"IPv4"`. */
  readonly family: "IPv4";
  /** Payload size. */
  readonly size: number;
}

/**
 * A UDP socket, shaped like Node's `dgram.Socket`. Events: `listening`, `message` (data, rinfo),
 * `error`, `close`.
 *
 * @example
 * ```ts
 * const u = stack.createSocket("udp4");
 * u.on("message", (msg, rinfo) => u.send(msg, rinfo.port, rinfo.address));
 * u.bind(7);
 * ```
 */
export class UdpSocket extends Emitter {
  private port = 0;
  private static nextPort = 49152;

  /** @internal Use `stack.createSocket`. */
  constructor(private readonly driver: Driver) {
    super();
  }

  /**
   * Binds a local port (0 or absent: an ephemeral one).
   *
   * @param port - local port
   * @param callback - called on `listening`
   * @returns this
   * @example
   * ```ts
   * u.bind(5353);
   * ```
   */
  bind(port = 0, callback?: () => void): this {
    const iface = this.driver.iface;
    let p = port;
    if (p === 0) {
      for (let i = 0; i < 16384 && (p === 0 || iface.udpBound(p)); i++) {
        p = UdpSocket.nextPort;
        UdpSocket.nextPort = UdpSocket.nextPort >= 65535 ? 49152 : UdpSocket.nextPort + 1;
      }
    }
    const err = iface.udpBind(p, (d) => {
      const rinfo: RemoteInfo = { address: formatIpv4(d.source), port: d.sourcePort, family: "IPv4", size: d.payload.length };
      const msg = d.payload.slice();
      void Promise.resolve().then(() => this.emit("message", msg, rinfo));
    });
    void Promise.resolve().then(() => {
      if (err) return void this.emit("error", netError(err, `port ${p}`));
      this.port = p;
      callback?.();
      this.emit("listening");
    });
    return this;
  }

  /**
   * Sends a datagram (binds an ephemeral port first when unbound).
   *
   * @param msg - data, or a string sent as UTF-8
   * @param port - destination port
   * @param address - destination, dotted quad ("255.255.255.255" broadcasts)
   * @param callback - called with an error (EHOSTUNREACH, EMSGSIZE...) or none
   * @returns nothing
   * @example
   * ```ts
   * u.send("hello", 7, "10.0.2.2");
   * ```
   */
  send(msg: Uint8Array | string, port: number, address: string, callback?: (err?: Error) => void): void {
    if (this.port === 0 && !this.driver.iface.udpBound(this.port)) {
      this.bind(0);
      void Promise.resolve().then(() => this.send(msg, port, address, callback));
      return;
    }
    const dst = ipv4(address);
    const bytes = typeof msg === "string" ? encodeUtf8(msg) : msg;
    const err = dst === undefined ? "EINVAL" : this.driver.iface.udpSend(this.port, dst, port, bytes, this.driver.now());
    this.driver.kick();
    void Promise.resolve().then(() => {
      const e = err ? netError(err, address) : undefined;
      callback?.(e);
      if (e && !callback) this.emit("error", e);
    });
  }

  /**
   * The bound address.
   *
   * @returns `{ address, port, family }`
   * @example
   * ```ts
   * u.address().port;
   * ```
   */
  address(): SocketAddress {
    return { address: formatIpv4(this.driver.iface.address), port: this.port, family: "IPv4" };
  }

  /**
   * Unbinds.
   *
   * @param callback - called on `close`
   * @returns this
   * @example
   * ```ts
   * u.close();
   * ```
   */
  close(callback?: () => void): this {
    if (this.port !== 0) this.driver.iface.udpUnbind(this.port);
    this.port = 0;
    void Promise.resolve().then(() => {
      callback?.();
      this.emit("close");
    });
    return this;
  }
}
