import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageManagerFromUserAgent, runCreateCli } from "./run-cli.js";
import { parseCreateArgs } from "./cli-args.js";

const versions = { kernel: "^0.1.0", linker: "^0.1.0", vm: "^0.1.0" };
let cwd = "";
let out = "";
let err = "";
const io = () => ({
  cwd,
  versions,
  stdout: (t: string) => void (out += t),
  stderr: (t: string) => void (err += t),
});

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "toro-create-cli-test-"));
  out = "";
  err = "";
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe("runCreateCli", () => {
  it("scaffolds relative to cwd and prints npm's next steps", async () => {
    expect(await runCreateCli(["my-service"], io())).toBe(0);
    expect(existsSync(join(cwd, "my-service", "src", "main.ts"))).toBe(true);
    expect(out).toContain("cd my-service\n  npm install\n  npm run link-image\n  npm run run-image");
    expect(err).toBe("");
  });

  it("prints pnpm's next steps when pnpm ran it", async () => {
    expect(await runCreateCli(["svc"], { ...io(), userAgent: "pnpm/10.34.8 npm/? node/v20.20.2 linux x64" })).toBe(0);
    expect(out).toContain("pnpm install\n  pnpm link-image\n  pnpm run-image");
  });

  it("exits 2 with the usage on bad arguments, 1 with a hint on a taken folder", async () => {
    expect(await runCreateCli([], io())).toBe(2);
    expect(err).toContain("usage: npm create @toro/app");
    err = "";
    expect(await runCreateCli(["a"], io())).toBe(0);
    expect(await runCreateCli(["a"], io())).toBe(1);
    expect(err).toMatch(/already exists and is not empty\nhint: /);
  });

  it("prints the usage on --help and exits 0", async () => {
    expect(await runCreateCli(["--help"], io())).toBe(0);
    expect(out).toContain("usage:");
  });
});

describe("parseCreateArgs / packageManagerFromUserAgent", () => {
  it("parses a folder and --name", () => {
    expect(parseCreateArgs(["x", "--name", "y"])).toEqual({ help: false, dir: "x", name: "y" });
    expect(() => parseCreateArgs(["x", "--bogus"])).toThrow(expect.objectContaining({ code: "EUSAGE" }));
    expect(() => parseCreateArgs(["x", "y"])).toThrow(expect.objectContaining({ code: "EUSAGE" }));
  });

  it("knows pnpm from npm by the user agent", () => {
    expect(packageManagerFromUserAgent("npm/11.0.0 node/v20.20.2 linux x64 workspaces/false")).toBe("npm");
    expect(packageManagerFromUserAgent(undefined)).toBe("npm");
    expect(packageManagerFromUserAgent("pnpm/10.34.8 npm/? node/v20")).toBe("pnpm");
  });
});
