// Host tool layer (@toro/vm): the error type run-image throws. @toro/vm is a host tool and must not
// depend on @toro/kernel, so it has its own small error class shaped like ToroError (code + hint).

/**
 * Codes a {@link RunImageError} can carry, Node-style.
 *
 * @example
 * ```ts
 * const code: RunImageErrorCode = "ENOQEMU";
 * if (err instanceof RunImageError && err.code === code) console.error(err.hint);
 * ```
 */
export type RunImageErrorCode =
  | "ENOQEMU" // qemu-system-x86_64 is not installed or not on PATH
  | "ENOENT" // the image file does not exist
  | "ENOTELF" // the image is not an ELF file
  | "ENOKVM" // accel "kvm" was requested but /dev/kvm is not usable
  | "EQEMU" // QEMU refused to start (bad arguments, unloadable kernel, ...)
  | "EINVAL"; // an option has an invalid value

/**
 * A failure to boot an image, with a Node-style `code` and a `hint` that says how to fix it.
 *
 * @example
 * ```ts
 * try {
 *   await runImage({ image: "dist/app.img" });
 * } catch (err) {
 *   if (err instanceof RunImageError && err.code === "ENOQEMU") console.error(err.hint);
 * }
 * ```
 */
export class RunImageError extends Error {
  /** Machine-readable reason, e.g. `"ENOQEMU"`. */
  readonly code: RunImageErrorCode;
  /** One line telling the user what to do about it. */
  readonly hint: string;

  /**
   * Creates the error.
   *
   * @param code - the machine-readable reason.
   * @param message - what went wrong, for humans.
   * @param hint - how to fix it.
   * @param options - standard error options, e.g. the `cause`.
   * @returns a new RunImageError.
   * @example
   * ```ts
   * throw new RunImageError("ENOENT", "image not found: app.img", "run `pnpm link-image` first");
   * ```
   */
  constructor(code: RunImageErrorCode, message: string, hint: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RunImageError";
    this.code = code;
    this.hint = hint;
  }
}
