// Build-time layer of @toro/linker (Node): type-checks an app with the TypeScript compiler API before
// it is bundled (esbuild strips types without checking them). It must not import esbuild.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { ToroError } from "@toro/kernel";

/** What to check. */
export interface TypecheckInput {
  appDir: string;
  entryPath: string;
  /** Add the "toro-source" export condition (monorepo apps typecheck against package sources). */
  sourceCondition: boolean;
  /**
   * Declarations of the image's globals (`@toro/kernel/globals.d.ts`), added for apps without a
   * tsconfig.json, which would otherwise see only ES lib types and no `console`.
   */
  globalsPath: string;
}


// Strict defaults for an app without a tsconfig.json, at the engine's language level.
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  // ES2020 is what QuickJS 2021-03-27 runs; Error's `cause` option is typed too (the engine ignores
  // it, and ToroError sets `cause` itself).
  lib: ["lib.es2020.d.ts", "lib.es2022.error.d.ts"],
  types: [],
  skipLibCheck: true,
  isolatedModules: true,
  allowImportingTsExtensions: true,
};

/** The first diagnostics shown; more only repeat the lesson and bury the first one. */
const MAX_SHOWN = 10;

function loadOptions(appDir: string, sourceCondition: boolean, globalsPath: string): { options: ts.CompilerOptions; extraRoots: string[] } {
  const configPath = join(appDir, "tsconfig.json");
  let options: ts.CompilerOptions;
  let extraRoots: string[];
  if (existsSync(configPath)) {
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new ToroError("ETYPE", `${configPath}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`, {
          hint: "fix the app's tsconfig.json",
        });
      },
    });
    if (parsed === undefined) throw new ToroError("ETYPE", `cannot read ${configPath}`);
    options = parsed.options;
    // Check what gets bundled: the entry and what it imports. Declaration files of the project stay
    // (they often declare globals), its other files (tests, scripts) are not part of the image.
    extraRoots = parsed.fileNames.filter((f) => f.endsWith(".d.ts"));
  } else {
    options = { ...DEFAULT_OPTIONS };
    extraRoots = [globalsPath];
  }
  if (sourceCondition) {
    options.customConditions = [...new Set([...(options.customConditions ?? []), "toro-source"])];
  }
  return { options: { ...options, noEmit: true }, extraRoots };
}

function format(d: ts.Diagnostic, appDir: string): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (d.file === undefined || d.start === undefined) return `error TS${d.code}: ${message}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const name = relative(appDir, d.file.fileName) || d.file.fileName;
  return `${name}:${line + 1}:${character + 1}: error TS${d.code}: ${message}`;
}

/**
 * Type-checks the app. Syntax errors throw a ToroError "ESYNTAX", type errors "ETYPE"; both list
 * `file:line:col: error TSxxxx: message` lines, relative to the app folder.
 */
export function typecheckApp(input: TypecheckInput): void {
  const { options, extraRoots } = loadOptions(input.appDir, input.sourceCondition, input.globalsPath);
  const host = ts.createCompilerHost(options, true);
  const program = ts.createProgram({ rootNames: [input.entryPath, ...extraRoots], options, host });
  const syntactic = program.getSyntacticDiagnostics();
  const [code, diagnostics, what] =
    syntactic.length > 0
      ? (["ESYNTAX", syntactic, "syntax"] as const)
      : (["ETYPE", [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics()], "type"] as const);
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length === 0) return;
  const shown = errors.slice(0, MAX_SHOWN).map((d) => format(d, input.appDir));
  const more = errors.length > MAX_SHOWN ? [`... and ${errors.length - MAX_SHOWN} more`] : [];
  throw new ToroError(code, [`${errors.length} ${what} error(s):`, ...shown, ...more].join("\n"), {
    hint:
      code === "ESYNTAX"
        ? "fix the syntax at the line shown"
        : "fix the types at the lines shown, or link with --no-typecheck to bundle without checking",
  });
}
