// Test support of @toro/linker (not exported): a tiny hand-built ELF64 shaped like the kernel
// (docs/internals.md §1: a code PT_LOAD, then an empty PT_LOAD for the payload) and its manifest.
// Tests only; production code must not import this file.
import type { KernelManifest } from "../kernel-files.js";

/** Where the fake kernel puts things. */
export const FAKE_PAYLOAD_ADDRESS = 0x40_0000;
export const FAKE_ENGINE_ID = "0123456789abcdef";

/**
 * Builds an ELF64 x86-64 file: header, two program headers (code at 1 MiB, payload slot at 4 MiB
 * with p_filesz = p_memsz = 0), and `codeBytes` of `hlt` at file offset 0x1000. The file length is
 * deliberately not page aligned, so the linker's padding is exercised.
 */
export function buildFakeKernelElf(codeBytes = 100): Uint8Array {
  const codeOffset = 0x1000;
  const bytes = new Uint8Array(codeOffset + codeBytes);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0); // magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, 62, true); // EM_X86_64
  view.setUint32(20, 1, true);
  view.setBigUint64(24, 0x10_0000n, true); // e_entry
  view.setBigUint64(32, 64n, true); // e_phoff
  view.setUint16(52, 64, true); // e_ehsize
  view.setUint16(54, 56, true); // e_phentsize
  view.setUint16(56, 2, true); // e_phnum
  const phdr = (i: number, f: { flags: number; offset: number; vaddr: number; size: number }): void => {
    const at = 64 + 56 * i;
    view.setUint32(at, 1, true); // PT_LOAD
    view.setUint32(at + 4, f.flags, true);
    view.setBigUint64(at + 8, BigInt(f.offset), true);
    view.setBigUint64(at + 16, BigInt(f.vaddr), true);
    view.setBigUint64(at + 24, BigInt(f.vaddr), true);
    view.setBigUint64(at + 32, BigInt(f.size), true);
    view.setBigUint64(at + 40, BigInt(f.size), true);
    view.setBigUint64(at + 48, 4096n, true);
  };
  phdr(0, { flags: 5, offset: codeOffset, vaddr: 0x10_0000, size: codeBytes });
  phdr(1, { flags: 4, offset: 0, vaddr: FAKE_PAYLOAD_ADDRESS, size: 0 });
  bytes.fill(0xf4, codeOffset); // hlt
  return bytes;
}

/** A manifest matching {@link buildFakeKernelElf}. */
export function fakeManifest(overrides: Partial<KernelManifest> = {}): KernelManifest {
  return {
    format: 1,
    payloadPhdrIndex: 1,
    payloadAddress: FAKE_PAYLOAD_ADDRESS,
    engine: { name: "quickjs", version: "2021-03-27", id: FAKE_ENGINE_ID },
    sizes: { core: 11_000, engine: 600_000, libc: 80_000, runtime: 9_000, total: 700_000 },
    ...overrides,
  };
}

/**
 * A stand-in for toro-qjsc (a shell script): prints the fake engine id, "compiles" by prefixing
 * the source with FAKEBC:, and reports the line holding QJS_REJECT as a QuickJS SyntaxError, in
 * the format of docs/internals.md §3.
 */
export const FAKE_COMPILER_SCRIPT = `#!/bin/sh
if [ "$1" = "--engine-id" ]; then echo ${FAKE_ENGINE_ID}; exit 0; fi
name=$3; out=$5; in=$6
line=$(grep -n QJS_REJECT "$in" | head -n 1 | cut -d: -f1)
if [ -n "$line" ]; then
  echo "$name:$line: SyntaxError: unexpected token in expression: 'QJS_REJECT'" >&2
  echo "    at $name:$line" >&2
  exit 1
fi
{ printf 'FAKEBC:'; cat "$in"; } > "$out"
`;
