// Public entry "@toro/kernel/runtime": the globals installed inside an image (bundled by the linker
// as the classic script runtime.js, which calls installGlobals()), plus the pure pieces tests
// compare against Node. Re-exports only: importing this entry has no side effects.
export { installGlobals } from "./install-globals.js";
export { inspect, type InspectOptions } from "./inspect.js";
export { format } from "./format.js";
