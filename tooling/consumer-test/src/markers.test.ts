import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exportMarkers, markersIn } from "./markers.js";

const dir = mkdtempSync(join(tmpdir(), "toro-markers-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("exportMarkers / markersIn", () => {
  it("takes the long exported local names that the excluded files do not contain", () => {
    mkdirSync(join(dir, "pkg/dist"), { recursive: true });
    writeFileSync(
      join(dir, "pkg/dist/index.js"),
      "function createDriverRegistry() {}\nexport { createDriverRegistry, exit, sharedHelperName as alias, enumeratePci };\n" +
        "//# sourceMappingURL=index.js.map\n//# sourceMappingURL=index.js.map\n",
    );
    writeFileSync(join(dir, "kernel.js"), "function sharedHelperName() {}");
    expect(exportMarkers(join(dir, "pkg"), [join(dir, "kernel.js")])).toEqual(["createDriverRegistry", "enumeratePci"]);
  });

  it("finds markers in an image's bytes", () => {
    writeFileSync(join(dir, "image.img"), Buffer.concat([Buffer.from([0x7f, 0, 1]), Buffer.from("..enumeratePci..")]));
    expect(markersIn(join(dir, "image.img"), ["createDriverRegistry", "enumeratePci"])).toEqual(["enumeratePci"]);
  });

  it("says to build when dist/index.js is missing", () => {
    expect(() => exportMarkers(join(dir, "nothing"), [])).toThrow(/run pnpm build/);
  });
});
