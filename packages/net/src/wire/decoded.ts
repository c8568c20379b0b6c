// Wire layer (@toro/net): the result type of every decoder of outside input. Decoders never throw on
// bad bytes; they return `{ ok: false }` with a typed error. Imports nothing.

/**
 * Why a decoder refused its bytes.
 *
 * - `truncated`: fewer bytes than the header or a length field says
 * - `bad-field`: a field holds a value the protocol forbids (version, header length, hardware type...)
 * - `bad-checksum`: the checksum does not verify
 * - `bad-option`: a malformed option (length past the header, length too small)
 * - `unsupported`: valid but not handled here (another ARP hardware type, an ICMP type we do not model)
 */
export type WireErrorKind = "truncated" | "bad-field" | "bad-checksum" | "bad-option" | "unsupported";

/**
 * The result of decoding outside input: the value, or why the bytes were refused.
 *
 * @example
 * ```ts
 * const r = parseIpv4(bytes);
 * if (!r.ok) console.log(`${r.error}: ${r.detail}`);
 * ```
 */
export type Decoded<T> =
  | {
      /** Decoding succeeded. */
      readonly ok: true;
      /** The decoded value. */
      readonly value: T;
    }
  | {
      /** Decoding failed. */
      readonly ok: false;
      /** The kind of failure. */
      readonly error: WireErrorKind;
      /** A human-readable detail. */
      readonly detail: string;
    };

/** @internal */
export const decoded = <T>(value: T): Decoded<T> => ({ ok: true, value });
/** @internal */
export const refused = <T>(error: WireErrorKind, detail: string): Decoded<T> => ({ ok: false, error, detail });
