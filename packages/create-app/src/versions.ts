// Host tool layer (@toro/create-app, Node): the `@toro` version ranges a new app depends on. They are
// this package's own devDependency ranges, which `pnpm publish` rewrites from `workspace:^` to the
// versions released with it, so a starter always scaffolds the units of its own release. It reads
// one file; it must not import the template or write anything.
import { readFileSync } from "node:fs";
import { ToroError } from "@toro/kernel";

/** The version ranges of the `@toro` packages a scaffolded app depends on. */
export interface StarterVersions {
  /** Range of `@toro/kernel` (an app dependency: it ends up in the image). */
  kernel: string;
  /** Range of `@toro/linker` (a dev dependency: `link-image`). */
  linker: string;
  /** Range of `@toro/vm` (a dev dependency: `run-image`). */
  vm: string;
}

interface OwnManifest {
  devDependencies?: Record<string, string>;
}

/**
 * Reads the version ranges from a package.json text shaped like this package's own.
 *
 * @param manifestText - the text of a package.json whose devDependencies name the three packages
 * @returns the ranges to write into the new app's package.json
 * @throws ToroError "EVERSIONS" when a range is missing or still a `workspace:` range (an
 * unpublished checkout: pass versions explicitly instead)
 * @example
 * ```ts
 * const v = versionsFromManifest('{"devDependencies":{"@toro/kernel":"^0.1.0","@toro/linker":"^0.1.0","@toro/vm":"^0.1.0"}}');
 * v.kernel; // "^0.1.0"
 * ```
 */
export function versionsFromManifest(manifestText: string): StarterVersions {
  const manifest = JSON.parse(manifestText) as OwnManifest;
  const deps = manifest.devDependencies ?? {};
  const range = (name: string): string => {
    const value = deps[name];
    if (typeof value !== "string" || value.length === 0) {
      throw new ToroError("EVERSIONS", `@toro/create-app's package.json names no range for ${name}`, {
        hint: "reinstall @toro/create-app",
      });
    }
    if (value.startsWith("workspace:")) {
      throw new ToroError("EVERSIONS", `${name} is "${value}": this @toro/create-app is an unpublished checkout`, {
        hint: "run the published starter (npm create @toro/app), or pass versions to scaffoldApp()",
      });
    }
    return value;
  };
  return { kernel: range("@toro/kernel"), linker: range("@toro/linker"), vm: range("@toro/vm") };
}

/**
 * The version ranges of this installed starter (read from its package.json).
 *
 * @returns the ranges of `@toro/kernel`, `@toro/linker` and `@toro/vm` it was released with
 * @throws ToroError "EVERSIONS" when run from an unpublished checkout (see {@link versionsFromManifest})
 * @example
 * ```ts
 * const { kernel } = starterVersions(); // e.g. "^0.1.0"
 * ```
 */
export function starterVersions(): StarterVersions {
  // dist/index.js and dist/cli.js (and src/ in tests) all sit one level below package.json.
  return versionsFromManifest(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
}
