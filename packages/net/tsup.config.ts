import { packageConfig } from "../../tooling/config/tsup.config.js";

export default packageConfig({ index: "src/index.ts" });
