// Build of @toro/create-app: the library entry and the `create-app` bin, for Node. ToroError is
// bundled from @toro/kernel (a devDependency), so `npm create @toro/app` downloads one small package
// and no prebuilt kernel. The bin's hashbang is the first line of src/cli.ts (esbuild keeps it).
import { packageConfig } from "../../tooling/config/tsup.config.js";

export default packageConfig(
  { index: "src/index.ts", cli: "src/cli.ts" },
  { platform: "node", noExternal: ["@toro/kernel"], sourcemap: false },
);
