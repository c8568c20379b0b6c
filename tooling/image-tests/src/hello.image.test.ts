// apps/hello linked and booted for real, on both machine types: greeting, real work, the boot command
// line, time to main, exit status 0.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { boot, link, repoRoot } from "./boot.js";

let image: string;
beforeAll(async () => {
  image = await link(join(repoRoot, "apps/hello"));
}, 120_000);

describe.each(["microvm", "q35"] as const)("apps/hello on %s", (machine) => {
  it("prints its greeting and results, reads the command line, exits 0", async () => {
    const r = await boot(image, { machine, cmdline: "name=tester mode=ci" });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain("Hello from Toro! This TypeScript program is the kernel.");
    expect(r.output).toContain("primes below 100,000: 9592");
    expect(r.output).toContain('fnv1a("toro") = 328f2177');
    expect(r.output).toContain('boot command line: "name=tester mode=ci"');
    expect(r.output).toContain("hello, tester!");
    const toMain = /guest time from first instruction to main: ([\d.]+) ms/.exec(r.output);
    expect(toMain).not.toBeNull();
    expect(Number(toMain![1])).toBeGreaterThan(0);
  }, 120_000);
});
