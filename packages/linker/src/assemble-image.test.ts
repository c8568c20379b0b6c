// Tests of image assembly on the hand-built kernel ELF, and of the atomic write.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assembleImage, writeFileAtomic } from "./assemble-image.js";
import { readElf64 } from "./elf.js";
import { buildFakeKernelElf, fakeManifest } from "./testing/fake-kernel.js";

describe("assembleImage", () => {
  it("pads the kernel with zeros to a page, appends the payload and points the PT_LOAD at it", () => {
    const kernel = buildFakeKernelElf(100); // 0x1064 bytes
    const payload = new Uint8Array([9, 8, 7, 6, 5]);
    const image = assembleImage(kernel, fakeManifest(), payload);
    expect(image.payloadOffset).toBe(0x2000);
    expect(image.bytes.length).toBe(0x2000 + 5);
    expect(image.bytes.subarray(kernel.length, 0x2000).every((b) => b === 0)).toBe(true);
    expect([...image.bytes.subarray(0x2000)]).toEqual([9, 8, 7, 6, 5]);
    const header = readElf64(image.bytes).programHeaders[1];
    expect(header).toMatchObject({ offset: 0x2000, filesz: 5, memsz: 5, vaddr: 0x40_0000, paddr: 0x40_0000, align: 4096 });
    expect(readElf64(kernel).programHeaders[1]?.offset).toBe(0); // the input is not modified
  });

  it("adds no padding to a kernel that already ends on a page boundary", () => {
    const kernel = buildFakeKernelElf(0x1000);
    expect(assembleImage(kernel, fakeManifest(), new Uint8Array(1)).payloadOffset).toBe(0x2000);
  });
});

describe("writeFileAtomic", () => {
  it("creates folders, replaces an old file and leaves no temp file behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "toro-atomic-test-"));
    try {
      const path = join(dir, "a", "b", "x.img");
      writeFileAtomic(path, new Uint8Array([1]));
      writeFileSync(join(dir, "a", "b", "keep"), "");
      writeFileAtomic(path, new Uint8Array([2, 3]));
      expect([...readFileSync(path)]).toEqual([2, 3]);
      expect(readdirSync(join(dir, "a", "b")).sort()).toEqual(["keep", "x.img"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
