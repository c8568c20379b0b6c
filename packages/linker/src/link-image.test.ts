// Tests of the link pipeline on fixture apps in temp folders, against a fake kernel (a hand-built
// ELF with the real layout). Image tests elsewhere (apps/*) boot real images with the real kernel.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ToroError } from "@toro/kernel";
import { linkImage } from "./link-image.js";
import { FAKE_ENGINE_ID } from "./testing/fake-kernel.js";
import { readImagePayload } from "./testing/read-image.js";
import { makeTempApp, type TempApp } from "./testing/temp-app.js";

let app: TempApp | undefined;
afterEach(() => {
  app?.remove();
  app = undefined;
});

function text(body: Uint8Array): string {
  return new TextDecoder().decode(body);
}

describe("linkImage on the tree-shake fixture", () => {
  it("writes one image whose payload holds the runtime script and the app module", async () => {
    app = makeTempApp({ fixture: "tree-shake" });
    const progress: string[] = [];
    const result = await linkImage({ appDir: app.dir, onProgress: (l) => progress.push(l) });
    expect(result.imagePath).toBe(join(app.dir, "dist", "tree-shake-app.img"));
    const payload = readImagePayload(result.imagePath, 1);
    expect(payload.offset % 4096).toBe(0);
    expect(payload.engineId).toBeNull();
    expect(payload.entries.map((e) => [e.name, e.kind, e.encoding])).toEqual([
      ["runtime.js", "script", "source"],
      ["main.js", "module", "source"],
    ]);
    expect(text(payload.entries[0]!.body)).toContain("MARKER_RUNTIME_INSTALLED");
    expect(text(payload.entries[1]!.body)).toContain("MARKER_APP_OWN");
    expect(progress.some((l) => l.startsWith("bundling"))).toBe(true);
    expect(progress.filter((l) => l.startsWith("embedding JS source"))).toHaveLength(1);
  });

  it("leaves out every unit and export the app does not import", async () => {
    app = makeTempApp({ fixture: "tree-shake" });
    const { imagePath, sizes } = await linkImage({ appDir: app.dir });
    const image = readFileSync(imagePath, "latin1");
    expect(image).toContain("MARKER_A_USED");
    expect(image).not.toContain("MARKER_A_UNUSED");
    expect(image).not.toContain("MARKER_B_NOT_IMPORTED");
    expect(image).not.toContain("MARKER_RUNTIME_UNUSED");
    const names = sizes.app.packages.map((p) => p.name);
    expect(names).toContain("@fixture/unit-a");
    expect(names).toContain("(app)");
    expect(names).not.toContain("@fixture/unit-b");
  });
});

async function linkError(files: Record<string, string>, options: Parameters<typeof linkImage>[0] = {}): Promise<ToroError> {
  app = makeTempApp({ files });
  try {
    await linkImage({ appDir: app.dir, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ToroError);
    return error as ToroError;
  }
  return expect.unreachable("linkImage should have failed");
}

describe("bad input gets a clear error naming the file and line", () => {
  it("missing entry: ENOENT naming the paths tried and what to do", async () => {
    const error = await linkError({ "README.md": "no code here" });
    expect(error.code).toBe("ENOENT");
    expect(error.message).toMatch(/neither src\/main\.ts nor main\.ts exists/);
    expect(error.hint).toMatch(/create src\/main\.ts/);
  });

  it("missing entry named on the command line or in package.json", async () => {
    const given = await linkError({ "main.ts": "" }, { entry: "src/app.ts" });
    expect(given.code).toBe("ENOENT");
    expect(given.message).toMatch(/entry src\/app\.ts \(the entry given\) does not exist/);
    const configured = await linkError({
      "package.json": JSON.stringify({ name: "x", toro: { entry: "lib/start.ts" } }),
    });
    expect(configured.message).toMatch(/lib\/start\.ts \(package\.json "toro\.entry"\)/);
  });

  it("syntax error: ESYNTAX with file:line:col", async () => {
    const error = await linkError({ "src/main.ts": "const a = 1;\nconst b = ;\n" });
    expect(error.code).toBe("ESYNTAX");
    expect(error.message).toMatch(/^src\/main\.ts:2:11: error TS1109: Expression expected\.$/m);
  });

  it("syntax error without type-checking: EBUNDLE from esbuild with file:line:col", async () => {
    const error = await linkError({ "src/main.ts": "const a = 1;\nconst b = ;\n" }, { typecheck: false });
    expect(error.code).toBe("EBUNDLE");
    expect(error.message).toMatch(/^src\/main\.ts:2:11: Unexpected ";"$/m);
  });

  it("type error: ETYPE with file:line:col, in an imported file, with a hint", async () => {
    const error = await linkError({
      "src/main.ts": 'import { half } from "./half.js";\nconsole.log(half(4));\n',
      "src/half.ts": 'export function half(n: number): number {\n  const s: string = n / 2;\n  return s;\n}\n',
    });
    expect(error.code).toBe("ETYPE");
    expect(error.message).toMatch(/^src\/half\.ts:2:9: error TS2322: Type 'number' is not assignable to type 'string'\.$/m);
    expect(error.hint).toMatch(/--no-typecheck/);
  });

  it("the app's own tsconfig.json decides the type rules", async () => {
    app = makeTempApp({
      files: {
        "tsconfig.json": JSON.stringify({ compilerOptions: { strict: false, target: "ES2020", lib: ["ES2020"], types: [] } }),
        "src/globals.d.ts": "declare const console: { log(...a: unknown[]): void };\n",
        "src/main.ts": "function f(x) { return x; }\nconsole.log(f(1));\n",
      },
    });
    await expect(linkImage({ appDir: app.dir })).resolves.toBeDefined();
  });

  it('import fs from "node:fs": EBUNDLE at the import line, naming the module and the plan', async () => {
    const error = await linkError({
      "src/main.ts": 'import { double } from "./lib.js";\nconsole.log(double(2));\n',
      "src/lib.ts": '// @ts-nocheck\nimport fs from "node:fs";\nexport const double = (n: number) => n * 2 + (fs ? 0 : 1);\n',
    });
    expect(error.code).toBe("EBUNDLE");
    expect(error.message).toMatch(/^src\/lib\.ts:2:16: "node:fs" is a Node built-in module.*@toro\/fs is planned; no Toro equivalent yet$/m);
    expect(error.hint).toMatch(/Node built-in/);
  });

  it('import "net": EBUNDLE at the import line naming "net"', async () => {
    const error = await linkError({ "src/main.ts": '// @ts-nocheck\nconsole.log(1);\nimport "net";\n' }, { typecheck: false });
    expect(error.code).toBe("EBUNDLE");
    expect(error.message).toMatch(/^src\/main\.ts:3:8: "net" is a Node built-in module.*@toro\/net is planned/m);
  });

  it("a bare built-in name that is installed as an npm package is bundled, not rejected", async () => {
    app = makeTempApp({
      files: {
        "node_modules/events/package.json": JSON.stringify({ name: "events", main: "events.js" }),
        "node_modules/events/events.js": 'export const EVENTS_POLYFILL = "MARKER_EVENTS_POLYFILL";\n',
        "src/main.ts": '// @ts-nocheck\nimport { EVENTS_POLYFILL } from "events";\nconsole.log(EVENTS_POLYFILL);\n',
      },
    });
    const { imagePath } = await linkImage({ appDir: app.dir, typecheck: false });
    expect(readFileSync(imagePath, "latin1")).toContain("MARKER_EVENTS_POLYFILL");
  });

  it("too-new syntax (top-level await, which QuickJS 2021-03-27 lacks): EBUNDLE at the line", async () => {
    const error = await linkError({
      "src/main.ts": "const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));\nawait wait(1);\nexport {};\n",
    });
    expect(error.code).toBe("EBUNDLE");
    expect(error.message).toMatch(/^src\/main\.ts:2:0?1: Top-level await is not available in the configured target environment/m);
    expect(error.hint).toMatch(/QuickJS 2021-03-27.*async main\(\)/);
  });

  it("newer syntax esbuild can lower (static blocks, #x in obj) links fine", async () => {
    app = makeTempApp({
      files: {
        "src/main.ts":
          "class A {\n  #x = 1;\n  static count = 0;\n  static { A.count = 2; }\n  static has(o: object) { return #x in o; }\n}\n" +
          "class B {\n  #y = 3;\n  y() { return this.#y; }\n}\nconsole.log(A.has(new A()), A.count, new B().y());\n",
      },
    });
    const { imagePath } = await linkImage({ appDir: app.dir });
    const main = readImagePayload(imagePath, 1).entries[1]!;
    expect(text(main.body)).not.toMatch(/static \{|#x in/);
    expect(text(main.body)).toMatch(/#y = 3/); // private fields stay native: QuickJS has them
  });
});

describe("bytecode", () => {
  it("compiles both entries with a matching toro-qjsc and stamps the engine id", async () => {
    app = makeTempApp({ fixture: "tree-shake", compiler: true });
    const progress: string[] = [];
    const result = await linkImage({ appDir: app.dir, bytecode: "always", onProgress: (l) => progress.push(l) });
    const payload = readImagePayload(result.imagePath, 1);
    expect(payload.engineId).toBe(FAKE_ENGINE_ID);
    expect(payload.entries.map((e) => e.encoding)).toEqual(["bytecode", "bytecode"]);
    expect(text(payload.entries[1]!.body)).toMatch(/^FAKEBC:/);
    expect(result.sizes.encoding).toBe("bytecode");
    expect(result.bytecodeSkipped).toBeUndefined();
    expect(progress).toContain("compiling to bytecode…");
  });

  it("embeds source, and says why once, when the compiler's engine id differs", async () => {
    app = makeTempApp({ fixture: "tree-shake", compiler: true });
    const manifestPath = join(app.kernelDist, "toro-kernel.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.engine.id = "ffffffffffffffff";
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const progress: string[] = [];
    const result = await linkImage({ appDir: app.dir, onProgress: (l) => progress.push(l) });
    expect(result.sizes.encoding).toBe("source");
    expect(result.bytecodeSkipped).toMatch(/engine id 0123456789abcdef differs from the kernel's ffffffffffffffff/);
    expect(progress.filter((l) => l.includes("differs"))).toHaveLength(1);
    const error = await linkImage({ appDir: app.dir, bytecode: "always" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToroError);
    expect((error as ToroError).code).toBe("EBYTECODE");
  });

  it("bytecode always without a compiler is an error; never skips it silently", async () => {
    app = makeTempApp({ fixture: "tree-shake" });
    const error = await linkImage({ appDir: app.dir, bytecode: "always" }).catch((e: unknown) => e);
    expect((error as ToroError).code).toBe("EBYTECODE");
    expect((error as ToroError).message).toMatch(/toro-qjsc does not exist/);
    const progress: string[] = [];
    await linkImage({ appDir: app.dir, bytecode: "never", onProgress: (l) => progress.push(l) });
    expect(progress.some((l) => l.startsWith("embedding"))).toBe(false);
  });

  it("maps a compiler SyntaxError to ESYNTAX naming the bundle line and its source file", async () => {
    app = makeTempApp({
      compiler: true,
      files: {
        "src/main.ts": 'import { f } from "./other.js";\nconsole.log(f());\n',
        "src/other.ts": 'export function f() {\n  return "QJS_REJECT";\n}\n',
      },
    });
    const error = (await linkImage({ appDir: app.dir }).catch((e: unknown) => e)) as ToroError;
    expect(error).toBeInstanceOf(ToroError);
    expect(error.code).toBe("ESYNTAX");
    expect(error.message).toMatch(/^main\.js:\d+: SyntaxError: unexpected token in expression: 'QJS_REJECT' \(in code from src\/other\.ts\)\n {2}return "QJS_REJECT";$/);
    expect(error.hint).toMatch(/QuickJS 2021-03-27/);
  });
});

describe("the runtime and warnings", () => {
  it("an unresolvable @toro/kernel/runtime is EBUNDLE with a hint on how to get it", async () => {
    app = makeTempApp({ fixture: "tree-shake" });
    rmSync(join(app.dir, "node_modules", "@toro", "kernel", "runtime.js"));
    const error = (await linkImage({ appDir: app.dir }).catch((e: unknown) => e)) as ToroError;
    expect(error.code).toBe("EBUNDLE");
    expect(error.message).toMatch(/^bundling the Toro runtime \(@toro\/kernel\/runtime\) failed:/);
    expect(error.hint).toMatch(/--source-condition/);
  });

  it("esbuild warnings reach onProgress with file:line:col", async () => {
    app = makeTempApp({ files: { "src/main.ts": "const a = 1;\nconsole.log({ a, a: 2 });\n" } });
    const progress: string[] = [];
    await linkImage({ appDir: app.dir, typecheck: false, onProgress: (l) => progress.push(l) });
    expect(progress).toContainEqual(expect.stringMatching(/^warning: src\/main\.ts:2:\d+: Duplicate key "a" in object literal$/));
  });
});

describe("defaults", () => {
  it("entry from package.json toro.entry, else src/main.ts, else main.ts; out from the unscoped name", async () => {
    app = makeTempApp({
      files: {
        "package.json": JSON.stringify({ name: "@acme/svc", toro: { entry: "app/start.ts" } }),
        "app/start.ts": 'console.log("MARKER_TORO_ENTRY");\n',
        "main.ts": 'console.log("MARKER_ROOT_MAIN");\n',
      },
    });
    const first = await linkImage({ appDir: app.dir });
    expect(first.imagePath).toBe(join(app.dir, "dist", "svc.img"));
    expect(readFileSync(first.imagePath, "latin1")).toContain("MARKER_TORO_ENTRY");
    writeFileSync(join(app.dir, "package.json"), "{}");
    const second = await linkImage({ appDir: app.dir });
    expect(readFileSync(second.imagePath, "latin1")).toContain("MARKER_ROOT_MAIN");
  });
});

describe("kernel files", () => {
  it("an app without @toro/kernel installed is EKERNEL saying how to get it", async () => {
    app = makeTempApp({ fixture: "tree-shake" });
    rmSync(join(app.dir, "node_modules", "@toro"), { recursive: true });
    const error = (await linkImage({ appDir: app.dir }).catch((e: unknown) => e)) as ToroError;
    expect(error.code).toBe("EKERNEL");
    expect(error.message).toMatch(/cannot find @toro\/kernel in node_modules from/);
    expect(error.hint).toMatch(/add @toro\/kernel to the app's dependencies/);
  });

  it("a missing kernel ELF or a manifest that disagrees with it is EKERNEL with a rebuild hint", async () => {
    app = makeTempApp({ fixture: "tree-shake" });
    const manifestPath = join(app.kernelDist, "toro-kernel.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, payloadAddress: 0x80_0000 }));
    const error = (await linkImage({ appDir: app.dir }).catch((e: unknown) => e)) as ToroError;
    expect(error.code).toBe("EKERNEL");
    expect(error.hint).toMatch(/rebuild @toro\/kernel/);
    rmSync(join(app.kernelDist, "toro-kernel.elf"));
    const missing = (await linkImage({ appDir: app.dir }).catch((e: unknown) => e)) as ToroError;
    expect(missing.code).toBe("EKERNEL");
    expect(missing.message).toMatch(/toro-kernel\.elf does not exist/);
  });

  it("--kernel points at another kernel; no @toro/kernel install is then needed for the ELF", async () => {
    app = makeTempApp({ fixture: "tree-shake" });
    const result = await linkImage({ appDir: app.dir, kernel: join(app.kernelDist, "toro-kernel.elf"), out: "x/y.img" });
    expect(result.imagePath).toBe(join(app.dir, "x", "y.img"));
  });
});
