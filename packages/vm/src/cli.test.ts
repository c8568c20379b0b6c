// Runs the real run-image CLI as a process (bundled from source with esbuild, so no build is needed)
// against bare PVH kernels, and checks what a user sees: output, messages and exit status.
import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { buildBarePvhKernel } from "./bare-pvh.js";

let dir: string;
let cli: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "toro-cli-"));
  cli = join(dir, "cli.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("./cli.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: cli,
    logLevel: "error",
  });
});

function runCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 90_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("run-image CLI", () => {
  it("streams the console to stdout and exits with the guest's code", async () => {
    const image = join(dir, "five.elf");
    await writeFile(image, buildBarePvhKernel({ message: "five\n", exitCode: 5 }));
    const { status, stdout } = runCli(image, "--timeout", "60s", "--quiet");
    expect(stdout).toBe("five\n");
    expect(status).toBe(5);
  }, 90_000);

  it("stops a stuck VM and exits 124 with a one-line message", async () => {
    const image = join(dir, "hang.elf");
    await writeFile(image, buildBarePvhKernel({ message: "stuck", hang: true }));
    const { status, stdout, stderr } = runCli(image, "--timeout", "1s", "--accel", "tcg");
    expect(stdout).toBe("stuck");
    expect(stderr).toBe("run-image: timed out after 1s, VM stopped\n");
    expect(status).toBe(124);
  }, 30_000);

  it("exits 125 and says so when the VM stops without an exit code", async () => {
    const image = join(dir, "fault.elf");
    await writeFile(image, buildBarePvhKernel({ tripleFault: true }));
    const { status, stderr } = runCli(image, "--timeout", "60s");
    expect(stderr).toMatch(/run-image: the VM stopped without reporting an exit code/);
    expect(status).toBe(125);
  }, 90_000);

  it("prints usage on --help", () => {
    const { status, stdout } = runCli("--help");
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: run-image <image>/);
  });

  it("explains a missing image and exits 2", () => {
    const { status, stderr } = runCli(join(dir, "missing.img"));
    expect(status).toBe(2);
    expect(stderr).toMatch(/^run-image: image not found: .*missing\.img\n  hint: .*link-image/);
  });

  it("rejects bad options with a pointer to --help", () => {
    const { status, stderr } = runCli("x.img", "--machine", "pc");
    expect(status).toBe(2);
    expect(stderr).toMatch(/--machine must be one of microvm, q35/);
    expect(stderr).toMatch(/run-image --help/);
  });
});
