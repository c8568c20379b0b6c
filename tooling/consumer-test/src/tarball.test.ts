import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTarball } from "./tarball.js";

const dir = mkdtempSync(join(tmpdir(), "toro-tarball-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readTarball", () => {
  it("reads names, modes and bytes of a tarball written by GNU tar, long names included", () => {
    const long = `dist/${"d".repeat(120)}/x.js`;
    mkdirSync(join(dir, "package", long, ".."), { recursive: true });
    writeFileSync(join(dir, "package/run"), "#!/usr/bin/env node\n");
    chmodSync(join(dir, "package/run"), 0o755);
    writeFileSync(join(dir, "package", long), "export {};\n");
    execFileSync("tar", ["-czf", join(dir, "p.tgz"), "-C", dir, "package"]);
    const entries = readTarball(join(dir, "p.tgz"));
    const run = entries.find((e) => e.path === "package/run");
    expect(run?.mode).toBe(0o755);
    expect(new TextDecoder().decode(run?.body)).toBe("#!/usr/bin/env node\n");
    expect(entries.find((e) => e.path === `package/${long}`)?.sizeBytes).toBe(11);
    expect(entries.every((e) => !e.path.endsWith("/"))).toBe(true);
  });
});
