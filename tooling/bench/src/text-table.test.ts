import { describe, expect, it } from "vitest";
import { renderTextTable } from "./text-table.js";

describe("renderTextTable", () => {
  it("aligns columns left and right and appends notes", () => {
    const text = renderTextTable({
      title: "T",
      headers: ["name", "ms"],
      align: ["l", "r"],
      rows: [["a", "1"], ["long name", "100"]],
      notes: ["why"],
    });
    expect(text).toBe(["T", "name        ms", "---------  ---", "a            1", "long name  100", "  * why"].join("\n"));
  });
});
