// Runtime layer (runs inside the image): the `console` global over a write function. Every console
// call makes exactly one write (serial output is costly per call under emulated ring 0). Pure: the
// writer and the clock are parameters. Imports format, inspect and console-table.
import { renderTable } from "./console-table.js";
import { format } from "./format.js";
import { inspect, type InspectOptions } from "./inspect.js";

/** The subset of Node's `console` the image provides. */
export interface ToroConsole {
  log(...args: unknown[]): void;
  info(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  trace(...args: unknown[]): void;
  assert(condition?: unknown, ...args: unknown[]): void;
  dir(value: unknown, options?: InspectOptions): void;
  table(data: unknown, properties?: readonly string[]): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
  timeLog(label?: string, ...args: unknown[]): void;
  count(label?: string): void;
  countReset(label?: string): void;
  group(...args: unknown[]): void;
  groupCollapsed(...args: unknown[]): void;
  groupEnd(): void;
}

/**
 * Builds a console: log, info, debug, dir, table, time and count go to fd 1, warn/error/trace/assert to fd
 * 2, formatted as Node formats them.
 *
 * @returns the console object
 */
export function createConsole(write: (fd: 1 | 2, text: string) => void, now: () => number): ToroConsole {
  let indent = "";
  const timers = new Map<string, number>();
  const counts = new Map<string, number>();
  const out = (fd: 1 | 2, text: string) => {
    if (indent !== "") text = indent + text.split("\n").join(`\n${indent}`);
    write(fd, `${text}\n`);
  };
  const log = (...args: unknown[]) => out(1, format(...args));
  const error = (...args: unknown[]) => out(2, format(...args));
  const elapsed = (label: string, method: string): string | undefined => {
    const start = timers.get(label);
    if (start === undefined) {
      out(2, `Warning: No such label '${label}' for console.${method}()`);
      return undefined;
    }
    return `${label}: ${formatTime(now() - start)}`;
  };
  const group = (...args: unknown[]) => {
    if (args.length > 0) log(...args);
    indent += "  ";
  };
  return {
    log,
    info: log,
    debug: log,
    warn: error,
    error,
    trace(...args) {
      // QuickJS stacks are only "    at" lines; V8 ones start with a header line to drop.
      const stack = (new Error().stack ?? "").split("\n").filter((l) => l.startsWith("    at"));
      out(2, [`Trace${args.length > 0 ? `: ${format(...args)}` : ""}`, ...stack.slice(1)].join("\n"));
    },
    assert(condition, ...args) {
      if (condition) return;
      if (typeof args[0] === "string") args[0] = `Assertion failed: ${args[0]}`;
      else args.unshift("Assertion failed");
      error(...args);
    },
    dir: (value, options) => out(1, inspect(value, { customInspect: false, ...options })),
    table(data, properties) {
      if (data === null || typeof data !== "object") log(data);
      else out(1, renderTable(data, properties));
    },
    time(label = "default") {
      label = `${label}`;
      if (timers.has(label)) out(2, `Warning: Label '${label}' already exists for console.time()`);
      else timers.set(label, now());
    },
    timeEnd(label = "default") {
      label = `${label}`;
      const text = elapsed(label, "timeEnd");
      if (text === undefined) return;
      timers.delete(label);
      out(1, text);
    },
    timeLog(label = "default", ...args) {
      label = `${label}`;
      const text = elapsed(label, "timeLog");
      if (text !== undefined) out(1, args.length > 0 ? `${text} ${format(...args)}` : text);
    },
    count(label = "default") {
      label = `${label}`;
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      out(1, `${label}: ${n}`);
    },
    countReset(label = "default") {
      label = `${label}`;
      if (counts.has(label)) counts.set(label, 0);
      else out(2, `Warning: Count for '${label}' does not exist`);
    },
    group,
    groupCollapsed: group,
    groupEnd() {
      indent = indent.slice(2);
    },
  };
}

/**
 * A duration as Node's console.timeEnd prints it: `1.234ms`, `2.500s`, `1:05.000 (m:ss.mmm)`.
 *
 * @returns the text
 */
export function formatTime(ms: number): string {
  let hours = 0;
  let minutes = 0;
  let seconds = 0;
  if (ms >= 1000) {
    if (ms >= 60_000) {
      if (ms >= 3_600_000) {
        hours = Math.floor(ms / 3_600_000);
        ms %= 3_600_000;
      }
      minutes = Math.floor(ms / 60_000);
      ms %= 60_000;
    }
    seconds = ms / 1000;
  }
  if (hours !== 0 || minutes !== 0) {
    const [s, frac] = seconds.toFixed(3).split(".");
    const pad = (n: number | string) => `${n}`.padStart(2, "0");
    const lead = hours !== 0 ? `${hours}:${pad(minutes)}` : `${minutes}`;
    return `${lead}:${pad(s!)}.${frac} (${hours !== 0 ? "h:m" : ""}m:ss.mmm)`;
  }
  if (seconds !== 0) return `${seconds.toFixed(3)}s`;
  return `${Number(ms.toFixed(3))}ms`;
}
