// FAT on-disk layer (@toro/fs/fat): FAT date and time fields <-> milliseconds since the Unix epoch
// (fatgen103 §6 "Date and Time Formats"). Times are taken as UTC: the unikernel has no time zone.
// Pure arithmetic over `Date.UTC`; never reads a clock. Imports nothing.

/** The three FAT fields of one timestamp. */
export interface FatTimestamp {
  /** bits 0-4 day, 5-8 month, 9-15 years since 1980 */
  readonly date: number;
  /** bits 0-4 seconds/2, 5-10 minutes, 11-15 hours */
  readonly time: number;
  /** extra 10 ms units, 0..199 (only creation times carry it) */
  readonly tenths: number;
}

const MIN_MS = Date.UTC(1980, 0, 1);
const MAX_MS = Date.UTC(2107, 11, 31, 23, 59, 58);

/** Encodes `ms` (clamped to the FAT range 1980..2107) as FAT date/time fields. */
export function toFatTimestamp(ms: number): FatTimestamp {
  const clamped = Number.isFinite(ms) ? Math.min(Math.max(ms, MIN_MS), MAX_MS) : MIN_MS;
  const d = new Date(clamped);
  const date = ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  const seconds = d.getUTCSeconds();
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (seconds >> 1);
  const tenths = (seconds & 1) * 100 + Math.floor(d.getUTCMilliseconds() / 10);
  return { date, time, tenths };
}

/** Decodes FAT date/time fields; a zero or invalid date reads as the FAT epoch (1980-01-01). */
export function fromFatTimestamp(date: number, time = 0, tenths = 0): number {
  const day = date & 0x1f;
  const month = (date >> 5) & 0x0f;
  if (day === 0 || month === 0 || month > 12) return MIN_MS;
  const year = 1980 + (date >> 9);
  const hours = Math.min(time >> 11, 23);
  const minutes = Math.min((time >> 5) & 0x3f, 59);
  const seconds = Math.min((time & 0x1f) * 2, 58);
  return Date.UTC(year, month - 1, day, hours, minutes, seconds) + Math.min(tenths, 199) * 10;
}
