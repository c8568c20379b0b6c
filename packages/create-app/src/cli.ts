#!/usr/bin/env node
// The `create-app` bin (`npm create @toro/app`, `pnpm create @toro/app`): process glue around
// runCreateCli. It must not hold logic.
import { runCreateCli } from "./run-cli.js";

process.exitCode = await runCreateCli(process.argv.slice(2), {
  cwd: process.cwd(),
  userAgent: process.env["npm_config_user_agent"],
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
