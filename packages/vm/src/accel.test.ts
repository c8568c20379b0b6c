import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseAccel, probeKvm } from "./accel.js";
import { RunImageError } from "./errors.js";

describe("chooseAccel", () => {
  it("uses KVM for auto and kvm when usable", () => {
    expect(chooseAccel("auto", { usable: true })).toEqual({ accel: "kvm" });
    expect(chooseAccel("kvm", { usable: true })).toEqual({ accel: "kvm" });
  });

  it("falls back to TCG with the one-line note when auto and KVM is unusable", () => {
    expect(chooseAccel("auto", { usable: false, reason: "permission denied on /dev/kvm" })).toEqual({
      accel: "tcg",
      note: "run-image: /dev/kvm not usable (permission denied on /dev/kvm); using TCG (slower)",
    });
  });

  it("uses TCG without a note when asked", () => {
    expect(chooseAccel("tcg", { usable: true })).toEqual({ accel: "tcg" });
  });

  it("fails with ENOKVM when kvm is demanded but unusable", () => {
    expect(() => chooseAccel("kvm", { usable: false, reason: "x" })).toThrow(RunImageError);
    try {
      chooseAccel("kvm", { usable: false, reason: "x" });
    } catch (err) {
      expect((err as RunImageError).code).toBe("ENOKVM");
      expect((err as RunImageError).hint).toMatch(/--accel tcg/);
    }
  });
});

describe("probeKvm", () => {
  it("names a missing device node", async () => {
    const dir = await mkdtemp(join(tmpdir(), "toro-kvm-"));
    const probe = await probeKvm(join(dir, "kvm"));
    expect(probe).toEqual({ usable: false, reason: `${join(dir, "kvm")} does not exist` });
  });

  it("accepts a node it can open read-write", async () => {
    const dir = await mkdtemp(join(tmpdir(), "toro-kvm-"));
    await writeFile(join(dir, "kvm"), "");
    expect(await probeKvm(join(dir, "kvm"))).toEqual({ usable: true });
  });
});
