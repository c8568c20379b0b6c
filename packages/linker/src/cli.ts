#!/usr/bin/env node
// The `link-image` bin (build time, on Node): process glue around runCli. It must not hold logic.
import { runCli } from "./run-cli.js";

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
