/* What ring 3 learned from ACPI: CPUs (local APIC ids), IOAPICs and ISA overrides. Ring-3 code. */
#ifndef TORO_ACPI_H
#define TORO_ACPI_H
#include <stdint.h>

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16

struct acpi_ioapic { uint32_t address, gsi_base, pins; };
struct acpi_override { uint8_t source; uint32_t gsi; uint16_t flags; };

struct acpi_info {
  uint32_t lapic_address;
  uint32_t cpu_count;
  uint32_t cpu_apic_ids[ACPI_MAX_CPUS];
  uint32_t ioapic_count;
  struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
  uint32_t override_count;
  struct acpi_override overrides[ACPI_MAX_OVERRIDES];
};

extern struct acpi_info acpi;
void acpi_init(void);
int acpi_gsi_to_ioapic(uint32_t gsi, uint64_t *address, uint32_t *pin);

#endif
