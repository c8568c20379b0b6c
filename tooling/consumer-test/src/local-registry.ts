// Consumer-test tooling (host, Node): a throw-away npm registry — Verdaccio on 127.0.0.1, a free
// port, a temp storage folder. @toro/* is served only from what we publish (never from the real
// registry, where someone else could own the scope); everything else is proxied to the registry
// npm is configured with, so esbuild and typescript install as for a user. It must not import the
// workspace's packages.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { killGroup } from "./run-command.js";

/** A running registry. */
export interface LocalRegistry {
  /** e.g. `http://127.0.0.1:41234/` */
  url: string;
  /** An auth token that may publish. */
  token: string;
  /** Stops the server (idempotent). */
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function configYaml(storage: string, uplink: string): string {
  return `storage: ${JSON.stringify(join(storage, "storage"))}
auth:
  htpasswd:
    file: ${JSON.stringify(join(storage, "htpasswd"))}
    max_users: 100
uplinks:
  npmjs:
    url: ${JSON.stringify(uplink)}
    timeout: 120s
    max_fails: 10
    cache: true
packages:
  "@toro/*":
    access: $all
    publish: $all
    unpublish: $all
  "**":
    access: $all
    publish: $authenticated
    proxy: npmjs
web:
  enable: false
log: { type: stdout, format: pretty, level: warn }
`;
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(new URL("-/ping", url));
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`verdaccio did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
}

// Creates a user through the npm login API (PUT /-/user/org.couchdb.user:NAME) and returns its token;
// npm and pnpm refuse to publish without one, even where the registry would take anonymous packages.
async function createUser(url: string): Promise<string> {
  const name = "toro-consumer-test";
  const res = await fetch(new URL(`-/user/org.couchdb.user:${name}`, url), {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, password: "toro-consumer-test", email: "test@example.invalid" }),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || typeof body.token !== "string") throw new Error(`verdaccio adduser: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * Starts Verdaccio (the workspace's devDependency) in its own process group.
 *
 * @param workDir - an empty temp folder for its config and storage
 * @param uplink - the registry to proxy everything but @toro/* to
 * @returns the registry's URL, a publish token and stop()
 * @example
 * ```ts
 * const registry = await startLocalRegistry(tmp, "https://registry.npmjs.org/");
 * try { ... } finally { await registry.stop(); }
 * ```
 */
export async function startLocalRegistry(workDir: string, uplink: string): Promise<LocalRegistry> {
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve("verdaccio/package.json")), "bin", "verdaccio");
  mkdirSync(join(workDir, "storage"), { recursive: true });
  const config = join(workDir, "config.yaml");
  writeFileSync(config, configYaml(workDir, uplink));
  let lastError: unknown;
  // A free port can be taken between probing and binding: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const child = spawn(process.execPath, [bin, "--config", config, "--listen", `127.0.0.1:${port}`], {
      cwd: workDir,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: { ...process.env, NODE_ENV: "production" },
    });
    let output = "";
    child.stdout?.setEncoding("utf8").on("data", (t: string) => (output = (output + t).slice(-20_000)));
    child.stderr?.setEncoding("utf8").on("data", (t: string) => (output = (output + t).slice(-20_000)));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // If the test process dies before afterAll (a killed worker), the registry must not outlive it.
    const onExit = () => killGroup(child.pid);
    process.once("exit", onExit);
    const stop = async () => {
      process.off("exit", onExit);
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child.pid);
        await exited;
      }
    };
    try {
      await waitUntilUp(url, child, () => output, 60_000);
      return { url, token: await createUser(url), stop };
    } catch (error) {
      lastError = error;
      await stop();
    }
  }
  throw lastError;
}
