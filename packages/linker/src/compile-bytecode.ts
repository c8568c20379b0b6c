// Build-time layer of @toro/linker (Node): turns bundled JS into QuickJS bytecode with the kernel's
// host compiler `toro-qjsc` (docs/internals.md §3), and decides whether that is safe at all. It runs
// a child process and uses temp files; it must not import esbuild or typescript.
import { execFile } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ToroError } from "@toro/kernel";

const run = promisify(execFile);

/** Whether the host compiler can be used, and if not, why. */
export type CompilerStatus = { usable: true; path: string } | { usable: false; reason: string };

/**
 * Bytecode is only safe when it comes from a compiler built from the same engine source with the
 * same flags as the kernel (else the engine rejects it, or worse). The engine id proves that.
 */
export async function probeCompiler(path: string, engineId: string): Promise<CompilerStatus> {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return { usable: false, reason: `toro-qjsc is built for linux-x64, this host is ${process.platform}-${process.arch}` };
  }
  if (!existsSync(path)) return { usable: false, reason: `${path} does not exist` };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { usable: false, reason: `${path} is not executable` };
  }
  let id: string;
  try {
    id = (await run(path, ["--engine-id"], { timeout: 10_000 })).stdout.trim();
  } catch (error) {
    return { usable: false, reason: `${path} --engine-id failed: ${(error as Error).message.split("\n")[0]}` };
  }
  if (id !== engineId) {
    return { usable: false, reason: `toro-qjsc's engine id ${id} differs from the kernel's ${engineId}` };
  }
  return { usable: true, path };
}

/** One compilation. */
export interface CompileInput {
  compilerPath: string;
  kind: "script" | "module";
  /** The name baked into the bytecode for stack traces, e.g. "main.js". */
  name: string;
  source: string;
}

// esbuild (without whitespace minification) starts each module's code with a `// path` comment;
// the nearest one above a line names the source file that line came from.
function sourceFileOfLine(source: string, line: number): string | undefined {
  const lines = source.split("\n");
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const match = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(lines[i] ?? "");
    if (match) return match[1];
  }
  return undefined;
}

function syntaxError(input: CompileInput, stderr: string, cause: unknown): ToroError {
  const first = stderr.split("\n").find((l) => l.includes("SyntaxError")) ?? stderr.trim();
  const match = /^(.*?):(\d+): SyntaxError: (.*)$/.exec(first);
  if (!match) {
    return new ToroError("ECOMPILE", `toro-qjsc failed on ${input.name}: ${stderr.trim()}`, {
      cause,
      hint: "link with --bytecode never to embed source and report this as a bug",
    });
  }
  const line = Number(match[2]);
  const text = input.source.split("\n")[line - 1]?.trim() ?? "";
  const from = sourceFileOfLine(input.source, line);
  return new ToroError(
    "ESYNTAX",
    `${input.name}:${line}: SyntaxError: ${match[3]}${from ? ` (in code from ${from})` : ""}\n  ${text}`,
    {
      cause,
      hint:
        "the image's engine (QuickJS 2021-03-27) rejects this construct although esbuild accepted it; " +
        "rewrite it in the source file named above",
    },
  );
}

/**
 * Compiles one bundle to bytecode. A syntax error becomes a ToroError "ESYNTAX" naming the bundle
 * line and the source file it came from; other failures "ECOMPILE".
 */
export async function compileToBytecode(input: CompileInput): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "toro-qjsc-"));
  try {
    const inPath = join(dir, input.name);
    const outPath = join(dir, `${input.name}.bc`);
    writeFileSync(inPath, input.source);
    try {
      await run(input.compilerPath, [`--${input.kind}`, "--name", input.name, "-o", outPath, inPath], {
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const failure = error as { code?: unknown; stderr?: string };
      if (failure.code === 1) throw syntaxError(input, failure.stderr ?? "", error);
      throw new ToroError("ECOMPILE", `toro-qjsc failed on ${input.name}: ${(failure.stderr ?? String(error)).trim()}`, {
        cause: error,
        hint: "link with --bytecode never to embed source instead",
      });
    }
    return new Uint8Array(readFileSync(outPath));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
