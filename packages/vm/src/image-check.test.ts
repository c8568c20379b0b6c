import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildBarePvhKernel } from "./bare-pvh.js";
import { RunImageError } from "./errors.js";
import { checkImage } from "./image-check.js";

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(RunImageError);
    return (err as RunImageError).code;
  }
}

describe("checkImage", () => {
  it("accepts an ELF file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "toro-img-"));
    await writeFile(join(dir, "k.elf"), buildBarePvhKernel());
    await expect(checkImage(join(dir, "k.elf"))).resolves.toBeUndefined();
  });

  it("reports a missing file as ENOENT with a link-image hint", async () => {
    const dir = await mkdtemp(join(tmpdir(), "toro-img-"));
    await expect(checkImage(join(dir, "nope.img"))).rejects.toMatchObject({ code: "ENOENT", hint: expect.stringMatching(/link-image/) });
  });

  it("reports non-ELF files, short files and directories as ENOTELF", async () => {
    const dir = await mkdtemp(join(tmpdir(), "toro-img-"));
    await writeFile(join(dir, "text.img"), "#!/bin/sh\necho not a kernel\n");
    await writeFile(join(dir, "short.img"), Uint8Array.of(0x7f, 0x45));
    expect(await codeOf(checkImage(join(dir, "text.img")))).toBe("ENOTELF");
    expect(await codeOf(checkImage(join(dir, "short.img")))).toBe("ENOTELF");
    expect(await codeOf(checkImage(dir))).toBe("ENOTELF");
  });
});
