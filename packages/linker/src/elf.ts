// Build-time layer of @toro/linker: reads the ELF64 program headers of the prebuilt kernel and
// patches the payload's PT_LOAD in place (docs/internals.md §2). Pure byte work: it must not import
// esbuild, typescript or fs. Only program headers matter; loaders (QEMU PVH, Firecracker) ignore
// section headers, so those are left untouched.
import { ToroError } from "@toro/kernel";

/** One ELF64 program header (System V gABI, "Program Header"). */
export interface ProgramHeader {
  index: number;
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

/** What the linker needs from an ELF64 file header. */
export interface Elf64 {
  phoff: number;
  phentsize: number;
  phnum: number;
  programHeaders: ProgramHeader[];
}

/** p_type of a loadable segment. */
export const PT_LOAD = 1;
/** p_flags bit: readable. */
export const PF_R = 4;
// gABI sizes for ELFCLASS64.
const EHDR_BYTES = 64;
const PHDR_BYTES = 56;
const EM_X86_64 = 62;

const REBUILD_HINT = "rebuild @toro/kernel (pnpm build in packages/kernel) or reinstall it";

function kernelError(message: string): ToroError {
  return new ToroError("EKERNEL", `kernel ELF: ${message}`, { hint: REBUILD_HINT });
}

function u64(view: DataView, at: number, what: string): number {
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw kernelError(`${what} 0x${value.toString(16)} is out of range`);
  return Number(value);
}

/**
 * Parses and validates the ELF64 file header and program header table: magic, 64-bit class,
 * little-endian, x86-64, and a program header table that lies inside the file.
 * Throws a ToroError "EKERNEL" otherwise.
 */
export function readElf64(bytes: Uint8Array): Elf64 {
  if (bytes.length < EHDR_BYTES) throw kernelError(`only ${bytes.length} bytes, not an ELF file`);
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw kernelError("bad magic, not an ELF file");
  }
  if (bytes[4] !== 2) throw kernelError(`EI_CLASS ${bytes[4]}, expected 2 (64-bit)`);
  if (bytes[5] !== 1) throw kernelError(`EI_DATA ${bytes[5]}, expected 1 (little-endian)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = view.getUint16(18, true);
  if (machine !== EM_X86_64) throw kernelError(`e_machine ${machine}, expected ${EM_X86_64} (x86-64)`);
  const phoff = u64(view, 32, "e_phoff");
  const phentsize = view.getUint16(54, true);
  const phnum = view.getUint16(56, true);
  if (phentsize !== PHDR_BYTES) throw kernelError(`e_phentsize ${phentsize}, expected ${PHDR_BYTES}`);
  if (phnum === 0) throw kernelError("no program headers");
  if (phoff < EHDR_BYTES || phoff + phnum * phentsize > bytes.length) {
    throw kernelError(`program header table (e_phoff ${phoff}, ${phnum} entries) lies outside the file`);
  }
  const programHeaders: ProgramHeader[] = [];
  for (let index = 0; index < phnum; index++) {
    const at = phoff + index * phentsize;
    programHeaders.push({
      index,
      type: view.getUint32(at, true),
      flags: view.getUint32(at + 4, true),
      offset: u64(view, at + 8, "p_offset"),
      vaddr: u64(view, at + 16, "p_vaddr"),
      paddr: u64(view, at + 24, "p_paddr"),
      filesz: u64(view, at + 32, "p_filesz"),
      memsz: u64(view, at + 40, "p_memsz"),
      align: u64(view, at + 48, "p_align"),
    });
  }
  return { phoff, phentsize, phnum, programHeaders };
}

/**
 * Finds the payload's program header as the manifest describes it and checks the kernel keeps its
 * promise: a PT_LOAD at exactly `payloadAddress`, with no other loadable segment at or above it
 * (the payload may grow to any length there). Throws a ToroError "EKERNEL" otherwise.
 */
export function findPayloadHeader(elf: Elf64, phdrIndex: number, payloadAddress: number): ProgramHeader {
  const header = elf.programHeaders[phdrIndex];
  if (header === undefined) {
    throw kernelError(`the manifest names program header ${phdrIndex}, but the ELF has ${elf.phnum}`);
  }
  if (header.type !== PT_LOAD) throw kernelError(`program header ${phdrIndex} has p_type ${header.type}, not PT_LOAD`);
  if (header.vaddr !== payloadAddress) {
    throw kernelError(
      `program header ${phdrIndex} has p_vaddr 0x${header.vaddr.toString(16)}, ` +
        `the manifest says payloadAddress 0x${payloadAddress.toString(16)}`,
    );
  }
  for (const other of elf.programHeaders) {
    if (other.index === phdrIndex || other.type !== PT_LOAD || other.memsz === 0) continue;
    if (other.vaddr + other.memsz > payloadAddress) {
      throw kernelError(
        `segment ${other.index} (0x${other.vaddr.toString(16)}+0x${other.memsz.toString(16)}) ` +
          `reaches into the payload area at 0x${payloadAddress.toString(16)}`,
      );
    }
  }
  return header;
}

/**
 * Sets p_offset, p_filesz and p_memsz of one program header in `bytes` (modified in place);
 * p_vaddr, p_paddr, p_flags and p_align stay as built.
 */
export function patchProgramHeader(
  bytes: Uint8Array,
  elf: Elf64,
  index: number,
  segment: { offset: number; length: number },
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = elf.phoff + index * elf.phentsize;
  view.setBigUint64(at + 8, BigInt(segment.offset), true);
  view.setBigUint64(at + 32, BigInt(segment.length), true);
  view.setBigUint64(at + 40, BigInt(segment.length), true);
}
