// Bench harness (@toro/bench), pure: parsers of what the I/O cases' outside tools print — wrk's
// summary, GNU dd's final statistics line, and the `fs-bench:` line of the fs-bench image-test
// fixture — into plain numbers. No I/O, no imports; unit-tested with captured outputs.

/** What one wrk run reported. */
export interface WrkSummary {
  requestsPerSecond: number;
  /** Completed requests over the run. */
  requests: number;
  durationSeconds: number;
  /** Responses that were not 2xx or 3xx. */
  non2xx: number;
  /** connect + read + write + timeout errors. */
  socketErrors: number;
  /** wrk's mean latency in ms, if printed. */
  latencyMeanMs?: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/**
 * Parses wrk 4's text summary.
 *
 * @returns the figures, or an Error naming what is missing
 */
export function parseWrkOutput(text: string): WrkSummary | Error {
  const rps = /Requests\/sec:\s+([0-9.]+)/.exec(text);
  const total = /([0-9]+) requests in ([0-9.]+)(us|ms|s|m),/.exec(text);
  if (rps === null || total === null) return new Error(`no wrk summary in: ${text.trim().split("\n").slice(-3).join(" | ").slice(0, 200)}`);
  const non2xx = /Non-2xx or 3xx responses:\s+([0-9]+)/.exec(text);
  const socket = /Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)/.exec(text);
  const latency = /Latency\s+([0-9.]+)(us|ms|s|m)\b/.exec(text);
  const summary: WrkSummary = {
    requestsPerSecond: Number(rps[1]),
    requests: Number(total[1]),
    durationSeconds: (Number(total[2]) * UNIT_MS[total[3]!]!) / 1000,
    non2xx: non2xx === null ? 0 : Number(non2xx[1]),
    socketErrors: socket === null ? 0 : socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0),
  };
  if (latency !== null) summary.latencyMeanMs = Number(latency[1]) * UNIT_MS[latency[2]!]!;
  return summary;
}

/** Bytes and seconds of one dd run. */
export interface DdSummary {
  bytes: number;
  seconds: number;
  /** 10^6 bytes per second, computed from bytes and seconds (not dd's rounded, unit-varying figure). */
  mbPerSecond: number;
}

/**
 * Parses GNU dd's last statistics line, e.g.
 * `67108864 bytes (67 MB, 64 MiB) copied, 0.123 s, 546 MB/s` (also with a comma as decimal mark).
 */
export function parseDdOutput(stderr: string): DdSummary | Error {
  const m = /([0-9]+) bytes .*copied, ([0-9]+(?:[.,][0-9]+)?(?:e-?[0-9]+)?) s/.exec(stderr);
  if (m === null) return new Error(`no dd statistics in: ${stderr.trim().slice(-200)}`);
  const bytes = Number(m[1]);
  const seconds = Number(m[2]!.replace(",", "."));
  if (!(seconds > 0)) return new Error(`dd reported ${m[2]} s`);
  return { bytes, seconds, mbPerSecond: bytes / 1e6 / seconds };
}

/** The figures of the fs-bench fixture's throughput line. */
export interface FsBenchSummary {
  writeMBs: number;
  readMBs: number;
  /** e.g. "fat32, 32 MiB file, 256 KiB requests, 64 MiB disk". */
  detail: string;
}

/**
 * Finds `fs-bench: seq-write W MB/s, seq-read R MB/s (detail)` in a console transcript.
 *
 * @returns the figures, an Error carrying the fixture's FAIL line, or an Error when nothing matched
 */
export function parseFsBenchOutput(output: string): FsBenchSummary | Error {
  const fail = /fs-bench: FAIL[^\n]*/.exec(output);
  if (fail !== null) return new Error(fail[0].trim());
  const m = /fs-bench: seq-write ([0-9.]+) MB\/s, seq-read ([0-9.]+) MB\/s \(([^)\n]*)\)/.exec(output);
  if (m === null) return new Error("no fs-bench throughput line");
  return { writeMBs: Number(m[1]), readMBs: Number(m[2]), detail: m[3]! };
}
