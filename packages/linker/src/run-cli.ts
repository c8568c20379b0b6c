// Build-time layer of @toro/linker (Node): the `link-image` command — runs linkImage in a folder,
// prints progress on stderr and the size report on stdout, turns errors into `link-image: ...`
// lines and an exit status. It writes only to the streams it is given; it must not call
// process.exit (cli.ts does).
import { ToroError } from "@toro/kernel";
import { parseCliArgs, USAGE } from "./cli-args.js";
import { linkImage } from "./link-image.js";
import { formatSizeReport } from "./size-report.js";

/** Where the command writes. */
export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs `link-image` with argv (without node and the script) and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const result = await linkImage({
      ...args.options,
      appDir: io.cwd,
      onProgress: args.quiet ? () => {} : (line) => io.stderr(`${line}\n`),
    });
    io.stdout(
      args.json
        ? `${JSON.stringify({ imagePath: result.imagePath, ...result.sizes }, null, 2)}\n`
        : `${formatSizeReport(result.sizes)}\nwrote ${result.imagePath}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ToroError) {
      io.stderr(`link-image: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`);
      return 1;
    }
    // Not one of ours: a bug, so keep the stack.
    io.stderr(`link-image: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
