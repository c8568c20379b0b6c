/* Identity mappings for device memory above 4 GiB (64-bit PCI BARs), added on demand with 2 MiB
   uncached pages from a small static pool of page directories. The first 4 GiB are mapped at boot by
   prebuilt tables (boot.S). Ring-0 code: no libc, no SSE. */
#include "core.h"
#include "layout.h"

#define PD_POOL 16
extern uint64_t boot_pml4[];
static uint64_t pd_pool[PD_POOL][512] __attribute__((aligned(4096)));
static int pd_used;
static volatile uint32_t paging_lock;

int64_t paging_map_device(uint64_t base, uint64_t length) {
  if (length == 0) return 0;
  uint64_t end = base + length;
  if (end < base || end > (512ull << 30)) return -22; /* one PML4 entry: the first 512 GiB */
  uint64_t *pdpt = (uint64_t *)(boot_pml4[0] & ~0xfffull);
  spin_lock(&paging_lock);
  for (uint64_t gib = base >> 30; gib <= (end - 1) >> 30; gib++) {
    if (gib < 4 || (pdpt[gib] & PTE_P)) continue;
    if (pd_used == PD_POOL) {
      spin_unlock(&paging_lock);
      return -12;
    }
    uint64_t *pd = pd_pool[pd_used++];
    for (uint64_t i = 0; i < 512; i++)
      pd[i] = ((gib << 30) + (i << 21)) | PTE_P | PTE_W | PTE_U | PTE_PS | PTE_PWT | PTE_PCD;
    pdpt[gib] = (uint64_t)pd | PTE_P | PTE_W | PTE_U;
  }
  spin_unlock(&paging_lock);
  /* New entries only (no present entry changed): no TLB flush needed. */
  return 0;
}

/* Switches the first 4 MiB from two 2 MiB pages to the 4 KiB tables at boot_pt, which ring 3 filled
   before any app code ran (user/paging.c). Checked here: every core page must be present, writable
   and supervisor-only, and the tables must map each page to itself, so a bad fill cannot open the
   core or alias memory. Once, on core 0, before the other cores start. */
extern uint64_t boot_pt[];
extern char __core_start[], __core_end[];
static int sealed;

int64_t paging_seal(void) {
  if (sealed || this_core()->id != 0) return -1;
  for (uint64_t i = 0; i < 1024; i++) {
    uint64_t e = boot_pt[i], a = i << 12;
    if ((e & ~0xfffull) != a || !(e & PTE_P)) return -22;
    int core_page = a >= (uint64_t)__core_start && a < (uint64_t)__core_end;
    if (core_page && (e & PTE_U)) return -22;
  }
  uint64_t *pdpt = (uint64_t *)(boot_pml4[0] & ~0xfffull);
  uint64_t *pd = (uint64_t *)(pdpt[0] & ~0xfffull);
  pd[0] = (uint64_t)&boot_pt[0] | PTE_P | PTE_W | PTE_U;
  pd[1] = (uint64_t)&boot_pt[512] | PTE_P | PTE_W | PTE_U;
  uint64_t cr3;
  __asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3)::"memory"); /* flush the old 2 MiB entries */
  sealed = 1;
  return 0;
}
