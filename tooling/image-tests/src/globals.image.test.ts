// The globals behave as in Node: the same program (fixtures/globals) runs under Node and in the image,
// under KVM and TCG, and must print exactly the same lines in the same order.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { boot, fixture, link } from "./boot.js";

let image: string;
let nodeOutput: string;

beforeAll(async () => {
  image = await link(fixture("globals"));
  const bundle = await build({
    entryPoints: [join(fixture("globals"), "src/main.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
  });
  // Node writes console.error to stderr; the image has one serial line for both.
  const node = spawnSync(process.execPath, ["--input-type=module", "-e", bundle.outputFiles[0]!.text], { encoding: "utf8" });
  if (node.status !== 0) throw new Error(`the fixture failed under Node: ${node.stderr}`);
  nodeOutput = node.stdout + node.stderr;
}, 120_000);

describe.each(["kvm", "tcg"] as const)("globals under %s", (accel) => {
  it("print the same lines as Node, in the same order", async () => {
    const r = await boot(image, { accel });
    expect(r.exitCode).toBe(0);
    const lines = (s: string) => s.replace(/\r/g, "").split("\n").filter((l) => l !== "");
    // stdout and stderr share the serial line in the image: compare stderr's line apart.
    const imageLines = lines(r.output);
    const stderrLine = "to stderr: answer=42";
    expect(imageLines).toContain(stderrLine);
    expect(imageLines.filter((l) => l !== stderrLine)).toEqual(lines(nodeOutput).filter((l) => l !== stderrLine));
    expect(lines(nodeOutput)).toContain(stderrLine);
  }, 120_000);
});
