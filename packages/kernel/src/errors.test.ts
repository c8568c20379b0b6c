import { describe, expect, it } from "vitest";
import { ToroError } from "./errors.js";

describe("ToroError", () => {
  it("carries a code, a hint and a cause, and is an Error named ToroError", () => {
    const cause = new Error("root");
    const err = new ToroError("EINVAL", "bad input", { cause, hint: "pass a number" });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: "ToroError", code: "EINVAL", message: "bad input", hint: "pass a number", cause });
    expect(String(err)).toBe("ToroError: bad input");
  });

  it("has no hint or cause when none is given", () => {
    const err = new ToroError("ENOENT", "missing");
    expect(err.hint).toBeUndefined();
    expect("cause" in err).toBe(false);
    expect("hint" in err).toBe(false);
  });
});
