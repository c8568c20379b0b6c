// Runtime layer (runs inside the image): `format`, Node's util.format — printf-style placeholders
// followed by the remaining arguments, inspected. Pure; imports only inspect.ts.
import { formatNumber, inspect } from "./inspect.js";

// Constructors whose toString is the engine's own: `%s` inspects such objects instead of calling it.
const BUILT_IN = new Set(["Object", "Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "Array", "Date", "RegExp", "Map", "Set", "Promise", "Function"]);

/**
 * Formats arguments the way Node's `util.format` (and so `console.log`) does: if the first argument
 * is a string, its `%s %d %i %f %j %o %O %c %%` placeholders consume the next arguments; the rest
 * are appended, separated by spaces — strings as they are, anything else through `inspect`.
 *
 * @param args - the values to format
 * @returns one string
 * @example
 * ```ts
 * format("%s has %d items", "cart", 3, { a: 1 }); // "cart has 3 items { a: 1 }"
 * ```
 */
export function format(...args: unknown[]): string {
  const first = args[0];
  let a = 0;
  let str = "";
  let join = "";
  if (typeof first === "string") {
    if (args.length === 1) return first;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37 /* % */) continue;
      const next = first.charCodeAt(++i);
      if (a + 1 !== args.length) {
        let text: string;
        switch (next) {
          case 115: // s
            text = formatS(args[++a]);
            break;
          case 106: // j
            text = stringify(args[++a]);
            break;
          case 100: // d
            text = formatD(args[++a], Number);
            break;
          case 105: // i
            text = formatD(args[++a], (v) => parseInt(v as string));
            break;
          case 102: {
            // f
            const v = args[++a];
            text = typeof v === "symbol" ? "NaN" : formatNumber(parseFloat(v as string));
            break;
          }
          case 79: // O
            text = inspect(args[++a]);
            break;
          case 111: // o (Node also shows hidden properties; we show what we can, 4 deep)
            text = inspect(args[++a], { depth: 4 });
            break;
          case 99: // c: CSS, meaningless on a serial console
            a++;
            text = "";
            break;
          case 37: // %%
            str += first.slice(lastPos, i);
            lastPos = i + 1;
            continue;
          default:
            continue;
        }
        if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
        str += text;
        lastPos = i + 1;
      } else if (next === 37) {
        str += first.slice(lastPos, i);
        lastPos = i + 1;
      }
    }
    if (lastPos !== 0) {
      a++;
      join = " ";
      if (lastPos < first.length) str += first.slice(lastPos);
    }
  }
  for (; a < args.length; a++) {
    const value = args[a];
    str += join + (typeof value === "string" ? value : inspect(value));
    join = " ";
  }
  return str;
}

function formatS(v: unknown): string {
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v !== "object" || v === null || !hasBuiltInToString(v)) return String(v);
  return inspect(v, { depth: 0 });
}

function formatD(v: unknown, toNumber: (v: unknown) => number): string {
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "symbol") return "NaN";
  return formatNumber(toNumber(v));
}

function hasBuiltInToString(value: object): boolean {
  if (typeof (value as { toString?: unknown }).toString !== "function") return true;
  if (Object.prototype.hasOwnProperty.call(value, "toString")) return false;
  let pointer: object | null = value;
  do pointer = Object.getPrototypeOf(pointer) as object | null;
  while (pointer !== null && !Object.prototype.hasOwnProperty.call(pointer, "toString"));
  const ctor = pointer === null ? undefined : (Object.getOwnPropertyDescriptor(pointer, "constructor")?.value as unknown);
  return typeof ctor === "function" && BUILT_IN.has(ctor.name);
}

function stringify(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch (err) {
    // Node prints '[Circular]' for circular structures and rethrows anything else.
    if (err instanceof TypeError && /circular/i.test(err.message)) return "[Circular]";
    throw err;
  }
}
