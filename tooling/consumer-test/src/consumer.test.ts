// Consumer-test suite, part 2 (host, Node, QEMU; needs the npm registry for the uplink): publishes
// every public package to a local Verdaccio, then — in temp folders outside the monorepo, with no
// workspace around them and a fresh HOME — does what the README's "Write your own microservice"
// section says with npm and with pnpm, runs the starter with both, boots every image and checks
// the console and exit status; and checks that an app of @toro/kernel alone installs and links
// nothing else. Needs `pnpm build` first. Prints the install times.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerEnvironment } from "./consumer-env.js";
import { startLocalRegistry, type LocalRegistry } from "./local-registry.js";
import { exportMarkers, markersIn } from "./markers.js";
import { packPackage } from "./pack.js";
import { describeResult, runCommand, type CommandResult } from "./run-command.js";
import { publicPackages, repoRoot } from "./workspace-packages.js";

// The README's main.ts, word for word.
const MAIN_TS = `import { bootCommandLine, exit } from "@toro/kernel";

console.log(\`hello from my own kernel; booted with "\${bootCommandLine()}"\`);
setTimeout(() => exit(0), 10);
`;
const HELLO = 'hello from my own kernel; booted with ""';

const packages = publicPackages();
const kernelPkg = packages.find((p) => p.name === "@toro/kernel");
// The in-image units besides the kernel: the packages without a bin (linker, vm and create-app are
// host tools; the kernel's one bin is its host compiler).
const otherUnits = packages.filter((p) => p.manifest.bin === undefined);

const root = mkdtempSync(join(tmpdir(), "toro-consumer-"));
let registry: LocalRegistry | undefined;
let env: NodeJS.ProcessEnv = {};
const timings: string[] = [];

async function sh(cwd: string, command: string, ...args: string[]): Promise<CommandResult> {
  const result = await runCommand(command, args, { cwd, env, timeoutMs: 300_000 });
  expect(result.status, describeResult(`${command} ${args.join(" ")} (in ${cwd})`, result)).toBe(0);
  return result;
}

async function timed(label: string, cwd: string, command: string, ...args: string[]): Promise<CommandResult> {
  const result = await sh(cwd, command, ...args);
  timings.push(`${label}: ${(result.durationMs / 1000).toFixed(1)} s`);
  return result;
}

function newFolder(...parts: string[]): string {
  const dir = join(root, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const kernelEngineId = (): string =>
  (JSON.parse(readFileSync(join(repoRoot, "packages/kernel/dist/toro-kernel.json"), "utf8")) as { engine: { id: string } })
    .engine.id;

function expectInstalledKernelIsOurs(appDir: string): void {
  const manifest = JSON.parse(readFileSync(join(appDir, "node_modules/@toro/kernel/dist/toro-kernel.json"), "utf8"));
  expect(manifest.engine.id, "the installed kernel is the one this workspace built").toBe(kernelEngineId());
}

beforeAll(async () => {
  expect(root.startsWith(repoRoot), "the consumer apps live outside the monorepo").toBe(false);
  expect(kernelPkg, "@toro/kernel is a public package").toBeDefined();
  if (!existsSync(join(repoRoot, "packages/kernel/dist/toro-kernel.elf"))) {
    throw new Error("the packages are not built (packages/kernel/dist/toro-kernel.elf is missing): run `pnpm build` first");
  }
  const unbuilt = packages.filter((p) => !existsSync(join(p.dir, "dist/index.js"))).map((p) => p.name);
  expect(unbuilt, "public packages without dist/index.js: run `pnpm build` first").toEqual([]);
  // Proxy to the registry the user's npm is configured with (the public one unless set otherwise).
  const uplink = (await runCommand("npm", ["config", "get", "registry"], { cwd: root, env: process.env, timeoutMs: 60_000 }))
    .stdout.trim();
  registry = await startLocalRegistry(newFolder("registry"), uplink || "https://registry.npmjs.org/");
  env = consumerEnvironment(join(root, "home"), registry.url, registry.token, repoRoot);
  const tarballs = newFolder("tarballs");
  for (const pkg of packages) {
    const packed = await packPackage(pkg, tarballs);
    // pnpm publish of the tarball pnpm packed: workspace: ranges are already rewritten in it.
    await sh(tarballs, "pnpm", "publish", packed.tarball, "--registry", registry.url, "--no-git-checks");
  }
}, 600_000);

afterAll(async () => {
  await registry?.stop();
  if (timings.length > 0) console.log(`consumer install/link/boot times:\n  ${timings.join("\n  ")}`);
  if (process.env["TORO_KEEP_CONSUMER"] === undefined) rmSync(root, { recursive: true, force: true });
}, 60_000);

describe("an app outside the monorepo, installed from a registry", () => {
  it("npm: npm init -y, npm install, npx link-image, npx run-image (the README's steps)", async () => {
    const app = newFolder("npm", "my-service");
    await sh(app, "npm", "init", "-y");
    await timed("npm install (cold cache)", app, "npm", "install", ...["@toro/kernel", "@toro/linker", "@toro/vm"], ...otherUnits.map((u) => u.name));
    expectInstalledKernelIsOurs(app);
    mkdirSync(join(app, "src"));
    writeFileSync(join(app, "src/main.ts"), MAIN_TS);

    const linked = await timed("npx link-image", app, "npx", "link-image");
    expect(linked.stdout).toContain("wrote");
    // The shipped toro-qjsc ran: the app is engine bytecode, not source (the silent fallback).
    expect(linked.stdout).toContain("main.js (bytecode)");
    const image = join(app, "dist/my-service.img");
    expect(existsSync(image)).toBe(true);
    // The size report names the packages in the image: only the app and the kernel.
    for (const other of packages.filter((p) => p.name !== "@toro/kernel")) expect(linked.stdout).not.toContain(other.name);

    const booted = await timed("npx run-image", app, "npx", "run-image", "dist/my-service.img");
    expect(booted.stdout).toContain(HELLO);

    // No code of any other package: none of their exported names is in the image...
    const exclude = ["dist/index.js", "dist/runtime.js"].map((f) => join(repoRoot, "packages/kernel", f));
    const markers = new Map(packages.filter((p) => p !== kernelPkg).map((p) => [p.name, exportMarkers(p.dir, exclude)]));
    for (const [name, names] of markers) expect(markersIn(image, names), `${name} code in a kernel-only image`).toEqual([]);

    // ...while an app that uses every unit (a namespace import keeps all of a unit) has all of theirs,
    // which shows the markers would be found, and that every unit loads inside an image.
    const imports = otherUnits.map((u, i) => `import * as unit${i} from "${u.name}";`).join("\n");
    const prints = otherUnits.map((u, i) => `console.log(\`${u.name}: \${Object.keys(unit${i}).length} exports\`);`).join("\n");
    writeFileSync(join(app, "src/all-units.ts"), `import { exit } from "@toro/kernel";\n${imports}\n${prints}\nexit(0);\n`);
    await sh(app, "npx", "link-image", "src/all-units.ts", "-o", "dist/all-units.img");
    const all = await sh(app, "npx", "run-image", "dist/all-units.img");
    for (const unit of otherUnits) {
      expect(all.stdout).toMatch(new RegExp(`${unit.name}: [1-9]\\d* exports`));
      const names = markers.get(unit.name) ?? [];
      expect(names.length, `${unit.name} has marker names`).toBeGreaterThan(0);
      expect(markersIn(join(app, "dist/all-units.img"), names)).toEqual(names);
    }
  }, 600_000);

  it("npm: an app of @toro/kernel alone installs no other package", async () => {
    const app = newFolder("kernel-only", "svc");
    await sh(app, "npm", "init", "-y");
    await timed("npm install @toro/kernel", app, "npm", "install", "@toro/kernel");
    const installed = readdirSync(join(app, "node_modules")).filter((f) => !f.startsWith("."));
    expect(installed).toEqual(["@toro"]);
    expect(readdirSync(join(app, "node_modules/@toro"))).toEqual(["kernel"]);
    expectInstalledKernelIsOurs(app);
  }, 300_000);

  it("pnpm: pnpm init, pnpm add, pnpm link-image, pnpm run-image", async () => {
    const app = newFolder("pnpm", "my-service");
    await sh(app, "pnpm", "init");
    await timed("pnpm add", app, "pnpm", "add", "@toro/kernel", "@toro/linker", "@toro/vm");
    expectInstalledKernelIsOurs(app);
    mkdirSync(join(app, "src"));
    writeFileSync(join(app, "src/main.ts"), MAIN_TS);
    const linked = await timed("pnpm link-image", app, "pnpm", "link-image");
    expect(linked.stdout).toContain("main.js (bytecode)");
    const booted = await sh(app, "pnpm", "run-image", "dist/my-service.img");
    expect(booted.stdout).toContain(HELLO);
  }, 300_000);
});

describe("the starter", () => {
  const expectScaffold = (app: string) => {
    const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
    const version = (name: string) => `^${packages.find((p) => p.name === name)?.version}`;
    expect(pkg.dependencies).toEqual({ "@toro/kernel": version("@toro/kernel") });
    expect(pkg.devDependencies).toEqual({ "@toro/linker": version("@toro/linker"), "@toro/vm": version("@toro/vm") });
    expect(readFileSync(join(app, "src/main.ts"), "utf8")).toBe(MAIN_TS);
  };

  it("npm create @toro/app my-service, then npm install, npm run link-image, npm run run-image", async () => {
    const parent = newFolder("starter-npm");
    const created = await timed("npm create @toro/app", parent, "npm", "create", "@toro/app", "my-service");
    expect(created.stdout).toContain("npm run link-image");
    const app = join(parent, "my-service");
    expectScaffold(app);
    await timed("npm install (starter)", app, "npm", "install");
    expect((await sh(app, "npm", "run", "link-image")).stdout).toContain("main.js (bytecode)");
    const booted = await sh(app, "npm", "run", "run-image");
    expect(booted.stdout).toContain(HELLO);
  }, 300_000);

  it("pnpm create @toro/app my-service, then pnpm install, pnpm link-image, pnpm run-image", async () => {
    const parent = newFolder("starter-pnpm");
    const created = await timed("pnpm create @toro/app", parent, "pnpm", "create", "@toro/app", "my-service");
    expect(created.stdout).toContain("pnpm link-image");
    const app = join(parent, "my-service");
    expectScaffold(app);
    await timed("pnpm install (starter)", app, "pnpm", "install");
    await sh(app, "pnpm", "link-image");
    const booted = await sh(app, "pnpm", "run-image");
    expect(booted.stdout).toContain(HELLO);
  }, 300_000);
});
