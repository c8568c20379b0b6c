import { Console } from "node:console";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createConsole, formatTime } from "./console.js";

function capture(now = () => 0) {
  const writes: { fd: 1 | 2; text: string }[] = [];
  const c = createConsole((fd, text) => writes.push({ fd, text }), now);
  return { c, writes };
}

// A real Node console writing into strings, to compare output.
function nodeConsole() {
  let stdout = "";
  let stderr = "";
  const sink = (add: (s: string) => void) => new Writable({ write: (chunk, _enc, done) => (add(String(chunk)), done()) });
  const c = new Console({ stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), colorMode: false });
  return { c, out: () => stdout, err: () => stderr };
}

describe("console", () => {
  it("makes exactly one write per call, to stdout or stderr", () => {
    const { c, writes } = capture();
    c.log("a", { b: [1, 2] });
    c.info("%d items", 3);
    c.debug("d");
    c.warn("w", 1);
    c.error(new Error("e").message);
    expect(writes).toEqual([
      { fd: 1, text: "a { b: [ 1, 2 ] }\n" },
      { fd: 1, text: "3 items\n" },
      { fd: 1, text: "d\n" },
      { fd: 2, text: "w 1\n" },
      { fd: 2, text: "e\n" },
    ]);
  });

  it("prints like Node's console for log, assert, group, count, dir and table", () => {
    const ours = capture();
    const node = nodeConsole();
    for (const k of [ours.c, node.c] as const) {
      k.log("x %s", "y", [1, "two"], new Map([["k", 1]]));
      k.assert(true, "hidden");
      k.assert(false, "failed %d", 1);
      k.assert(false);
      k.group("title");
      k.log("inside\nnext line");
      k.group();
      k.error("deeper");
      k.groupEnd();
      k.groupEnd();
      k.count();
      k.count("x");
      k.count();
      k.countReset();
      k.count();
      k.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });
      k.table([{ a: 1, b: "x" }, { a: 22 }, 5]);
      k.table({ r1: { c: [1, 2, 3, 4] }, r2: { c: { x: 1, y: 2, z: 3 } } });
      k.table([{ a: 1, b: 2 }], ["b"]);
      k.table("not tabular");
    }
    const out = ours.writes.filter((w) => w.fd === 1).map((w) => w.text).join("");
    const err = ours.writes.filter((w) => w.fd === 2).map((w) => w.text).join("");
    expect(out).toBe(node.out());
    expect(err).toBe(node.err());
  });

  it("times with console.time/timeLog/timeEnd and warns on unknown labels", () => {
    let now = 0;
    const { c, writes } = capture(() => now);
    c.time("t");
    now = 1.5;
    c.timeLog("t", "step", 1);
    now = 2500;
    c.timeEnd("t");
    c.timeEnd("t");
    expect(writes).toEqual([
      { fd: 1, text: "t: 1.5ms step 1\n" },
      { fd: 1, text: "t: 2.500s\n" },
      { fd: 2, text: "Warning: No such label 't' for console.timeEnd()\n" },
    ]);
    expect(formatTime(65_000)).toBe("1:05.000 (m:ss.mmm)");
    expect(formatTime(3_725_000)).toBe("1:02:05.000 (h:mm:ss.mmm)");
  });

  it("trace prints 'Trace: message' and stack lines to stderr in one write", () => {
    const { c, writes } = capture();
    c.trace("here", 1);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.fd).toBe(2);
    expect(writes[0]!.text).toMatch(/^Trace: here 1\n {4}at /);
  });
});
