// Validation of guest exit codes, shared by the hardware face, its fake and the runtime's `process`.
// Imports only errors.ts.
import { ToroError } from "./errors.js";

/**
 * Checks that `code` is a guest exit status: an integer 0..127 (docs/internals.md §5: QEMU reports
 * `(code << 1) | 1`, and the host decodes it back).
 *
 * @throws ToroError `EINVAL` when it is not.
 */
export function checkExitCode(code: unknown): number {
  if (typeof code !== "number" || !Number.isInteger(code) || code < 0 || code > 127) {
    throw new ToroError("EINVAL", `exit code must be an integer 0..127, got ${String(code)}`, {
      hint: "use 0 for success and 1..127 for failures",
    });
  }
  return code;
}
