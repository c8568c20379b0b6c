// TCP layer (@toro/net): segment arrival, RFC 9293 §3.10.7 step by step, with RFC 5961's blind-attack
// protections (RST §3.2, SYN §4, ACK §5.2, challenge-ACK rate limit §7). Pure: updates the TCB and
// returns segments and events. Segments for CLOSED and LISTEN are handled by the host (host.ts).
// Must not import iface/ or socket.
import { TcpFlags, type TcpRepr } from "../wire/tcp.js";
import { onDuplicateAck, onNewAck } from "./congestion.js";
import { applySynOptions, dataEnd, retransmitFirst, tcpOutput } from "./output.js";
import { rttSample } from "./rtt.js";
import { seqAdd, seqDiff, seqGe, seqGt, seqInWindow, seqLe, seqLt } from "./seq.js";
import { actions, type TcpActions, type Tcb } from "./tcb.js";

const MAX_OOO_SEGMENTS = 256;

/**
 * Processes one arriving segment for an existing connection (RFC 9293 §3.10.7.3-§3.10.7.4).
 *
 * @param tcb - the connection (updated)
 * @param seg - the segment (checksum already verified)
 * @param now - current time, ms
 * @returns segments to send and events to report
 * @example
 * ```ts
 * const { segments, events } = tcpInput(tcb, seg, now);
 * ```
 */
export function tcpInput(tcb: Tcb, seg: TcpRepr, now: number): TcpActions {
  const out = actions();
  if (tcb.state === "Closed" || tcb.state === "Listen") return out;
  tcb.lastReceiveAt = now;
  tcb.keepaliveSent = 0;
  if (tcb.keepalive && tcb.keepaliveAt !== Infinity) tcb.keepaliveAt = now + tcb.keepalive.idleMs;
  if (tcb.state === "SynSent") {
    synSent(tcb, seg, now, out);
    return isClosed(tcb) ? out : tcpOutput(tcb, now, out);
  }
  process(tcb, seg, now, out);
  return isClosed(tcb) ? out : tcpOutput(tcb, now, out);
}

// A function call hides the state change from TypeScript's narrowing.
function isClosed(tcb: Tcb): boolean {
  return tcb.state === "Closed";
}

/** RFC 9293 §3.10.7.3: SYN-SENT. */
function synSent(tcb: Tcb, seg: TcpRepr, now: number, out: TcpActions): void {
  const f = seg.flags;
  if (f & TcpFlags.Ack) {
    // First: the ACK must cover our SYN and nothing beyond what we sent.
    if (seqLe(seg.ack, tcb.iss) || seqGt(seg.ack, tcb.sndMax)) {
      if (!(f & TcpFlags.Rst)) out.segments.push(rstReply(tcb, seg.ack));
      return;
    }
  }
  if (f & TcpFlags.Rst) {
    // RFC 5961 §3.2 / RFC 9293: a RST in SYN-SENT counts only with an acceptable ACK.
    if (f & TcpFlags.Ack) fail(tcb, out, "ECONNREFUSED");
    return;
  }
  if (!(f & TcpFlags.Syn)) return;
  applySynOptions(tcb, seg);
  tcb.irs = seg.seq;
  tcb.rcvNxt = seqAdd(seg.seq, 1);
  if (f & TcpFlags.Ack) {
    tcb.sndUna = seg.ack;
    if (tcb.rttSeq !== undefined && tcb.retries === 0) rttSample(tcb.rtt, now - tcb.rttSentAt, tcb.config);
    tcb.rttSeq = undefined;
    tcb.retries = 0;
    tcb.rtoAt = Infinity;
    tcb.state = tcb.finQueued ? "FinWait1" : "Established"; // a CLOSE queued while opening
    tcb.sndWnd = seg.window; // unscaled in a SYN
    tcb.maxSndWnd = seg.window;
    tcb.sndWl1 = seg.seq;
    tcb.sndWl2 = seg.ack;
    tcb.ackNow = true;
    out.events.push({ type: "established" });
    if (tcb.keepalive) tcb.keepaliveAt = now + tcb.keepalive.idleMs;
    return;
  }
  // Simultaneous open (RFC 9293 §3.5 figure 7): answer with SYN-ACK from SYN-RECEIVED.
  tcb.state = "SynReceived";
  tcb.sndWnd = seg.window;
  tcb.maxSndWnd = seg.window;
  tcb.sndWl1 = seg.seq;
  tcb.sndNxt = tcb.iss; // re-send our SYN, now with an ACK
  tcb.rtoAt = Infinity;
}

/** RFC 9293 §3.10.7.4: every state from SYN-RECEIVED on. */
function process(tcb: Tcb, seg: TcpRepr, now: number, out: TcpActions): void {
  const f = seg.flags;
  const segLen = seg.payload.length + (f & TcpFlags.Syn ? 1 : 0) + (f & TcpFlags.Fin ? 1 : 0);
  const rcvWnd = tcb.recvBuf.free;

  // Simultaneous open (RFC 9293 §3.5 figure 7, line 6): the peer's SYN-ACK repeats the SYN we already
  // took, so the window test below would refuse it; its ACK of our SYN completes the open.
  if (tcb.state === "SynReceived" && f & TcpFlags.Syn && f & TcpFlags.Ack && !(f & TcpFlags.Rst) && seg.seq === tcb.irs) {
    if (seqLt(tcb.sndUna, seg.ack) && seqLe(seg.ack, tcb.sndMax)) {
      tcb.state = tcb.finQueued ? "FinWait1" : "Established"; // a CLOSE queued while opening
      tcb.sndUna = seg.ack;
      tcb.rtoAt = Infinity;
      tcb.sndWnd = seg.window;
      tcb.sndWl1 = seg.seq;
      tcb.sndWl2 = seg.ack;
      tcb.ackNow = true;
      out.events.push({ type: "established" });
    } else out.segments.push(rstReply(tcb, seg.ack));
    return;
  }
  // First: sequence number acceptability (four cases of §3.10.7.4).
  let acceptable: boolean;
  if (segLen === 0) acceptable = rcvWnd === 0 ? seg.seq === tcb.rcvNxt : seqInWindow(seg.seq, tcb.rcvNxt, rcvWnd);
  else acceptable = rcvWnd > 0 && (seqInWindow(seg.seq, tcb.rcvNxt, rcvWnd) || seqInWindow(seqAdd(seg.seq, segLen - 1), tcb.rcvNxt, rcvWnd));
  if (!acceptable && rcvWnd === 0 && seg.seq === tcb.rcvNxt && !(f & TcpFlags.Rst)) {
    acceptable = true; // zero window: still process the ACK and RST fields, drop the data (§3.10.7.4)
  }
  if (!acceptable) {
    if (tcb.state === "SynReceived" && f & TcpFlags.Syn && !(f & TcpFlags.Ack) && seg.seq === tcb.irs) {
      tcb.sndNxt = tcb.iss; // our SYN-ACK was lost: the peer repeats its SYN
      return;
    }
    if (!(f & TcpFlags.Rst)) {
      tcb.ackNow = true;
      if (tcb.state === "TimeWait" && f & TcpFlags.Fin) tcb.timeWaitAt = now + tcb.config.timeWaitMs; // §3.10.7.4 TIME-WAIT
    }
    return;
  }

  // Second: RST (RFC 5961 §3.2): reset only on an exact match, challenge anything else in window.
  if (f & TcpFlags.Rst) {
    if (tcb.state === "TimeWait") return; // RFC 1337 §3 (TIME-WAIT assassination): ignore RSTs
    if (seg.seq !== tcb.rcvNxt) {
      challengeAck(tcb, now);
      return;
    }
    if (tcb.state === "SynReceived" && tcb.passive) {
      tcb.state = "Closed"; // back to LISTEN: the listener just forgets the half-open connection
      out.events.push({ type: "closed" });
      return;
    }
    const wasOpen = tcb.state !== "Closing" && tcb.state !== "LastAck";
    if (wasOpen) fail(tcb, out, tcb.state === "SynReceived" ? "ECONNREFUSED" : "ECONNRESET");
    else close(tcb, out);
    return;
  }

  // Fourth: SYN in a synchronized state (RFC 5961 §4): challenge ACK, never reset.
  if (f & TcpFlags.Syn) {
    if (tcb.state !== "SynReceived" || seg.seq !== tcb.irs) challengeAck(tcb, now);
    return;
  }

  // Fifth: ACK.
  if (!(f & TcpFlags.Ack)) return;
  if (tcb.state === "SynReceived") {
    if (seqLt(tcb.sndUna, seg.ack) && seqLe(seg.ack, tcb.sndMax)) {
      tcb.state = tcb.finQueued ? "FinWait1" : "Established"; // a CLOSE queued while opening
      tcb.sndWnd = seg.window << tcb.sndShift;
      tcb.maxSndWnd = Math.max(tcb.maxSndWnd, tcb.sndWnd);
      tcb.sndWl1 = seg.seq;
      tcb.sndWl2 = seg.ack;
      out.events.push({ type: "established" });
      if (tcb.keepalive) tcb.keepaliveAt = now + tcb.keepalive.idleMs;
    } else {
      out.segments.push(rstReply(tcb, seg.ack));
      return;
    }
  }
  if (!processAck(tcb, seg, now, out)) return;
  if (isClosed(tcb)) return;

  // Seventh: segment text (ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 only).
  if (tcb.state === "Established" || tcb.state === "FinWait1" || tcb.state === "FinWait2") {
    receiveText(tcb, seg, now, out);
  }
  // Eighth: FIN.
  if (f & TcpFlags.Fin) {
    const finSeq = seqAdd(seg.seq, seg.payload.length);
    if (finSeq === tcb.rcvNxt) receiveFin(tcb, now, out);
    else if (seqGt(finSeq, tcb.rcvNxt) && !tcb.finReceived) {
      tcb.oooFin = finSeq;
      tcb.ackNow = true;
    } else tcb.ackNow = true; // a repeated FIN
  }
}

/** Returns `false` when the segment must be dropped. */
function processAck(tcb: Tcb, seg: TcpRepr, now: number, out: TcpActions): boolean {
  const ack = seg.ack;
  // RFC 5961 §5.2: acceptable ACKs lie in [SND.UNA - MAX.SND.WND, SND.NXT]; others get a challenge ACK.
  if (seqGt(ack, tcb.sndMax) || seqLt(ack, seqAdd(tcb.sndUna, -Math.max(tcb.maxSndWnd, 1)))) {
    challengeAck(tcb, now);
    return false;
  }
  if (tcb.tsOk && seg.options.timestamp && seqLe(seg.seq, tcb.rcvNxt)) tcb.tsRecent = seg.options.timestamp.value; // RFC 7323 §4.3
  const newWindow = seg.window << tcb.sndShift;
  if (seqGt(ack, tcb.sndUna)) {
    const acked = seqDiff(ack, tcb.sndUna);
    const bufAcked = Math.max(0, Math.min(seqDiff(ack, tcb.bufSeq), tcb.sendBuf.length));
    const wasFull = tcb.sendBuf.free === 0;
    tcb.sendBuf.drop(bufAcked);
    tcb.bufSeq = seqAdd(tcb.bufSeq, bufAcked);
    tcb.sndUna = ack;
    if (seqLt(tcb.sndNxt, ack)) tcb.sndNxt = ack;
    // RFC 6298 §3 (Karn): only a never-retransmitted segment yields a sample.
    if (tcb.rttSeq !== undefined && seqGe(ack, tcb.rttSeq)) {
      rttSample(tcb.rtt, now - tcb.rttSentAt, tcb.config);
      tcb.rttSeq = undefined;
    }
    tcb.retries = 0;
    // RFC 6298 §5.2-5.3: stop the timer when all is acknowledged, else restart it.
    tcb.rtoAt = tcb.sndUna === tcb.sndMax ? Infinity : now + tcb.rtt.rtoMs;
    if (onNewAck(tcb, ack, acked) === "retransmit-first") retransmitFirst(tcb, now, out);
    if (bufAcked > 0 && (wasFull || tcb.sendBuf.length === 0 || tcb.sendBuf.free >= tcb.sendBuf.capacity / 2)) {
      out.events.push({ type: "writable" });
    }
  } else if (
    ack === tcb.sndUna &&
    seg.payload.length === 0 &&
    !(seg.flags & (TcpFlags.Syn | TcpFlags.Fin)) &&
    newWindow === tcb.sndWnd &&
    tcb.sndMax !== tcb.sndUna
  ) {
    // RFC 5681 §2: a duplicate ACK.
    if (onDuplicateAck(tcb) === "retransmit-first") retransmitFirst(tcb, now, out);
  }
  // RFC 9293 §3.10.7.4: update the send window from the newest segment only.
  if (seqLt(tcb.sndWl1, seg.seq) || (tcb.sndWl1 === seg.seq && seqLe(tcb.sndWl2, ack))) {
    tcb.sndWnd = newWindow;
    tcb.maxSndWnd = Math.max(tcb.maxSndWnd, newWindow);
    tcb.sndWl1 = seg.seq;
    tcb.sndWl2 = ack;
  }
  const finAcked = tcb.finQueued && tcb.sndUna === seqAdd(dataEnd(tcb), 1);
  switch (tcb.state) {
    case "FinWait1":
      if (finAcked) tcb.state = "FinWait2";
      break;
    case "Closing":
      if (finAcked) enterTimeWait(tcb, now);
      break;
    case "LastAck":
      if (finAcked) close(tcb, out);
      break;
    default:
      break;
  }
  return true;
}

function receiveText(tcb: Tcb, seg: TcpRepr, now: number, out: TcpActions): void {
  let seq = seg.seq;
  let data = seg.payload;
  if (data.length === 0) return;
  // Trim what we already have, and what lies past the window.
  const dup = seqDiff(tcb.rcvNxt, seq);
  if (dup > 0) {
    data = data.subarray(Math.min(dup, data.length));
    seq = tcb.rcvNxt;
  }
  const room = tcb.recvBuf.free - Math.max(0, seqDiff(seq, tcb.rcvNxt));
  if (room <= 0) {
    tcb.ackNow = true;
    return;
  }
  if (data.length > room) data = data.subarray(0, room);
  if (data.length === 0) {
    tcb.ackNow = true;
    return;
  }
  if (seq !== tcb.rcvNxt) {
    // Out of order: keep it (bounded by the window) and send a duplicate ACK at once (RFC 5681 §4.2).
    if (tcb.ooo.length < MAX_OOO_SEGMENTS) {
      tcb.ooo.push({ seq, data: data.slice() });
      tcb.ooo.sort((a, b) => seqDiff(a.seq, b.seq));
    }
    tcb.ackNow = true;
    return;
  }
  tcb.recvBuf.push(data);
  tcb.rcvNxt = seqAdd(tcb.rcvNxt, data.length);
  const hadHoles = tcb.ooo.length > 0;
  while (tcb.ooo.length > 0) {
    const first = tcb.ooo[0]!;
    if (seqGt(first.seq, tcb.rcvNxt)) break;
    tcb.ooo.shift();
    const skip = seqDiff(tcb.rcvNxt, first.seq);
    if (skip < first.data.length) {
      const n = tcb.recvBuf.push(first.data.subarray(skip));
      tcb.rcvNxt = seqAdd(tcb.rcvNxt, n);
    }
  }
  out.events.push({ type: "readable" });
  if (tcb.oooFin !== undefined && tcb.oooFin === tcb.rcvNxt) {
    tcb.oooFin = undefined;
    receiveFin(tcb, now, out);
  }
  // RFC 9293 §3.8.6.3 / RFC 1122 §4.2.3.2: ACK every second full segment, and at once when a hole fills.
  tcb.ackPending++;
  if (hadHoles || tcb.ackPending >= 2) tcb.ackNow = true;
  else if (tcb.ackAt === Infinity) tcb.ackAt = now + tcb.config.delayedAckMs;
}

function receiveFin(tcb: Tcb, now: number, out: TcpActions): void {
  if (tcb.finReceived) {
    tcb.ackNow = true;
    return;
  }
  tcb.finReceived = true;
  tcb.rcvNxt = seqAdd(tcb.rcvNxt, 1);
  tcb.ackNow = true;
  out.events.push({ type: "peer-closed" });
  const finAcked = tcb.finQueued && tcb.sndUna === seqAdd(dataEnd(tcb), 1);
  switch (tcb.state) {
    case "SynReceived":
    case "Established":
      tcb.state = "CloseWait";
      break;
    case "FinWait1":
      if (finAcked) enterTimeWait(tcb, now);
      else tcb.state = "Closing"; // simultaneous close (RFC 9293 §3.6 figure 13)
      break;
    case "FinWait2":
      enterTimeWait(tcb, now);
      break;
    case "TimeWait":
      tcb.timeWaitAt = now + tcb.config.timeWaitMs;
      break;
    default:
      break;
  }
}

function enterTimeWait(tcb: Tcb, now: number): void {
  tcb.state = "TimeWait";
  tcb.timeWaitAt = now + tcb.config.timeWaitMs;
  tcb.rtoAt = Infinity;
  tcb.persistAt = Infinity;
  tcb.keepaliveAt = Infinity;
}

/** RFC 5961 §7: at most `challengeAckPerSecond` challenge ACKs per second. */
function challengeAck(tcb: Tcb, now: number): void {
  if (now - tcb.challengeWindowStart >= 1000) {
    tcb.challengeWindowStart = now;
    tcb.challengeCount = 0;
  }
  if (tcb.challengeCount < tcb.config.challengeAckPerSecond) {
    tcb.challengeCount++;
    tcb.ackNow = true;
  }
}

function rstReply(tcb: Tcb, seq: number): TcpRepr {
  return { sourcePort: tcb.localPort, destinationPort: tcb.remotePort, seq, ack: 0, flags: TcpFlags.Rst, window: 0, urgent: 0, options: {}, payload: new Uint8Array(0) };
}

/** @internal Ends the connection with an error event. */
export function fail(tcb: Tcb, out: TcpActions, code: "ECONNREFUSED" | "ECONNRESET" | "ETIMEDOUT"): void {
  out.events.push({ type: "error", code });
  close(tcb, out);
}

function close(tcb: Tcb, out: TcpActions): void {
  tcb.state = "Closed";
  tcb.rtoAt = tcb.ackAt = tcb.persistAt = tcb.keepaliveAt = tcb.timeWaitAt = Infinity;
  out.events.push({ type: "closed" });
}
