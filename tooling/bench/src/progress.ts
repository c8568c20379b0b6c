// Bench harness (@toro/bench), the progress display on stderr: one status line rewritten in place
// on a terminal, plain lines otherwise (CI logs). Writes to the stream it is given; no other I/O.

/** Where progress goes (process.stderr, or a fake in tests). */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A status line with elapsed time. */
export class Progress {
  private readonly started = Date.now();
  private shown = false;

  constructor(private readonly sink: ProgressSink = process.stderr) {}

  /** Replaces the status line (a new line when not on a terminal). */
  status(text: string): void {
    const line = `[bench ${this.elapsed()}] ${text}`;
    if (this.sink.isTTY === true) {
      this.sink.write(`\r\x1b[2K${line.slice(0, 160)}`);
      this.shown = true;
    } else {
      this.sink.write(`${line}\n`);
    }
  }

  /** A line that stays (a result, a warning). */
  note(text: string): void {
    this.clear();
    this.sink.write(`[bench ${this.elapsed()}] ${text}\n`);
  }

  /** Erases the status line before normal output. */
  clear(): void {
    if (this.shown) this.sink.write("\r\x1b[2K");
    this.shown = false;
  }

  private elapsed(): string {
    const s = Math.round((Date.now() - this.started) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }
}
