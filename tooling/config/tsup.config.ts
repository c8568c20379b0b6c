// The one tsup configuration every package uses (tsup is in maintenance: one place to switch).
import { defineConfig, type Options } from "tsup";

/** Builds a package's entry points to ESM + .d.ts in dist/. */
export function packageConfig(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ["esm"],
    dts: true,
    sourcemap: true,
    clean: false,
    target: "es2022",
    platform: "neutral",
    treeshake: true,
    splitting: false,
    ...extra,
  });
}
