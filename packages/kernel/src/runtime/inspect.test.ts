import util from "node:util";
import { describe, expect, it } from "vitest";
import { format } from "./format.js";
import { inspect } from "./inspect.js";

class Point {
  constructor(
    public x = 1,
    public y = 2,
  ) {}
}
class Point3 extends Point {}
const circular: Record<string, unknown> = { name: "c", list: [] };
(circular.list as unknown[]).push({ parent: circular }, new Map([["me", circular]]));
const withStack = (err: Error, stack: string) => Object.assign(err, { stack });

// Every value here prints exactly as Node's util.inspect prints it.
const SAME_AS_NODE: [string, unknown][] = [
  ["string", "it's"],
  ["string with both quotes", `a"b'c`],
  ["escapes", "tab\there\nnl \x01 \x7f \x85 \\ lone \ud800"],
  ["long multi-line string", `${"x".repeat(90)}\nsecond line`],
  ["numbers", [0, -0, 1.5, NaN, -Infinity]],
  ["bigint", 12n],
  ["symbol", Symbol("tag")],
  ["undefined and null", [undefined, null]],
  ["booleans", { t: true, f: false }],
  ["named function", function named() {}],
  ["arrow", () => {}],
  ["async function", async function work() {}],
  ["class", Point],
  ["subclass", Point3],
  ["function with props", Object.assign(function f() {}, { a: 1 })],
  ["empty array", []],
  ["array", [1, 2, 3]],
  ["sparse array", [1, , 3]],
  ["object", { a: 1, b: "x" }],
  ["empty object", {}],
  ["quoted keys and symbols", { "a-b": 1, [Symbol("s")]: 2, __proto__x: 3 }],
  ["nesting beyond depth 2", { a: { b: { c: { d: 1 } } }, arr: [[[["deep"]]]] }],
  ["circular", circular],
  ["map", new Map<unknown, unknown>([["a", 1], [{ k: 1 }, [1, 2]]])],
  ["set", new Set([1, "x", { y: 2 }])],
  ["empty map and set", [new Map(), new Set()]],
  ["date", new Date(Date.UTC(2024, 1, 29, 12, 30))],
  ["invalid date", new Date(NaN)],
  ["regexp", /ab+c/gi],
  ["class instance", new Point()],
  ["null prototype", Object.assign(Object.create(null), { a: 1 })],
  ["typed arrays", [new Uint8Array([1, 2, 3]), new Float64Array([1.5, -0]), new BigInt64Array(2)]],
  ["array buffer", new Uint8Array([1, 2, 255]).buffer],
  ["long array", Array.from({ length: 120 }, (_, i) => i)],
  ["grouped numbers", Array.from({ length: 30 }, (_, i) => i * 100)],
  ["grouped strings", Array.from({ length: 12 }, (_, i) => `item${i}`)],
  ["line breaking", { level1: { other: "y".repeat(42), arr: [1, 2] }, more: ["aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb"] }],
  ["getters and setters", { get g() { return 1; }, set s(_v: number) {}, get gs() { return 1; }, set gs(_v: number) {} }],
  ["error without frames", withStack(new Error("boom"), "Error: boom")],
  ["error with frames and props", Object.assign(withStack(new Error("e"), "Error: e\n    at f (main.js:1)"), { code: "X" })],
  ["nested error", { e: withStack(new TypeError("n"), "TypeError: n\n    at f (a.js:1)\n    at g (a.js:2)") }],
  ["error with cause", withStack(new Error("outer", { cause: "inner" }), "Error: outer\n    at x (main.js:1)")],
  ["weak map", new WeakMap()],
  ["custom inspect", { [Symbol.for("nodejs.util.inspect.custom")]: () => "CUSTOM" }],
  ["toStringTag", { [Symbol.toStringTag]: "Tagged", a: 1 }],
];

describe("inspect", () => {
  it.each(SAME_AS_NODE)("prints %s like Node", (_name, value) => {
    expect(inspect(value)).toBe(util.inspect(value));
  });

  it("honours depth and breakLength like Node", () => {
    const value = { a: { b: { c: { d: { e: 1 } } } }, list: ["x".repeat(30), "y".repeat(30)] };
    for (const options of [{ depth: 0 }, { depth: 4 }, { depth: null }, { breakLength: 40 }, { breakLength: Infinity }]) {
      expect(inspect(value, options)).toBe(util.inspect(value, options));
    }
  });

  it("prints QuickJS errors (stack without a header line) as Node prints V8 ones", () => {
    const err = withStack(new Error("qq"), "    at f (main.js:3)\n    at <eval> (main.js:9)\n");
    expect(inspect(err)).toBe("Error: qq\n    at f (main.js:3)\n    at <eval> (main.js:9)");
  });

  it("says a promise's state is unknown (QuickJS cannot read it)", () => {
    expect(inspect(Promise.resolve(1))).toBe("Promise { <unknown> }");
  });
});

describe("format", () => {
  const CASES: unknown[][] = [
    ["%s=%d", "a", 1.5],
    ["%i %f %j", "42.9x", "3.5", { a: [1] }],
    ["%O %%", { b: 2 }],
    ["%o", { a: 1 }],
    ["a", 1, "b", { c: 3 }],
    ["%c styled", "color: red"],
    ["100%", 5],
    ["%s", { toString: () => "custom" }],
    ["%s %s", [1, 2], new Error("x").message],
    ["%d %i", -0, 12n],
    ["%s", null, undefined],
    ["missing %s %d"],
    ["%j", (() => { const o: Record<string, unknown> = {}; o.o = o; return o; })()],
    [{ not: "a format" }, "%s"],
    ["%x unknown", 1],
  ];
  it.each(CASES.map((c) => [JSON.stringify(c.map(String)), c] as const))("formats %s like Node", (_name, args) => {
    expect(format(...args)).toBe(util.format(...args));
  });
});
