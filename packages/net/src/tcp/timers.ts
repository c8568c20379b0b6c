// TCP layer (@toro/net): what time does to a connection — retransmission timeout with backoff and
// go-back-N (RFC 6298 §5), zero-window probes (persist timer, RFC 9293 §3.8.6.1), delayed ACK,
// keepalive (RFC 1122 §4.2.3.6) and TIME-WAIT expiry. Pure: the caller passes `now` and asks
// {@link tcpNextDeadline} when to call again. Must not import iface/ or socket.
import { TcpFlags } from "../wire/tcp.js";
import { onTimeout } from "./congestion.js";
import { fail } from "./input.js";
import { makeSegment, tcpOutput } from "./output.js";
import { rttBackoff } from "./rtt.js";
import { seqAdd } from "./seq.js";
import { actions, synchronized, type KeepaliveConfig, type TcpActions, type Tcb } from "./tcb.js";

/**
 * Runs every timer that is due and sends what follows.
 *
 * @param tcb - the connection (updated)
 * @param now - current time, ms
 * @returns segments to send and events to report
 * @example
 * ```ts
 * if (now >= tcpNextDeadline(tcb)) emit(tcpTimers(tcb, now));
 * ```
 */
export function tcpTimers(tcb: Tcb, now: number): TcpActions {
  const out = actions();
  if (tcb.state === "Closed") return out;
  if (tcb.state === "TimeWait") {
    if (tcb.timeWaitAt <= now) {
      tcb.state = "Closed";
      tcb.timeWaitAt = Infinity;
      out.events.push({ type: "closed" });
      return out;
    }
    tcb.rtoAt = tcb.persistAt = tcb.ackAt = tcb.keepaliveAt = Infinity;
    return tcpOutput(tcb, now, out);
  }
  if (tcb.rtoAt <= now) {
    tcb.rtoAt = Infinity;
    tcb.retries++;
    const opening = tcb.state === "SynSent" || tcb.state === "SynReceived";
    if (tcb.retries > (opening ? tcb.config.synRetries : tcb.config.maxRetransmits)) {
      if (tcb.state === "SynReceived" && tcb.passive) {
        tcb.state = "Closed"; // a half-open connection that never completed: forget it quietly
        out.events.push({ type: "closed" });
        return out;
      }
      if (synchronized(tcb.state)) out.segments.push(makeSegment(tcb, now, TcpFlags.Rst, tcb.sndMax));
      fail(tcb, out, "ETIMEDOUT");
      return out;
    }
    rttBackoff(tcb.rtt, tcb.config); // RFC 6298 §5.5
    tcb.rttSeq = undefined; // Karn
    if (opening) tcb.sndNxt = tcb.iss;
    else {
      onTimeout(tcb);
      tcb.sndNxt = tcb.sndUna; // RFC 6298 §5.4: retransmit the earliest unacknowledged segment (go-back-N)
    }
  }
  if (tcb.persistAt <= now) {
    // Window probe: an old sequence number elicits an ACK carrying the current window.
    out.segments.push(makeSegment(tcb, now, TcpFlags.Ack, seqAdd(tcb.sndUna, -1)));
    tcb.persistBackoff = Math.min(tcb.persistBackoff + 1, 10);
    tcb.persistAt = now + Math.min(tcb.config.maxRtoMs, tcb.rtt.rtoMs * 2 ** tcb.persistBackoff);
  }
  if (tcb.ackAt <= now) {
    tcb.ackAt = Infinity;
    tcb.ackNow = true;
  }
  const ka = tcb.keepalive;
  if (tcb.keepaliveAt <= now && (!ka || (tcb.state !== "Established" && tcb.state !== "CloseWait"))) {
    tcb.keepaliveAt = Infinity; // RFC 1122 §4.2.3.6 probes only an idle open connection
  }
  if (ka && tcb.keepaliveAt <= now) {
    if (tcb.keepaliveSent >= ka.probes) {
      out.segments.push(makeSegment(tcb, now, TcpFlags.Rst, tcb.sndMax));
      fail(tcb, out, "ETIMEDOUT");
      return out;
    }
    // RFC 1122 §4.2.3.6: SEG.SEQ = SND.NXT-1, no data.
    out.segments.push(makeSegment(tcb, now, TcpFlags.Ack, seqAdd(tcb.sndMax, -1)));
    tcb.keepaliveSent++;
    tcb.keepaliveAt = now + ka.intervalMs;
  }
  return tcpOutput(tcb, now, out);
}

/**
 * When {@link tcpTimers} must next run.
 *
 * @param tcb - the connection
 * @returns an absolute time in ms, or `Infinity` when no timer is armed
 * @example
 * ```ts
 * const wakeAt = Math.min(...tcbs.map(tcpNextDeadline));
 * ```
 */
export function tcpNextDeadline(tcb: Tcb): number {
  if (tcb.state === "Closed") return Infinity;
  if (tcb.ackNow) return -Infinity;
  return Math.min(tcb.rtoAt, tcb.persistAt, tcb.ackAt, tcb.keepaliveAt, tcb.timeWaitAt);
}

/**
 * Turns keepalive on (with its settings) or off.
 *
 * @param tcb - the connection
 * @param keepalive - settings, or `undefined` to turn it off
 * @param now - current time, ms
 * @returns nothing
 * @example
 * ```ts
 * tcpSetKeepalive(tcb, { idleMs: 60_000, intervalMs: 10_000, probes: 5 }, now);
 * ```
 */
export function tcpSetKeepalive(tcb: Tcb, keepalive: KeepaliveConfig | undefined, now: number): void {
  tcb.keepalive = keepalive;
  tcb.keepaliveSent = 0;
  tcb.keepaliveAt = keepalive && synchronized(tcb.state) ? now + keepalive.idleMs : keepalive ? tcb.keepaliveAt : Infinity;
}
