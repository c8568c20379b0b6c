// Public entry of @toro/linker (build time, on Node): the linkImage API and the size report table.
// Pure re-exports, no side effects; it must not export internal helpers (payload, ELF, bundling).
export { linkImage, type LinkImageResult } from "./link-image.js";
export type { LinkImageOptions } from "./resolve-options.js";
export { formatSizeReport, type PackageSize, type SizeReport } from "./size-report.js";
