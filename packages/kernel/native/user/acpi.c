/* ACPI, read from ring 3 at native speed: the RSDP from the PVH start info, then the XSDT (or RSDT)
   and the MADT's IOAPICs, so a GSI can be turned into (IOAPIC, pin). Every length and checksum is
   checked: a bad table is ignored, never followed. Ring-3 code. */
#include <string.h>
#include "acpi.h"
#include "toro.h"

struct acpi_info acpi;

static int checksum_ok(const uint8_t *p, uint32_t len) {
  uint8_t sum = 0;
  for (uint32_t i = 0; i < len; i++) sum = (uint8_t)(sum + p[i]);
  return sum == 0;
}

static const uint8_t *table(uint64_t addr) {
  if (!addr || addr >= (4ull << 30)) return NULL;
  const uint8_t *t = (const uint8_t *)addr;
  uint32_t len;
  memcpy(&len, t + 4, 4);
  if (len < 36 || len > (1u << 20) || !checksum_ok(t, len)) return NULL;
  return t;
}

static void parse_madt(const uint8_t *t) {
  uint32_t len;
  memcpy(&len, t + 4, 4);
  memcpy(&acpi.lapic_address, t + 36, 4);
  for (uint32_t off = 44; off + 2 <= len;) {
    uint8_t type = t[off], elen = t[off + 1];
    if (elen < 2 || off + elen > len) break;
    const uint8_t *e = t + off;
    if (type == 0 && elen >= 8 && acpi.cpu_count < ACPI_MAX_CPUS) { /* processor local APIC */
      uint32_t flags;
      memcpy(&flags, e + 4, 4);
      if (flags & 1) acpi.cpu_apic_ids[acpi.cpu_count++] = e[3];
    } else if (type == 9 && elen >= 16 && acpi.cpu_count < ACPI_MAX_CPUS) { /* processor local x2APIC */
      uint32_t id, flags;
      memcpy(&id, e + 4, 4);
      memcpy(&flags, e + 8, 4);
      if (flags & 1) acpi.cpu_apic_ids[acpi.cpu_count++] = id;
    } else if (type == 1 && elen >= 12 && acpi.ioapic_count < ACPI_MAX_IOAPICS) { /* IOAPIC */
      struct acpi_ioapic *io = &acpi.ioapics[acpi.ioapic_count++];
      memcpy(&io->address, e + 4, 4);
      memcpy(&io->gsi_base, e + 8, 4);
    } else if (type == 2 && elen >= 10 && acpi.override_count < ACPI_MAX_OVERRIDES) { /* source override */
      struct acpi_override *o = &acpi.overrides[acpi.override_count++];
      o->source = e[3];
      memcpy(&o->gsi, e + 4, 4);
      memcpy(&o->flags, e + 8, 2);
    }
    off += elen;
  }
}

void acpi_init(void) {
  const uint8_t *rsdp = (const uint8_t *)toro_boot.rsdp;
  if (!rsdp || toro_boot.rsdp >= (1ull << 32) || memcmp(rsdp, "RSD PTR ", 8) || !checksum_ok(rsdp, 20)) return;
  uint64_t root = 0;
  int entry_size = 4;
  if (rsdp[15] >= 2 && checksum_ok(rsdp, 36)) {
    memcpy(&root, rsdp + 24, 8);
    entry_size = 8;
  }
  if (!root) {
    uint32_t r32;
    memcpy(&r32, rsdp + 16, 4);
    root = r32;
    entry_size = 4;
  }
  const uint8_t *rt = table(root);
  if (!rt) return;
  uint32_t len;
  memcpy(&len, rt + 4, 4);
  for (uint32_t off = 36; off + entry_size <= len; off += entry_size) {
    uint64_t addr = 0;
    memcpy(&addr, rt + off, entry_size);
    const uint8_t *t = table(addr);
    if (t && !memcmp(t, "APIC", 4)) parse_madt(t);
  }
  /* Pin counts, read once before any interrupt is routed (the ring-0 handler also uses IOREGSEL). */
  for (uint32_t i = 0; i < acpi.ioapic_count; i++) {
    struct acpi_ioapic *io = &acpi.ioapics[i];
    if (io->address < 0xc0000000u) continue;
    *(volatile uint32_t *)(uintptr_t)io->address = 1;
    io->pins = ((*(volatile uint32_t *)((uintptr_t)io->address + 0x10) >> 16) & 0xff) + 1;
  }
}

int acpi_gsi_to_ioapic(uint32_t gsi, uint64_t *address, uint32_t *pin) {
  for (uint32_t i = 0; i < acpi.ioapic_count; i++) {
    const struct acpi_ioapic *io = &acpi.ioapics[i];
    if (gsi >= io->gsi_base && gsi < io->gsi_base + io->pins) {
      *address = io->address;
      *pin = gsi - io->gsi_base;
      return 0;
    }
  }
  if (acpi.ioapic_count == 0 && gsi < 24) { /* no MADT: the PC default */
    *address = 0xfec00000u;
    *pin = gsi;
    return 0;
  }
  return -1;
}
