/* The local APIC timer: the core's only wake-up source in the skeleton. TSC-deadline mode where the
   CPU has it, else one-shot mode with the APIC bus rate from the hypervisor or measured against the
   TSC. x2APIC (MSRs) where available, else xAPIC (MMIO at 0xfee00000). Ring-0 code, no SSE. */
#include "core.h"
#include "cpu.h"

#define APIC_ID 0x20
#define APIC_TPR 0x80
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_TSC_DEADLINE (2u << 17)

static int x2apic, tsc_deadline;
static volatile uint32_t *const xapic = (volatile uint32_t *)0xfee00000ul;

static void apic_write(uint32_t reg, uint32_t v) {
  if (x2apic) wrmsr(0x800 + (reg >> 4), v);
  else xapic[reg / 4] = v;
}

static uint32_t apic_read(uint32_t reg) {
  if (x2apic) return (uint32_t)rdmsr(0x800 + (reg >> 4));
  return xapic[reg / 4];
}

void apic_init(void) {
  uint32_t a, b, c, d;
  cpuid(1, 0, &a, &b, &c, &d);
  x2apic = (c >> 21) & 1;
  tsc_deadline = (c >> 24) & 1;
  uint64_t base = rdmsr(MSR_APIC_BASE);
  base |= 1u << 11;
  if (x2apic) base |= 1u << 10;
  wrmsr(MSR_APIC_BASE, base);
  apic_write(APIC_TPR, 0);
  apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
  apic_write(0x350, LVT_MASKED); /* LINT0: no legacy PIC interrupts */
  apic_write(0x360, LVT_MASKED); /* LINT1 */
  apic_write(0x370, LVT_MASKED); /* error */
  this_core()->apic_id = x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
  if (tsc_deadline) {
    apic_write(APIC_LVT_TIMER, VEC_TIMER | LVT_TSC_DEADLINE);
    (void)apic_read(APIC_LVT_TIMER); /* the mode switch completes before any deadline write */
  } else {
    apic_write(APIC_TIMER_DIV, 0xb); /* divide by 1 */
    apic_write(APIC_LVT_TIMER, VEC_TIMER | LVT_MASKED);
  }
}

static void measure_apic_rate(void) {
  /* 1 ms of TSC against the APIC counter, once, on first use. */
  apic_write(APIC_TIMER_INIT, 0xffffffffu);
  uint64_t t0 = rdtsc(), span = toro_boot.tsc_hz / 1000;
  while (rdtsc() - t0 < span) {
  }
  uint32_t left = apic_read(APIC_TIMER_CUR);
  apic_write(APIC_TIMER_INIT, 0);
  apic_timer_hz = (uint64_t)(0xffffffffu - left) * 1000;
  if (!apic_timer_hz) apic_timer_hz = 1000000000ull;
}

void apic_arm(uint64_t deadline_tsc) {
  if (tsc_deadline) {
    wrmsr(MSR_TSC_DEADLINE, deadline_tsc);
    return;
  }
  if (!apic_timer_hz) measure_apic_rate();
  uint64_t now = rdtsc();
  uint64_t ticks = deadline_tsc > now ? (deadline_tsc - now) : 1;
  /* ticks * apic_hz / tsc_hz without overflow for waits up to hours */
  uint64_t count = (ticks / toro_boot.tsc_hz) * apic_timer_hz +
                   (ticks % toro_boot.tsc_hz) * apic_timer_hz / toro_boot.tsc_hz;
  if (count == 0) count = 1;
  if (count > 0xffffffffu) count = 0xffffffffu; /* the wait loop re-arms until the deadline */
  apic_write(APIC_LVT_TIMER, VEC_TIMER);
  apic_write(APIC_TIMER_INIT, (uint32_t)count);
}

void apic_disarm(void) {
  if (tsc_deadline) wrmsr(MSR_TSC_DEADLINE, 0);
  else apic_write(APIC_TIMER_INIT, 0);
}

void apic_eoi(void) { apic_write(APIC_EOI, 0); }

void apic_send_ipi(uint32_t apic_id, uint32_t low) {
  if (x2apic) {
    wrmsr(0x830, ((uint64_t)apic_id << 32) | low);
    return;
  }
  for (int i = 0; i < 100000 && (apic_read(0x300) & (1u << 12)); i++) {
  } /* previous IPI still being delivered */
  apic_write(0x310, apic_id << 24);
  apic_write(0x300, low);
}
