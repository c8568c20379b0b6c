// Host tool layer (@toro/vm): emits a minimal PVH-bootable ELF from TypeScript, with no assembler.
// It is the baseline "bare" kernel for boot-time comparisons and the guest of run-image's own tests.
// It must not import @toro/kernel or anything outside node built-ins (here: nothing at all).

/**
 * What the bare PVH kernel does once QEMU jumps to its entry.
 *
 * @example
 * ```ts
 * const options: BarePvhOptions = { message: "ok\n", exitCode: 0, elfClass: 64 };
 * const elf = buildBarePvhKernel(options);
 * ```
 */
export interface BarePvhOptions {
  /** Bytes written to COM1 (I/O port 0x3f8) before exiting; default `"T"` (one byte). */
  message?: string | Uint8Array;
  /** Code written to `isa-debug-exit` (port 0xf4); QEMU then exits with `(code << 1) | 1`. Default 0. */
  exitCode?: number;
  /** When true the kernel spins forever after writing its message (`jmp .`), for timeout tests. */
  hang?: boolean;
  /** When true the kernel triple-faults after writing its message (empty IDT, then `ud2`): with
   *  `-no-reboot` QEMU exits with status 0 and no exit code, as a crashed kernel would. */
  tripleFault?: boolean;
  /** ELF class of the file: 32 (default) or 64. The entry runs in 32-bit protected mode either way (PVH). */
  elfClass?: 32 | 64;
}

// Physical load address: 1 MiB, above the legacy BIOS area, where PVH loaders expect kernels.
const LOAD_ADDRESS = 0x10_0000;
const COM1_PORT = 0x3f8;
const DEBUG_EXIT_PORT = 0xf4;
// Xen public/elfnote.h: XEN_ELFNOTE_PHYS32_ENTRY, the 32-bit physical entry point used by PVH boot.
const XEN_ELFNOTE_PHYS32_ENTRY = 18;

/**
 * Builds the machine code of the entry: write each byte of `message` to COM1, then either spin
 * forever or write `exitCode` to isa-debug-exit and halt.
 */
function entryCode(message: Uint8Array, exitCode: number, hang: boolean, tripleFault: boolean, address: number): Uint8Array {
  const code: number[] = [];
  // mov dx, 0x3f8  (operand-size prefix: we are in 32-bit mode)
  code.push(0x66, 0xba, COM1_PORT & 0xff, COM1_PORT >> 8);
  for (const byte of message) {
    code.push(0xb0, byte); // mov al, imm8
    code.push(0xee); // out dx, al
  }
  if (tripleFault) {
    // lidt [zeros]: an IDT with limit 0, so the #UD from ud2 escalates to #GP, #DF, then a triple fault.
    const descriptorAddress = address + code.length + 7 + 2;
    code.push(0x0f, 0x01, 0x1d, ...le32(descriptorAddress));
    code.push(0x0f, 0x0b); // ud2
    code.push(0, 0, 0, 0, 0, 0); // the IDT descriptor: limit 0, base 0
    return Uint8Array.from(code);
  }
  if (hang) {
    code.push(0xeb, 0xfe); // jmp . (a loop only a timeout can stop)
    return Uint8Array.from(code);
  }
  code.push(0x66, 0xba, DEBUG_EXIT_PORT, 0x00); // mov dx, 0xf4
  code.push(0xb8, exitCode & 0xff, 0, 0, 0); // mov eax, imm32
  code.push(0xef); // out dx, eax (the device is 4 bytes wide)
  code.push(0xf4, 0xeb, 0xfd); // hlt; jmp back to hlt (never reached with the device present)
  return Uint8Array.from(code);
}

/**
 * Emits a complete PVH-bootable ELF that writes `message` to the serial port and exits through
 * `isa-debug-exit`. One PT_LOAD maps the whole file at 1 MiB; one PT_NOTE carries the Xen
 * PHYS32_ENTRY note with an 8-byte descriptor (QEMU reads 8 bytes, even for ELF32).
 *
 * @param options - what the kernel writes, its exit code, whether it hangs, and the ELF class.
 * @returns the ELF file bytes, ready to be written to disk and passed to `runImage`.
 * @throws RangeError when `exitCode` is outside 0..127.
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { buildBarePvhKernel } from "@toro/vm";
 * writeFileSync("bare.elf", buildBarePvhKernel({ message: "hi\n", exitCode: 3 }));
 * // run-image bare.elf  -> prints "hi", exits 3
 * ```
 */
export function buildBarePvhKernel(options: BarePvhOptions = {}): Uint8Array {
  const exitCode = options.exitCode ?? 0;
  if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 127) {
    throw new RangeError(`bare PVH exit code must be an integer 0..127, got ${exitCode}`);
  }
  const rawMessage = options.message ?? "T";
  const message = typeof rawMessage === "string" ? new TextEncoder().encode(rawMessage) : rawMessage;
  const is64 = options.elfClass === 64;

  const ehdrSize = is64 ? 64 : 52;
  const phdrSize = is64 ? 56 : 32;
  const phdrCount = 2;
  const noteOffset = ehdrSize + phdrSize * phdrCount;
  const noteSize = 12 + 4 + 8; // header, "Xen\0", u64 entry
  const codeOffset = align(noteOffset + noteSize, 16);
  const code = entryCode(message, exitCode, options.hang === true, options.tripleFault === true, LOAD_ADDRESS + codeOffset);
  const fileSize = codeOffset + code.length;
  const entry = LOAD_ADDRESS + codeOffset;

  const bytes = new Uint8Array(fileSize);
  const view = new DataView(bytes.buffer);
  // ELF identification (System V gABI, "ELF Header")
  bytes.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1 /* little endian */, 1 /* EV_CURRENT */], 0);
  view.setUint16(16, 2, true); // e_type = ET_EXEC
  view.setUint16(18, is64 ? 62 : 3, true); // e_machine = EM_X86_64 / EM_386
  view.setUint32(20, 1, true); // e_version
  if (is64) {
    view.setBigUint64(24, BigInt(entry), true); // e_entry
    view.setBigUint64(32, BigInt(ehdrSize), true); // e_phoff
    view.setBigUint64(40, 0n, true); // e_shoff: no section headers
    view.setUint32(48, 0, true); // e_flags
    view.setUint16(52, ehdrSize, true);
    view.setUint16(54, phdrSize, true);
    view.setUint16(56, phdrCount, true);
    view.setUint16(58, 64, true); // e_shentsize
  } else {
    view.setUint32(24, entry, true);
    view.setUint32(28, ehdrSize, true);
    view.setUint32(32, 0, true);
    view.setUint32(36, 0, true);
    view.setUint16(40, ehdrSize, true);
    view.setUint16(42, phdrSize, true);
    view.setUint16(44, phdrCount, true);
    view.setUint16(46, 40, true);
  }

  const PT_LOAD = 1;
  const PT_NOTE = 4;
  const PF_X = 1;
  const PF_R = 4;
  writePhdr(view, is64, ehdrSize, { type: PT_LOAD, flags: PF_R | PF_X, offset: 0, address: LOAD_ADDRESS, size: fileSize, align: 4096 });
  // QEMU aligns the note name up to the note segment's p_align before reading the descriptor: keep it 4.
  writePhdr(view, is64, ehdrSize + phdrSize, { type: PT_NOTE, flags: PF_R, offset: noteOffset, address: LOAD_ADDRESS + noteOffset, size: noteSize, align: 4 });

  view.setUint32(noteOffset, 4, true); // n_namesz ("Xen\0")
  view.setUint32(noteOffset + 4, 8, true); // n_descsz: 8, QEMU reads a full 8 bytes
  view.setUint32(noteOffset + 8, XEN_ELFNOTE_PHYS32_ENTRY, true);
  bytes.set([0x58, 0x65, 0x6e, 0x00], noteOffset + 12);
  view.setBigUint64(noteOffset + 16, BigInt(entry), true);

  bytes.set(code, codeOffset);
  return bytes;
}

interface Segment {
  type: number;
  flags: number;
  offset: number;
  address: number;
  size: number;
  align: number;
}

function writePhdr(view: DataView, is64: boolean, at: number, s: Segment): void {
  if (is64) {
    view.setUint32(at, s.type, true);
    view.setUint32(at + 4, s.flags, true);
    view.setBigUint64(at + 8, BigInt(s.offset), true);
    view.setBigUint64(at + 16, BigInt(s.address), true); // p_vaddr
    view.setBigUint64(at + 24, BigInt(s.address), true); // p_paddr: PVH loads by physical address
    view.setBigUint64(at + 32, BigInt(s.size), true); // p_filesz
    view.setBigUint64(at + 40, BigInt(s.size), true); // p_memsz
    view.setBigUint64(at + 48, BigInt(s.align), true);
  } else {
    view.setUint32(at, s.type, true);
    view.setUint32(at + 4, s.offset, true);
    view.setUint32(at + 8, s.address, true);
    view.setUint32(at + 12, s.address, true);
    view.setUint32(at + 16, s.size, true);
    view.setUint32(at + 20, s.size, true);
    view.setUint32(at + 24, s.flags, true);
    view.setUint32(at + 28, s.align, true);
  }
}

function le32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
