// TCP layer (@toro/net): what a connection sends — SYN/SYN-ACK, data under the send and congestion
// windows with Nagle and sender SWS avoidance (RFC 9293 §3.7.4, §3.8.6.2.1), FIN, ACKs — and the user
// calls that feed it (write, read, close, abort). Pure: updates the TCB, returns segments. Must not
// import iface/ or socket.
import { TcpFlags, type TcpOptions, type TcpRepr } from "../wire/tcp.js";
import { seqAdd, seqDiff, seqGe, seqMax } from "./seq.js";
import { actions, windowShiftFor, type TcpActions, type TcpConfig, type TcpOpen, type Tcb } from "./tcb.js";
import { newTcb } from "./tcb.js";

/** @internal Our TSval for `now` (RFC 7323 §5.4: ms clock plus a per-connection offset). */
export function tsValue(tcb: Tcb, now: number): number {
  return (Math.floor(now) + tcb.tsOffset) >>> 0;
}

/** @internal The window field we would send now, and the byte count it stands for. */
function windowField(tcb: Tcb, syn: boolean): [field: number, bytes: number] {
  const free = tcb.recvBuf.free;
  if (syn) {
    const f = Math.min(free, 0xffff); // RFC 7323 §2.2: the window in a SYN is never scaled
    return [f, f];
  }
  // RFC 9293 §3.8.6.2.2 receiver SWS avoidance (MUST-39): keep the right edge where it is until the
  // window can move it by min(RCV.BUFF / 2, MSS).
  const prev = Math.max(0, seqDiff(tcb.rcvRightEdge, tcb.rcvNxt));
  const threshold = Math.min(tcb.recvBuf.capacity / 2, tcb.config.mss);
  const wnd = free - prev >= threshold || prev > free ? free : prev;
  const f = Math.min(wnd >>> tcb.rcvShift, 0xffff);
  return [f, f << tcb.rcvShift];
}

/** @internal Builds one segment from the TCB and records what it advertised and acknowledged. */
export function makeSegment(tcb: Tcb, now: number, flags: number, seq: number, payload: Uint8Array = new Uint8Array(0)): TcpRepr {
  const syn = (flags & TcpFlags.Syn) !== 0;
  const [window, bytes] = windowField(tcb, syn);
  let options: TcpOptions = {};
  if (syn) {
    const o: { -readonly [K in keyof TcpOptions]: TcpOptions[K] } = { mss: tcb.config.mss };
    // RFC 7323 §2.2: offer scaling in our SYN; answer with it in a SYN-ACK only when the peer offered it.
    if (tcb.state === "SynSent" ? tcb.config.windowScaling : tcb.wsOk) o.windowScale = tcb.rcvShift;
    if (tcb.tsOk || (tcb.state === "SynSent" && tcb.config.timestamps)) o.timestamp = { value: tsValue(tcb, now), echo: tcb.tsRecent };
    options = o;
  } else if (tcb.tsOk) {
    options = { timestamp: { value: tsValue(tcb, now), echo: tcb.tsRecent } };
  }
  if (flags & TcpFlags.Ack) {
    tcb.rcvAdvertised = bytes;
    tcb.rcvRightEdge = seqAdd(tcb.rcvNxt, bytes);
    tcb.ackPending = 0;
    tcb.ackNow = false;
    tcb.ackAt = Infinity;
  }
  return {
    sourcePort: tcb.localPort,
    destinationPort: tcb.remotePort,
    seq: seq >>> 0,
    ack: flags & TcpFlags.Ack ? tcb.rcvNxt : 0,
    flags,
    window,
    urgent: 0,
    options,
    payload,
  };
}

/** @internal Data bytes per segment: the MSS less the options we put in every segment (RFC 9293 §3.7.1). */
export function segmentSize(tcb: Tcb): number {
  return tcb.sendMss - (tcb.tsOk ? 12 : 0);
}

/** @internal Sequence number just past the last byte of queued data. */
export function dataEnd(tcb: Tcb): number {
  return seqAdd(tcb.bufSeq, tcb.sendBuf.length);
}

function armRto(tcb: Tcb, now: number): void {
  if (tcb.rtoAt === Infinity) tcb.rtoAt = now + tcb.rtt.rtoMs;
}

/**
 * Emits whatever the connection may send now: SYN or SYN-ACK, data, FIN, or a pending ACK.
 *
 * @param tcb - the connection (updated)
 * @param now - current time, ms
 * @param out - actions to append to (a new one when omitted)
 * @returns the actions
 * @example
 * ```ts
 * tcpWrite(tcb, bytes);
 * for (const seg of tcpOutput(tcb, now).segments) transmit(seg);
 * ```
 */
export function tcpOutput(tcb: Tcb, now: number, out: TcpActions = actions()): TcpActions {
  switch (tcb.state) {
    case "Closed":
    case "Listen":
      tcb.ackNow = false; // nothing to acknowledge from here
      return out;
    case "SynSent":
    case "SynReceived":
      if (tcb.sndNxt === tcb.iss) {
        const flags = tcb.state === "SynSent" ? TcpFlags.Syn : TcpFlags.Syn | TcpFlags.Ack;
        out.segments.push(makeSegment(tcb, now, flags, tcb.iss));
        if (tcb.retries === 0 && tcb.rttSeq === undefined) {
          tcb.rttSeq = seqAdd(tcb.iss, 1);
          tcb.rttSentAt = now;
        }
        tcb.sndNxt = seqAdd(tcb.iss, 1);
        tcb.sndMax = seqMax(tcb.sndMax, tcb.sndNxt);
        armRto(tcb, now);
      } else if (tcb.ackNow && tcb.state === "SynReceived") {
        out.segments.push(makeSegment(tcb, now, TcpFlags.Ack, tcb.sndNxt));
      }
      tcb.ackNow = false; // SYN-SENT has nothing to acknowledge yet
      return out;
    case "TimeWait":
      if (tcb.ackNow) out.segments.push(makeSegment(tcb, now, TcpFlags.Ack, tcb.sndNxt));
      return out;
    default:
      sendData(tcb, now, out);
      // A pure ACK carries the highest sequence sent: after a go-back-N rewind SND.NXT lies below the
      // peer's RCV.NXT, and a segment there would fail the peer's acceptability test (RFC 9293 §3.10.7.4)
      // with its ACK field unread.
      if (tcb.ackNow) out.segments.push(makeSegment(tcb, now, TcpFlags.Ack, tcb.sndMax));
      updatePersist(tcb, now);
      return out;
  }
}

function sendData(tcb: Tcb, now: number, out: TcpActions): void {
  for (;;) {
    const end = dataEnd(tcb);
    const unsent = Math.max(0, seqDiff(end, tcb.sndNxt));
    const inFlight = seqDiff(tcb.sndNxt, tcb.sndUna);
    const usable = Math.min(tcb.sndWnd, tcb.cwnd) - inFlight;
    const mss = segmentSize(tcb);
    if (unsent > 0 && usable > 0) {
      const len = Math.min(unsent, usable, mss);
      if (len < mss && inFlight > 0) {
        // RFC 9293 §3.7.4 Nagle: one small segment in flight at a time (unless no-delay or closing).
        if (len === unsent && !tcb.noDelay && !tcb.finQueued) break;
        // RFC 9293 §3.8.6.2.1 sender SWS avoidance: do not send a window-limited sliver.
        if (len < unsent && len < tcb.maxSndWnd / 2) break;
      }
      const payload = tcb.sendBuf.peek(seqDiff(tcb.sndNxt, tcb.bufSeq), len);
      const fin = tcb.finQueued && len === unsent;
      const flags = TcpFlags.Ack | (len === unsent ? TcpFlags.Psh : 0) | (fin ? TcpFlags.Fin : 0);
      if (tcb.rttSeq === undefined && seqGe(tcb.sndNxt, tcb.sndMax)) {
        tcb.rttSeq = seqAdd(tcb.sndNxt, len); // Karn: only never-retransmitted data is timed
        tcb.rttSentAt = now;
      }
      out.segments.push(makeSegment(tcb, now, flags, tcb.sndNxt, payload));
      tcb.sndNxt = seqAdd(tcb.sndNxt, len + (fin ? 1 : 0));
      tcb.sndMax = seqMax(tcb.sndMax, tcb.sndNxt);
      armRto(tcb, now);
      continue;
    }
    if (tcb.finQueued && unsent === 0 && tcb.sndNxt === end) {
      out.segments.push(makeSegment(tcb, now, TcpFlags.Ack | TcpFlags.Fin, tcb.sndNxt));
      tcb.sndNxt = seqAdd(tcb.sndNxt, 1);
      tcb.sndMax = seqMax(tcb.sndMax, tcb.sndNxt);
      armRto(tcb, now);
    }
    break;
  }
}

/** RFC 9293 §3.8.6.1: arm the persist timer when a zero window blocks data with nothing in flight. */
function updatePersist(tcb: Tcb, now: number): void {
  const waiting = seqDiff(dataEnd(tcb), tcb.sndNxt) > 0 || (tcb.finQueued && tcb.sndNxt === dataEnd(tcb));
  if (tcb.sndWnd === 0 && waiting && tcb.sndNxt === tcb.sndUna) {
    if (tcb.persistAt === Infinity) tcb.persistAt = now + tcb.rtt.rtoMs * 2 ** tcb.persistBackoff;
  } else if (tcb.sndWnd > 0) {
    tcb.persistAt = Infinity;
    tcb.persistBackoff = 0;
  }
}

/** @internal Retransmits the first unacknowledged segment (fast retransmit, RFC 5681 §3.2). */
export function retransmitFirst(tcb: Tcb, now: number, out: TcpActions): void {
  const end = dataEnd(tcb);
  const avail = Math.max(0, seqDiff(end, tcb.sndUna));
  const len = Math.min(avail, segmentSize(tcb));
  const finSent = seqDiff(tcb.sndMax, end) > 0;
  const fin = finSent && len === avail;
  if (len === 0 && !fin) return;
  tcb.rttSeq = undefined; // Karn (RFC 6298 §3)
  const payload = tcb.sendBuf.peek(seqDiff(tcb.sndUna, tcb.bufSeq), len);
  out.segments.push(makeSegment(tcb, now, TcpFlags.Ack | (fin ? TcpFlags.Fin : 0), tcb.sndUna, payload));
}

/**
 * Starts an active open (RFC 9293 §3.10.1): a TCB in `SynSent` and its SYN.
 *
 * @param config - tunables
 * @param localPort - local port
 * @param remotePort - remote port
 * @param iss - initial sequence number (RFC 6528)
 * @param now - current time, ms
 * @returns the TCB and the actions (the SYN)
 * @example
 * ```ts
 * const { tcb, actions } = tcpConnect(defaultTcpConfig, 40000, 80, iss, now);
 * ```
 */
export function tcpConnect(config: TcpConfig, localPort: number, remotePort: number, iss: number, now: number): TcpOpen {
  const tcb = newTcb(config, localPort, remotePort, iss, now);
  tcb.state = "SynSent";
  tcb.rcvShift = config.windowScaling ? windowShiftFor(config.receiveBufferBytes) : 0;
  return { tcb, actions: tcpOutput(tcb, now) };
}

/**
 * Accepts a SYN on a listening port (RFC 9293 §3.10.7.2): a TCB in `SynReceived` and its SYN-ACK.
 *
 * @param config - tunables
 * @param syn - the received SYN
 * @param iss - initial sequence number (RFC 6528)
 * @param now - current time, ms
 * @returns the TCB and the actions (the SYN-ACK)
 * @example
 * ```ts
 * const { tcb, actions } = tcpAccept(defaultTcpConfig, syn, iss, now);
 * ```
 */
export function tcpAccept(config: TcpConfig, syn: TcpRepr, iss: number, now: number): TcpOpen {
  const tcb = newTcb(config, syn.destinationPort, syn.sourcePort, iss, now);
  tcb.state = "SynReceived";
  tcb.passive = true;
  applySynOptions(tcb, syn);
  tcb.irs = syn.seq;
  tcb.rcvNxt = seqAdd(syn.seq, 1);
  tcb.sndWnd = syn.window; // RFC 7323 §2.2: a SYN's window is never scaled
  tcb.maxSndWnd = syn.window;
  tcb.sndWl1 = syn.seq;
  tcb.sndWl2 = iss;
  return { tcb, actions: tcpOutput(tcb, now) };
}

/** @internal Negotiates MSS, window scale and timestamps from the peer's SYN (RFC 9293 §3.7.1, RFC 7323). */
export function applySynOptions(tcb: Tcb, syn: TcpRepr): void {
  const o = syn.options;
  tcb.sendMss = Math.max(64, Math.min(o.mss ?? 536, tcb.config.mss));
  if (o.windowScale !== undefined && tcb.config.windowScaling) {
    tcb.wsOk = true;
    tcb.sndShift = o.windowScale;
    tcb.rcvShift = windowShiftFor(tcb.config.receiveBufferBytes);
  } else {
    tcb.wsOk = false;
    tcb.sndShift = 0;
    tcb.rcvShift = 0;
  }
  if (o.timestamp && tcb.config.timestamps) {
    tcb.tsOk = true;
    tcb.tsRecent = o.timestamp.value;
  } else tcb.tsOk = false;
  // RFC 6928 initial window: min(10 MSS, max(2 MSS, 14600)).
  tcb.cwnd = Math.min(10 * tcb.sendMss, Math.max(2 * tcb.sendMss, 14600));
}

/**
 * Queues data to send (RFC 9293 §3.10.2). Call {@link tcpOutput} afterwards.
 *
 * @param tcb - the connection
 * @param data - bytes to send
 * @returns bytes accepted (fewer than offered when the send buffer is full), or -1 when the
 *   connection can no longer send (EPIPE)
 * @example
 * ```ts
 * const n = tcpWrite(tcb, bytes); // n < bytes.length: wait for a "writable" event
 * ```
 */
export function tcpWrite(tcb: Tcb, data: Uint8Array): number {
  const open = tcb.state === "SynSent" || tcb.state === "SynReceived" || tcb.state === "Established" || tcb.state === "CloseWait";
  if (!open || tcb.finQueued) return -1;
  return tcb.sendBuf.push(data);
}

/**
 * Takes received bytes (RFC 9293 §3.10.3) and schedules a window update when the window grew
 * enough (receiver SWS avoidance, §3.8.6.2.2).
 *
 * @param tcb - the connection
 * @param maxBytes - at most this many
 * @returns the bytes, possibly empty
 * @example
 * ```ts
 * const chunk = tcpRead(tcb, 65536);
 * ```
 */
export function tcpRead(tcb: Tcb, maxBytes = Infinity): Uint8Array {
  const data = tcb.recvBuf.take(Math.min(maxBytes, tcb.recvBuf.length));
  if (data.length > 0 && tcb.state !== "TimeWait" && tcb.state !== "Closed") {
    const grown = tcb.recvBuf.free - tcb.rcvAdvertised;
    if (grown >= Math.min(tcb.recvBuf.capacity / 2, tcb.config.mss)) tcb.ackNow = true;
  }
  return data;
}

/**
 * The user's CLOSE (RFC 9293 §3.10.4): a FIN follows the queued data.
 *
 * @param tcb - the connection
 * @param now - current time, ms
 * @returns actions (the FIN when it can go now; `closed` when nothing was open)
 * @example
 * ```ts
 * tcpClose(tcb, now);
 * ```
 */
export function tcpClose(tcb: Tcb, now: number): TcpActions {
  const out = actions();
  switch (tcb.state) {
    case "Closed":
    case "Listen":
      tcb.state = "Closed";
      out.events.push({ type: "closed" });
      return out;
    case "SynSent":
    case "SynReceived":
      // RFC 9293 §3.10.4: queue the close until ESTABLISHED (like Node's end() before connect).
      tcb.finQueued = true;
      return out;
    case "Established":
      tcb.finQueued = true;
      tcb.state = "FinWait1";
      break;
    case "CloseWait":
      tcb.finQueued = true;
      tcb.state = "LastAck";
      break;
    default:
      return out; // already closing
  }
  return tcpOutput(tcb, now, out);
}

/**
 * The user's ABORT (RFC 9293 §3.10.5): a RST when synchronized, then `Closed`.
 *
 * @param tcb - the connection
 * @param now - current time, ms
 * @returns actions (the RST and `closed`)
 * @example
 * ```ts
 * tcpAbort(tcb, now); // socket.destroy()
 * ```
 */
export function tcpAbort(tcb: Tcb, now: number): TcpActions {
  const out = actions();
  if (tcb.state !== "Closed" && tcb.state !== "Listen" && tcb.state !== "SynSent" && tcb.state !== "TimeWait") {
    out.segments.push(makeSegment(tcb, now, TcpFlags.Rst, tcb.sndMax));
  }
  if (tcb.state !== "Closed") out.events.push({ type: "closed" });
  tcb.state = "Closed";
  return out;
}

/**
 * The RST answering a segment that has no connection (RFC 9293 §3.10.7.1).
 *
 * @param seg - the offending segment
 * @returns the reset, or `undefined` when `seg` is itself a RST
 * @example
 * ```ts
 * const rst = resetFor(seg); if (rst) transmit(rst);
 * ```
 */
export function resetFor(seg: TcpRepr): TcpRepr | undefined {
  if (seg.flags & TcpFlags.Rst) return undefined;
  const base = { sourcePort: seg.destinationPort, destinationPort: seg.sourcePort, window: 0, urgent: 0, options: {}, payload: new Uint8Array(0) };
  if (seg.flags & TcpFlags.Ack) return { ...base, seq: seg.ack, ack: 0, flags: TcpFlags.Rst };
  const len = seg.payload.length + (seg.flags & TcpFlags.Syn ? 1 : 0) + (seg.flags & TcpFlags.Fin ? 1 : 0);
  return { ...base, seq: 0, ack: seqAdd(seg.seq, len), flags: TcpFlags.Rst | TcpFlags.Ack };
}
