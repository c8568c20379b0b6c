// Connection layer of @toro/http: one HTTP/1.1 connection — reads request heads and bodies from the
// byte stream, calls the handler, writes responses strictly in request order (pipelined requests wait
// in the input queue: RFC 9112 §9.3.2), keeps the connection alive or closes it (§9.3, §9.6), and
// enforces the limits and the idle and read timeouts with the injected timers. Never throws out:
// every failure ends as a status response, a close or a destroy. Imports only sibling modules.
import { ToroError } from "@toro/kernel";
import { latin1Bytes } from "./ascii.js";
import { ByteQueue } from "./byte-queue.js";
import { parseChunkSize } from "./chunked.js";
import { requestFraming, type BodyFraming } from "./framing.js";
import type { HttpLimits } from "./limits.js";
import { parseRequestHead, type RequestHead } from "./request-head.js";
import { Request } from "./request.js";
import { Response } from "./response.js";
import { writeResponse, type WriteOutcome } from "./response-writer.js";
import type { ByteStream } from "./transport.js";

/**
 * One-shot timers, injected so that tests run in virtual time and the server never reads a global.
 *
 * @example
 * ```ts
 * const timers: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as never) };
 * ```
 */
export interface Timers {
  /** Calls `fn` once after `delayMs`; returns a handle for `clearTimeout`. */
  setTimeout(fn: () => void, delayMs: number): unknown;
  /** Cancels a timer. */
  clearTimeout(handle: unknown): void;
}

/**
 * A request handler: fetch-style, a {@link Request} in and a {@link Response} (or its promise) out.
 *
 * @example
 * ```ts
 * const handler: Handler = (req) => new Response(`hello from ${req.path}\n`);
 * ```
 */
export type Handler = (request: Request) => Response | Promise<Response>;

/** @internal What a connection needs from its server. */
export interface ConnectionConfig {
  readonly handler: Handler;
  readonly limits: HttpLimits;
  readonly timers: Timers;
  readonly idleTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly date: () => string | undefined;
  readonly onError: (error: unknown) => void;
}

/** A malformed or oversized request body, found while the handler reads it. */
class BodyError extends ToroError {
  constructor(
    readonly status: 400 | 408 | 413,
    message: string,
  ) {
    super(status === 413 ? "EFBIG" : "EPROTO", message);
  }
}

type HeadRead = { kind: "head"; head: RequestHead } | { kind: "eof" } | { kind: "error"; status: number; reason: string };

const CONTINUE = latin1Bytes("HTTP/1.1 100 Continue\r\n\r\n");
const BODY_PIECE_BYTES = 64 * 1024;

/** @internal Serves one byte stream until it closes. */
export class Connection {
  /** Waiting for the first byte of a request (safe to close at once for a graceful shutdown). */
  private idle = true;
  private draining = false;
  private finished = false;
  private paused = false;
  private readonly input = new ByteQueue();
  private readonly highWater: number;

  constructor(
    private readonly stream: ByteStream,
    private readonly config: ConnectionConfig,
  ) {
    const l = config.limits;
    this.highWater = l.maxRequestLineBytes + l.maxHeaderBytes + BODY_PIECE_BYTES;
    stream.onData((chunk) => {
      this.input.push(chunk);
      if (this.input.length > this.highWater && !this.paused && stream.pause) {
        this.paused = true;
        stream.pause();
      }
    });
    stream.onEnd(() => this.input.end());
  }

  /** Serves requests until the connection ends; never rejects. */
  async run(): Promise<void> {
    try {
      await this.loop();
    } catch {
      // Only the transport fails here (a write to a peer that went away): drop the connection.
      this.destroy();
    }
    this.finished = true;
  }

  /** Graceful close: finish the request in progress (answered with `Connection: close`), then close. */
  shutdown(): void {
    this.draining = true;
    if (this.idle && this.input.length === 0) this.input.wake();
  }

  /** Closes at once. */
  destroy(): void {
    if (this.finished) return;
    this.finished = true;
    this.input.end();
    this.stream.destroy();
  }

  private async loop(): Promise<void> {
    for (;;) {
      const read = await this.readHead();
      if (this.finished) return;
      if (read.kind === "eof") return this.stream.end();
      if (read.kind === "error") return this.fail(read.status, read.reason, 1);
      const head = read.head;
      const framing = requestFraming(head, this.config.limits);
      if (!framing.ok) return this.fail(framing.status, framing.reason, head.minorVersion);

      const body = this.bodyReader(framing.body, framing.expectContinue);
      const request = new Request(head.method, head.target, {
        headers: head.fields,
        body: body.iterable,
        httpVersion: head.minorVersion === 0 ? "1.0" : "1.1",
      });
      let response: Response;
      try {
        const r: unknown = await this.config.handler(request);
        if (!(r instanceof Response)) throw new ToroError("EINVAL", "the handler did not return a Response");
        response = r;
      } catch (error) {
        if (error instanceof BodyError) return this.fail(error.status, error.message, head.minorVersion);
        this.config.onError(error);
        response = new Response("internal server error\n", { status: 500 });
      }
      // A client waiting for 100 Continue that never got it may or may not send the body: close.
      const keepAlive = framing.keepAlive && !this.draining && !body.failed() && !(framing.expectContinue && !body.started());
      const outcome: WriteOutcome = await writeResponse(this.stream, response, {
        head: head.method === "HEAD",
        minorVersion: head.minorVersion,
        keepAlive,
        date: this.config.date(),
      });
      if (outcome === "abort") return this.destroy();
      if (outcome === "close" || !keepAlive) return this.stream.end();
      // Unread body bytes stand between us and the next request: read and drop them.
      try {
        for await (const _ of body.iterable) void _;
      } catch {
        return this.stream.end();
      }
    }
  }

  private async fail(status: number, reason: string, minorVersion: 0 | 1): Promise<void> {
    const res = new Response(`${reason}\n`, { status });
    await writeResponse(this.stream, res, { head: false, minorVersion, keepAlive: false, date: this.config.date() });
    this.stream.end();
  }

  private resumeIfLow(): void {
    if (this.paused && this.input.length <= this.highWater / 2) {
      this.paused = false;
      this.stream.resume?.();
    }
  }

  /** Waits for more input with a timeout; returns false when it timed out. */
  private async waitInput(timeoutMs: number): Promise<boolean> {
    this.resumeIfLow();
    let timedOut = false;
    const t = this.config.timers.setTimeout(() => {
      timedOut = true;
      this.input.wake();
    }, timeoutMs);
    await this.input.wait();
    this.config.timers.clearTimeout(t);
    return !timedOut;
  }

  private async readHead(): Promise<HeadRead> {
    this.idle = true;
    for (;;) {
      if (this.input.length > 0) {
        this.idle = false;
        const r = parseRequestHead(this.input.contiguous(), this.config.limits);
        if (r.kind === "complete") {
          this.input.consume(r.length);
          this.resumeIfLow();
          return { kind: "head", head: r.head };
        }
        if (r.kind === "error") return r;
      }
      // A partial request cut by the peer's close gets no answer (there is no one to read it).
      if (this.input.ended || this.finished) return { kind: "eof" };
      if (this.draining && this.input.length === 0) return { kind: "eof" };
      const waiting = this.input.length === 0;
      const arrived = await this.waitInput(waiting ? this.config.idleTimeoutMs : this.config.requestTimeoutMs);
      if (!arrived && !this.input.ended) {
        // RFC 9110 §15.5.9: 408 for a request that did not arrive in time; an idle connection just closes.
        return this.input.length === 0 ? { kind: "eof" } : { kind: "error", status: 408, reason: "request head not received in time" };
      }
    }
  }

  /** The request body as a pull-based iterable (reading it twice gives the rest, then nothing). */
  private bodyReader(framing: BodyFraming, expectContinue: boolean): { iterable: AsyncIterable<Uint8Array>; started: () => boolean; failed: () => boolean } {
    let started = false;
    let done = framing.kind === "none";
    let remaining = framing.kind === "length" ? framing.length : 0;
    let chunkLeft = 0; // chunked: bytes left in the current chunk
    let chunkState: "size" | "data" | "data-crlf" | "trailer" = "size";
    let total = 0;
    const limits = this.config.limits;

    let failure: BodyError | undefined;
    const fail = (status: 400 | 408 | 413, message: string): never => {
      failure = new BodyError(status, message);
      throw failure;
    };
    // Waits for at least one more byte (when `always`, even if some are queued).
    const more = async (always: boolean): Promise<void> => {
      if (!always && this.input.length > 0) return;
      if (this.input.ended || this.finished) fail(400, "request body cut short");
      const before = this.input.length;
      if (!(await this.waitInput(this.config.requestTimeoutMs)) && this.input.length === before) fail(408, "request body not received in time");
    };
    const readLine = async (): Promise<Uint8Array> => {
      for (;;) {
        const lf = this.input.indexOfLf(limits.maxChunkLineBytes + 2);
        if (lf >= 0) {
          const line = this.input.takeExactly(lf + 1);
          return line.subarray(0, line.length - (line.length >= 2 && line[line.length - 2] === 0x0d ? 2 : 1));
        }
        if (this.input.length > limits.maxChunkLineBytes + 1) fail(400, "chunk line too long");
        await more(true);
      }
    };

    const next = async (): Promise<IteratorResult<Uint8Array>> => {
      if (!started) {
        started = true;
        if (expectContinue && !done) await this.stream.write(CONTINUE); // RFC 9110 §10.1.1
      }
      if (failure) throw failure;
      if (done) return { value: undefined, done: true };
      if (framing.kind === "length") {
        await more(false);
        const piece = this.input.take(Math.min(remaining, BODY_PIECE_BYTES));
        remaining -= piece.length;
        if (remaining === 0) done = true;
        this.resumeIfLow();
        return { value: piece, done: false };
      }
      // Chunked (RFC 9112 §7.1): size line, data, CRLF ... last-chunk, trailer section, CRLF.
      for (;;) {
        if (chunkState === "size") {
          const size = parseChunkSize(await readLine());
          if (size === undefined) return fail(400, "malformed chunk size");
          if (size === 0) {
            chunkState = "trailer";
            continue;
          }
          if (total + size > limits.maxBodyBytes) return fail(413, "body larger than the limit");
          total += size;
          chunkLeft = size;
          chunkState = "data";
        } else if (chunkState === "data") {
          await more(false);
          const piece = this.input.take(Math.min(chunkLeft, BODY_PIECE_BYTES));
          chunkLeft -= piece.length;
          if (chunkLeft === 0) chunkState = "data-crlf";
          this.resumeIfLow();
          return { value: piece, done: false };
        } else if (chunkState === "data-crlf") {
          if ((await readLine()).length !== 0) fail(400, "chunk data longer than its size");
          chunkState = "size";
        } else {
          // Trailer fields are read and dropped (RFC 9112 §7.1.2), bounded like a chunk line each.
          let trailerBytes = 0;
          for (;;) {
            const line = await readLine();
            if (line.length === 0) break;
            trailerBytes += line.length + 2;
            if (trailerBytes > limits.maxChunkLineBytes) fail(400, "trailer section too large");
          }
          done = true;
          return { value: undefined, done: true };
        }
      }
    };
    return {
      iterable: { [Symbol.asyncIterator]: () => ({ next }) },
      started: () => started,
      failed: () => failure !== undefined,
    };
  }
}
