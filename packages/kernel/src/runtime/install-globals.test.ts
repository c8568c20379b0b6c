// Bundles the runtime entry as the linker does (esbuild, ES2020, one classic script) and runs it in
// a fresh V8 context that, like QuickJS, has no console, timers, TextEncoder or crypto.
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { createFakeIntrinsics } from "./testing.js";

async function bundleRuntime(): Promise<string> {
  const result = await build({
    stdin: {
      contents: 'import { installGlobals } from "./index.ts";\ninstallGlobals();\n',
      resolveDir: fileURLToPath(new URL(".", import.meta.url)),
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "iife",
    target: "es2020",
    platform: "neutral",
    minify: true,
  });
  return result.outputFiles[0]!.text;
}

describe("installGlobals in a bare context", () => {
  it("moves the intrinsics, installs non-enumerable globals and registers the handlers", async () => {
    const code = await bundleRuntime();
    const fake = createFakeIntrinsics({ cmdline: "-- one" });
    let pump: ((now: number) => number) | undefined;
    let onError: ((e: unknown, kind: "uncaughtException" | "unhandledRejection") => void) | undefined;
    const ctx = vm.createContext({
      __toro: { ...fake, setTimerHandler: (f: typeof pump) => (pump = f), setErrorHandler: (f: typeof onError) => (onError = f) },
    });
    vm.runInContext(code, ctx);
    const run = (src: string) => vm.runInContext(src, ctx) as unknown;
    expect(run("typeof __toro")).toBe("undefined");
    expect(run('typeof globalThis[Symbol.for("toro.intrinsics")].write')).toBe("function");
    expect(run("Object.keys(globalThis)")).toEqual([]);
    const names = ["console", "setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval", "queueMicrotask", "performance", "TextEncoder", "TextDecoder", "crypto", "process"];
    for (const name of names) expect(run(`typeof ${name}`), name).not.toBe("undefined");
    run('console.log("hi %s", "there", { a: [1] }); console.error(new TextDecoder().decode(new TextEncoder().encode("é")))');
    expect(fake.writes).toEqual([{ fd: 1, text: "hi there { a: [ 1 ] }\n" }, { fd: 2, text: "é\n" }]);
    expect(run("process.argv")).toEqual(["toro", "main.js", "one"]);
    run('globalThis.fired = []; setTimeout((x) => fired.push(x), 5, "t")');
    expect(pump!(0)).toBe(5);
    expect(pump!(5)).toBe(0);
    expect(pump!(5)).toBe(-1);
    expect(run("fired")).toEqual(["t"]);
    onError!(Object.assign(new Error("boom"), { stack: "    at f (main.js:1)\n" }), "uncaughtException");
    expect(fake.writes.at(-1)).toEqual({ fd: 2, text: "Uncaught Error: boom\n    at f (main.js:1)\n" });
    // A second call (e.g. the runtime bundled twice) is harmless.
    expect(() => vm.runInContext(code, ctx)).not.toThrow();
  });

  it("throws ENOTIMAGE outside an image", async () => {
    const code = await bundleRuntime();
    expect(() => vm.runInContext(code, vm.createContext({}))).toThrow(/ENOTIMAGE|no kernel intrinsics/);
  });
});
