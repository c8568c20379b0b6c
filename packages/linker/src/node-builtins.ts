// Build-time layer of @toro/linker: an esbuild plugin that rejects imports of Node built-ins, which
// do not exist inside a Toro image, at the importing file and line, and says what to use instead.
// It must not import typescript or anything from the image side except ToroError's package.
import { builtinModules } from "node:module";
import type { Plugin } from "esbuild";

const NOT_YET = "no Toro equivalent yet";

// What to tell the author per built-in. Only name packages and globals that exist or are planned in
// ARCHITECTURE.md; everything else gets the honest "no Toro equivalent yet".
const REPLACEMENTS: Readonly<Record<string, string>> = {
  fs: `@toro/fs is planned; ${NOT_YET}`,
  "fs/promises": `@toro/fs is planned (an fs/promises-like API); ${NOT_YET}`,
  net: `@toro/net is planned (TCP/IP sockets); ${NOT_YET}`,
  dgram: `@toro/net is planned (UDP sockets); ${NOT_YET}`,
  dns: `@toro/net is planned (DNS); ${NOT_YET}`,
  http: `@toro/http is planned; ${NOT_YET}`,
  https: `@toro/http is planned (without TLS); ${NOT_YET}`,
  http2: NOT_YET,
  tls: NOT_YET,
  timers: "setTimeout/setInterval/clearTimeout/clearInterval are globals in a Toro image: drop the import",
  "timers/promises": `${NOT_YET}; wrap the global setTimeout in a Promise`,
  perf_hooks: "performance.now() is a global in a Toro image: drop the import",
  crypto: "crypto.getRandomValues() is a global in a Toro image; other crypto has no Toro equivalent yet",
  util: "TextEncoder/TextDecoder are globals in a Toro image; other util helpers have no Toro equivalent yet",
  buffer: "use Uint8Array with the global TextEncoder/TextDecoder; Buffer has no Toro equivalent yet",
  process: "@toro/process is planned; the boot command line and exit code come from @toro/kernel",
  child_process: "a unikernel runs no other processes; @toro/process (planned) will spawn threads on cores",
  worker_threads: "@toro/process is planned (threads on chosen cores, channels); no Toro equivalent yet",
  cluster: "@toro/process is planned (one runtime per core); no Toro equivalent yet",
};

/** The advice for one Node built-in module name, with or without the `node:` prefix. */
export function builtinAdvice(specifier: string): string {
  const name = specifier.replace(/^node:/, "");
  return REPLACEMENTS[name] ?? REPLACEMENTS[name.split("/")[0] ?? ""] ?? NOT_YET;
}

const BARE = new Set(builtinModules.filter((m) => !m.startsWith("_")));
const SKIP = "toro-builtin-check-skip";

/** Whether an import specifier names a Node built-in (`node:fs`, `fs`, `fs/promises`, ...). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || BARE.has(specifier);
}

/**
 * The esbuild plugin. `node:` imports are always rejected. A bare name such as `events` or `buffer`
 * is rejected only if it does not resolve to an installed npm package: those polyfills are plain
 * JS and may well run in the image.
 */
export function rejectNodeBuiltins(): Plugin {
  return {
    name: "toro-reject-node-builtins",
    setup(build) {
      const escaped = [...BARE].map((m) => m.replace(/[/]/g, "\\/")).join("|");
      const filter = new RegExp(`^(node:.*|(${escaped}))$`);
      build.onResolve({ filter }, async (args) => {
        if (args.pluginData === SKIP) return undefined;
        if (!args.path.startsWith("node:")) {
          const found = await build.resolve(args.path, {
            kind: args.kind,
            importer: args.importer,
            resolveDir: args.resolveDir,
            pluginData: SKIP,
          });
          if (found.errors.length === 0 && found.path !== "") {
            const { path, namespace, external, sideEffects, suffix } = found;
            return { path, namespace, external, sideEffects, suffix };
          }
        }
        return {
          errors: [
            {
              text: `"${args.path}" is a Node built-in module, which does not exist inside a Toro image: ${builtinAdvice(args.path)}`,
            },
          ],
        };
      });
    },
  };
}
