// Test kit (@toro/net, not exported): smoltcp-style scripted TCP exchanges. `send` feeds a segment
// from the scripted peer at a virtual time; `recv` checks what the connection sent. Imports tcp/.
import { encodeUtf8 } from "../utf8.js";
import { TcpFlags, type TcpRepr } from "../wire/tcp.js";
import type { TcpActions, TcpEvent, Tcb } from "../tcp/tcb.js";
import { tcpInput } from "../tcp/input.js";
import { tcpTimers } from "../tcp/timers.js";
import { tcpConnect } from "../tcp/output.js";
import { defaultTcpConfig, type TcpConfig } from "../tcp/tcb.js";

/** @internal A segment written the short way: flags as letters ("S", "SA", "A", "FA", "R", "PA"). */
export interface Seg {
  flags: string;
  seq: number;
  ack?: number;
  window?: number;
  data?: string | Uint8Array;
  options?: TcpRepr["options"];
}

const LETTERS: Record<string, number> = { F: TcpFlags.Fin, S: TcpFlags.Syn, R: TcpFlags.Rst, P: TcpFlags.Psh, A: TcpFlags.Ack };

/** @internal */
export function flagsOf(text: string): number {
  let f = 0;
  for (const c of text) f |= LETTERS[c] ?? 0;
  return f;
}

/** @internal */
export function letters(flags: number): string {
  return Object.entries(LETTERS)
    .filter(([, v]) => (flags & v) !== 0)
    .map(([k]) => k)
    .join("");
}

/** @internal Builds a segment from the peer (remote port `rport`) to the connection. */
export function seg(tcb: Tcb, s: Seg): TcpRepr {
  const data = typeof s.data === "string" ? encodeUtf8(s.data) : (s.data ?? new Uint8Array(0));
  return {
    sourcePort: tcb.remotePort,
    destinationPort: tcb.localPort,
    seq: s.seq >>> 0,
    ack: (s.ack ?? 0) >>> 0,
    flags: flagsOf(s.flags),
    window: s.window ?? 65535,
    urgent: 0,
    options: s.options ?? {},
    payload: data,
  };
}

/** @internal What a connection emitted, in a form that reads well in `expect`. */
export interface Emitted {
  segs: Array<{ flags: string; seq: number; ack: number; len: number; window: number }>;
  events: TcpEvent[];
}

/** @internal */
export function summarize(a: TcpActions): Emitted {
  return {
    segs: a.segments.map((s) => ({ flags: letters(s.flags), seq: s.seq, ack: s.ack, len: s.payload.length, window: s.window })),
    events: a.events,
  };
}

/** @internal Feeds one peer segment at virtual time `time`. */
export function send(tcb: Tcb, time: number, s: Seg): Emitted {
  return summarize(tcpInput(tcb, seg(tcb, s), time));
}

/** @internal Advances virtual time to `time` and runs timers. */
export function tick(tcb: Tcb, time: number): Emitted {
  return summarize(tcpTimers(tcb, time));
}

/** @internal Small, readable settings for scripted tests. */
export const cfg: TcpConfig = { ...defaultTcpConfig, timestamps: false, windowScaling: false, mss: 1000, minRtoMs: 200, receiveBufferBytes: 8000, sendBufferBytes: 8000, timeWaitMs: 2000 };

/** @internal A client that completed its handshake: ISS 1000, peer ISS 5000, at t=0..10. */
export function established(config: TcpConfig = cfg): Tcb {
  const { tcb } = tcpConnect(config, 40000, 80, 1000, 0);
  send(tcb, 10, { flags: "SA", seq: 5000, ack: 1001, options: { mss: 1000 } });
  return tcb;
}

