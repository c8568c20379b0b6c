// Host tool layer (@toro/create-app, Node): the `create-app` command — scaffolds, then prints the
// next steps in the package manager that ran it. It writes only to the streams it is given; it
// must not call process.exit (cli.ts does).
import { relative, resolve } from "node:path";
import { ToroError } from "@toro/kernel";
import { parseCreateArgs, USAGE } from "./cli-args.js";
import { scaffoldApp } from "./scaffold-app.js";
import type { StarterVersions } from "./versions.js";

/** Where the command runs and writes. */
export interface CreateCliIo {
  /** The folder relative paths are taken from. */
  cwd: string;
  /** `npm_config_user_agent` of the environment ("pnpm/10.1.0 npm/? node/v20..."), if any. */
  userAgent?: string;
  /** Receives the summary and next steps. */
  stdout: (text: string) => void;
  /** Receives errors, with a hint. */
  stderr: (text: string) => void;
  /** Version ranges to scaffold with (tests); default: this starter's own. */
  versions?: StarterVersions;
}

/**
 * Which package manager ran us, from `npm_config_user_agent` (npm, pnpm and yarn all set it).
 *
 * @param userAgent - the user agent string, or undefined when not run by a package manager
 * @returns "pnpm" when pnpm ran us, else "npm"
 * @example
 * ```ts
 * packageManagerFromUserAgent("pnpm/10.34.8 npm/? node/v20.20.2 linux x64"); // "pnpm"
 * ```
 */
export function packageManagerFromUserAgent(userAgent: string | undefined): "npm" | "pnpm" {
  return userAgent?.startsWith("pnpm/") === true ? "pnpm" : "npm";
}

/**
 * Runs `create-app` and returns its exit status (0 done, 1 failed, 2 bad usage).
 *
 * @param argv - the arguments (without node and the script)
 * @param io - the working folder, the user agent and the output streams
 * @returns the exit status
 * @example
 * ```ts
 * const status = await runCreateCli(["my-service"], {
 *   cwd: process.cwd(),
 *   userAgent: process.env.npm_config_user_agent,
 *   stdout: (t) => process.stdout.write(t),
 *   stderr: (t) => process.stderr.write(t),
 * });
 * ```
 */
export async function runCreateCli(argv: readonly string[], io: CreateCliIo): Promise<number> {
  let args;
  try {
    args = parseCreateArgs(argv);
  } catch (error) {
    io.stderr(`create-app: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const pm = packageManagerFromUserAgent(io.userAgent);
  try {
    const app = scaffoldApp({
      dir: resolve(io.cwd, args.dir),
      ...(args.name === undefined ? {} : { name: args.name }),
      ...(io.versions === undefined ? {} : { versions: io.versions }),
      packageManager: pm,
    });
    const run = pm === "npm" ? "npm run" : "pnpm";
    const where = relative(io.cwd, app.dir) || ".";
    io.stdout(
      [
        `created ${app.name} in ${app.dir}`,
        "",
        "next:",
        `  cd ${where}`,
        `  ${pm} install`,
        `  ${run} link-image`,
        `  ${run} run-image`,
        "",
      ].join("\n"),
    );
    return 0;
  } catch (error) {
    if (error instanceof ToroError) {
      io.stderr(`create-app: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`);
      return 1;
    }
    io.stderr(`create-app: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
