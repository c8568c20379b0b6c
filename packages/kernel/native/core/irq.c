/* Device interrupts: the ring-0 half. An interrupt only records its vector in the core's pending
   bitmap (ring 3 runs the JS handler from the event loop) and, for a level-triggered IOAPIC input,
   masks that input until the handler has acknowledged the device (TORO_SYS_IRQ_DONE), so a line that
   stays asserted cannot storm. Ring-0 code: no libc, no SSE. */
#include "core.h"
#include "cpu.h"

#define IOREGSEL 0x00
#define IOWIN 0x10
#define REDIR_MASKED (1u << 16)

struct irq_route {
  uint64_t ioapic;   /* MMIO base of the IOAPIC feeding this vector, 0 when none (MSI) */
  uint32_t pin;
  uint32_t low;      /* redirection entry, low dword, unmasked */
  uint8_t level;
};

static struct irq_route routes[TORO_MAX_CORES][256];

/* IOREGSEL/IOWIN is a two-step access shared by every core. */
static volatile uint32_t ioapic_lock;

static void ioapic_write(uint64_t base, uint32_t reg, uint32_t v) {
  spin_lock(&ioapic_lock);
  *(volatile uint32_t *)(base + IOREGSEL) = reg;
  *(volatile uint32_t *)(base + IOWIN) = v;
  spin_unlock(&ioapic_lock);
}

static uint32_t ioapic_read(uint64_t base, uint32_t reg) {
  spin_lock(&ioapic_lock);
  *(volatile uint32_t *)(base + IOREGSEL) = reg;
  uint32_t v = *(volatile uint32_t *)(base + IOWIN);
  spin_unlock(&ioapic_lock);
  return v;
}

void irq_interrupt(uint64_t vector) {
  struct toro_core *core = this_core();
  struct irq_route *r = &routes[core->id][vector];
  if (r->level && r->ioapic) ioapic_write(r->ioapic, 0x10 + 2 * r->pin, r->low | REDIR_MASKED);
  __atomic_fetch_or(&core->irq_pending[vector / 64], 1ull << (vector % 64), __ATOMIC_SEQ_CST);
  core->irq_count++;
  core->pending_events |= 2;
  apic_eoi();
}

/* The IOAPIC's MMIO must be in the identity-mapped device space (it is, at 0xfec00000 on QEMU). */
int64_t irq_route_ioapic(uint64_t ioapic, uint64_t pin, uint64_t config) {
  uint32_t vector = (uint32_t)(config & 0xff);
  if (vector < IRQ_FIRST_VECTOR || vector > IRQ_LAST_VECTOR || ioapic < 0xc0000000ull || ioapic >= (4ull << 30)) return -22;
  uint32_t max_pin = (ioapic_read(ioapic, 0x01) >> 16) & 0xff;
  if (pin > max_pin) return -22;
  struct toro_core *core = this_core();
  struct irq_route *r = &routes[core->id][vector];
  r->ioapic = ioapic;
  r->pin = (uint32_t)pin;
  r->level = (config & IRQ_LEVEL) != 0;
  r->low = vector | (r->level ? 1u << 15 : 0) | ((config & IRQ_ACTIVE_LOW) ? 1u << 13 : 0); /* fixed, physical */
  ioapic_write(ioapic, 0x11 + 2 * (uint32_t)pin, core->apic_id << 24);
  ioapic_write(ioapic, 0x10 + 2 * (uint32_t)pin, r->low);
  return 0;
}

int64_t irq_done(uint64_t vector) {
  if (vector > 255) return -22;
  struct irq_route *r = &routes[this_core()->id][vector];
  if (r->level && r->ioapic) ioapic_write(r->ioapic, 0x10 + 2 * r->pin, r->low);
  return 0;
}
