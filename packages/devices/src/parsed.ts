// Device-discovery layer (@toro/devices): the result type of parsers of outside input (ACPI tables,
// PCI config, boot command lines). They never throw on bad bytes: they return `{ ok: false }` with a
// reason. Imports nothing.

/**
 * The result of parsing outside input: the value, or why the bytes were refused.
 *
 * @example
 * ```ts
 * const r = parseMcfg(bytes);
 * if (!r.ok) console.log(`no ECAM: ${r.error}`);
 * ```
 */
export type Parsed<T> =
  | {
      /** The bytes were accepted. */
      readonly ok: true;
      /** What they say. */
      readonly value: T;
    }
  | {
      /** The bytes were refused. */
      readonly ok: false;
      /** Why, for a human. */
      readonly error: string;
    };

/** @internal */
export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
/** @internal */
export const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });
