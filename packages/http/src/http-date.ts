// Message layer of @toro/http: HTTP dates (RFC 9110 §5.6.7) — IMF-fixdate out, and the three formats
// a recipient must accept in. Pure (the time is a parameter); never throws on bad input.

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/**
 * Formats a time as an IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
 *
 * @param epochMs - milliseconds since 1970-01-01T00:00:00Z (fractions of a second are dropped)
 * @returns the date text
 * @example
 * ```ts
 * formatHttpDate(784111777000); // "Sun, 06 Nov 1994 08:49:37 GMT"
 * ```
 */
export function formatHttpDate(epochMs: number): string {
  const d = new Date(Math.floor(epochMs / 1000) * 1000);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear(), 4)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`;
}

/**
 * Parses an HTTP date in any of the formats of RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850
 * (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
 *
 * @param text - the field value
 * @returns milliseconds since the epoch, or `undefined` when it is not a valid date
 * @example
 * ```ts
 * parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"); // 784111777000
 * ```
 */
export function parseHttpDate(text: string): number | undefined {
  let m = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(text);
  if (m) return build(Number(m[3]), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  m = /^[A-Z][a-z]+, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(text);
  if (m) {
    // Two-digit years more than 50 years in the future are in the past century (RFC 9110 §5.6.7).
    const yy = Number(m[3]);
    return build(yy < 70 ? 2000 + yy : 1900 + yy, m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  }
  m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(text);
  if (m) return build(Number(m[6]), m[1]!, m[2]!.trim(), m[3]!, m[4]!, m[5]!);
  return undefined;
}

function build(year: number, month: string, day: string, h: string, min: string, s: string): number | undefined {
  const mi = MONTHS.indexOf(month);
  const d = Number(day);
  const [H, M, S] = [Number(h), Number(min), Number(s)];
  if (mi < 0 || d < 1 || d > 31 || H > 23 || M > 59 || S > 60) return undefined;
  const t = Date.UTC(year, mi, d, H, M, Math.min(S, 59));
  return new Date(t).getUTCDate() === d ? t : undefined;
}
