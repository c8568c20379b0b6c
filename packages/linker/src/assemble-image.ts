// Build-time layer of @toro/linker: joins the kernel ELF and a payload into one image
// (docs/internals.md §2) and writes it atomically. It must not import esbuild or typescript.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { findPayloadHeader, patchProgramHeader, readElf64 } from "./elf.js";
import type { KernelManifest } from "./kernel-files.js";

const PAGE = 4096;

/** An assembled image and where the payload sits in it. */
export interface AssembledImage {
  bytes: Uint8Array;
  payloadOffset: number;
  payloadLength: number;
}

/**
 * image = kernel bytes, zeros up to a 4096 boundary, payload; the payload's program header then
 * points at it. A page-aligned offset keeps p_offset ≡ p_vaddr (mod p_align), as loaders require.
 */
export function assembleImage(
  kernel: Uint8Array,
  manifest: Pick<KernelManifest, "payloadPhdrIndex" | "payloadAddress">,
  payload: Uint8Array,
): AssembledImage {
  const elf = readElf64(kernel);
  findPayloadHeader(elf, manifest.payloadPhdrIndex, manifest.payloadAddress);
  const payloadOffset = Math.ceil(kernel.length / PAGE) * PAGE;
  const bytes = new Uint8Array(payloadOffset + payload.length);
  bytes.set(kernel, 0);
  bytes.set(payload, payloadOffset);
  patchProgramHeader(bytes, elf, manifest.payloadPhdrIndex, { offset: payloadOffset, length: payload.length });
  return { bytes, payloadOffset, payloadLength: payload.length };
}

/**
 * Writes a file so that readers see the old file or the new one, never a partial one: a temp
 * file in the same folder (same file system), then rename.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
