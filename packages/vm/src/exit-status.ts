// Host tool layer (@toro/vm): decodes QEMU's process status into the guest's exit code. Pure.
// Must not import anything with side effects.

/**
 * Decodes the guest's exit code from QEMU's exit status. With `isa-debug-exit`, a guest write of
 * `code` makes QEMU exit with `(code << 1) | 1`, so an odd status `s` means code `(s - 1) >> 1`.
 * An even status (0 after a reset or triple fault under `-no-reboot`) or a signal means the guest
 * reported nothing.
 *
 * @param qemuStatus - QEMU's exit status, or `null` when it was killed by a signal.
 * @returns the guest's exit code (0..127), or `null` if the guest did not report one.
 * @example
 * ```ts
 * decodeExitStatus(1); // 0
 * decodeExitStatus(7); // 3
 * decodeExitStatus(0); // null
 * ```
 */
export function decodeExitStatus(qemuStatus: number | null): number | null {
  if (qemuStatus === null || qemuStatus % 2 === 0) return null;
  return (qemuStatus - 1) >> 1;
}
