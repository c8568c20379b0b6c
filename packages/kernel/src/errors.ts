// Errors shared by every Toro package. This file is the bottom of the dependency graph: it must
// import nothing (not even other kernel files), so any layer, on Node or in the image, can use it.

/**
 * The one error base of Toro: a Node-style `code` (`"ENOENT"`, `"EINVAL"`, ...), a message, an
 * optional `cause`, and an optional `hint` that says how to fix the problem.
 *
 * @example
 * ```ts
 * throw new ToroError("ENOTIMAGE", "not running inside a Toro image", {
 *   hint: "use createFakeHardware() in tests",
 * });
 * ```
 */
export class ToroError extends Error {
  /** A short machine-readable code, Node style (`"EINVAL"`, `"ENOTSUP"`, ...). */
  readonly code: string;
  /** How to fix it, in one sentence; absent when there is nothing useful to say. */
  // `declare`: no own property at all when there is no hint (a class field would define `undefined`).
  declare readonly hint?: string;

  /**
   * Creates an error.
   *
   * @param code - machine-readable code, e.g. `"EINVAL"`
   * @param message - what went wrong, for a human
   * @param options - `cause` (the underlying error) and `hint` (how to fix it)
   * @returns the new error
   * @example
   * ```ts
   * new ToroError("EINVAL", "bad exit code 300", { hint: "use 0..127" });
   * ```
   */
  constructor(code: string, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options && "cause" in options ? { cause: options.cause } : undefined);
    this.name = "ToroError";
    // QuickJS 2021-03-27 ignores Error's `cause` option: set it here so it exists in the image too.
    if (options && "cause" in options && !("cause" in this)) {
      Object.defineProperty(this, "cause", { value: options.cause, writable: true, configurable: true });
    }
    this.code = code;
    if (options?.hint !== undefined) this.hint = options.hint;
  }
}
