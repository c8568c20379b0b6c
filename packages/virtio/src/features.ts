// VirtIO core layer (@toro/virtio): device status bits (virtio 1.2 §2.1), reserved feature bits
// (§6) and feature negotiation. Pure; imports only the error base.
import { ToroError } from "@toro/kernel";

/** Device status bits (virtio 1.2 §2.1). */
export const VirtioStatus = {
  /** The guest has noticed the device. */
  ACKNOWLEDGE: 1,
  /** The guest knows how to drive it. */
  DRIVER: 2,
  /** The driver is set up and ready. */
  DRIVER_OK: 4,
  /** Feature negotiation is complete. */
  FEATURES_OK: 8,
  /** The device hit an error it cannot recover from without a reset. */
  DEVICE_NEEDS_RESET: 64,
  /** The guest gave up on the device. */
  FAILED: 128,
} as const;

/** Device-independent feature bits (virtio 1.2 §6), as bigint masks. */
export const VirtioFeature = {
  /** Indirect descriptor tables (§2.7.5.3). */
  RING_INDIRECT_DESC: 1n << 28n,
  /** used_event / avail_event notification suppression (§2.7.7, §2.7.10). */
  RING_EVENT_IDX: 1n << 29n,
  /** Virtio 1.x: a modern device. Required. */
  VERSION_1: 1n << 32n,
  /** The device is behind an IOMMU (we have none: refuse). */
  ACCESS_PLATFORM: 1n << 33n,
  /** Packed virtqueues (we use split ones). */
  RING_PACKED: 1n << 34n,
} as const;

/**
 * Picks the features to accept: `wanted` among those offered, plus `required` (VERSION_1 always),
 * which must all be offered.
 *
 * @param offered - the device's feature bits
 * @param wanted - optional features the driver can use
 * @param required - features the driver cannot work without (VERSION_1 is added)
 * @returns the features to write back
 * @throws ToroError `ENOTSUP` when a required feature is missing (e.g. a legacy-only device).
 * @example
 * ```ts
 * const accepted = negotiateFeatures(device, VirtioFeature.RING_EVENT_IDX | (1n << 5n), 0n);
 * ```
 */
export function negotiateFeatures(offered: bigint, wanted: bigint, required = 0n): bigint {
  const need = required | VirtioFeature.VERSION_1;
  const missing = need & ~offered;
  if (missing !== 0n) {
    throw new ToroError("ENOTSUP", `the device lacks required feature bits 0x${missing.toString(16)}`, {
      hint: missing & VirtioFeature.VERSION_1 ? "use a modern (virtio 1.x) device, e.g. QEMU's disable-legacy=on or virtio-mmio.force-legacy=false" : undefined,
    });
  }
  return (offered & (wanted | need)) & ~(VirtioFeature.ACCESS_PLATFORM | VirtioFeature.RING_PACKED);
}
