/* The ring-0 boot path of core 0: console, clocks, tables, memory map, the core's region, then into
   ring 3 at musl's _start. Also the way out (core_exit). Ring-0 code: no libc, no SSE. */
#include "core.h"
#include "cpu.h"
#include "layout.h"

struct hvm_start_info {
  uint32_t magic, version, flags, nr_modules;
  uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
  uint32_t memmap_entries, reserved;
};
struct hvm_memmap_entry { uint64_t addr, size; uint32_t type, reserved; };

#define PVH_MAGIC 0x336ec578
#define MMAP_SIZE (1u << 20)      /* musl's own needs: TLS, a few small maps */
#define MIN_HEAP (2u << 20)
#define AT_NULL 0
#define AT_PAGESZ 6
#define AT_RANDOM 25

/* Ring 3 reads these (and writes its cores' irq_pending): they live outside the core pages. */
__attribute__((section(".toro_shared"))) struct toro_boot_info toro_boot;
__attribute__((section(".toro_shared"))) struct toro_core toro_cores[TORO_MAX_CORES];
extern uint64_t boot_tsc0;
extern uint64_t boot_start_info;
extern char __image_start[], __payload_start[];
extern char _start[];

struct toro_core *this_core(void) { return toro_this_core(); }

__attribute__((noreturn)) void core_exit(int code) {
  /* QEMU's isa-debug-exit turns this into process status (code << 1) | 1. */
  outl(0xf4, (uint32_t)code);
  /* Still running: no such device (Firecracker). Say it, then reset through the i8042. */
  kputs("toro: exit ");
  kputdec((uint64_t)code);
  kputs("\n");
  outb(0x64, 0xfe);
  for (;;) __asm__ volatile("cli; hlt");
}

__attribute__((noreturn)) static void panic(const char *msg) {
  kputs("toro: panic: ");
  kputs(msg);
  kputs("\n");
  core_exit(2);
}

static void read_start_info(void) {
  const struct hvm_start_info *si = (const struct hvm_start_info *)boot_start_info;
  if (!si || si->magic != PVH_MAGIC) panic("no PVH start info: boot this image with a PVH loader (QEMU -kernel, Firecracker)");
  toro_boot.cmdline = si->cmdline_paddr ? (const char *)si->cmdline_paddr : "";
  toro_boot.rsdp = si->rsdp_paddr;
  if (si->version >= 1 && si->memmap_paddr) {
    const struct hvm_memmap_entry *e = (const struct hvm_memmap_entry *)si->memmap_paddr;
    uint32_t n = si->memmap_entries < TORO_MAX_MEMMAP ? si->memmap_entries : TORO_MAX_MEMMAP;
    for (uint32_t i = 0; i < n; i++) {
      toro_boot.memmap[i].base = e[i].addr;
      toro_boot.memmap[i].length = e[i].size;
      toro_boot.memmap[i].type = e[i].type;
    }
    toro_boot.memmap_count = n;
  }
}

static void read_cpu_features(void) {
  uint32_t a, b, c, d;
  cpuid(0, 0, &a, &b, &c, &d);
  uint32_t max = a, *v = (uint32_t *)toro_boot.cpu_vendor;
  v[0] = b; v[1] = d; v[2] = c;
  cpuid(1, 0, &a, &b, &c, &d);
  toro_boot.has_rdrand = (c >> 30) & 1;
  if (max >= 7) {
    cpuid(7, 0, &a, &b, &c, &d);
    toro_boot.has_rdseed = (b >> 18) & 1;
  }
}

static void find_payload(void) {
  const char *p = __payload_start;
  toro_boot.payload_base = (uint64_t)p;
  if (p[0] == 'T' && p[1] == 'O' && p[2] == 'R' && p[3] == 'O' && p[4] == 'I' && p[5] == 'M' && p[6] == 'G' && p[7] == '1')
    toro_boot.payload_length = *(const uint32_t *)(p + 12);
}

/* Core 0's region: the largest RAM range above the payload (split among cores later, smp.c). */
static void carve_region(struct toro_core *core) {
  uint64_t floor = (toro_boot.payload_base + toro_boot.payload_length + 0xfff) & ~0xfffull;
  uint64_t best = 0, best_len = 0;
  for (uint32_t i = 0; i < toro_boot.memmap_count; i++) {
    const struct toro_memmap_entry *e = &toro_boot.memmap[i];
    if (e->type != 1) continue;
    uint64_t s = e->base, end = e->base + e->length;
    if (end > (4ull << 30)) end = 4ull << 30; /* the boot page tables map 4 GiB */
    if (s < floor) s = floor;
    if (end > s && end - s > best_len) { best = s; best_len = end - s; }
  }
  /* Small VMs get a smaller stack and DMA region, so the floor stays near 10 MiB of RAM. */
  uint64_t stack = best_len < (64u << 20) ? (1u << 20) : (2u << 20);
  uint64_t dma = (best_len / 8) & ~0xfffull;
  if (dma < (1u << 20)) dma = 1u << 20;
  if (dma > (16u << 20)) dma = 16u << 20;
  if (best_len < stack + MMAP_SIZE + dma + TORO_SHARED_SIZE + MIN_HEAP)
    panic("not enough memory for the engine: give the VM more (e.g. run-image --memory 128M)");
  core->region_base = best;
  core->region_size = best_len;
  core->stack_base = best;
  core->stack_size = stack;
  core->mmap_base = best + stack;
  core->mmap_size = MMAP_SIZE;
  core->dma_base = core->mmap_base + MMAP_SIZE;
  core->dma_size = dma;
  core->heap_base = core->dma_base + dma;
  core->heap_size = best + best_len - core->heap_base;
  /* Channels between cores: the top of core 0's region, carved before any heap exists. */
  core->heap_size -= TORO_SHARED_SIZE;
  toro_boot.shared_base = core->heap_base + core->heap_size;
}

/* The initial ring-3 stack musl's _start expects: argc, argv, envp, auxv. */
static uint64_t build_user_stack(struct toro_core *core) {
  uint64_t *sp = (uint64_t *)(core->stack_base + core->stack_size);
  static const char argv0[] = "toro";
  static uint8_t at_random[16] __attribute__((section(".toro_shared"))); /* musl reads it */
  uint64_t seed = rdtsc() ^ boot_tsc0;
  for (int i = 0; i < 16; i++) at_random[i] = (uint8_t)(seed >> ((i % 8) * 8)) ^ (uint8_t)(i * 37);
  sp -= 16;
  uint64_t *p = sp;
  *p++ = 1;                   /* argc */
  *p++ = (uint64_t)argv0;     /* argv[0] */
  *p++ = 0;                   /* argv end */
  *p++ = 0;                   /* envp end */
  *p++ = AT_PAGESZ; *p++ = 4096;
  *p++ = AT_RANDOM; *p++ = (uint64_t)at_random;
  *p++ = AT_NULL; *p++ = 0;
  return (uint64_t)sp;
}

void core_main(void) {
  struct toro_core *core = &toro_cores[0];
  core->self = core;
  core->id = 0;
  wrmsr(MSR_GS_BASE, (uint64_t)core);
  toro_boot.tsc0 = boot_tsc0;
  toro_boot.core_count = 1;
  console_init();
  toro_boot.trace[0] = rdtsc();
  read_start_info();
  read_cpu_features();
  toro_boot.trace[1] = rdtsc();
  time_init();
  toro_boot.trace[2] = rdtsc();
  trap_init();
  toro_boot.trace[3] = rdtsc();
  apic_init();
  toro_boot.trace[4] = rdtsc();
  toro_boot.rtc_epoch_ns = time_wall_at_tsc0_ns();
  toro_boot.trace[5] = rdtsc();
  find_payload();
  carve_region(core);
  uint64_t sp = build_user_stack(core);
  toro_boot.tsc_at_user = rdtsc();
  core->boot_tsc = toro_boot.tsc_at_user;
  core->online = 1;
  enter_user((uint64_t)_start, sp);
}
