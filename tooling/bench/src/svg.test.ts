import { describe, expect, it } from "vitest";
import { logTicks, renderBootSvg } from "./svg.js";
import { sampleResults } from "./test-fixtures.js";

describe("logTicks", () => {
  it("covers the range in decades", () => {
    expect(logTicks(25, 5500)).toEqual([10, 100, 1000, 10000]);
    expect(logTicks(50, 60)).toEqual([10, 100]);
  });
});

describe("renderBootSvg", () => {
  const cases = sampleResults().boot!.cases;
  const svg = renderBootSvg(cases, "KVM (PVM)");
  it("is one SVG document with a row per target and a dot per sample", () => {
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(cases.reduce((n, c) => n + c.firstLineMs.length, 0));
    expect(svg).toContain("Toro hello (microvm) [KVM (PVM)]");
  });
  it("escapes labels", () => {
    const odd = [{ ...cases[0]!, label: "a <b> & c" }];
    expect(renderBootSvg(odd, "")).toContain("a &lt;b&gt; &amp; c");
  });
  it("places larger times further right", () => {
    const xs = [...svg.matchAll(/<circle cx="([0-9.]+)"/g)].map((m) => Number(m[1]));
    // first sample of the first row is 50 ms, of the last row 5000 ms
    expect(xs[xs.length - 3]!).toBeGreaterThan(xs[0]!);
  });
});
