// Host tool layer (@toro/create-app): the public entry. Re-exports only; runs nothing on import.
// A starter runs on the host: it must never import in-image units beyond ToroError.
export { scaffoldApp, type ScaffoldOptions, type ScaffoldResult } from "./scaffold-app.js";
export { appTemplate, validateAppName, type TemplateOptions } from "./template.js";
export { starterVersions, versionsFromManifest, type StarterVersions } from "./versions.js";
export { parseCreateArgs, USAGE, type CreateArgs } from "./cli-args.js";
export { runCreateCli, packageManagerFromUserAgent, type CreateCliIo } from "./run-cli.js";
