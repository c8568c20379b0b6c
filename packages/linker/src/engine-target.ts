// Build-time layer of @toro/linker: the language level of the image's engine, QuickJS 2021-03-27,
// as esbuild target settings. Data only; it must not import anything.
//
// Sources: the Changelog of the QuickJS release the kernel builds (logical assignment 2020-09-06;
// public/private class fields, methods and accessors 2019-08-10; optional chaining and nullish
// 2019-12-21) and its test262.conf, which marks what the engine skips: top-level-await,
// regexp-match-indices, arbitrary-module-namespace-names, class static blocks (not listed at all).
// The parser confirms top-level await: a module body is not an async function, so `await` there is
// "unexpected 'await' keyword". esbuild lowers what it can; what it cannot (top-level await) becomes
// a "not available in the configured target environment" error at the right file and line.
import type { BuildOptions } from "esbuild";

/** The esbuild `target` and `supported` settings for the engine. */
export const ENGINE_TARGET: Pick<BuildOptions, "target" | "supported"> = {
  target: "es2020",
  supported: {
    // ES2021/ES2022 features QuickJS 2021-03-27 runs natively: keep them unlowered (smaller, faster).
    "logical-assignment": true,
    "class-field": true,
    "class-static-field": true,
    "class-private-field": true,
    "class-private-method": true,
    "class-private-accessor": true,
    "class-private-static-field": true,
    "class-private-static-method": true,
    "class-private-static-accessor": true,
    // Within es2020 already, listed so the engine's level reads in one place.
    bigint: true,
    "dynamic-import": true,
    "import-meta": true,
    "async-generator": true,
    "for-await": true,
    // Newer than the engine: esbuild lowers these (brand checks, static blocks) or reports them.
    "top-level-await": false,
    "class-static-blocks": false,
    "class-private-brand-check": false,
    "regexp-match-indices": false,
    "regexp-set-notation": false,
    "arbitrary-module-namespace-names": false,
  },
};
