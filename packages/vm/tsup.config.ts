// Build configuration of @toro/vm: the shared tsup setup, for Node (the CLI spawns QEMU).
import { packageConfig } from "../../tooling/config/tsup.config.js";

export default packageConfig({ index: "src/index.ts", cli: "src/cli.ts" }, { platform: "node" });
