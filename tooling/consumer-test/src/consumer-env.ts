// Consumer-test tooling (host, Node): the environment of a user's shell with nothing of this
// monorepo in it — a fresh HOME whose .npmrc points npm and pnpm at the local registry, PATH
// without the workspace's node_modules/.bin, and none of the npm_/pnpm_ variables that `pnpm test`
// exports. It must not import the workspace's packages.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Builds the environment for npm, npx and pnpm in a consumer app.
 *
 * @param home - an empty folder to act as the user's HOME (npm cache, pnpm store, .npmrc)
 * @param registryUrl - the registry to install from, e.g. `http://127.0.0.1:41234/`
 * @param token - the registry's auth token (needed only to publish)
 * @param repoRoot - the monorepo's root, whose paths are removed from PATH
 * @returns a process environment
 * @example
 * ```ts
 * const env = consumerEnvironment(join(tmp, "home"), registry.url, registry.token, repoRoot);
 * await runCommand("npm", ["init", "-y"], { cwd: appDir, env, timeoutMs: 60_000 });
 * ```
 */
export function consumerEnvironment(home: string, registryUrl: string, token: string, repoRoot: string): NodeJS.ProcessEnv {
  mkdirSync(home, { recursive: true });
  const hostPath = registryUrl.replace(/^https?:/, "");
  writeFileSync(
    join(home, ".npmrc"),
    [`registry=${registryUrl}`, `${hostPath}:_authToken=${token}`, "fund=false", "audit=false", "update-notifier=false", ""].join(
      "\n",
    ),
  );
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|npm_config_|xdg_|vitest|node_path$|node_options$|init_cwd$|tsx_)/i.test(key)) continue;
    env[key] = value;
  }
  const root = repoRoot.replace(/\/$/, "");
  env["PATH"] = (process.env["PATH"] ?? "")
    .split(":")
    .filter((p) => p !== "" && p !== root && !p.startsWith(`${root}/`) && !p.includes("/node_modules/.bin"))
    .join(":");
  env["HOME"] = home;
  // A user's shell, not CI: with CI set, `pnpm install` in a new app (no lockfile yet) would refuse
  // to run (frozen lockfile). Without a TTY, npx and pnpm still never prompt.
  delete env["CI"];
  return env;
}
