import { describe, expect, it } from "vitest";
import { formatFatalError } from "./error-report.js";

describe("formatFatalError", () => {
  it("prints an uncaught exception as 'Uncaught ' + the error and its QuickJS stack", () => {
    const err = Object.assign(new Error("boom"), { stack: "    at f (main.js:12)\n    at <eval> (main.js:20)\n" });
    expect(formatFatalError(err, "uncaughtException")).toBe("Uncaught Error: boom\n    at f (main.js:12)\n    at <eval> (main.js:20)\n");
  });

  it("marks rejections and explains non-Error reasons", () => {
    const err = Object.assign(new RangeError("bad"), { stack: "", code: "E" });
    expect(formatFatalError(err, "unhandledRejection")).toBe("Uncaught (in promise) [RangeError: bad] { code: 'E' }\n");
    const text = formatFatalError("just a string", "unhandledRejection");
    expect(text.split("\n")[0]).toBe("Uncaught (in promise) 'just a string'");
    expect(text).toContain("non-Error value");
    expect(formatFatalError(42, "uncaughtException")).toBe("Uncaught 42\n");
  });

  it("never throws, even for values whose printing throws", () => {
    const hostile = new Proxy({}, { getOwnPropertyDescriptor: () => { throw new Error("no"); }, ownKeys: () => { throw new Error("no"); } });
    expect(() => formatFatalError(hostile, "uncaughtException")).not.toThrow();
  });
});
