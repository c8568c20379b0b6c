import { describe, expect, it } from "vitest";
import { buildBarePvhKernel } from "./bare-pvh.js";

// Finds the PVH entry note by walking the program headers, as QEMU's loader does.
function pvhEntry(elf: Uint8Array): { entry: number; descsz: number } | undefined {
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const is64 = elf[4] === 2;
  const phoff = is64 ? Number(view.getBigUint64(32, true)) : view.getUint32(28, true);
  const phentsize = view.getUint16(is64 ? 54 : 42, true);
  const phnum = view.getUint16(is64 ? 56 : 44, true);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, true) !== 4) continue; // PT_NOTE
    const offset = is64 ? Number(view.getBigUint64(at + 8, true)) : view.getUint32(at + 4, true);
    const namesz = view.getUint32(offset, true);
    const descsz = view.getUint32(offset + 4, true);
    const type = view.getUint32(offset + 8, true);
    const name = new TextDecoder().decode(elf.subarray(offset + 12, offset + 12 + namesz));
    if (type === 18 && name === "Xen\0") {
      return { entry: Number(view.getBigUint64(offset + 12 + Math.ceil(namesz / 4) * 4, true)), descsz };
    }
  }
  return undefined;
}

describe("buildBarePvhKernel", () => {
  it("emits ELF32 and ELF64 files whose PVH note has an 8-byte descriptor pointing at the entry", () => {
    for (const elfClass of [32, 64] as const) {
      const elf = buildBarePvhKernel({ elfClass });
      expect([...elf.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
      expect(elf[4]).toBe(elfClass === 64 ? 2 : 1);
      const view = new DataView(elf.buffer);
      const entry = elfClass === 64 ? Number(view.getBigUint64(24, true)) : view.getUint32(24, true);
      expect(pvhEntry(elf)).toEqual({ entry, descsz: 8 });
    }
  });

  it("writes each message byte to COM1 and the exit code to port 0xf4", () => {
    const elf = buildBarePvhKernel({ message: "ok", exitCode: 42 });
    const hex = Buffer.from(elf).toString("hex");
    expect(hex).toContain("66baf803" + "b06f" + "ee" + "b06b" + "ee"); // mov dx,0x3f8; mov al,'o'; out; mov al,'k'; out
    expect(hex).toContain("66baf400" + "b82a000000" + "ef"); // mov dx,0xf4; mov eax,42; out dx,eax
  });

  it("ends in a jmp-to-self when asked to hang", () => {
    const elf = buildBarePvhKernel({ hang: true });
    expect([...elf.subarray(-2)]).toEqual([0xeb, 0xfe]);
  });

  it("rejects exit codes the exit device cannot carry", () => {
    expect(() => buildBarePvhKernel({ exitCode: 128 })).toThrow(RangeError);
    expect(() => buildBarePvhKernel({ exitCode: -1 })).toThrow(RangeError);
  });
});
