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
