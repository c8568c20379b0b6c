/* Fills the 4 KiB page tables for the first 4 MiB (boot_pt) at native speed, then asks the core to
   switch to them: the core's pages become supervisor-only, so an engine or app bug in ring 3 cannot
   write the IDT, the page tables or the core's stacks. Runs on core 0 before any app code. Ring-3
   code (it writes boot_pt while the boot tables still map it user-writable). */
#include <stdint.h>
#include "runtime.h"

extern uint64_t boot_pt[];
extern char __core_start[], __core_end[];

int paging_protect_core(void) {
  for (uint64_t i = 0; i < 1024; i++) {
    uint64_t a = i << 12;
    int core_page = a >= (uint64_t)__core_start && a < (uint64_t)__core_end;
    boot_pt[i] = a | 0x3 /* present, writable */ | (core_page ? 0 : 0x4 /* user */);
  }
  return (int)toro_syscall1(TORO_SYS_SEAL_PAGING, 0);
}
