// Tests of the link-image command: arguments, the printed report, errors as `link-image:` + hint.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCliArgs } from "./cli-args.js";
import { runCli } from "./run-cli.js";
import { makeTempApp, type TempApp } from "./testing/temp-app.js";

let app: TempApp | undefined;
afterEach(() => {
  app?.remove();
  app = undefined;
});

async function cli(argv: string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(argv, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

describe("parseCliArgs", () => {
  it("maps flags to link options", () => {
    expect(parseCliArgs(["app.ts", "-o", "out.img", "--no-typecheck", "--bytecode", "never", "--json", "-q"])).toEqual({
      help: false,
      json: true,
      quiet: true,
      options: { entry: "app.ts", out: "out.img", typecheck: false, bytecode: "never", sourceCondition: false },
    });
    expect(parseCliArgs([]).options).toEqual({ typecheck: true, bytecode: "auto", sourceCondition: false });
  });

  it("rejects unknown flags, bad modes and two entries with EUSAGE", () => {
    for (const argv of [["--frobnicate"], ["--bytecode", "sometimes"], ["a.ts", "b.ts"]]) {
      expect(() => parseCliArgs(argv)).toThrow(expect.objectContaining({ code: "EUSAGE" }));
    }
  });
});

describe("link-image", () => {
  it("prints progress on stderr and the size table on stdout", async () => {
    app = makeTempApp({ fixture: "tree-shake" });
    const { status, stdout, stderr } = await cli([], app.dir);
    expect(status).toBe(0);
    expect(stderr).toMatch(/^type-checking src\/main\.ts…\nbundling src\/main\.ts…\nembedding JS source, not bytecode: .*\nwriting dist\/tree-shake-app\.img…\n$/);
    expect(stdout).toMatch(/^kernel core\s+11,000 B$/m);
    expect(stdout).toMatch(/^engine \(QuickJS\)\s+600,000 B$/m);
    expect(stdout).toMatch(/^ {2}@fixture\/unit-a\s+[\d,]+ B$/m);
    expect(stdout).toMatch(/^ {2}\(app\)\s+[\d,]+ B$/m);
    expect(stdout).not.toMatch(/unit-b/);
    expect(stdout).toContain(`wrote ${join(app.dir, "dist", "tree-shake-app.img")}`);
  });

  it("--json prints the report as JSON; --quiet silences progress", async () => {
    app = makeTempApp({ fixture: "tree-shake" });
    const { status, stdout, stderr } = await cli(["--json", "--quiet", "src/main.ts", "--out", "img/a.img"], app.dir);
    expect(status).toBe(0);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout);
    expect(report.imagePath).toBe(join(app.dir, "img", "a.img"));
    expect(report.kernel.engine).toBe(600_000);
    expect(report.app.packages.map((p: { name: string }) => p.name).sort()).toEqual(["(app)", "@fixture/unit-a"]);
    expect(report.imageBytes).toBeGreaterThan(report.payloadBytes);
    expect(existsSync(report.imagePath)).toBe(true);
  });

  it("prints errors as link-image: message + hint and exits 1", async () => {
    app = makeTempApp({ files: { "src/main.ts": 'import "node:child_process";\n' } });
    const { status, stdout, stderr } = await cli(["--no-typecheck"], app.dir);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^link-image: bundling the app failed:\nsrc\/main\.ts:1:8: "node:child_process" is a Node built-in module/m);
    expect(stderr).toMatch(/^hint: remove the Node built-in import/m);
  });

  it("--help prints usage; a bad flag is a usage error", async () => {
    const help = await cli(["--help"], "/");
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: link-image \[entry\]/);
    const bad = await cli(["--nope"], "/");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^link-image: .*--nope.*\nhint: run link-image --help\n$/);
  });
});
