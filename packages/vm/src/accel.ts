// Host tool layer (@toro/vm): decides between KVM and TCG. Touches only /dev/kvm (opened and closed
// at once); must not import @toro/kernel.
import { open } from "node:fs/promises";
import { RunImageError } from "./errors.js";
import type { Accel } from "./options.js";

/**
 * Whether KVM can be used, and why not.
 *
 * @example
 * ```ts
 * const probe: KvmProbe = await probeKvm();
 * const choice = chooseAccel("auto", probe);
 * ```
 */
export type KvmProbe =
  | {
      /** /dev/kvm opened read-write. */
      usable: true;
    }
  | {
      /** /dev/kvm could not be opened read-write. */
      usable: false;
      /** Why not, e.g. `"permission denied on /dev/kvm"`. */
      reason: string;
    };

/**
 * The accelerator chosen for a run, with the note to print when KVM was wanted but unusable.
 *
 * @example
 * ```ts
 * const choice: AccelChoice = chooseAccel("auto", await probeKvm());
 * if (choice.note) console.error(choice.note);
 * ```
 */
export interface AccelChoice {
  /** The accelerator QEMU will use. */
  accel: "kvm" | "tcg";
  /** A one-line note for stderr when `auto` fell back to TCG, else undefined. */
  note?: string;
}

/**
 * Checks whether `/dev/kvm` can be opened read-write, which is what QEMU needs for `-accel kvm`.
 *
 * @param path - the KVM device node; default `/dev/kvm` (tests pass another path).
 * @returns `{ usable: true }`, or `{ usable: false, reason }` with a short human reason.
 * @example
 * ```ts
 * const probe = await probeKvm();
 * if (!probe.usable) console.log(probe.reason); // e.g. "permission denied"
 * ```
 */
export async function probeKvm(path = "/dev/kvm"): Promise<KvmProbe> {
  try {
    const handle = await open(path, "r+");
    await handle.close();
    return { usable: true };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { usable: false, reason: `${path} does not exist` };
    if (code === "EACCES" || code === "EPERM") return { usable: false, reason: `permission denied on ${path}` };
    return { usable: false, reason: `${path}: ${code ?? String(err)}` };
  }
}

/**
 * Resolves the requested accelerator against a KVM probe: `auto` becomes KVM when usable, else TCG
 * with a note; `kvm` without a usable /dev/kvm is an error; `tcg` is always allowed.
 *
 * @param requested - what the user asked for.
 * @param probe - the result of {@link probeKvm}; not consulted for `tcg`.
 * @returns the accelerator to use and, on fallback, the note to print.
 * @throws {@link RunImageError} `ENOKVM` when `kvm` is requested and unusable.
 * @example
 * ```ts
 * chooseAccel("auto", { usable: false, reason: "/dev/kvm does not exist" });
 * // { accel: "tcg", note: "run-image: /dev/kvm not usable (/dev/kvm does not exist); using TCG (slower)" }
 * ```
 */
export function chooseAccel(requested: Accel, probe: KvmProbe): AccelChoice {
  if (requested === "tcg") return { accel: "tcg" };
  if (probe.usable) return { accel: "kvm" };
  if (requested === "kvm") {
    throw new RunImageError(
      "ENOKVM",
      `KVM was requested but /dev/kvm is not usable (${probe.reason})`,
      "enable virtualization and add yourself to the kvm group (`sudo usermod -aG kvm $USER`), or use --accel tcg",
    );
  }
  return { accel: "tcg", note: `run-image: /dev/kvm not usable (${probe.reason}); using TCG (slower)` };
}
