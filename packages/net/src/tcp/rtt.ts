// TCP layer (@toro/net): the retransmission timer per RFC 6298 (SRTT/RTTVAR, clock granularity G,
// minimum RTO, exponential backoff). Karn's rule (RFC 6298 §3) lives with the caller: it only samples
// segments that were never retransmitted. Pure values, no I/O. Imports nothing.

/** Retransmission-timer state of one connection. */
export interface RttState {
  /** Smoothed RTT in ms, undefined before the first sample. */
  srttMs: number | undefined;
  /** RTT variation in ms. */
  rttvarMs: number;
  /** The current RTO in ms (backed off when the timer fires). */
  rtoMs: number;
}

/** Bounds of the retransmission timeout. */
export interface RtoBounds {
  /** RFC 6298 §2.4: at least 1 s (Linux uses 200 ms). */
  readonly minRtoMs: number;
  /** RFC 6298 §2.5: at least 60 s. */
  readonly maxRtoMs: number;
  /** RFC 6298 §2.1: 1 s. */
  readonly initialRtoMs: number;
}

const ALPHA = 1 / 8;
const BETA = 1 / 4;
const K = 4;
const G = 1; // clock granularity, ms

/**
 * A fresh estimator (RFC 6298 §2.1).
 *
 * @param bounds - RTO bounds
 * @returns state with RTO = initial RTO
 * @example
 * ```ts
 * const rtt = newRtt({ minRtoMs: 1000, maxRtoMs: 60000, initialRtoMs: 1000 });
 * ```
 */
export function newRtt(bounds: RtoBounds): RttState {
  return { srttMs: undefined, rttvarMs: 0, rtoMs: bounds.initialRtoMs };
}

/**
 * Folds one RTT measurement in (RFC 6298 §2.2-2.3) and recomputes the RTO.
 *
 * @param s - state (updated in place)
 * @param rttMs - the measured round-trip time
 * @param bounds - RTO bounds
 * @returns `s`
 * @example
 * ```ts
 * rttSample(rtt, 120, bounds).rtoMs; // 1000 with a 1 s floor
 * ```
 */
export function rttSample(s: RttState, rttMs: number, bounds: RtoBounds): RttState {
  const r = Math.max(0, rttMs);
  if (s.srttMs === undefined) {
    s.srttMs = r;
    s.rttvarMs = r / 2;
  } else {
    s.rttvarMs = (1 - BETA) * s.rttvarMs + BETA * Math.abs(s.srttMs - r);
    s.srttMs = (1 - ALPHA) * s.srttMs + ALPHA * r;
  }
  s.rtoMs = clampRto(s.srttMs + Math.max(G, K * s.rttvarMs), bounds);
  return s;
}

/**
 * Doubles the RTO after a timeout (RFC 6298 §5.5), up to the maximum.
 *
 * @param s - state (updated in place)
 * @param bounds - RTO bounds
 * @returns `s`
 * @example
 * ```ts
 * rttBackoff(rtt, bounds).rtoMs; // 2000 after 1000
 * ```
 */
export function rttBackoff(s: RttState, bounds: RtoBounds): RttState {
  s.rtoMs = clampRto(s.rtoMs * 2, bounds);
  return s;
}

function clampRto(ms: number, b: RtoBounds): number {
  return Math.min(b.maxRtoMs, Math.max(b.minRtoMs, ms));
}
