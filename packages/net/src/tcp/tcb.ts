// TCP layer (@toro/net): the transmission control block (RFC 9293 §3.3.1), its configuration and
// the actions the pure decision functions return. A TCB is an explicit object owned by the caller;
// the functions in input.ts / output.ts / timers.ts update it and return segments to send and
// events to report — they never do I/O and never read a clock. Must not import iface/ or socket.
import type { TcpRepr } from "../wire/tcp.js";
import { ByteRing } from "./byte-ring.js";
import { newRtt, type RttState } from "./rtt.js";

/** RFC 9293 §3.3.2 connection states. */
export type TcpState =
  | "Closed"
  | "Listen"
  | "SynSent"
  | "SynReceived"
  | "Established"
  | "FinWait1"
  | "FinWait2"
  | "CloseWait"
  | "Closing"
  | "LastAck"
  | "TimeWait";

/** Tunables of a connection; {@link defaultTcpConfig} holds RFC-conforming defaults. */
export interface TcpConfig {
  /** MSS we announce (MTU 1500 - 40). */
  readonly mss: number;
  /** Receive buffer (the most we ever advertise). */
  readonly receiveBufferBytes: number;
  /** Send buffer (`write` backpressure bound). */
  readonly sendBufferBytes: number;
  /** Offer RFC 7323 timestamps. */
  readonly timestamps: boolean;
  /** Offer RFC 7323 window scaling. */
  readonly windowScaling: boolean;
  /** RFC 6298 §2.4 floor. */
  readonly minRtoMs: number;
  /** RFC 6298 §2.5 ceiling. */
  readonly maxRtoMs: number;
  /** RFC 6298 §2.1 initial RTO. */
  readonly initialRtoMs: number;
  /** Consecutive retransmissions of data before ETIMEDOUT (RFC 1122 §4.2.3.5 R2). */
  readonly maxRetransmits: number;
  /** Retransmissions of a SYN before ETIMEDOUT. */
  readonly synRetries: number;
  /** Delayed-ACK timeout (RFC 1122 §4.2.3.2: < 500 ms). */
  readonly delayedAckMs: number;
  /** TIME-WAIT duration, 2 × MSL (RFC 9293 §3.4.2). */
  readonly timeWaitMs: number;
  /** RFC 5961 §7: challenge ACKs per second per connection. */
  readonly challengeAckPerSecond: number;
}

/**
 * Defaults: MSS 1460, 256 KiB buffers, timestamps and window scaling on, RTO 1 s..60 s, delayed ACK
 * 40 ms, TIME-WAIT 60 s.
 *
 * @example
 * ```ts
 * const cfg = { ...defaultTcpConfig, minRtoMs: 200 };
 * ```
 */
export const defaultTcpConfig: TcpConfig = {
  mss: 1460,
  receiveBufferBytes: 256 * 1024,
  sendBufferBytes: 256 * 1024,
  timestamps: true,
  windowScaling: true,
  minRtoMs: 1000,
  maxRtoMs: 60_000,
  initialRtoMs: 1000,
  maxRetransmits: 12,
  synRetries: 6,
  delayedAckMs: 40,
  timeWaitMs: 60_000,
  challengeAckPerSecond: 10,
};

/** Keepalive settings (RFC 1122 §4.2.3.6). */
export interface KeepaliveConfig {
  /** Idle time before the first probe. */
  readonly idleMs: number;
  /** Time between probes. */
  readonly intervalMs: number;
  /** Unanswered probes before the connection is dropped with ETIMEDOUT. */
  readonly probes: number;
}

/** What happened to a connection, for the socket layer. */
export type TcpEvent =
  | {
      /**
       * `established`: the handshake completed; `readable`: data arrived; `writable`: send-buffer room
       * freed; `peer-closed`: the peer's FIN arrived in order; `closed`: the TCB is gone.
       */
      readonly type: "established" | "readable" | "writable" | "peer-closed" | "closed";
    }
  | {
      /** The connection failed; a `closed` event follows. */
      readonly type: "error";
      /** Node-style code. */
      readonly code: "ECONNREFUSED" | "ECONNRESET" | "ETIMEDOUT";
    };

/** A new connection and what it sends first. */
export interface TcpOpen {
  /** The control block. */
  readonly tcb: Tcb;
  /** The SYN or SYN-ACK to send. */
  readonly actions: TcpActions;
}

/** Segments to send and events to report, returned by every decision function. */
export interface TcpActions {
  /** Segments to transmit, in order (addresses are the connection's). */
  readonly segments: TcpRepr[];
  /** Events, in order. */
  readonly events: TcpEvent[];
}

/** @internal A stored out-of-order segment. */
export interface OooSegment {
  seq: number;
  data: Uint8Array;
}

/** The state of one connection (RFC 9293 §3.3.1 variables plus timers). Fields are internal. */
export interface Tcb {
  /** Current state. */
  state: TcpState;
  /** Configuration. */
  readonly config: TcpConfig;
  /** Local port. */
  readonly localPort: number;
  /** Remote port. */
  readonly remotePort: number;
  /** @internal */ passive: boolean;
  /** @internal */ iss: number;
  /** @internal */ irs: number;
  /** @internal */ sndUna: number;
  /** @internal */ sndNxt: number;
  /** @internal highest sequence ever sent (go-back-N resets sndNxt below it). */ sndMax: number;
  /** @internal */ sndWnd: number;
  /** @internal */ sndWl1: number;
  /** @internal */ sndWl2: number;
  /** @internal */ maxSndWnd: number;
  /** @internal */ sndShift: number;
  /** @internal */ rcvShift: number;
  /** @internal */ rcvNxt: number;
  /** @internal window we last advertised (bytes) */ rcvAdvertised: number;
  /** @internal RCV.NXT + that window when it was sent */ rcvRightEdge: number;
  /** @internal */ sendMss: number;
  /** @internal */ sendBuf: ByteRing;
  /** @internal sequence number of sendBuf's first byte */ bufSeq: number;
  /** @internal the app closed its side: a FIN follows the data */ finQueued: boolean;
  /** @internal */ recvBuf: ByteRing;
  /** @internal */ ooo: OooSegment[];
  /** @internal sequence number of an out-of-order FIN */ oooFin: number | undefined;
  /** @internal */ finReceived: boolean;
  /** @internal */ rtt: RttState;
  /** @internal Karn: the sequence being timed and when it left */ rttSeq: number | undefined;
  /** @internal */ rttSentAt: number;
  /** @internal consecutive retransmission timeouts */ retries: number;
  /** @internal */ cwnd: number;
  /** @internal */ ssthresh: number;
  /** @internal */ dupAcks: number;
  /** @internal RFC 6582 recover */ recover: number;
  /** @internal */ inRecovery: boolean;
  /** @internal segments received since our last ACK */ ackPending: number;
  /** @internal */ ackNow: boolean;
  /** @internal */ rtoAt: number;
  /** @internal */ ackAt: number;
  /** @internal */ persistAt: number;
  /** @internal */ persistBackoff: number;
  /** @internal */ keepaliveAt: number;
  /** @internal */ keepaliveSent: number;
  /** @internal */ timeWaitAt: number;
  /** @internal */ lastReceiveAt: number;
  /** Nagle off (RFC 9293 §3.7.4). */
  noDelay: boolean;
  /** Keepalive, or undefined when off. */
  keepalive: KeepaliveConfig | undefined;
  /** @internal */ wsOk: boolean;
  /** @internal */ tsOk: boolean;
  /** @internal */ tsRecent: number;
  /** @internal */ tsOffset: number;
  /** @internal */ challengeWindowStart: number;
  /** @internal */ challengeCount: number;
}

/**
 * The window-scale shift we announce: the smallest that lets `bufferBytes` fit in 16 bits (RFC 7323 §2.2).
 *
 * @param bufferBytes - receive buffer size
 * @returns 0..14
 * @example
 * ```ts
 * windowShiftFor(256 * 1024); // 3
 * ```
 */
export function windowShiftFor(bufferBytes: number): number {
  let s = 0;
  while (s < 14 && bufferBytes >> s > 0xffff) s++;
  return s;
}

/**
 * A new TCB in `Closed`; {@link tcpConnect} and {@link tcpAccept} fill it for an open.
 *
 * @param config - tunables
 * @param localPort - local port
 * @param remotePort - remote port
 * @param iss - initial send sequence number (RFC 6528)
 * @param now - current time, ms
 * @returns the TCB
 * @example
 * ```ts
 * const tcb = newTcb(defaultTcpConfig, 40000, 80, iss, now);
 * ```
 */
export function newTcb(config: TcpConfig, localPort: number, remotePort: number, iss: number, now: number): Tcb {
  return {
    state: "Closed",
    config,
    localPort,
    remotePort,
    passive: false,
    iss,
    irs: 0,
    sndUna: iss,
    sndNxt: iss,
    sndMax: iss,
    sndWnd: 0,
    sndWl1: 0,
    sndWl2: 0,
    maxSndWnd: 0,
    sndShift: 0,
    rcvShift: 0,
    rcvNxt: 0,
    rcvAdvertised: 0,
    rcvRightEdge: 0,
    sendMss: 536, // RFC 9293 §3.7.1: default when no MSS option arrives
    sendBuf: new ByteRing(config.sendBufferBytes),
    bufSeq: (iss + 1) >>> 0,
    finQueued: false,
    recvBuf: new ByteRing(config.receiveBufferBytes),
    ooo: [],
    oooFin: undefined,
    finReceived: false,
    rtt: newRtt(config),
    rttSeq: undefined,
    rttSentAt: 0,
    retries: 0,
    cwnd: 0,
    ssthresh: 0x7fffffff,
    dupAcks: 0,
    recover: iss,
    inRecovery: false,
    ackPending: 0,
    ackNow: false,
    rtoAt: Infinity,
    ackAt: Infinity,
    persistAt: Infinity,
    persistBackoff: 0,
    keepaliveAt: Infinity,
    keepaliveSent: 0,
    timeWaitAt: Infinity,
    lastReceiveAt: now,
    noDelay: false,
    keepalive: undefined,
    wsOk: false,
    tsOk: false,
    tsRecent: 0,
    tsOffset: iss, // RFC 7323 §5.4: a per-connection random offset for TSval
    challengeWindowStart: 0,
    challengeCount: 0,
  };
}

/** @internal */
export function actions(): TcpActions {
  return { segments: [], events: [] };
}

/** @internal `true` in states where the connection is synchronized (RFC 9293 §3.5.2). */
export function synchronized(s: TcpState): boolean {
  return s !== "Closed" && s !== "Listen" && s !== "SynSent" && s !== "SynReceived";
}
