// Build-time layer of @toro/linker (Node): bundles the app (an ES module) and the kernel's JS runtime
// (a classic script) with esbuild, tree-shaken to the engine's language level. It must not import
// typescript; it knows nothing of ELF or payload bytes.
import { build, type BuildFailure, type BuildOptions, type Message, type Metafile } from "esbuild";
import { ToroError } from "@toro/kernel";
import { ENGINE_TARGET } from "./engine-target.js";
import { rejectNodeBuiltins } from "./node-builtins.js";

/** One bundled program. */
export interface Bundle {
  code: string;
  metafile: Metafile;
}

/** Settings shared by both bundles. */
export interface BundleInput {
  appDir: string;
  /** Add the "toro-source" export condition (resolve monorepo packages to their TS sources). */
  sourceCondition: boolean;
  /** Receives esbuild's warnings, one `file:line:col: text` line each. */
  onWarning?: (line: string) => void;
}

function commonOptions(input: BundleInput): BuildOptions {
  return {
    absWorkingDir: input.appDir,
    bundle: true,
    write: false,
    metafile: true,
    treeShaking: true,
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: input.sourceCondition ? ["toro-source", "import", "default"] : ["import", "default"],
    ...ENGINE_TARGET,
    // Syntax minification only: whitespace and names stay, so the engine's stack traces stay
    // readable and the "// file" comments let a compiler error point back at its source.
    minifySyntax: true,
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
    plugins: [rejectNodeBuiltins()],
  };
}

const TARGET_TEXT = "not available in the configured target environment";

/** The first errors shown; more only repeat the lesson and bury the first one. */
const MAX_SHOWN = 10;

const RUNTIME_HINT =
  "add @toro/kernel to the app's dependencies; inside the Toro monorepo build it first (pnpm build) " +
  "or link with --source-condition";

function hintFor(errors: readonly Message[]): string {
  if (errors.some((e) => e.text.includes("Node built-in"))) {
    return "remove the Node built-in import; the message says what a Toro image offers instead";
  }
  if (errors.some((e) => e.text.includes(TARGET_TEXT))) {
    return (
      "the image's engine is QuickJS 2021-03-27 (ES2020 plus class fields and logical assignment): " +
      "rewrite the construct (for top-level await, move the code into an async main() and call main())"
    );
  }
  if (errors.some((e) => e.text.startsWith("Could not resolve"))) {
    return "install the missing package in the app folder, or fix the import path";
  }
  return "fix the code at the lines shown";
}

function formatMessage(m: Message): string {
  const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : "";
  return `${where}${m.text}`;
}

async function run(options: BuildOptions, input: BundleInput, what: string, resolveHint?: string): Promise<Bundle> {
  try {
    const result = await build(options);
    for (const warning of result.warnings) input.onWarning?.(`warning: ${formatMessage(warning)}`);
    const file = result.outputFiles?.[0];
    if (file === undefined) throw new ToroError("EBUNDLE", `esbuild produced no output for ${what}`);
    return { code: file.text, metafile: result.metafile ?? { inputs: {}, outputs: {} } };
  } catch (error) {
    const errors = (error as Partial<BuildFailure>).errors;
    if (!Array.isArray(errors) || errors.length === 0) throw error;
    const shown = errors.slice(0, MAX_SHOWN).map(formatMessage);
    const more = errors.length > MAX_SHOWN ? [`... and ${errors.length - MAX_SHOWN} more`] : [];
    const unresolved = errors.every((e) => e.text.startsWith("Could not resolve"));
    throw new ToroError("EBUNDLE", [`bundling ${what} failed:`, ...shown, ...more].join("\n"), {
      cause: error,
      hint: unresolved && resolveHint !== undefined ? resolveHint : hintFor(errors),
    });
  }
}

/** Bundles the app's entry as one ES module. Any esbuild error becomes a ToroError "EBUNDLE". */
export function bundleApp(input: BundleInput & { entryPath: string }): Promise<Bundle> {
  return run(
    { ...commonOptions(input), entryPoints: [input.entryPath], format: "esm", outfile: "main.js" },
    input,
    "the app",
  );
}

/**
 * Bundles `@toro/kernel/runtime` as resolved from the app folder, as a classic script that installs
 * the globals before the app runs.
 */
export function bundleRuntime(input: BundleInput): Promise<Bundle> {
  return run(
    {
      ...commonOptions(input),
      stdin: {
        contents: 'import { installGlobals } from "@toro/kernel/runtime";\ninstallGlobals();\n',
        resolveDir: input.appDir,
        sourcefile: "<toro-runtime>",
        loader: "js",
      },
      format: "iife",
      outfile: "runtime.js",
    },
    input,
    "the Toro runtime (@toro/kernel/runtime)",
    RUNTIME_HINT,
  );
}
