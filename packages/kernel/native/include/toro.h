/* The boot information the ring-0 core hands to ring 3, the Toro system-call numbers, and the per-core
   record. Shared by core/ (ring 0, no SSE) and user/ (ring 3): plain data only. */
#ifndef TORO_H
#define TORO_H

#include <stdint.h>

#define TORO_MAX_CORES 16
#define TORO_MAX_MEMMAP 32

/* Toro's own system calls, above Linux's numbers so musl's calls never collide with them. */
#define TORO_SYS_WAIT 0x7001      /* arg0: TSC deadline (0 = none); returns after an event or the deadline */
#define TORO_SYS_IO_IN 0x7002     /* port, size (1/2/4) -> value */
#define TORO_SYS_IO_OUT 0x7003    /* port, size, value */
#define TORO_SYS_MAP 0x7004       /* base, length: identity-map device space above 4 GiB (uncached) */
#define TORO_SYS_IOAPIC_ROUTE 0x7005 /* ioapic address, pin, vector | IRQ_LEVEL | IRQ_ACTIVE_LOW */
#define TORO_SYS_IRQ_DONE 0x7006  /* vector: the handler ran; unmask its level-triggered line */

#define TORO_SYS_SMP_PREPARE 0x7007 /* count, apic id array: carve per-core regions; returns cores kept */
#define TORO_SYS_SMP_START 0x7008 /* start the prepared application processors (asynchronous) */
#define TORO_SYS_DOORBELL 0x7009  /* core index: send it the doorbell interrupt */
#define TORO_SYS_IRQ_GATE 0x700a  /* vector: install its interrupt gate (the IDT is shared by all cores) */

#define IRQ_LEVEL (1u << 8)
#define IRQ_ACTIVE_LOW (1u << 9)
#define IRQ_FIRST_VECTOR 48
#define IRQ_LAST_VECTOR 238
#define DOORBELL_VECTOR 239          /* cross-core wake-up; handled like a device vector */

struct toro_memmap_entry {
  uint64_t base;
  uint64_t length;
  uint32_t type;                  /* E820 types: 1 RAM, 2 reserved, 3 ACPI, 4 NVS, 5 unusable */
  uint32_t reserved;
};

struct toro_boot_info {
  uint64_t tsc0;                  /* TSC at the guest's first instruction */
  uint64_t tsc_hz;
  uint64_t tsc_at_user;           /* TSC when ring 3 was entered */
  uint64_t trace[8];              /* TSC after each ring-0 boot step (diagnostics) */
  const char *cmdline;
  uint32_t memmap_count;
  struct toro_memmap_entry memmap[TORO_MAX_MEMMAP];
  uint64_t payload_base;
  uint64_t payload_length;        /* 0 when no app is linked in */
  uint64_t rsdp;
  int64_t rtc_epoch_ns;           /* wall clock at tsc0, from the CMOS RTC; 0 if unknown */
  uint32_t core_count;
  char cpu_vendor[16];
  char hypervisor[16];
  uint32_t has_rdrand, has_rdseed;
  uint64_t shared_base;           /* TORO_SHARED_SIZE bytes, zeroed, for cross-core channels */
  uint64_t user_fs_base;          /* core 0's thread pointer (musl TLS), shared by every core */
  uint64_t fault_report;          /* ring-3 function that prints the JS stack after a CPU exception */
};

/* One per core: the core's own memory region, stacks and counters. The layout of the region is
   [stack | libc mmap area | DMA region | engine heap]. */
struct toro_core {
  struct toro_core *self;             /* %gs:0 on this core (ring 0 and ring 3 alike) */
  uint32_t id;
  uint32_t apic_id;
  uint64_t region_base, region_size;
  uint64_t stack_base, stack_size;
  uint64_t mmap_base, mmap_size, mmap_used;
  uint64_t heap_base, heap_size;
  volatile uint64_t timer_irqs;
  volatile uint64_t pending_events;   /* set by interrupt handlers, cleared by the waiter */
  volatile uint64_t irq_pending[4];   /* one bit per vector that fired; ring 3 takes them with xchg */
  uint64_t irq_count;
  uint64_t dma_base, dma_size;
  uint64_t syscalls;
  uint64_t boot_tsc;                  /* when this core reached ring 3 */
  volatile uint32_t online;
  uint32_t in_fault;                  /* ring 3 is printing its JS stack after a CPU exception */
};

/* Memory every core can reach, for channels between cores (lock-free rings live here). */
#define TORO_SHARED_SIZE (1u << 20)

static inline struct toro_core *toro_this_core(void) {
  struct toro_core *c;
  __asm__ volatile("mov %%gs:0, %0" : "=r"(c));
  return c;
}

extern struct toro_boot_info toro_boot;
extern struct toro_core toro_cores[TORO_MAX_CORES];

#endif
