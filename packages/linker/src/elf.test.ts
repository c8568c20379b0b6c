// Tests of ELF64 reading and payload patching: against a real ELF built by GNU as + ld at test time
// (checked with readelf), and against hand-built headers for each way a kernel can be wrong.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ToroError } from "@toro/kernel";
import { assembleImage } from "./assemble-image.js";
import { findPayloadHeader, PF_R, PT_LOAD, readElf64 } from "./elf.js";
import { decodePayload, encodePayload } from "./payload.js";
import { buildFakeKernelElf, FAKE_PAYLOAD_ADDRESS } from "./testing/fake-kernel.js";

const hasTool = (tool: string): boolean => {
  try {
    execFileSync(tool, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const haveBinutils = hasTool("as") && hasTool("ld") && hasTool("readelf");
// binutils is a build dependency (tooling/scripts/install-deps.sh): without it this test fails.
if (!haveBinutils) throw new Error("as, ld and readelf are needed: apt-get install binutils");

// A kernel-shaped ELF: code at 1 MiB, and the payload's PT_LOAD at 4 MiB (index 2, after a data
// segment) holding a one-byte placeholder, as docs/internals.md §1 allows.
const ASM = `.section .text
.globl _start
_start:
  hlt
  jmp _start
.section .data
  .quad 42
`;
const LINKER_SCRIPT = `ENTRY(_start)
PHDRS {
  text PT_LOAD FLAGS(5);
  data PT_LOAD FLAGS(6);
  payload PT_LOAD FLAGS(4);
}
SECTIONS {
  . = 0x100000;
  .text : { *(.text) } :text
  . = ALIGN(4096);
  .data : { *(.data) } :data
  . = 0x400000;
  .payload : { BYTE(0) } :payload
}
`;

describe("patching a real ELF built by as + ld", () => {
  let dir = "";
  let kernel = new Uint8Array();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "toro-elf-test-"));
    writeFileSync(join(dir, "k.s"), ASM);
    writeFileSync(join(dir, "k.ld"), LINKER_SCRIPT);
    execFileSync("as", ["--64", "-o", join(dir, "k.o"), join(dir, "k.s")]);
    execFileSync("ld", ["-m", "elf_x86_64", "-nostdlib", "-z", "max-page-size=4096", "-T", join(dir, "k.ld"), "-o", join(dir, "k.elf"), join(dir, "k.o")]);
    kernel = new Uint8Array(readFileSync(join(dir, "k.elf")));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the program headers ld wrote", () => {
    const elf = readElf64(kernel);
    expect(elf.phnum).toBe(3);
    const payload = findPayloadHeader(elf, 2, 0x40_0000);
    expect(payload).toMatchObject({ type: PT_LOAD, flags: PF_R, vaddr: 0x40_0000, paddr: 0x40_0000, align: 4096 });
  });

  it("points the payload segment at the appended payload, as readelf sees it", () => {
    const payload = encodePayload(
      [{ kind: "module", encoding: "source", name: "main.js", body: new TextEncoder().encode("console.log('hi')") }],
      null,
    );
    const image = assembleImage(kernel, { payloadPhdrIndex: 2, payloadAddress: 0x40_0000 }, payload);
    expect(image.payloadOffset % 4096).toBe(0);
    expect(image.payloadOffset).toBeGreaterThanOrEqual(kernel.length);
    writeFileSync(join(dir, "k.img"), image.bytes);

    const out = execFileSync("readelf", ["-lW", join(dir, "k.img")], { encoding: "utf8" });
    const loads = out.split("\n").filter((l) => l.trim().startsWith("LOAD"));
    expect(loads).toHaveLength(3);
    const fields = loads[2]!.trim().split(/\s+/);
    // Type Offset VirtAddr PhysAddr FileSiz MemSiz Flg Align
    expect(Number(fields[1])).toBe(image.payloadOffset);
    expect(Number(fields[2])).toBe(0x40_0000);
    expect(Number(fields[3])).toBe(0x40_0000);
    expect(Number(fields[4])).toBe(payload.length);
    expect(Number(fields[5])).toBe(payload.length);
    expect(fields[6]).toBe("R");
    // The other segments are as built.
    expect(loads.slice(0, 2)).toEqual(
      execFileSync("readelf", ["-lW", join(dir, "k.elf")], { encoding: "utf8" })
        .split("\n")
        .filter((l) => l.trim().startsWith("LOAD"))
        .slice(0, 2),
    );
    // And the payload bytes are where the header says.
    const at = image.bytes.subarray(image.payloadOffset, image.payloadOffset + payload.length);
    expect(decodePayload(at).entries[0]?.name).toBe("main.js");
    // Of the kernel's bytes, only the payload's program header changed.
    const diff = [...kernel].flatMap((b, i) => (b === image.bytes[i] ? [] : [i]));
    const phdr2 = readElf64(kernel).phoff + 2 * 56;
    expect(diff.every((i) => i >= phdr2 && i < phdr2 + 56)).toBe(true);
  });
});

describe("readElf64 and findPayloadHeader reject a wrong kernel with EKERNEL", () => {
  const expectKernelError = (fn: () => unknown, message: RegExp): void => {
    try {
      fn();
      expect.unreachable("should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(ToroError);
      expect((error as ToroError).code).toBe("EKERNEL");
      expect((error as ToroError).message).toMatch(message);
      expect((error as ToroError).hint).toMatch(/rebuild @toro\/kernel/);
    }
  };
  const withByte = (at: number, value: number): Uint8Array => {
    const b = buildFakeKernelElf();
    b[at] = value;
    return b;
  };

  it("bad magic, class, byte order, machine", () => {
    expectKernelError(() => readElf64(new TextEncoder().encode("#!/bin/sh\necho not an elf\n".padEnd(80))), /bad magic/);
    expectKernelError(() => readElf64(withByte(4, 1)), /EI_CLASS 1/);
    expectKernelError(() => readElf64(withByte(5, 2)), /big-endian|EI_DATA 2/);
    expectKernelError(() => readElf64(withByte(18, 3)), /e_machine 3/);
    expectKernelError(() => readElf64(new Uint8Array(10)), /only 10 bytes/);
  });

  it("program header table size and bounds", () => {
    expectKernelError(() => readElf64(withByte(54, 32)), /e_phentsize 32/);
    expectKernelError(() => readElf64(withByte(56, 200)), /outside the file/);
  });

  it("payload header index, type and address", () => {
    const elf = readElf64(buildFakeKernelElf());
    expectKernelError(() => findPayloadHeader(elf, 5, FAKE_PAYLOAD_ADDRESS), /program header 5, but the ELF has 2/);
    expectKernelError(() => findPayloadHeader(elf, 1, 0x80_0000), /p_vaddr 0x400000.*0x800000/);
    const notLoad = buildFakeKernelElf();
    notLoad[64 + 56] = 4; // PT_NOTE
    expectKernelError(() => findPayloadHeader(readElf64(notLoad), 1, FAKE_PAYLOAD_ADDRESS), /not PT_LOAD/);
    // The code segment is told to reach past the payload's address.
    const overlapping = buildFakeKernelElf();
    new DataView(overlapping.buffer).setBigUint64(64 + 40, 0x40_0000n, true);
    expectKernelError(() => findPayloadHeader(readElf64(overlapping), 1, FAKE_PAYLOAD_ADDRESS), /reaches into the payload/);
  });
});
