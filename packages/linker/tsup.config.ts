// Build of @toro/linker: the library entry and the `link-image` bin, for Node. esbuild and
// typescript stay external: they are real dependencies, loaded from node_modules at run time.
// The bin's `#!/usr/bin/env node` line is the first line of src/cli.ts: esbuild keeps an entry's
// hashbang and tsup marks such outputs executable, so index.js gets no banner it does not need.
import { packageConfig } from "../../tooling/config/tsup.config.js";

export default packageConfig(
  { index: "src/index.ts", cli: "src/cli.ts" },
  { platform: "node", external: ["esbuild", "typescript"] },
);
