// TCP layer (@toro/net): congestion control — slow start and congestion avoidance (RFC 5681 §3.1),
// fast retransmit / fast recovery with NewReno's partial-ACK handling (RFC 6582 §3.2), and the loss
// window after a timeout (RFC 5681 §3.1 eq. 4). Updates the TCB only; the caller sends. Must not
// import iface/ or socket.
import { seqDiff, seqGe } from "./seq.js";
import type { Tcb } from "./tcb.js";

/** @internal What the caller must do after an ACK was folded in. */
export type CongestionVerdict = "none" | "retransmit-first";

function flight(tcb: Tcb): number {
  return seqDiff(tcb.sndMax, tcb.sndUna);
}

/** @internal An ACK that advanced SND.UNA by `acked` bytes; `ack` is its value (already applied). */
export function onNewAck(tcb: Tcb, ack: number, acked: number): CongestionVerdict {
  const mss = tcb.sendMss;
  if (tcb.inRecovery) {
    if (seqGe(ack, tcb.recover)) {
      // RFC 6582 §3.2 step 3 full acknowledgment: deflate to min(ssthresh, FlightSize + SMSS).
      tcb.cwnd = Math.min(tcb.ssthresh, Math.max(flight(tcb), 0) + mss);
      tcb.inRecovery = false;
      tcb.dupAcks = 0;
      return "none";
    }
    // Partial acknowledgment: retransmit the next hole, deflate by the amount acked, add back one SMSS.
    tcb.cwnd = Math.max(mss, tcb.cwnd - acked + (acked >= mss ? mss : 0));
    return "retransmit-first";
  }
  tcb.dupAcks = 0;
  if (tcb.cwnd < tcb.ssthresh) tcb.cwnd += Math.min(acked, mss); // slow start (RFC 5681 §3.1, RFC 3465 L=1)
  else tcb.cwnd += Math.max(1, Math.floor((mss * mss) / tcb.cwnd)); // congestion avoidance
  return "none";
}

/** @internal A duplicate ACK (RFC 5681 §2 definition, checked by the caller). */
export function onDuplicateAck(tcb: Tcb): CongestionVerdict {
  const mss = tcb.sendMss;
  tcb.dupAcks++;
  if (tcb.inRecovery) {
    tcb.cwnd += mss; // RFC 6582 §3.2 step 4: inflate
    return "none";
  }
  if (tcb.dupAcks === 3 && seqDiff(tcb.sndUna, tcb.recover) >= 0) {
    // RFC 6582 §3.2 step 2: enter fast recovery only for a new loss episode.
    tcb.ssthresh = Math.max(Math.floor(flight(tcb) / 2), 2 * mss);
    tcb.recover = tcb.sndMax;
    tcb.inRecovery = true;
    tcb.cwnd = tcb.ssthresh + 3 * mss;
    return "retransmit-first";
  }
  return "none";
}

/** @internal The retransmission timer fired (RFC 5681 §3.1 eq. 4, RFC 6582 §4). */
export function onTimeout(tcb: Tcb): void {
  tcb.ssthresh = Math.max(Math.floor(flight(tcb) / 2), 2 * tcb.sendMss);
  tcb.cwnd = tcb.sendMss;
  tcb.recover = tcb.sndMax;
  tcb.inRecovery = false;
  tcb.dupAcks = 0;
}
