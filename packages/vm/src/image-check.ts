// Host tool layer (@toro/vm): checks that an image file exists and is an ELF before QEMU sees it,
// so the user gets a clear error instead of QEMU's. Reads 4 bytes; must not import @toro/kernel.
import { open } from "node:fs/promises";
import { RunImageError } from "./errors.js";

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46]; // "\x7fELF"

/**
 * Verifies that `path` names a readable file that starts with the ELF magic.
 *
 * @param path - the image path given to run-image.
 * @returns nothing; resolves when the file looks bootable.
 * @throws {@link RunImageError} `ENOENT` when the file is missing, `ENOTELF` when it is not an ELF.
 * @example
 * ```ts
 * await checkImage("dist/hello.img"); // throws RunImageError("ENOENT", ...) before `pnpm link-image`
 * ```
 */
export async function checkImage(path: string): Promise<void> {
  const linkHint = "build the image with `pnpm link-image` and pass the .img it writes";
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new RunImageError("ENOENT", `image not found: ${path}`, linkHint, { cause: err });
    }
    throw new RunImageError("ENOENT", `cannot open image ${path}: ${code ?? String(err)}`, "check the path and its permissions", { cause: err });
  }
  try {
    const head = new Uint8Array(4);
    let bytesRead = 0;
    try {
      ({ bytesRead } = await handle.read(head, 0, 4, 0));
    } catch (err) {
      // Reading a directory fails with EISDIR: it is not an image either.
      throw new RunImageError("ENOTELF", `not an ELF image: ${path} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`, linkHint, { cause: err });
    }
    if (bytesRead < 4 || ELF_MAGIC.some((byte, i) => head[i] !== byte)) {
      throw new RunImageError("ENOTELF", `not an ELF image: ${path}`, `${linkHint}; run-image boots PVH ELF kernels only`);
    }
  } finally {
    await handle.close();
  }
}
