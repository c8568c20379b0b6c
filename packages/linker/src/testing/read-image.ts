// Test support of @toro/linker (not exported): finds and decodes the payload of an image through
// its program headers, the way the kernel and loaders see it. Tests only.
import { readFileSync } from "node:fs";
import { readElf64 } from "../elf.js";
import { decodePayload, type DecodedPayload } from "../payload.js";

/** The image's payload, located by the program header `phdrIndex`. */
export function readImagePayload(imagePath: string, phdrIndex: number): DecodedPayload & { offset: number } {
  const bytes = new Uint8Array(readFileSync(imagePath));
  const header = readElf64(bytes).programHeaders[phdrIndex];
  if (header === undefined) throw new Error(`no program header ${phdrIndex}`);
  const payload = bytes.subarray(header.offset, header.offset + header.filesz);
  return { ...decodePayload(payload), offset: header.offset };
}
