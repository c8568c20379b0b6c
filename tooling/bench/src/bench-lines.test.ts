import { describe, expect, it } from "vitest";
import { parseBenchOutput } from "./bench-lines.js";

describe("parseBenchOutput", () => {
  it("collects samples per metric in order, with units, and sees the end", () => {
    const out = [
      "toro: booting",
      "BENCH yield.rounds=14193 unit=count",
      "BENCH yield.switch_ns=4836.0 unit=ns switches=28388",
      "BENCH yield.switch_ns=4736.5 unit=ns switches=28388\r",
      "BENCH cores.speedup=1.05e0 unit=x",
      "BENCH done",
    ].join("\n");
    const r = parseBenchOutput(out);
    expect(r.done).toBe(true);
    expect(r.error).toBeUndefined();
    expect(r.metrics["yield.switch_ns"]).toEqual({ unit: "ns", samples: [4836, 4736.5] });
    expect(r.metrics["yield.rounds"]).toEqual({ unit: "count", samples: [14193] });
    expect(r.metrics["cores.speedup"]?.samples).toEqual([1.05]);
  });
  it("ignores malformed lines and a second unit for the same metric", () => {
    const r = parseBenchOutput("BENCH x=abc unit=ns\nBENCH y=1 unit=ms\nBENCH y=2 unit=s\nBENCH z=3\nBENCHz=1 unit=a\n");
    expect(Object.keys(r.metrics)).toEqual(["y"]);
    expect(r.metrics["y"]).toEqual({ unit: "ms", samples: [1] });
    expect(r.done).toBe(false);
  });
  it("reports the workload's error and a missing end", () => {
    const r = parseBenchOutput("BENCH a=1 unit=x\nBENCH error: results differ: 1,2 vs 3,4\n");
    expect(r.error).toBe("results differ: 1,2 vs 3,4");
    expect(r.done).toBe(false);
    expect(r.metrics["a"]?.samples).toEqual([1]);
  });
});
