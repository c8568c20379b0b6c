import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { findQemu, qemuInstallCommand } from "./find-qemu.js";

describe("findQemu", () => {
  it("finds an executable on the given PATH, first match wins", async () => {
    const a = await mkdtemp(join(tmpdir(), "toro-path-"));
    const b = await mkdtemp(join(tmpdir(), "toro-path-"));
    await writeFile(join(b, "qemu-system-x86_64"), "#!/bin/sh\n");
    await chmod(join(b, "qemu-system-x86_64"), 0o755);
    expect(await findQemu(undefined, [a, b].join(delimiter))).toBe(join(b, "qemu-system-x86_64"));
  });

  it("skips files that are not executable", async () => {
    const a = await mkdtemp(join(tmpdir(), "toro-path-"));
    await writeFile(join(a, "qemu-system-x86_64"), "");
    await chmod(join(a, "qemu-system-x86_64"), 0o644);
    // root may execute any file with an x bit somewhere; 0o644 has none, so access(X_OK) fails even for root
    await expect(findQemu(undefined, a)).rejects.toMatchObject({ code: "ENOQEMU" });
  });

  it("fails with ENOQEMU and the apt-get install command", async () => {
    const empty = await mkdtemp(join(tmpdir(), "toro-path-"));
    const isRoot = process.getuid?.() === 0;
    await expect(findQemu(undefined, empty)).rejects.toMatchObject({
      code: "ENOQEMU",
      hint: `install it with: ${qemuInstallCommand(isRoot)}`,
    });
    await expect(findQemu("/nonexistent/qemu")).rejects.toMatchObject({ code: "ENOQEMU" });
  });

  it("prefixes sudo only when not root", () => {
    expect(qemuInstallCommand(true)).toBe("apt-get install -y qemu-system-x86");
    expect(qemuInstallCommand(false)).toBe("sudo apt-get install -y qemu-system-x86");
  });
});
