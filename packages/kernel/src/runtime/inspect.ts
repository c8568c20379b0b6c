// Runtime layer (runs inside the image): `inspect`, a value printer that follows Node's
// util.inspect (v20, colors off) for the common cases, so console output looks the same in the
// image and on Node. Pure: imports nothing and touches no global state. The structure mirrors
// Node's lib/internal/util/inspect.js (formatValue -> formatRaw -> reduceToSingleString) because
// its line-breaking decisions depend on the exact order in which it measures things.

/** Options of `inspect`, a subset of Node's `util.inspect` options. */
export interface InspectOptions {
  /** How deep to recurse into objects; `null` for no limit. Default 2. */
  depth?: number | null;
  /** Entries are put on one line while the line stays within this length. Default 80. */
  breakLength?: number;
  /** How many inner levels may be joined on one line. Default 3. */
  compact?: number;
  /** Most array/Set/Map entries shown. Default 100. */
  maxArrayLength?: number;
  /** Most characters of a string shown. Default 10000. */
  maxStringLength?: number;
  /** Whether to call `[Symbol.for("nodejs.util.inspect.custom")]` methods. Default true. */
  customInspect?: boolean;
}

interface Context {
  depth: number;
  breakLength: number;
  compact: number;
  maxArrayLength: number;
  maxStringLength: number;
  customInspect: boolean;
  seen: unknown[];
  circular: Map<unknown, number> | undefined;
  indentationLvl: number;
  currentDepth: number;
}

const CUSTOM = Symbol.for("nodejs.util.inspect.custom");
// Property kinds, as in Node: an index entry of an array prints without its key.
const OBJECT = 0;
const ARRAY = 1;
const ARRAY_EXTRAS = 2;

const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayTag = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag)!.get!;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, "size")!.get!;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, "size")!.get!;
const bufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")!.get!;
const { hasOwnProperty, propertyIsEnumerable, toString: objectToString } = Object.prototype;

/**
 * Formats any value the way Node's `util.inspect` does (colors off), e.g. `{ a: 1, b: 'x' }`,
 * `Map(1) { 'a' => 1 }`, `[ 1, 2, 3 ]`, `<ref *1> { self: [Circular *1] }`. Errors print their
 * stack. A promise's state cannot be read in QuickJS, so promises print `Promise { <unknown> }`.
 *
 * @param value - anything
 * @param options - depth, breakLength, compact, maxArrayLength, maxStringLength, customInspect
 * @returns the text, possibly on several lines
 * @example
 * ```ts
 * inspect({ a: [1, 2], s: "x" }); // "{ a: [ 1, 2 ], s: 'x' }"
 * inspect("top"); // "'top'"
 * ```
 */
export function inspect(value: unknown, options: InspectOptions = {}): string {
  const depth = options.depth === null ? Infinity : (options.depth ?? 2);
  const ctx: Context = {
    depth,
    breakLength: options.breakLength ?? 80,
    compact: options.compact ?? 3,
    maxArrayLength: Math.max(0, options.maxArrayLength ?? 100),
    maxStringLength: Math.max(0, options.maxStringLength ?? 10000),
    customInspect: options.customInspect ?? true,
    seen: [],
    circular: undefined,
    indentationLvl: 0,
    currentDepth: 0,
  };
  return formatValue(ctx, value, 0);
}

function formatValue(ctx: Context, value: unknown, recurseTimes: number): string {
  if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(ctx, value);
  if (value === null) return "null";
  const obj = value as Record<PropertyKey, unknown>;
  if (ctx.customInspect) {
    const custom = obj[CUSTOM];
    if (typeof custom === "function" && custom !== inspect && !isPrototypeOfItsConstructor(obj)) {
      const opts = { depth: ctx.depth - recurseTimes, breakLength: ctx.breakLength, compact: ctx.compact };
      const result: unknown = custom.call(obj, ctx.depth - recurseTimes, opts, inspect);
      if (result !== obj) {
        if (typeof result !== "string") return formatValue(ctx, result, recurseTimes);
        return result.split("\n").join(`\n${" ".repeat(ctx.indentationLvl)}`);
      }
    }
  }
  if (ctx.seen.includes(obj)) {
    ctx.circular ??= new Map();
    let index = ctx.circular.get(obj);
    if (index === undefined) {
      index = ctx.circular.size + 1;
      ctx.circular.set(obj, index);
    }
    return `[Circular *${index}]`;
  }
  return formatRaw(ctx, obj, recurseTimes);
}

function isPrototypeOfItsConstructor(obj: Record<PropertyKey, unknown>): boolean {
  const ctor = obj.constructor as { prototype?: unknown } | undefined;
  return ctor != null && ctor.prototype === obj;
}

type Formatter = (ctx: Context, value: any, recurseTimes: number) => string[];

function formatRaw(ctx: Context, value: Record<PropertyKey, unknown>, recurseTimes: number): string {
  const constructor = constructorName(value);
  let tag = value[Symbol.toStringTag];
  // Only show a tag that is not an own enumerable property (else it would print twice).
  if (typeof tag !== "string" || (tag !== "" && propertyIsEnumerable.call(value, Symbol.toStringTag))) tag = "";
  const t = tag as string;
  let base = "";
  let formatter: Formatter = () => [];
  let braces: [string, string] = ["{", "}"];
  let extrasType = OBJECT;
  let keys: PropertyKey[];

  const typedName = ArrayBuffer.isView(value) ? (typedArrayTag.call(value) as string | undefined) : undefined;
  if (Array.isArray(value)) {
    const prefix = constructor !== "Array" || t !== "" ? prefixOf(constructor, t, "Array", `(${value.length})`) : "";
    keys = ownKeys(value).filter((k) => !isIndex(k));
    braces = [`${prefix}[`, "]"];
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
    extrasType = ARRAY_EXTRAS;
    formatter = formatArray;
  } else if (typedName !== undefined) {
    const typed = value as unknown as ArrayLike<number | bigint>;
    keys = ownKeys(value).filter((k) => !isIndex(k));
    braces = [`${prefixOf(constructor, t, typedName, `(${typed.length})`)}[`, "]"];
    if (typed.length === 0 && keys.length === 0) return `${braces[0]}]`;
    formatter = formatTypedArray;
    extrasType = ARRAY_EXTRAS;
  } else if (brand(setSize, value)) {
    const prefix = prefixOf(constructor, t, "Set", `(${setSize.call(value)})`);
    keys = ownKeys(value);
    if (setSize.call(value) === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, "}"];
    formatter = formatSet;
  } else if (brand(mapSize, value)) {
    const prefix = prefixOf(constructor, t, "Map", `(${mapSize.call(value)})`);
    keys = ownKeys(value);
    if (mapSize.call(value) === 0 && keys.length === 0) return `${prefix}{}`;
    braces = [`${prefix}{`, "}"];
    formatter = formatMap;
  } else {
    keys = ownKeys(value);
    if (typeof value === "function") {
      base = functionBase(value, constructor, t);
      if (keys.length === 0) return base;
    } else if (constructor === "Object") {
      if (t !== "") braces[0] = `${prefixOf(constructor, t, "Object")}{`;
      if (keys.length === 0) return `${braces[0]}}`;
    } else if (value instanceof RegExp) {
      base = RegExp.prototype.toString.call(value);
      const prefix = prefixOf(constructor, t, "RegExp");
      if (prefix !== "RegExp ") base = prefix + base;
      if (keys.length === 0 || recurseTimes > ctx.depth) return base;
    } else if (value instanceof Date) {
      const time = value.getTime();
      base = Number.isNaN(time) ? "Invalid Date" : value.toISOString();
      if (keys.length === 0) return base;
    } else if (isError(value)) {
      base = formatError(ctx, value as unknown as Error, keys);
      if (keys.length === 0) return base;
    } else if (brand(bufferLength, value)) {
      braces[0] = `${prefixOf(constructor, t, "ArrayBuffer")}{`;
      keys.unshift("byteLength");
      formatter = formatArrayBuffer;
    } else if (value instanceof Promise) {
      braces[0] = `${prefixOf(constructor, t, "Promise")}{`;
      // QuickJS offers no way to read a promise's state synchronously.
      formatter = () => ["<unknown>"];
    } else if (value instanceof WeakMap || value instanceof WeakSet) {
      braces[0] = `${prefixOf(constructor, t, value instanceof WeakMap ? "WeakMap" : "WeakSet")}{`;
      formatter = () => ["<items unknown>"];
    } else {
      if (keys.length === 0) return `${prefixOf(constructor, t, "Object")}{}`;
      braces[0] = `${prefixOf(constructor, t, "Object")}{`;
    }
  }

  if (recurseTimes > ctx.depth) {
    const name = prefixOf(constructor, t, "Object").slice(0, -1);
    return constructor !== null ? `[${name}]` : name;
  }
  recurseTimes += 1;
  ctx.seen.push(value);
  ctx.currentDepth = recurseTimes;
  const output = formatter(ctx, value, recurseTimes);
  for (const key of keys) output.push(formatProperty(ctx, value, recurseTimes, key, extrasType));
  const index = ctx.circular?.get(value);
  if (index !== undefined) base = base === "" ? `<ref *${index}>` : `<ref *${index}> ${base}`;
  ctx.seen.pop();
  return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
}

function brand(getter: () => unknown, value: unknown): boolean {
  // Calling a built-in getter on the wrong kind of object throws: a brand check that, unlike
  // instanceof or toStringTag, cannot be fooled.
  try {
    getter.call(value);
    return true;
  } catch {
    return false;
  }
}

function isError(value: object): boolean {
  return value instanceof Error || objectToString.call(value) === "[object Error]";
}

function isIndex(key: PropertyKey): boolean {
  return typeof key === "string" && /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

function ownKeys(value: object): PropertyKey[] {
  const keys: PropertyKey[] = Object.keys(value);
  for (const s of Object.getOwnPropertySymbols(value)) if (propertyIsEnumerable.call(value, s)) keys.push(s);
  return keys;
}

function constructorName(obj: object): string | null {
  let proto: object | null = obj;
  let first = true;
  while (proto !== null) {
    const desc = Object.getOwnPropertyDescriptor(proto, "constructor");
    const ctor = desc?.value as unknown;
    if (typeof ctor === "function" && ctor.name !== "" && isInstance(obj, ctor)) return String(ctor.name);
    proto = Object.getPrototypeOf(proto) as object | null;
    if (first && proto === null) return null;
    first = false;
  }
  return "Object";
}

function isInstance(obj: object, ctor: Function): boolean {
  try {
    return obj instanceof ctor;
  } catch {
    return false;
  }
}

function prefixOf(constructor: string | null, tag: string, fallback: string, size = ""): string {
  if (constructor === null) {
    if (tag !== "" && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== "" && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function functionBase(fn: Function, constructor: string | null, tag: string): string {
  let source = "";
  try {
    source = Function.prototype.toString.call(fn);
  } catch {}
  if (source.startsWith("class") && source.endsWith("}")) {
    const name = (hasOwnProperty.call(fn, "name") && (fn.name as string)) || "(anonymous)";
    let base = `class ${name}`;
    if (constructor !== "Function" && constructor !== null) base += ` [${constructor}]`;
    if (tag !== "" && constructor !== tag) base += ` [${tag}]`;
    if (constructor !== null) {
      const superName = (Object.getPrototypeOf(fn) as Function).name;
      if (superName) base += ` extends ${superName}`;
    } else base += " extends [null prototype]";
    return `[${base}]`;
  }
  // AsyncFunction, GeneratorFunction, AsyncGeneratorFunction name themselves through their constructor.
  const type = constructor !== null && /^(Async)?(Generator)?Function$/.test(constructor) ? constructor : "Function";
  let base = `[${type}`;
  if (constructor === null) base += " (null prototype)";
  base += fn.name === "" ? " (anonymous)" : `: ${fn.name}`;
  base += "]";
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== "" && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function formatError(ctx: Context, err: Error, keys: PropertyKey[]): string {
  const head = safeErrorHeader(err);
  const rawStack = typeof err.stack === "string" ? err.stack : "";
  // V8 stacks start with "Name: message"; QuickJS stacks are only the "    at ..." lines.
  let stack = rawStack === "" ? head : rawStack.startsWith("    at") ? `${head}\n${rawStack}` : rawStack;
  stack = stack.replace(/\n+$/, "");
  for (const name of ["name", "message", "stack"]) {
    const i = keys.indexOf(name);
    const v = (err as unknown as Record<string, unknown>)[name];
    if (i !== -1 && (typeof v !== "string" || stack.includes(v))) keys.splice(i, 1);
  }
  if ("cause" in err && !keys.includes("cause")) keys.push("cause");
  const message = typeof err.message === "string" ? err.message : "";
  let pos = (message && stack.indexOf(message)) || -1;
  if (pos !== -1) pos += message.length;
  if (stack.indexOf("\n    at", pos) === -1) stack = `[${stack}]`;
  if (ctx.indentationLvl !== 0) stack = stack.split("\n").join(`\n${" ".repeat(ctx.indentationLvl)}`);
  return stack;
}

function safeErrorHeader(err: Error): string {
  try {
    return Error.prototype.toString.call(err);
  } catch {
    return "Error";
  }
}

function formatArray(ctx: Context, value: unknown[], recurseTimes: number): string[] {
  const length = value.length;
  const max = Math.min(ctx.maxArrayLength, length);
  const output: string[] = [];
  let holes = 0;
  let i = 0;
  for (; i < length && output.length < max; i++) {
    if (!hasOwnProperty.call(value, i)) {
      holes++;
      continue;
    }
    if (holes > 0) {
      output.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
      holes = 0;
      if (output.length >= max) break;
    }
    output.push(formatProperty(ctx, value, recurseTimes, i, ARRAY));
  }
  if (holes > 0) output.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
  const remaining = length - i;
  if (remaining > 0) output.push(moreItems(remaining));
  return output;
}

function moreItems(remaining: number): string {
  return `... ${remaining} more item${remaining > 1 ? "s" : ""}`;
}

function formatTypedArray(ctx: Context, value: ArrayLike<number | bigint>): string[] {
  const max = Math.min(ctx.maxArrayLength, value.length);
  const output: string[] = [];
  for (let i = 0; i < max; i++) output.push(formatPrimitive(ctx, value[i]));
  if (value.length > max) output.push(moreItems(value.length - max));
  return output;
}

function formatArrayBuffer(ctx: Context, value: ArrayBuffer): string[] {
  const bytes = new Uint8Array(value);
  const max = Math.min(ctx.maxArrayLength, bytes.length);
  let hex = "";
  for (let i = 0; i < max; i++) hex += (i === 0 ? "" : " ") + (bytes[i]! < 16 ? "0" : "") + bytes[i]!.toString(16);
  const remaining = bytes.length - max;
  if (remaining > 0) hex += ` ... ${remaining} more byte${remaining > 1 ? "s" : ""}`;
  return [`[Uint8Contents]: <${hex}>`];
}

function formatSet(ctx: Context, value: Set<unknown>, recurseTimes: number): string[] {
  const max = Math.min(ctx.maxArrayLength, value.size);
  const output: string[] = [];
  ctx.indentationLvl += 2;
  for (const v of value) {
    if (output.length >= max) break;
    output.push(formatValue(ctx, v, recurseTimes));
  }
  if (value.size > max) output.push(moreItems(value.size - max));
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(ctx: Context, value: Map<unknown, unknown>, recurseTimes: number): string[] {
  const max = Math.min(ctx.maxArrayLength, value.size);
  const output: string[] = [];
  ctx.indentationLvl += 2;
  for (const [k, v] of value) {
    if (output.length >= max) break;
    output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
  }
  if (value.size > max) output.push(moreItems(value.size - max));
  ctx.indentationLvl -= 2;
  return output;
}

function formatProperty(ctx: Context, value: object, recurseTimes: number, key: PropertyKey, type: number): string {
  const desc = Object.getOwnPropertyDescriptor(value, key) ?? {
    value: (value as Record<PropertyKey, unknown>)[key],
    enumerable: true,
  };
  let str: string;
  if (desc.value !== undefined) {
    ctx.indentationLvl += 2;
    str = formatValue(ctx, desc.value, recurseTimes);
    ctx.indentationLvl -= 2;
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? "[Getter/Setter]" : "[Getter]";
  } else if (desc.set !== undefined) {
    str = "[Setter]";
  } else {
    str = "undefined";
  }
  if (type === ARRAY) return str;
  let name: string;
  if (typeof key === "symbol") name = `[${escapeControl(key.toString())}]`;
  else if (key === "__proto__") name = "['__proto__']";
  else if (desc.enumerable === false) name = `[${escapeControl(String(key))}]`;
  else if (/^[a-zA-Z_][a-zA-Z_0-9]*$/.test(String(key))) name = String(key);
  else name = quote(String(key));
  return `${name}: ${str}`;
}

function reduceToSingleString(
  ctx: Context,
  output: string[],
  base: string,
  braces: [string, string],
  extrasType: number,
  recurseTimes: number,
  value: unknown,
): string {
  const entries = output.length;
  if (extrasType === ARRAY_EXTRAS && entries > 6) output = groupArrayElements(ctx, output, value as ArrayLike<unknown>);
  if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
    // Node's heuristic: 10 stands for the other things that may shorten the line.
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
    if (isBelowBreakLength(ctx, output, start, base)) {
      const joined = output.join(", ");
      if (!joined.includes("\n")) return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
  return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

function isBelowBreakLength(ctx: Context, output: string[], start: number, base: string): boolean {
  let total = output.length + start;
  if (total + output.length > ctx.breakLength) return false;
  for (const entry of output) {
    total += entry.length;
    if (total > ctx.breakLength) return false;
  }
  return base === "" || !base.includes("\n");
}

// Lays out many short array entries in aligned columns, as Node does (numbers right-aligned).
function groupArrayElements(ctx: Context, output: string[], value: ArrayLike<unknown>): string[] {
  let totalLength = 0;
  let maxLength = 0;
  let outputLength = output.length;
  // The "... more items" entry does not take part in the grid.
  if (ctx.maxArrayLength < output.length) outputLength--;
  const separatorSpace = 2;
  const dataLen: number[] = [];
  for (let i = 0; i < outputLength; i++) {
    const len = output[i]!.length;
    dataLen.push(len);
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;
    const maxLineLength: number[] = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLen[j]! > lineLength) lineLength = dataLen[j]!;
      maxLineLength.push(lineLength + separatorSpace);
    }
    let padStart = true;
    for (let i = 0; i < output.length; i++) {
      if (typeof value[i] !== "number" && typeof value[i] !== "bigint") {
        padStart = false;
        break;
      }
    }
    const grouped: string[] = [];
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let str = "";
      let j = i;
      for (; j < max - 1; j++) {
        const cell = `${output[j]}, `;
        str += padStart ? cell.padStart(maxLineLength[j - i]!) : cell.padEnd(maxLineLength[j - i]!);
      }
      str += padStart ? output[j]!.padStart(maxLineLength[j - i]! - separatorSpace) : output[j]!;
      grouped.push(str);
    }
    if (ctx.maxArrayLength < output.length) grouped.push(output[outputLength]!);
    return grouped;
  }
  return output;
}

function formatPrimitive(ctx: Context, value: unknown): string {
  switch (typeof value) {
    case "string": {
      let s = value;
      let trailer = "";
      if (s.length > ctx.maxStringLength) {
        const remaining = s.length - ctx.maxStringLength;
        s = s.slice(0, ctx.maxStringLength);
        trailer = `... ${remaining} more character${remaining > 1 ? "s" : ""}`;
      }
      // Long strings break after their newlines into '...' + '...' lines.
      if (s.length > 16 && s.length > ctx.breakLength - ctx.indentationLvl - 4) {
        const lines = s.split(/(?<=\n)/);
        return lines.map(quote).join(` +\n${" ".repeat(ctx.indentationLvl + 2)}`) + trailer;
      }
      return quote(s) + trailer;
    }
    case "number":
      return formatNumber(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
    default:
      return String(value);
  }
}

/**
 * A number as Node prints it: like `String(n)`, except `-0`.
 *
 * @param n - the number
 * @returns its text
 * @example
 * ```ts
 * formatNumber(-0); // "-0"
 * ```
 */
export function formatNumber(n: number): string {
  return Object.is(n, -0) ? "-0" : `${n}`;
}

// Escapes for C0 controls, DEL and C1 controls; lone surrogates become \uXXXX (lowercase, as Node).
function escapeChar(code: number): string {
  switch (code) {
    case 8:
      return "\\b";
    case 9:
      return "\\t";
    case 10:
      return "\\n";
    case 12:
      return "\\f";
    case 13:
      return "\\r";
    case 92:
      return "\\\\";
  }
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code < 16 ? "0" : ""}${code.toString(16).toUpperCase()}`;
  return `\\u${code.toString(16)}`;
}

function escape(s: string, quoteCode: number): string {
  let out = "";
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c === quoteCode) esc = `\\${s[i]}`;
    else if (c === 92 || c < 0x20 || (c >= 0x7f && c <= 0x9f)) esc = escapeChar(c);
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      esc = escapeChar(c);
    }
    if (esc !== undefined) {
      out += s.slice(last, i) + esc;
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

function escapeControl(s: string): string {
  return escape(s, -1);
}

// Node's quote choice: ' unless the string contains one; then " if free, else ` if free.
function quote(s: string): string {
  let q = "'";
  if (s.includes("'")) {
    if (!s.includes('"')) q = '"';
    else if (!s.includes("`") && !s.includes("${")) q = "`";
  }
  return q + escape(s, q.charCodeAt(0)) + q;
}
