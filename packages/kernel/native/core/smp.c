/* Bringing up the other cores. Ring 3 on core 0 reads the CPU list from ACPI's MADT (fast, at native
   speed) and asks for SMP_PREPARE, which splits core 0's memory into one region per core; SMP_START
   copies the real-mode trampoline below 1 MiB and sends INIT and two STARTUP IPIs to each AP without
   waiting for it (an AP that comes up reports `online`). Each AP loads its own GDT/TSS and LAPIC
   timer, then enters ring 3 at toro_ap_entry with its own stack. Ring-0 code: no libc, no SSE. */
#include "core.h"
#include "cpu.h"
#include "layout.h"

#define AP_STACK_SIZE (1u << 20)
#define MIN_SHARE (12u << 20)

uint32_t smp_apic_ids[TORO_MAX_CORES];
uint64_t smp_stack_tops[TORO_MAX_CORES];
static uint8_t ap_kernel_stacks[TORO_MAX_CORES][8192] __attribute__((aligned(16)));
static uint32_t prepared;
extern char ap_trampoline[], ap_trampoline_end[];
extern char toro_ap_entry[];

static void udelay(uint64_t us) {
  uint64_t t0 = rdtsc(), span = toro_boot.tsc_hz / 1000000 * us;
  while (rdtsc() - t0 < span) __asm__ volatile("pause");
}

/* Splits core 0's heap into equal shares: core 0 keeps the first, each AP gets
   [stack | DMA (1/8, at most 16 MiB) | heap]. Returns the number of cores that fit. */
int64_t smp_prepare(uint64_t count, const uint32_t *apic_ids) {
  struct toro_core *c0 = &toro_cores[0];
  if (prepared || this_core()->id != 0) return -1;
  if (count > TORO_MAX_CORES) count = TORO_MAX_CORES;
  uint64_t total = c0->heap_size;
  while (count > 1 && total / count < MIN_SHARE) count--;
  uint64_t share = (total / count) & ~0x1fffffull;
  uint32_t n = 1;
  for (uint64_t i = 0; i < count; i++) {
    if (apic_ids[i] == c0->apic_id) continue;
    if (n == count) break;
    struct toro_core *c = &toro_cores[n];
    uint64_t base = c0->heap_base + share * n;
    c->self = c;
    c->id = n;
    c->apic_id = apic_ids[i];
    c->region_base = base;
    c->region_size = share;
    c->stack_base = base;
    c->stack_size = AP_STACK_SIZE;
    c->dma_size = share / 8 > (16u << 20) ? (16u << 20) : (share / 8) & ~0xfffull;
    c->dma_base = base + AP_STACK_SIZE;
    c->heap_base = c->dma_base + c->dma_size;
    c->heap_size = base + share - c->heap_base;
    smp_apic_ids[n] = apic_ids[i];
    n++;
  }
  smp_apic_ids[0] = c0->apic_id;
  c0->heap_size = share;
  toro_boot.core_count = n;
  prepared = n;
  return n;
}

int64_t smp_start(void) {
  if (prepared < 2) return 0;
  kmemcpy((void *)TRAMPOLINE_BASE, ap_trampoline, (size_t)(ap_trampoline_end - ap_trampoline));
  for (uint32_t i = 1; i < prepared; i++) smp_stack_tops[i] = (uint64_t)&ap_kernel_stacks[i][8192];
  /* INIT, then STARTUP twice (Intel SDM vol. 3 §9.4.4); the pauses are short because virtual CPUs
     need no settling time, and an AP that misses one SIPI takes the next. */
  for (uint32_t i = 1; i < prepared; i++) apic_send_ipi(smp_apic_ids[i], 0x4500);
  udelay(100);
  for (int round = 0; round < 2; round++) {
    for (uint32_t i = 1; i < prepared; i++)
      if (!toro_cores[i].online) apic_send_ipi(smp_apic_ids[i], 0x4600 | (TRAMPOLINE_BASE >> 12));
    udelay(200);
  }
  return prepared;
}

int64_t smp_doorbell(uint64_t core) {
  if (core >= toro_boot.core_count || !toro_cores[core].online) return -22;
  apic_send_ipi(toro_cores[core].apic_id, DOORBELL_VECTOR); /* fixed delivery */
  return 0;
}

void ap_main(uint32_t index) {
  struct toro_core *core = &toro_cores[index];
  wrmsr(MSR_GS_BASE, (uint64_t)core);
  trap_init();
  apic_init();
  wrmsr(MSR_FS_BASE, toro_boot.user_fs_base);
  core->boot_tsc = rdtsc();
  core->online = 1;
  enter_user((uint64_t)toro_ap_entry, core->stack_base + core->stack_size - 16);
}
