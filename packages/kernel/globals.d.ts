// The globals a Toro image defines (installed by @toro/kernel's runtime before the app runs), for
// type-checking apps. Reference it from an app's tsconfig.json: "types": ["@toro/kernel/globals"]
// (link-image uses it on its own for apps without a tsconfig.json). Declarations only.

interface ToroConsole {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  trace(...data: unknown[]): void;
  assert(condition?: unknown, ...data: unknown[]): void;
  dir(item?: unknown, options?: { depth?: number | null; breakLength?: number }): void;
  table(data: unknown, properties?: readonly string[]): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
  timeLog(label?: string, ...data: unknown[]): void;
  count(label?: string): void;
  countReset(label?: string): void;
  group(...label: unknown[]): void;
  groupCollapsed(...label: unknown[]): void;
  groupEnd(): void;
}

/** A timer handle, as in Node: ref/unref decide whether it keeps the guest alive. */
interface ToroTimeout {
  ref(): this;
  unref(): this;
  hasRef(): boolean;
  refresh(): this;
  close(): this;
  [Symbol.toPrimitive](): number;
}

interface ToroTextEncoder {
  readonly encoding: "utf-8";
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

interface ToroTextDecoder {
  readonly encoding: string;
  readonly fatal: boolean;
  readonly ignoreBOM: boolean;
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string;
}

declare var console: ToroConsole;
declare function setTimeout(callback: (...args: any[]) => void, delayMs?: number, ...args: any[]): ToroTimeout;
declare function setInterval(callback: (...args: any[]) => void, delayMs?: number, ...args: any[]): ToroTimeout;
declare function setImmediate(callback: (...args: any[]) => void, ...args: any[]): ToroTimeout;
declare function clearTimeout(timer: ToroTimeout | number | string | undefined | null): void;
declare function clearInterval(timer: ToroTimeout | number | string | undefined | null): void;
declare function clearImmediate(timer: ToroTimeout | number | string | undefined | null): void;
declare function queueMicrotask(callback: () => void): void;
declare var performance: { readonly timeOrigin: number; now(): number };
declare var TextEncoder: { new (): ToroTextEncoder; prototype: ToroTextEncoder };
declare var TextDecoder: {
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): ToroTextDecoder;
  prototype: ToroTextDecoder;
};
declare var crypto: {
  getRandomValues<T extends Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array>(array: T): T;
  randomUUID(): string;
};
declare var process: {
  readonly argv: string[];
  readonly env: Record<string, string | undefined>;
  readonly platform: "toro";
  exitCode: number | undefined;
  exit(code?: number): never;
  nextTick(callback: (...args: any[]) => void, ...args: any[]): void;
};
