// Wire layer (@toro/net): IPv4 and MAC addresses. An IPv4 address is a uint32 number (host order of
// the dotted quad: 10.0.2.15 is 0x0a00020f) — cheap to compare and to use as a map key in QuickJS.
// A MAC address is a 6-byte Uint8Array. Imports nothing.

/** An IPv4 address as an unsigned 32-bit number (`0x0a00020f` is `10.0.2.15`). */
export type Ipv4Address = number;

/** The limited broadcast address 255.255.255.255 (RFC 919). */
export const IPV4_BROADCAST: Ipv4Address = 0xffffffff;
/** The unspecified address 0.0.0.0. */
export const IPV4_UNSPECIFIED: Ipv4Address = 0;
/** The Ethernet broadcast address ff:ff:ff:ff:ff:ff. */
export const MAC_BROADCAST: Uint8Array = new Uint8Array([255, 255, 255, 255, 255, 255]);

/**
 * Parses a dotted-quad IPv4 address.
 *
 * @param text - e.g. `"10.0.2.15"`
 * @returns the address, or `undefined` when `text` is not a dotted quad
 * @example
 * ```ts
 * ipv4("10.0.2.15"); // 0x0a00020f
 * ```
 */
export function ipv4(text: string): Ipv4Address | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

/**
 * Formats an IPv4 address as a dotted quad.
 *
 * @param address - the address
 * @returns e.g. `"10.0.2.15"`
 * @example
 * ```ts
 * formatIpv4(0x0a00020f); // "10.0.2.15"
 * ```
 */
export function formatIpv4(address: Ipv4Address): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

/**
 * Formats a MAC address as six colon-separated hex bytes.
 *
 * @param mac - 6 bytes
 * @returns e.g. `"52:54:00:12:34:56"`
 * @example
 * ```ts
 * formatMac(new Uint8Array([0x52, 0x54, 0, 0x12, 0x34, 0x56])); // "52:54:00:12:34:56"
 * ```
 */
export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join(":");
}

/**
 * The network mask for a prefix length.
 *
 * @param prefixLength - 0..32
 * @returns the mask, e.g. `0xffffff00` for 24
 * @example
 * ```ts
 * prefixMask(24); // 0xffffff00
 * ```
 */
export function prefixMask(prefixLength: number): number {
  return prefixLength <= 0 ? 0 : (0xffffffff << (32 - Math.min(prefixLength, 32))) >>> 0;
}

/** @internal */
export function macEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === 6 && b.length === 6 && a.every((v, i) => v === b[i]);
}
