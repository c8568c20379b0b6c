// Host tool layer (@toro/create-app): the files of a new microservice, as pure data. No I/O here —
// write-app.ts writes them — so tests compare the template without touching a disk. It must not
// import node:fs or the CLI.
import { ToroError } from "@toro/kernel";
import type { StarterVersions } from "./versions.js";

/** What the template needs to know. */
export interface TemplateOptions {
  /** The app's package name (also the image's file name: `dist/<name>.img`). */
  name: string;
  /** The `@toro` version ranges to depend on. */
  versions: StarterVersions;
  /** The package manager the README's commands use. Default: "npm". */
  packageManager?: "npm" | "pnpm";
}

// npm's rules for a new unscoped package name: lowercase, URL-safe, at most 214 characters, not
// starting with "." or "_".
const NAME = /^[a-z0-9][a-z0-9._~-]*$/;

/**
 * Checks that `name` can be a new app's package name (and its image's file name).
 *
 * @param name - the candidate, usually the name of the folder to create
 * @returns the name, unchanged
 * @throws ToroError "EINVALIDNAME" when npm would refuse it
 * @example
 * ```ts
 * validateAppName("my-service"); // "my-service"
 * ```
 */
export function validateAppName(name: string): string {
  if (name.length > 214 || !NAME.test(name) || name === "node_modules" || name === "favicon.ico") {
    throw new ToroError("EINVALIDNAME", `"${name}" is not a valid package name for an app`, {
      hint: "use lowercase letters, digits and - . _ ~, starting with a letter or digit (e.g. my-service)",
    });
  }
  return name;
}

const MAIN_TS = `import { bootCommandLine, exit } from "@toro/kernel";

console.log(\`hello from my own kernel; booted with "\${bootCommandLine()}"\`);
setTimeout(() => exit(0), 10);
`;

// The engine (QuickJS 2021-03-27) runs ES2020. The image has no Node or DOM globals: its own
// (console, timers, TextEncoder, ...) are declared by @toro/kernel/globals, and nothing else is
// loaded from node_modules/@types.
const TSCONFIG = {
  compilerOptions: {
    target: "ES2020",
    module: "ESNext",
    moduleResolution: "Bundler",
    lib: ["ES2020"],
    types: ["@toro/kernel/globals"],
    strict: true,
    isolatedModules: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ["src"],
};

function readme(name: string, pm: "npm" | "pnpm"): string {
  const run = pm === "npm" ? "npm run" : "pnpm";
  return `# ${name}

A Toro microservice: \`src/main.ts\` and the Toro units it imports link into one bootable x86-64 VM
image (no Linux, no Node inside), which boots in QEMU (KVM when usable, else TCG).

\`\`\`sh
${pm} install
${run} link-image   # bundle + type-check + compile -> dist/${name}.img, with a size report
${run} run-image    # boot it; the guest's console streams here and its exit code is the command's
\`\`\`

Needs Node.js 20 or newer on linux-x64 and \`qemu-system-x86_64\` (Debian/Ubuntu:
\`apt-get install qemu-system-x86\`). Inside the image, \`console\`, timers, promises,
\`performance.now()\`, \`TextEncoder\`/\`TextDecoder\` and \`crypto.getRandomValues\` behave as in Node;
\`tsconfig.json\` loads their types from \`@toro/kernel/globals\`. \`run-image --help\` lists the VM options (memory, cores,
machine, boot command line, timeout).
`;
}

/**
 * The files of a new microservice, by path relative to its folder.
 *
 * @param options - the app's name, the `@toro` version ranges and the package manager for its README
 * @returns a map from relative path (`package.json`, `src/main.ts`, ...) to file text
 * @throws ToroError "EINVALIDNAME" when the name is not a valid package name
 * @example
 * ```ts
 * const files = appTemplate({ name: "my-service", versions: { kernel: "^0.1.0", linker: "^0.1.0", vm: "^0.1.0" } });
 * Object.keys(files); // ["package.json", "tsconfig.json", "src/main.ts", "README.md", ".gitignore"]
 * ```
 */
export function appTemplate(options: TemplateOptions): Record<string, string> {
  const name = validateAppName(options.name);
  const { kernel, linker, vm } = options.versions;
  const packageJson = {
    name,
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: {
      "link-image": "link-image",
      "run-image": `run-image dist/${name}.img`,
    },
    dependencies: { "@toro/kernel": kernel },
    devDependencies: { "@toro/linker": linker, "@toro/vm": vm },
  };
  return {
    "package.json": `${JSON.stringify(packageJson, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify(TSCONFIG, null, 2)}\n`,
    "src/main.ts": MAIN_TS,
    "README.md": readme(name, options.packageManager ?? "npm"),
    ".gitignore": "node_modules/\ndist/\n",
  };
}
