// Consumer-test suite, part 1 (host, Node; no network): packs every public package as `pnpm
// publish` would and checks the tarball a user gets — only the files it needs, bins with their
// hashbang and execute bit, the kernel's prebuilt files, no workspace: ranges, publint and
// @arethetypeswrong/cli clean, and the size budgets in tooling/scripts/size-budgets.json.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packPackage, type PackedPackage } from "./pack.js";
import { describeResult, runCommand } from "./run-command.js";
import { publicPackages, repoRoot } from "./workspace-packages.js";

const packages = publicPackages();
const packed = new Map<string, PackedPackage>();
const outDir = mkdtempSync(join(tmpdir(), "toro-pack-"));
const budgets = JSON.parse(readFileSync(join(repoRoot, "tooling/scripts/size-budgets.json"), "utf8")) as {
  packages: Record<string, { packedBytes: number; unpackedBytes: number }>;
};
const attwBin = join(
  createRequire(import.meta.url).resolve("@arethetypeswrong/cli/package.json").replace(/package\.json$/, ""),
  "dist/index.js",
);

beforeAll(async () => {
  for (const pkg of packages) {
    if (!pkg.manifest.files?.length) throw new Error(`${pkg.name} has no "files" in package.json`);
    packed.set(pkg.name, await packPackage(pkg, outDir));
  }
}, 300_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const get = (name: string): PackedPackage => {
  const p = packed.get(name);
  if (p === undefined) throw new Error(`${name} was not packed`);
  return p;
};
const paths = (name: string) => get(name).entries.map((e) => e.path.replace(/^package\//, ""));

describe("the public packages", () => {
  it("are the units we publish, each with a license, a readme and the metadata npm shows", () => {
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(["@toro/kernel", "@toro/linker", "@toro/vm"]));
    for (const pkg of packages) {
      const m = pkg.manifest;
      expect(m["license"], pkg.name).toBe("MIT");
      expect(m["type"], pkg.name).toBe("module");
      expect(m["sideEffects"], pkg.name).toBe(false);
      expect(m["engines"], pkg.name).toEqual({ node: ">=20" });
      expect(m["repository"], pkg.name).toMatchObject({ type: "git", directory: pkg.dir.slice(repoRoot.length) });
      expect((m["keywords"] as string[] | undefined)?.length ?? 0, `${pkg.name} keywords`).toBeGreaterThan(0);
      expect(m["publishConfig"], pkg.name).toEqual({ access: "public" });
    }
  });
});

describe.each(packages.map((p) => p.name))("%s, packed", (name) => {
  // Source maps are allowed (they carry their sources, so stack traces on Node can use them); ours
  // leave them out to stay small, and the size budget keeps everyone honest.
  it("holds only dist/, exported files, README.md, LICENSE and package.json — no sources, tests or build objects", () => {
    const files = paths(name);
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE"]));
    // Files outside dist/ that an export points at are wanted too (e.g. @toro/kernel/globals).
    const leaves = (v: unknown): string[] =>
      typeof v === "string" ? [v] : typeof v === "object" && v !== null ? Object.values(v).flatMap(leaves) : [];
    const exported = leaves(get(name).manifest["exports"]).map((t) => t.replace(/^\.\//, ""));
    const stray = files.filter(
      (f) =>
        !["package.json", "README.md", "LICENSE", "CHANGELOG.md", ...exported].includes(f) &&
        !(f.startsWith("dist/") && !/\.(test\.[jt]s|test\.d\.ts|o|a|tsbuildinfo)$/.test(f)),
    );
    expect(stray).toEqual([]);
  });

  it("has every workspace: range rewritten to a real version", () => {
    const { manifest } = get(name);
    for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
      for (const [dep, range] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
        expect(range, `${field}.${dep}`).not.toMatch(/^workspace:/);
        if (dep.startsWith("@toro/")) {
          const target = packages.find((p) => p.name === dep);
          expect(target, `${dep} is a public workspace package`).toBeDefined();
          expect(range).toBe(`^${target?.version}`);
        }
      }
    }
  });

  // pnpm pack sets the execute bit on bins only (every other file is 0644), and npm and pnpm make
  // bins executable on install: a program a package runs must be a bin.
  it("ships each bin executable, scripts with a node hashbang", () => {
    const bins = (get(name).manifest["bin"] ?? {}) as Record<string, string>;
    for (const [bin, target] of Object.entries(bins)) {
      const entry = get(name).entries.find((e) => e.path === `package/${target.replace(/^\.\//, "")}`);
      expect(entry, `${bin} -> ${target} is in the tarball`).toBeDefined();
      const head = entry?.body.subarray(0, 20) ?? new Uint8Array();
      const isElf = head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
      if (!isElf) expect(new TextDecoder().decode(head)).toMatch(/^#!\/usr\/bin\/env node\n/);
      expect((entry?.mode ?? 0) & 0o111, `${bin} is executable`).not.toBe(0);
    }
  });

  it("passes publint (strict)", async () => {
    const tarball = readFileSync(get(name).tarball);
    const ab = tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) as ArrayBuffer;
    const { messages, pkg } = await publint({ pack: { tarball: ab }, strict: true, level: "suggestion" });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`)).toEqual([]);
  });

  it("passes @arethetypeswrong/cli (ESM-only profile: node16 from ESM and bundler)", async () => {
    const result = await runCommand(process.execPath, [attwBin, get(name).tarball, "--profile", "esm-only", "--format", "ascii"], {
      cwd: outDir,
      env: { ...process.env, NO_COLOR: "1" },
      timeoutMs: 120_000,
    });
    expect(result.status, describeResult(`attw ${name}`, result)).toBe(0);
  });

  it("stays within its size budget (tooling/scripts/size-budgets.json)", () => {
    const budget = budgets.packages[name];
    expect(budget, `add a budget for ${name} to tooling/scripts/size-budgets.json`).toBeDefined();
    const { packedBytes, unpackedBytes } = get(name);
    const report = `${name}: packed ${packedBytes} B (budget ${budget?.packedBytes}), unpacked ${unpackedBytes} B (budget ${budget?.unpackedBytes})`;
    console.log(report);
    expect(packedBytes, report).toBeLessThanOrEqual(budget?.packedBytes ?? 0);
    expect(unpackedBytes, report).toBeLessThanOrEqual(budget?.unpackedBytes ?? 0);
  });
});

describe("@toro/kernel, packed", () => {
  it("ships the prebuilt kernel, its manifest and the executable host compiler", () => {
    const { entries } = get("@toro/kernel");
    const find = (p: string) => entries.find((e) => e.path === `package/${p}`);
    const elf = find("dist/toro-kernel.elf");
    expect(Array.from(elf?.body.subarray(0, 4) ?? [])).toEqual([0x7f, 0x45, 0x4c, 0x46]); // ELF magic
    const manifest = JSON.parse(new TextDecoder().decode(find("dist/toro-kernel.json")?.body));
    expect(manifest).toMatchObject({ format: 1, engine: { name: "quickjs", version: "2021-03-27" } });
    const qjsc = find("dist/bin/linux-x64/toro-qjsc");
    expect(Array.from(qjsc?.body.subarray(0, 4) ?? [])).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect((qjsc?.mode ?? 0) & 0o111, "toro-qjsc is executable").not.toBe(0);
  });

  it("needs nothing at run time: no dependencies (qjsc is only for building it)", () => {
    const { manifest } = get("@toro/kernel");
    expect(manifest["dependencies"] ?? {}).toEqual({});
    expect(Object.keys((manifest["devDependencies"] ?? {}) as object)).toContain("qjsc");
  });
});
