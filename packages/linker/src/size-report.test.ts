// Tests of the size report: naming packages from esbuild metafile inputs in pnpm and workspace layouts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Metafile } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { formatSizeReport, packageSizes, type SizeReport } from "./size-report.js";

const root = mkdtempSync(join(tmpdir(), "toro-sizes-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe("packageSizes", () => {
  it("groups inputs by nearest named package.json; the app's own files are (app)", () => {
    write("repo/apps/web/package.json", JSON.stringify({ name: "web" }));
    write("repo/apps/web/src/main.ts", "");
    write("repo/apps/web/src/util/lib.ts", "");
    write("repo/apps/web/node_modules/.pnpm/tiny@1.0.0/node_modules/tiny/package.json", JSON.stringify({ name: "tiny" }));
    write("repo/apps/web/node_modules/.pnpm/tiny@1.0.0/node_modules/tiny/dist/a.js", "");
    // A nested package.json without a name (as in "type": "module" markers) is skipped over.
    write("repo/apps/web/node_modules/.pnpm/tiny@1.0.0/node_modules/tiny/dist/esm/package.json", '{"type":"module"}');
    write("repo/apps/web/node_modules/.pnpm/tiny@1.0.0/node_modules/tiny/dist/esm/b.js", "");
    write("repo/packages/net/package.json", JSON.stringify({ name: "@toro/net" }));
    write("repo/packages/net/src/tcp.ts", "");
    const metafile: Metafile = {
      inputs: {},
      outputs: {
        "main.js": {
          bytes: 1000,
          exports: [],
          imports: [],
          inputs: {
            "src/main.ts": { bytesInOutput: 10 },
            "src/util/lib.ts": { bytesInOutput: 5 },
            "node_modules/.pnpm/tiny@1.0.0/node_modules/tiny/dist/a.js": { bytesInOutput: 100 },
            "node_modules/.pnpm/tiny@1.0.0/node_modules/tiny/dist/esm/b.js": { bytesInOutput: 1 },
            "../../packages/net/src/tcp.ts": { bytesInOutput: 400 },
            "<stdin>": { bytesInOutput: 3 },
            "src/types-only.ts": { bytesInOutput: 0 },
          },
        },
      },
    };
    expect(packageSizes(metafile, join(root, "repo/apps/web"))).toEqual([
      { name: "@toro/net", bytes: 400 },
      { name: "tiny", bytes: 101 },
      { name: "(app)", bytes: 18 },
    ]);
  });
});

describe("formatSizeReport", () => {
  it("prints one aligned row per part and per package", () => {
    const report: SizeReport = {
      kernel: { core: 12_345, engine: 600_000, libc: 80_000, nativeRuntime: 9_000, total: 710_000 },
      encoding: "bytecode",
      runtimeBytes: 5_000,
      app: { bytes: 3_000, sourceBytes: 9_000, packages: [{ name: "(app)", bytes: 8_000 }] },
      payloadBytes: 8_100,
      imageBytes: 720_896,
    };
    const lines = formatSizeReport(report).split("\n");
    expect(lines[0]).toBe("kernel core                 12,345 B");
    expect(lines).toContain("main.js (bytecode)           3,000 B");
    expect(lines).toContain("main.js source by package (9,000 B of JS):");
    expect(lines).toContain("  (app)                      8,000 B");
    expect(lines.at(-1)).toBe("image                      720,896 B");
  });
});
