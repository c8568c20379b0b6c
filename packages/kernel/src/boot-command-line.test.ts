import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBootCommandLine } from "./boot-command-line.js";

describe("parseBootCommandLine", () => {
  it("splits flags, key=value pairs, quoted values and args after --", () => {
    const { options, args } = parseBootCommandLine('  debug port=8080 motd="hello  world" empty= "quoted key=a b" -- x "y z" --  ');
    expect({ ...options }).toEqual({ debug: true, port: "8080", motd: "hello  world", empty: "", "quoted key": "a b" });
    expect(args).toEqual(["x", "y z", "--"]);
  });

  it("treats a quoted -- as a flag, ignores words without a key, lets the last value win", () => {
    const { options, args } = parseBootCommandLine('"--" =x a=1 a=2 tab\tsep');
    expect({ ...options }).toEqual({ "--": true, a: "2", tab: true, sep: true });
    expect(args).toEqual([]);
  });

  it("keeps __proto__ as a plain key (no prototype pollution)", () => {
    const { options } = parseBootCommandLine("__proto__=x constructor");
    expect(options.__proto__).toBe("x");
    expect(options.constructor).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("parses the empty line and an unterminated quote", () => {
    expect(parseBootCommandLine("")).toEqual({ args: [], options: {} });
    expect({ ...parseBootCommandLine('a="open quote').options }).toEqual({ a: "open quote" });
  });

  it("never throws and only returns strings and true", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (line) => {
        const { options, args } = parseBootCommandLine(line);
        expect(args.every((a) => typeof a === "string")).toBe(true);
        for (const v of Object.values(options)) expect(v === true || typeof v === "string").toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("round-trips key=value lists (values quoted when they hold spaces)", () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,11}$/);
    const value = fc.string({ maxLength: 20 }).filter((v) => !v.includes('"'));
    fc.assert(
      fc.property(fc.dictionary(key, value), fc.array(fc.stringMatching(/^[^\s"]+$/), { maxLength: 4 }), (pairs, words) => {
        const line = [
          ...Object.entries(pairs).map(([k, v]) => (/[\s=]|^$/.test(v) ? `${k}="${v}"` : `${k}=${v}`)),
          ...(words.length > 0 ? ["--", ...words] : []),
        ].join(" ");
        const parsed = parseBootCommandLine(line);
        expect({ ...parsed.options }).toEqual(pairs);
        expect(parsed.args).toEqual(words);
      }),
      { numRuns: 500 },
    );
  });
});
