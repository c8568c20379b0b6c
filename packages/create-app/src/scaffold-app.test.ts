import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scaffoldApp } from "./scaffold-app.js";

const versions = { kernel: "^0.1.0", linker: "^0.1.0", vm: "^0.1.0" };
let root = "";

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "toro-create-app-test-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("scaffoldApp", () => {
  it("creates the folder with every template file, named after the folder", () => {
    const app = scaffoldApp({ dir: join(root, "my-service"), versions });
    expect(app.name).toBe("my-service");
    expect(app.files).toContain("src/main.ts");
    expect(readdirSync(join(root, "my-service", "src"))).toEqual(["main.ts"]);
    const pkg = JSON.parse(readFileSync(join(root, "my-service", "package.json"), "utf8"));
    expect(pkg.scripts["run-image"]).toBe("run-image dist/my-service.img");
  });

  it("takes another name when given one, and uses an existing empty folder", () => {
    mkdirSync(join(root, "Folder"));
    const app = scaffoldApp({ dir: join(root, "Folder"), name: "svc", versions });
    expect(JSON.parse(readFileSync(join(app.dir, "package.json"), "utf8")).name).toBe("svc");
  });

  it("never writes into a folder that holds files", () => {
    mkdirSync(join(root, "busy"));
    writeFileSync(join(root, "busy", "keep.txt"), "mine");
    expect(() => scaffoldApp({ dir: join(root, "busy"), versions })).toThrow(expect.objectContaining({ code: "EEXIST" }));
    expect(readdirSync(join(root, "busy"))).toEqual(["keep.txt"]);
  });

  it("writes nothing when the folder's name is not a package name", () => {
    expect(() => scaffoldApp({ dir: join(root, "Bad Name"), versions })).toThrow(
      expect.objectContaining({ code: "EINVALIDNAME" }),
    );
    expect(readdirSync(root)).toEqual([]);
  });
});
