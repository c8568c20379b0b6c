import { describe, expect, it } from "vitest";
import { starterVersions, versionsFromManifest } from "./versions.js";

describe("versionsFromManifest", () => {
  it("reads the three ranges from devDependencies", () => {
    const text = JSON.stringify({
      devDependencies: { "@toro/kernel": "^1.2.3", "@toro/linker": "^1.0.0", "@toro/vm": "1.1.0" },
    });
    expect(versionsFromManifest(text)).toEqual({ kernel: "^1.2.3", linker: "^1.0.0", vm: "1.1.0" });
  });

  it("refuses workspace: ranges (an unpublished checkout) with a hint", () => {
    const text = JSON.stringify({
      devDependencies: { "@toro/kernel": "workspace:^", "@toro/linker": "^1.0.0", "@toro/vm": "^1.0.0" },
    });
    expect(() => versionsFromManifest(text)).toThrow(
      expect.objectContaining({ code: "EVERSIONS", hint: expect.stringContaining("npm create @toro/app") }),
    );
  });

  it("refuses a manifest without a range", () => {
    expect(() => versionsFromManifest("{}")).toThrow(expect.objectContaining({ code: "EVERSIONS" }));
  });

  it("in this checkout, the starter's own ranges are workspace ranges (pnpm publish rewrites them)", () => {
    expect(() => starterVersions()).toThrow(expect.objectContaining({ code: "EVERSIONS" }));
  });
});
