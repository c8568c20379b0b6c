// Build-time layer of @toro/linker (Node): parses the `link-image` command line into link options.
// No I/O; it must not import esbuild, typescript or the link pipeline.
import { parseArgs } from "node:util";
import { ToroError } from "@toro/kernel";
import type { LinkImageOptions } from "./resolve-options.js";

/** The usage text of `link-image --help`. */
export const USAGE = `usage: link-image [entry] [options]

Bundles the app in the current folder with the Toro units it imports into one bootable image.

  entry                     the app's entry file (default: package.json "toro.entry", src/main.ts, main.ts)
  -o, --out <file>          the image to write (default: dist/<package name>.img)
      --kernel <file.elf>   a toro-kernel.elf to link against (default: @toro/kernel's)
      --bytecode <mode>     auto (default) | always | never: ship QuickJS bytecode or JS source
      --no-typecheck        bundle without type-checking
      --source-condition    resolve packages to their sources ("toro-source"; monorepo apps)
      --json                print the size report as JSON
  -q, --quiet               no progress lines on stderr
  -h, --help                this text`;

/** What the command line asks for. */
export interface CliArgs {
  help: boolean;
  json: boolean;
  quiet: boolean;
  options: Omit<LinkImageOptions, "appDir" | "onProgress">;
}

const BYTECODE_MODES = ["auto", "always", "never"] as const;

/** Parses argv (without node and the script); bad usage is a ToroError "EUSAGE". */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: "string", short: "o" },
        kernel: { type: "string" },
        bytecode: { type: "string" },
        "no-typecheck": { type: "boolean" },
        "source-condition": { type: "boolean" },
        json: { type: "boolean" },
        quiet: { type: "boolean", short: "q" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (cause) {
    throw new ToroError("EUSAGE", (cause as Error).message, { cause, hint: "run link-image --help" });
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new ToroError("EUSAGE", `one entry expected, got ${positionals.length}: ${positionals.join(" ")}`, {
      hint: "run link-image --help",
    });
  }
  const bytecode = values.bytecode ?? "auto";
  if (!(BYTECODE_MODES as readonly string[]).includes(bytecode)) {
    throw new ToroError("EUSAGE", `--bytecode ${bytecode}: expected auto, always or never`, {
      hint: "run link-image --help",
    });
  }
  const options: CliArgs["options"] = {
    bytecode: bytecode as (typeof BYTECODE_MODES)[number],
    typecheck: values["no-typecheck"] !== true,
    sourceCondition: values["source-condition"] === true,
  };
  if (positionals[0] !== undefined) options.entry = positionals[0];
  if (values.out !== undefined) options.out = values.out;
  if (values.kernel !== undefined) options.kernel = values.kernel;
  return { help: values.help === true, json: values.json === true, quiet: values.quiet === true, options };
}
