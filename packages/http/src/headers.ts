// Message layer of @toro/http: `Headers`, a case-insensitive multimap of header fields (RFC 9110 §5)
// shaped like the fetch API's. Imports only the byte helpers and @toro/kernel's error base.
import { ToroError } from "@toro/kernel";
import { isFieldValueByte, isToken, lowerAscii } from "./ascii.js";

/** What a `Headers` can be built from: another `Headers`, `[name, value]` pairs or a record. */
export type HeadersInit = Headers | Iterable<readonly [string, string]> | Record<string, string>;

/**
 * Header fields with case-insensitive names that keep their first spelling for output, shaped like
 * the fetch API's `Headers`. Values are Latin-1 text without CR, LF or NUL (RFC 9110 §5.5).
 *
 * @example
 * ```ts
 * const h = new Headers({ "Content-Type": "text/plain" });
 * h.append("Vary", "Accept");
 * h.get("content-type"); // "text/plain"
 * ```
 */
export class Headers implements Iterable<[string, string]> {
  private readonly fields = new Map<string, { name: string; values: string[] }>();

  /**
   * Creates header fields.
   *
   * @param init - fields to start with
   * @throws ToroError `EINVAL` for a name that is not a token or a value with CR, LF or NUL
   * @example
   * ```ts
   * new Headers([["set-cookie", "a=1"], ["set-cookie", "b=2"]]);
   * ```
   */
  constructor(init?: HeadersInit) {
    if (init === undefined) return;
    if (init instanceof Headers) {
      for (const f of init.fields.values()) for (const v of f.values) this.append(f.name, v);
    } else if (Symbol.iterator in init) {
      for (const [n, v] of init as Iterable<readonly [string, string]>) this.append(n, v);
    } else {
      for (const n of Object.keys(init)) this.append(n, (init as Record<string, string>)[n]!);
    }
  }

  /**
   * Adds a value to a field (keeping earlier ones).
   *
   * @param name - field name
   * @param value - field value (surrounding whitespace is removed)
   * @returns nothing
   * @throws ToroError `EINVAL` for an invalid name or value
   * @example
   * ```ts
   * headers.append("Cache-Control", "no-store");
   * ```
   */
  append(name: string, value: string): void {
    const v = checkField(name, value);
    const key = lowerAscii(name);
    const f = this.fields.get(key);
    if (f) f.values.push(v);
    else this.fields.set(key, { name, values: [v] });
  }

  /**
   * Replaces a field's values with one value.
   *
   * @param name - field name
   * @param value - field value
   * @returns nothing
   * @throws ToroError `EINVAL` for an invalid name or value
   * @example
   * ```ts
   * headers.set("Content-Type", "text/html; charset=utf-8");
   * ```
   */
  set(name: string, value: string): void {
    const v = checkField(name, value);
    const key = lowerAscii(name);
    const f = this.fields.get(key);
    this.fields.set(key, { name: f?.name ?? name, values: [v] });
  }

  /**
   * A field's value; several values are joined with `", "` (RFC 9110 §5.3).
   *
   * @param name - field name, any case
   * @returns the combined value, or `null` when absent
   * @example
   * ```ts
   * request.headers.get("host");
   * ```
   */
  get(name: string): string | null {
    const f = this.fields.get(lowerAscii(name));
    return f ? f.values.join(", ") : null;
  }

  /**
   * Each value of a field, as received (use for `Set-Cookie`, which must not be combined).
   *
   * @param name - field name, any case
   * @returns the values, empty when absent
   * @example
   * ```ts
   * headers.getAll("set-cookie");
   * ```
   */
  getAll(name: string): string[] {
    return [...(this.fields.get(lowerAscii(name))?.values ?? [])];
  }

  /**
   * Whether a field is present.
   *
   * @param name - field name, any case
   * @returns `true` when present
   * @example
   * ```ts
   * if (!headers.has("content-type")) headers.set("Content-Type", "application/octet-stream");
   * ```
   */
  has(name: string): boolean {
    return this.fields.has(lowerAscii(name));
  }

  /**
   * Removes a field.
   *
   * @param name - field name, any case
   * @returns nothing
   * @example
   * ```ts
   * headers.delete("content-length");
   * ```
   */
  delete(name: string): void {
    this.fields.delete(lowerAscii(name));
  }

  /**
   * Iterates `[name, value]` pairs, one per value, names as first spelled.
   *
   * @returns an iterator of pairs
   * @example
   * ```ts
   * for (const [name, value] of headers) console.log(`${name}: ${value}`);
   * ```
   */
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const f of this.fields.values()) for (const v of f.values) yield [f.name, v];
  }
}

function checkField(name: string, value: string): string {
  if (!isToken(name)) throw new ToroError("EINVAL", `invalid header name ${JSON.stringify(name)}`, { hint: "use a token (RFC 9110 §5.6.2)" });
  const v = value.replace(/^[ \t]+|[ \t]+$/g, "");
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c > 0xff || !isFieldValueByte(c)) {
      throw new ToroError("EINVAL", `invalid character in the value of header ${name}`, { hint: "no CR, LF, NUL or characters above U+00FF (RFC 9110 §5.5)" });
    }
  }
  return v;
}
