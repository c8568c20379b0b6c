// Host tool layer (@toro/create-app): parses the `create-app` command line. No I/O; it must not
// import node:fs or the scaffolder.
import { parseArgs } from "node:util";
import { ToroError } from "@toro/kernel";

/** The usage text of `create-app --help`. */
export const USAGE = `usage: npm create @toro/app <folder> [-- --name <package-name>]
       pnpm create @toro/app <folder> [--name <package-name>]

Creates a Toro microservice in a new folder: package.json (scripts link-image and run-image),
tsconfig.json, src/main.ts, README.md, .gitignore.

  folder               the folder to create (its name is the package name and the image's name)
      --name <name>    another package name
  -h, --help           this text`;

/** What the command line asks for. */
export interface CreateArgs {
  /** Print the usage and stop. */
  help: boolean;
  /** The folder to create ("" with help). */
  dir: string;
  /** The package name, when not the folder's. */
  name?: string;
}

/**
 * Parses `create-app`'s arguments (without node and the script).
 *
 * @param argv - the arguments
 * @returns the folder, the optional name, and whether help was asked for
 * @throws ToroError "EUSAGE" on unknown options, a missing folder or more than one folder
 * @example
 * ```ts
 * parseCreateArgs(["my-service"]); // { help: false, dir: "my-service" }
 * ```
 */
export function parseCreateArgs(argv: readonly string[]): CreateArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { name: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (cause) {
    throw new ToroError("EUSAGE", (cause as Error).message, { cause, hint: "run create-app --help" });
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { help: true, dir: "" };
  if (positionals.length !== 1) {
    throw new ToroError(
      "EUSAGE",
      positionals.length === 0 ? "which folder? none given" : `one folder expected, got ${positionals.join(" ")}`,
      { hint: "e.g. npm create @toro/app my-service" },
    );
  }
  const dir = positionals[0] as string;
  return values.name === undefined ? { help: false, dir } : { help: false, dir, name: values.name };
}
