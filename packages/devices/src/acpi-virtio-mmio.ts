// Device-discovery layer (@toro/devices): finds virtio-mmio devices in a DSDT without an AML
// interpreter. QEMU's microvm describes each as a Device with _HID "LNRO0005" whose _CRS holds a
// Memory32Fixed descriptor and an Extended Interrupt descriptor (ACPI 6.5 §6.4.3.4 and §6.4.3.6).
// We look for those descriptors after each "LNRO0005" string: cheap and enough for the machines we
// target. Pure; never throws on bad bytes.
import type { MmioDeviceLocation } from "./virtio-mmio-discovery.js";

const HID = "LNRO0005";
// How far after the _HID string its _CRS may start (QEMU emits _HID, _UID, _CCA, _CRS in a row).
const SEARCH_WINDOW = 128;

/**
 * Lists the virtio-mmio devices a DSDT (or SSDT) declares.
 *
 * @param dsdt - the whole table (header included)
 * @returns each device's register window and interrupt, in table order
 * @example
 * ```ts
 * const dsdt = findAcpiTables(hw).find((t) => t.signature === "DSDT");
 * const devices = dsdt ? virtioMmioFromDsdt(dsdt.bytes) : [];
 * ```
 */
export function virtioMmioFromDsdt(dsdt: Uint8Array): MmioDeviceLocation[] {
  const found: MmioDeviceLocation[] = [];
  const view = new DataView(dsdt.buffer, dsdt.byteOffset, dsdt.byteLength);
  const hid = Array.from(HID, (c) => c.charCodeAt(0));
  for (let at = 0; at + hid.length <= dsdt.length; at++) {
    if (!hid.every((c, i) => dsdt[at + i] === c)) continue;
    const end = Math.min(dsdt.length, at + hid.length + SEARCH_WINDOW);
    let base: number | undefined;
    let size = 0;
    let gsi: number | undefined;
    let level = false;
    let activeLow = false;
    for (let p = at + hid.length; p < end; p++) {
      // Memory32Fixed: tag 0x86, length 9 (u16), info, base u32, length u32.
      if (base === undefined && dsdt[p] === 0x86 && dsdt[p + 1] === 0x09 && dsdt[p + 2] === 0x00 && p + 12 <= dsdt.length) {
        base = view.getUint32(p + 4, true);
        size = view.getUint32(p + 8, true);
        p += 11;
        continue;
      }
      // Extended Interrupt: tag 0x89, length u16 >= 6, flags, count >= 1, u32 interrupts.
      if (gsi === undefined && dsdt[p] === 0x89 && p + 9 <= dsdt.length) {
        const length = view.getUint16(p + 1, true);
        if (length >= 6 && dsdt[p + 4]! >= 1) {
          const flags = dsdt[p + 3]!;
          level = (flags & 2) === 0; // bit 1: 1 = edge
          activeLow = (flags & 4) !== 0;
          gsi = view.getUint32(p + 5, true);
        }
      }
      if (base !== undefined && gsi !== undefined) break;
    }
    if (base !== undefined && gsi !== undefined && size > 0) {
      found.push({ baseAddress: base, sizeBytes: size, gsi, level, activeLow, source: "acpi" });
    }
    at += hid.length - 1;
  }
  return found;
}
