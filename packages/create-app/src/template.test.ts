import { describe, expect, it } from "vitest";
import { appTemplate, validateAppName } from "./template.js";

const versions = { kernel: "^0.3.0", linker: "^0.2.1", vm: "~0.4.0" };

describe("appTemplate", () => {
  it("writes package.json with the link-image/run-image scripts and the given ranges", () => {
    const files = appTemplate({ name: "my-service", versions });
    const pkg = JSON.parse(files["package.json"] as string);
    expect(pkg).toEqual({
      name: "my-service",
      version: "0.1.0",
      private: true,
      type: "module",
      scripts: { "link-image": "link-image", "run-image": "run-image dist/my-service.img" },
      dependencies: { "@toro/kernel": "^0.3.0" },
      devDependencies: { "@toro/linker": "^0.2.1", "@toro/vm": "~0.4.0" },
    });
  });

  it("has the README's main.ts and a strict ES2020 tsconfig with the image's globals", () => {
    const files = appTemplate({ name: "svc", versions });
    expect(Object.keys(files).sort()).toEqual(
      [".gitignore", "README.md", "package.json", "src/main.ts", "tsconfig.json"].sort(),
    );
    expect(files["src/main.ts"]).toContain('import { bootCommandLine, exit } from "@toro/kernel";');
    const tsconfig = JSON.parse(files["tsconfig.json"] as string);
    expect(tsconfig.compilerOptions).toMatchObject({
      strict: true,
      target: "ES2020",
      lib: ["ES2020"],
      types: ["@toro/kernel/globals"],
    });
  });

  it("speaks the package manager that ran it in the README", () => {
    expect(appTemplate({ name: "a", versions })["README.md"]).toContain("npm run link-image");
    const pnpm = appTemplate({ name: "a", versions, packageManager: "pnpm" })["README.md"];
    expect(pnpm).toContain("pnpm install\npnpm link-image");
  });
});

describe("validateAppName", () => {
  it.each(["my-service", "a", "svc.v2", "x_y", "0day"])("accepts %s", (name) => {
    expect(validateAppName(name)).toBe(name);
  });

  it.each(["My-Service", ".hidden", "_x", "", "a b", "a/b", "node_modules", "x".repeat(215)])(
    "rejects %j with EINVALIDNAME and a hint",
    (name) => {
      expect(() => validateAppName(name)).toThrow(expect.objectContaining({ code: "EINVALIDNAME", hint: expect.any(String) }));
    },
  );
});
