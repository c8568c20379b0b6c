import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Every package's tests run on their sources (the "toro-source" export condition), no build needed,
// except image tests, which boot the built kernel.
export default defineConfig({
  resolve: { conditions: ["toro-source"] },
  // Vitest runs tests in the SSR environment, which takes its conditions from here.
  ssr: { resolve: { conditions: ["toro-source"] } },
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["packages/*/src/**/*.test.ts", "apps/*/**/*.test.ts", "tooling/*/src/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
