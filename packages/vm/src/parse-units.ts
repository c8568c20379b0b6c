// Host tool layer (@toro/vm): parses the human units the run-image CLI accepts ("128M", "30s").
// Pure; must not import anything with side effects.
import { RunImageError } from "./errors.js";
import type { PortForward } from "./options.js";

const MEMORY_UNITS: Record<string, number> = { "": 1, m: 1, mb: 1, mib: 1, g: 1024, gb: 1024, gib: 1024 };
const DURATION_UNITS: Record<string, number> = { "": 1000, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Parses a memory size into MiB: a bare number is MiB; `M`/`MiB` and `G`/`GiB` suffixes are accepted
 * (case-insensitive, binary units as QEMU's `-m`).
 *
 * @param text - e.g. `"128M"`, `"1G"`, `"512"`.
 * @returns the size in MiB (a positive integer).
 * @throws {@link RunImageError} `EINVAL` on anything else.
 * @example
 * ```ts
 * parseMemoryMiB("1G"); // 1024
 * ```
 */
export function parseMemoryMiB(text: string): number {
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match === null ? undefined : MEMORY_UNITS[match[2]!.toLowerCase()];
  if (match === null || factor === undefined || Number(match[1]) <= 0) {
    throw new RunImageError("EINVAL", `invalid memory size "${text}"`, 'write it like "128M" or "1G"');
  }
  return Number(match[1]) * factor;
}

/**
 * Parses a duration into milliseconds: a bare number is seconds; `ms`, `s`, `m`/`min` and `h`
 * suffixes are accepted; fractions are allowed (`"1.5s"`).
 *
 * @param text - e.g. `"30s"`, `"500ms"`, `"2m"`, `"10"`.
 * @returns the duration in milliseconds (positive).
 * @throws {@link RunImageError} `EINVAL` on anything else.
 * @example
 * ```ts
 * parseDurationMs("1.5s"); // 1500
 * ```
 */
export function parseDurationMs(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match === null ? undefined : DURATION_UNITS[match[2]!.toLowerCase()];
  const value = match === null ? 0 : Number(match[1]);
  if (match === null || factor === undefined || value <= 0) {
    throw new RunImageError("EINVAL", `invalid duration "${text}"`, 'write it like "30s", "500ms" or "2m"');
  }
  return Math.round(value * factor);
}

/**
 * Parses a port forward written `HOST:GUEST`, optionally `udp:HOST:GUEST` or `tcp:HOST:GUEST`.
 *
 * @param text - e.g. `"8080:80"`.
 * @returns the host port, guest port and protocol (always set).
 * @throws {@link RunImageError} `EINVAL` when the text is not of that form or a port is out of range.
 * @example
 * ```ts
 * parsePortForward("udp:5353:53"); // { protocol: "udp", host: 5353, guest: 53 }
 * ```
 */
export function parsePortForward(text: string): PortForward {
  const match = /^(?:(tcp|udp):)?(\d{1,5}):(\d{1,5})$/.exec(text.trim());
  const host = Number(match?.[2]);
  const guest = Number(match?.[3]);
  if (match === null || host < 1 || host > 65535 || guest < 1 || guest > 65535) {
    throw new RunImageError("EINVAL", `invalid port forward "${text}"`, 'write it as HOST:GUEST, e.g. "8080:80" (prefix "udp:" for UDP)');
  }
  return { protocol: (match[1] as "tcp" | "udp" | undefined) ?? "tcp", host, guest };
}
