// Bench harness (@toro/bench), the edge that loads network servers: finds a free 127.0.0.1 port, runs
// `wrk` (through timed-process, so it is always stopped; optionally wrapped, e.g. in `ip netns exec`
// for the tap path) and parses its summary, and moves a fixed number of bytes through a TCP echo
// server with a Node `net` client, checking every byte that comes back. From this process it talks to
// 127.0.0.1 only; src/net-client.ts reuses echoBulk inside the tap path's namespace. Must not import
// the renderers.
import { createServer, connect } from "node:net";
import { performance } from "node:perf_hooks";
import { timedRun } from "./timed-process.js";
import { parseWrkOutput, type WrkSummary } from "./tool-output.js";

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port"))));
    });
  });
}

/** wrk's settings, the same for every server of a run. */
export interface WrkSettings {
  threads: number;
  connections: number;
  seconds: number;
}

/** The wrk command line for `url` (keep-alive is wrk's default: each connection is reused). */
export function wrkArgs(url: string, s: WrkSettings): string[] {
  return [`-t${s.threads}`, `-c${s.connections}`, `-d${s.seconds}s`, "--timeout", "10s", url];
}

/** Turns a command line into the one that runs it elsewhere (e.g. inside a network namespace). */
export type CommandWrap = (command: string, args: string[]) => { command: string; args: string[] };

/** Runs wrk once (through `wrap` when given); rejects when wrk is missing or prints no summary. */
export async function runWrk(url: string, s: WrkSettings, wrap?: CommandWrap): Promise<WrkSummary> {
  const { command, args } = wrap === undefined ? { command: "wrk", args: wrkArgs(url, s) } : wrap("wrk", wrkArgs(url, s));
  const run = await timedRun({ command, args, match: "\u0000never\u0000", timeoutMs: (s.seconds + 30) * 1000 });
  const parsed = parseWrkOutput(run.output);
  if (parsed instanceof Error) throw new Error(`wrk ${url}: ${parsed.message}${run.stderr.trim() === "" ? "" : ` (${run.stderr.trim().slice(0, 200)})`}`);
  return parsed;
}

// The byte stream the echo client sends: a 64,256-byte period (251 × 256) so chunk edges drift.
const PERIOD = 251 * 256;
const PATTERN = Buffer.from(Array.from({ length: PERIOD }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

/**
 * Sends `totalBytes` to an echo server at `host`:`port` while reading the echo back, and checks
 * every byte returned.
 *
 * @returns seconds from connect to the last byte back, and MB/s (10^6 bytes) of payload echoed
 */
export function echoBulk(port: number, totalBytes: number, timeoutMs: number, host = "127.0.0.1"): Promise<{ seconds: number; mbPerSecond: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host });
    socket.setNoDelay(true);
    let sent = 0;
    let received = 0;
    let started = 0;
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error !== null) reject(error);
      else {
        const seconds = (performance.now() - started) / 1000;
        resolve({ seconds, mbPerSecond: totalBytes / 1e6 / seconds });
      }
    };
    const timer = setTimeout(() => finish(new Error(`echo: ${received} of ${totalBytes} bytes back after ${timeoutMs} ms`)), timeoutMs);
    const pump = (): void => {
      while (sent < totalBytes) {
        const offset = sent % PERIOD;
        const n = Math.min(PERIOD - offset, totalBytes - sent);
        sent += n;
        if (!socket.write(PATTERN.subarray(offset, offset + n))) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    socket.on("connect", () => {
      started = performance.now();
      pump();
    });
    socket.on("data", (chunk: Buffer) => {
      let at = 0;
      while (at < chunk.length) {
        const offset = (received + at) % PERIOD;
        const n = Math.min(PERIOD - offset, chunk.length - at);
        if (!chunk.subarray(at, at + n).equals(PATTERN.subarray(offset, offset + n))) {
          finish(new Error(`echo: byte stream differs near offset ${received + at}`));
          return;
        }
        at += n;
      }
      received += chunk.length;
      if (received > totalBytes) finish(new Error(`echo: ${received} bytes back, more than the ${totalBytes} sent`));
      else if (received === totalBytes) finish(null);
    });
    socket.on("error", (e) => finish(e));
    socket.on("close", () => finish(new Error(`echo: connection closed after ${received} of ${totalBytes} bytes`)));
  });
}
